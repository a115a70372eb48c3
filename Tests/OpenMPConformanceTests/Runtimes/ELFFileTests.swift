import Foundation
import Testing
@testable import OpenMPConformance

extension RuntimesTests {
    @Suite("ELF file reader")
    struct ELFFileTests {
        @Test("reads header, SONAME and defined symbols of the real runtimes")
        func realRuntimes() throws {
            for name in ["llvm14", "llvm16", "intel", "llvm14-copy", "gnu"] {
                guard let r = RuntimeFixtures.runtime(name) else { continue }
                let elf = try ELFFile(path: r.path)
                #expect(elf.elfClass == .elf64, "\(name)")
                #expect(elf.endianness == .little, "\(name)")
                #expect(elf.architecture == "x86_64", "\(name)")
                #expect(elf.fileType == .sharedObject, "\(name)")
                #expect(elf.symbolTableSource == .sections, "\(name)")
                let symbols = Set(elf.exportedSymbols())
                #expect(symbols.contains("omp_get_num_threads"), "\(name) exports the OpenMP API")
                #expect(symbols.contains("GOMP_parallel"), "\(name) defines GOMP_parallel (libomp has GNU entry points too)")
                let kmp = name != "gnu"
                #expect(symbols.contains("__kmpc_fork_call") == kmp, "\(name)")
                #expect(elf.defines("__kmpc_fork_call") == kmp, "\(name): hash lookup agrees with the table")
                #expect(!symbols.contains("malloc"), "\(name): imported symbols are not listed as defined")
                #expect(!elf.defines("malloc"))
            }
        }

        @Test("SONAME and version nodes")
        func sonames() throws {
            if let r = RuntimeFixtures.runtime("llvm16") { #expect(try ELFFile(path: r.path).soname == "libomp.so.5") }
            if let r = RuntimeFixtures.runtime("intel") { #expect(try ELFFile(path: r.path).soname == "libiomp5.so") }
            if let r = RuntimeFixtures.runtime("gnu") {
                let elf = try ELFFile(path: r.path)
                #expect(elf.soname == "libgomp.so.1")
                #expect(elf.versionDefinitions.contains("GOMP_1.0"))
                #expect(elf.versionDefinitions.contains("OMP_1.0"))
                #expect(!elf.versionDefinitions.contains("libgomp.so.1"), "the base entry is not a version node")
            }
        }

        @Test("an importer of GOMP symbols does not define them (libopenblas)")
        func importerIsNotDefiner() throws {
            guard let path = RuntimeFixtures.systemFile(RuntimeFixtures.openblas) else { return }
            let elf = try ELFFile(path: path)
            #expect(!elf.defines("GOMP_parallel"))
            #expect(!elf.defines("__kmpc_fork_call"))
            #expect(elf.defines("cblas_sgemm"))
        }

        @Test("with section headers stripped, the dynamic segment gives the same symbols")
        func dynamicSegmentFallback() throws {
            for name in ["llvm14", "gnu"] {
                guard let r = RuntimeFixtures.runtime(name) else { continue }
                var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: r.path)))
                let full = try ELFFile(bytes: bytes, name: r.path)
                // Zero e_shoff, e_shentsize, e_shnum, e_shstrndx: what `strip --strip-section-headers` leaves.
                for i in 40..<48 { bytes[i] = 0 }
                for i in 58..<64 { bytes[i] = 0 }
                let stripped = try ELFFile(bytes: bytes, name: r.path + " (no sections)")
                #expect(stripped.symbolTableSource == .dynamicSegment, "\(name)")
                #expect(stripped.exportedSymbols() == full.exportedSymbols(), "\(name)")
                #expect(stripped.soname == full.soname, "\(name)")
                #expect(stripped.versionDefinitions == full.versionDefinitions, "\(name)")
                #expect(stripped.defines("GOMP_parallel"), "\(name)")
                #expect(stripped.defines("__kmpc_fork_call") == (name != "gnu"), "\(name)")
            }
        }

        @Test("32-bit and foreign headers built from bytes")
        func builtHeaders() throws {
            let i386 = try ELFFile(bytes: BinaryBuilder.elfHeader(is64: false, machine: 3), name: "i386.so")
            #expect(i386.elfClass == .elf32)
            #expect(i386.architecture == "i386")
            #expect(i386.exportedSymbols().isEmpty)
            #expect(i386.symbolTableSource == .none)
            let arm = try ELFFile(bytes: BinaryBuilder.elfHeader(is64: true, machine: 183), name: "arm.so")
            #expect(arm.architecture == "aarch64")
        }

        @Test("rejects non-ELF and truncated input with a reason")
        func rejects() {
            #expect(throws: BinaryFileError.wrongFormat(path: "t", expected: "an ELF file")) {
                try ELFFile(bytes: Array("hello, not a library\n".utf8), name: "t")
            }
            #expect(throws: BinaryFileError.self) {
                try ELFFile(bytes: Array(BinaryBuilder.elfHeader(is64: true, machine: 62).prefix(30)), name: "short")
            }
            #expect(throws: BinaryFileError.notFound(path: "/nonexistent/libx.so")) {
                try ELFFile(path: "/nonexistent/libx.so")
            }
        }

        @Test("reading 200 libraries takes well under a second")
        func speed() throws {
            let dir = "/usr/lib/x86_64-linux-gnu"
            let names = try FileManager.default.contentsOfDirectory(atPath: dir)
                .filter { RuntimeScanner.looksLikeSharedLibrary($0) }.sorted()
            var paths: [String] = []
            for n in names where paths.count < 200 {
                let p = dir + "/" + n
                var isDir: ObjCBool = false
                if FileManager.default.fileExists(atPath: p, isDirectory: &isDir), !isDir.boolValue,
                   (try? ELFFile(path: p)) != nil { paths.append(p) }
            }
            try #require(paths.count >= 100, "this host has only \(paths.count) ELF libraries in \(dir)")
            // Best of three, so that other tests sharing the CPU do not decide the result.
            let clock = ContinuousClock()
            var checked = 0
            var times: [Duration] = []
            for _ in 0..<3 {
                checked = 0
                times.append(try clock.measure {
                    for p in paths {
                        let elf = try ELFFile(path: p)
                        _ = elf.defines("__kmpc_fork_call")
                        _ = elf.defines("GOMP_parallel")
                        checked += 1
                    }
                })
            }
            let elapsed = times.min()!
            #expect(checked == paths.count)
            print("ELF: \(paths.count) libraries read and checked; runs \(times)")
            #expect(elapsed < .seconds(1))
        }
    }
}
