import Foundation
import Testing
@testable import OpenMPConformance
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension RuntimesTests {
    @Suite("Process inspector")
    struct ProcessInspectorTests {
        #if os(Linux)
        @Test("this test process: libc is mapped and matches the file on disk; no runtime is loaded here")
        func selfProcess() throws {
            let report = try ProcessInspector.report(pid: getpid())
            let libc = try #require(report.objects.first { $0.path.hasSuffix("/libc.so.6") }, "libc.so.6 not in the map")
            var st = stat()
            try #require(stat(libc.path, &st) == 0)
            #expect(libc.fileKey == FileKey(device: UInt64(st.st_dev), inode: UInt64(st.st_ino)),
                    "device:inode from /proc/self/maps match stat(2)")
            #expect(libc.identity == nil)
            #expect(libc.regions.count >= 2)
            #expect(libc.regions.contains { $0.permissions.contains("x") })
            // The library and its tests never load an OpenMP runtime in-process (probes run in children).
            // Tests running in parallel may have runtime files mapped as data while they read them;
            // those have no executable mapping and do not count.
            #expect(report.runtimes.isEmpty, "unexpected runtimes loaded: \(report.runtimes.map(\.path))")
            for o in report.objects where o.identity != nil { #expect(!o.hasExecutableMapping, "\(o.path)") }
            #expect(report.warnings.isEmpty)
        }

        @Test("a child with two KMP runtimes mapped (dlopen, not initialized): no warning, mapped is not started")
        func childWithTwoRuntimes() throws {
            guard let l14 = RuntimeFixtures.runtime("llvm14"), let intel = RuntimeFixtures.runtime("intel"),
                  let gnu = RuntimeFixtures.runtime("gnu") else { return }
            let script = """
            import ctypes, os, sys, time
            for p in sys.argv[1:]:
                ctypes.CDLL(p, mode=os.RTLD_LOCAL)
            print("ready", flush=True)
            time.sleep(60)
            """
            let child = Process()
            child.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            child.arguments = ["python3", "-c", script, l14.path, intel.path, gnu.path]
            let out = Pipe()
            child.standardOutput = out
            child.standardError = FileHandle.nullDevice
            try child.run()
            let pid = child.processIdentifier
            defer {
                kill(pid, SIGKILL)
                child.waitUntilExit()
                // Only if the child had initialized a runtime would it have left this behind.
                unlink("/dev/shm/__KMP_REGISTERED_LIB_\(pid)_\(getuid())")
            }
            var seen = Data()
            while !String(decoding: seen, as: UTF8.self).contains("ready\n") {
                let chunk = out.fileHandleForReading.availableData
                if chunk.isEmpty { break }
                seen.append(chunk)
            }
            try #require(String(decoding: seen, as: UTF8.self).contains("ready"), "the python child did not get ready")

            let report = try ProcessInspector.report(pid: pid)
            let runtimes = report.runtimes
            let realL14 = try #require(RuntimeIdentity.resolvedPath(l14.path))
            let realIntel = try #require(RuntimeIdentity.resolvedPath(intel.path))
            let realGnu = try #require(RuntimeIdentity.resolvedPath(gnu.path))
            #expect(Set(runtimes.map(\.path)) == [realL14, realIntel, realGnu])
            #expect(runtimes.first { $0.path == realIntel }?.identity?.vendor == .intel)
            #expect(runtimes.first { $0.path == realL14 }?.identity?.vendor == .llvm)
            #expect(runtimes.first { $0.path == realGnu }?.identity?.family == .gnu)
            // Intel's symbol table gives its own state: not started. A runtime known not to start conflicts with nothing.
            #expect(runtimes.first { $0.path == realIntel }?.started == false, "\(runtimes.map { $0.startEvidence ?? "" })")
            #expect(runtimes.first { $0.path == realL14 }?.started != true)
            #expect(report.warnings.isEmpty, "\(report.warnings)")
            #expect(report.registeredKMPRuntime == nil, "mapping alone does not register (initialize) a KMP runtime")
        }
        #endif

        #if canImport(Darwin)
        @Test("this test process: its own executable image is mapped as code; no runtime is loaded here")
        func selfProcessDarwin() throws {
            let report = try ProcessInspector.report(pid: getpid())
            var buf = [CChar](repeating: 0, count: 4096)
            var size = UInt32(buf.count)
            try #require(_NSGetExecutablePath(&buf, &size) == 0)
            let exe = try #require(RuntimeIdentity.resolvedPath(String(cString: buf)))
            let me = try #require(report.objects.first { $0.path == exe }, "\(exe) not among \(report.objects.map(\.path))")
            var st = stat()
            try #require(stat(exe, &st) == 0)
            #expect(me.fileKey == FileKey(device: UInt64(st.st_dev), inode: UInt64(st.st_ino)))
            #expect(me.hasExecutableMapping)
            #expect(report.runtimes.isEmpty, "unexpected runtimes loaded: \(report.runtimes.map(\.path))")
        }
        #endif

        @Test("no such process")
        func noSuchProcess() async throws {
            // A child that has exited and been reaped leaves a pid that names no process.
            let pid = try await TestProcess.reapedPid()
            #expect(throws: ProcessInspectionError.noSuchProcess(pid: pid)) { try ProcessInspector.inspect(pid: pid) }
            #expect(throws: ProcessInspectionError.noSuchProcess(pid: -5)) { try ProcessInspector.inspect(pid: -5) }
        }

        #if os(Linux)
        @Test("maps parsing: deleted files, spaces in names, anonymous regions")
        func parse() {
            let text = """
            55d0c0a00000-55d0c0a02000 r--p 00000000 fe:00 254163                     /usr/bin/head
            55d0c0a02000-55d0c0a08000 r-xp 00002000 fe:00 254163                     /usr/bin/head
            7f0000000000-7f0000001000 rw-p 00000000 00:00 0                          [heap]
            7f0000001000-7f0000002000 r-xp 00000000 fe:00 99                         /tmp/dir with space/libx.so (deleted)
            7f0000003000-7f0000004000 rw-p 00000000 00:00 0
            """
            let objects = ProcessInspector.parseMaps(text)
            #expect(objects.map(\.path) == ["/usr/bin/head", "/tmp/dir with space/libx.so"])
            #expect(objects[0].regions.count == 2)
            #expect(objects[0].fileKey == FileKey(device: ProcessInspector.makeDevice(major: 0xfe, minor: 0), inode: 254163))
            #expect(objects[1].deleted)
            #expect(ProcessInspector.makeDevice(major: 0xfe, minor: 0) == 65024)
        }
        #endif

        @Test("warnings: one inode is not a pair; a file mapped only as data is not loaded")
        func warnings() throws {
            guard let l14 = RuntimeFixtures.runtime("llvm14"), let copy = RuntimeFixtures.runtime("llvm14-copy") else { return }
            let a = try #require(try RuntimeIdentity.identify(path: l14.path))
            let b = try #require(try RuntimeIdentity.identify(path: copy.path))
            func mapped(_ id: RuntimeIdentity, _ permissions: String = "r-xp") -> MappedObject {
                MappedObject(path: id.realPath, fileKey: id.fileKey, deleted: false,
                             regions: [.init(start: 0x1000, end: 0x2000, permissions: permissions, offset: 0)],
                             identity: id, note: nil)
            }
            #expect(ProcessInspector.warnings(for: [mapped(a), mapped(a)]).isEmpty)
            #expect(ProcessInspector.warnings(for: [mapped(a), mapped(b)]).count == 1)
            #expect(ProcessInspector.warnings(for: [mapped(a), mapped(b, "r--p")]).isEmpty, "a data-only mapping is not loaded")
        }
    }
}
