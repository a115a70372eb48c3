import Foundation
import Testing
@testable import OpenMPConformance

extension RuntimesTests {
    @Suite("Launch preflight")
    struct LaunchPreflightTests {
        @Test("every provisioned runtime passes", arguments: ["gnu", "llvm14", "llvm16", "intel", "llvm14-copy"])
        func runtimesPass(name: String) {
            guard let r = RuntimeFixtures.runtime(name) else { return }
            #expect(LaunchPreflight.check(path: r.path) == nil)
        }

        @Test("a symlink to a runtime passes")
        func symlinkPasses() {
            guard let p = RuntimeFixtures.systemFile(RuntimeFixtures.debianIOMP5) else { return }
            #expect(LaunchPreflight.check(path: p) == nil)
        }

        @Test("missing path")
        func missing() throws {
            let reason = try #require(LaunchPreflight.check(path: "/nonexistent/dir/libomp.so.5"))
            #expect(reason.contains("/nonexistent/dir/libomp.so.5"))
            #expect(reason.contains("does not exist"))
        }

        @Test("a directory")
        func directory() throws {
            let reason = try #require(LaunchPreflight.check(path: "/usr/lib"))
            #expect(reason.contains("is a directory"))
        }

        // ELF files: what Linux's loader would refuse.
        #if os(Linux)
        @Test("a text file named like a library, and a linker script")
        func textFiles() throws {
            let dir = try RuntimeFixtures.temporaryDirectory("preflight")
            defer { try? FileManager.default.removeItem(at: dir) }
            let text = dir.appendingPathComponent("libomp.so.5")
            try "this is not a library\n".write(to: text, atomically: true, encoding: .utf8)
            let reason = try #require(LaunchPreflight.check(path: text.path))
            #expect(reason.contains("not an ELF shared library"))
            #expect(reason.contains("text"))
            let empty = dir.appendingPathComponent("libempty.so")
            try #require(FileManager.default.createFile(atPath: empty.path, contents: Data()))
            #expect(try #require(LaunchPreflight.check(path: empty.path)).contains("empty"))
            // Debian's libc.so is a linker script, not an ELF file.
            if FileManager.default.fileExists(atPath: "/usr/lib/x86_64-linux-gnu/libc.so") {
                let r = try #require(LaunchPreflight.check(path: "/usr/lib/x86_64-linux-gnu/libc.so"))
                #expect(r.contains("linker script"))
            }
        }

        @Test("a shared library that is not an OpenMP runtime names the missing symbols")
        func notRuntime() throws {
            guard let libm = RuntimeFixtures.systemFile(RuntimeFixtures.libm) else { return }
            let reason = try #require(LaunchPreflight.check(path: libm))
            #expect(reason.contains("not an OpenMP runtime"))
            #expect(reason.contains("__kmpc_fork_call"))
            #expect(reason.contains("GOMP_parallel"))
        }

        @Test("32-bit and foreign-architecture ELF files name both architectures")
        func foreign() throws {
            let dir = try RuntimeFixtures.temporaryDirectory("preflight-arch")
            defer { try? FileManager.default.removeItem(at: dir) }
            let i386 = dir.appendingPathComponent("libomp32.so")
            try Data(BinaryBuilder.elfHeader(is64: false, machine: 3)).write(to: i386)
            let r32 = try #require(LaunchPreflight.check(path: i386.path))
            #expect(r32.contains("32-bit"))
            #expect(r32.contains("i386"))
            #expect(r32.contains(LaunchPreflight.hostArchitecture))

            let arm = dir.appendingPathComponent("libomp-arm64.so")
            try Data(BinaryBuilder.elfHeader(is64: true, machine: 183)).write(to: arm)
            let ra = try #require(LaunchPreflight.check(path: arm.path))
            #expect(ra.contains("aarch64"))
            #expect(ra.contains("this host is \(LaunchPreflight.hostArchitecture)"))

            let exe = dir.appendingPathComponent("prog.so")
            try Data(BinaryBuilder.elfHeader(is64: true, machine: 62, type: 2)).write(to: exe)
            #expect(try #require(LaunchPreflight.check(path: exe.path)).contains("executable"))
        }

        @Test("a Mach-O runtime is refused on Linux")
        func machO() throws {
            let dir = try RuntimeFixtures.temporaryDirectory("preflight-macho")
            defer { try? FileManager.default.removeItem(at: dir) }
            let dylib = dir.appendingPathComponent("libomp.dylib")
            try Data(MachOFileTests.libompLike(cpuType: MachOFileTests.x86_64)).write(to: dylib)
            #expect(try #require(LaunchPreflight.check(path: dylib.path)).contains("Mach-O"))
        }
        #endif

        #if os(macOS)
        @Test("an ELF runtime is refused on macOS")
        func elfOnMac() throws {
            let dir = try RuntimeFixtures.temporaryDirectory("preflight-elf")
            defer { try? FileManager.default.removeItem(at: dir) }
            let so = dir.appendingPathComponent("libomp.so.5")
            try Data(BinaryBuilder.elfHeader(is64: true, machine: 62)).write(to: so)
            #expect(try #require(LaunchPreflight.check(path: so.path)).contains("macOS loads only Mach-O"))
        }
        #endif
    }
}
