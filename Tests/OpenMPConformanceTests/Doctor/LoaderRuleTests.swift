import Foundation
import Testing
@testable import OpenMPConformance

/// Provisioned runtimes beyond the probe tests' five, and small consumer libraries built here.
enum LoaderFixtures {
    static func path(_ name: String) throws -> String {
        let catalog = try RuntimeCatalog()
        let r = try #require(catalog.runtime(named: name), "runtime \(name) not provisioned: run `swift run omp-matrix provision`")
        return URL(fileURLWithPath: r.path).resolvingSymlinksInPath().path
    }

    static var canBuild: Bool { DoctorFixtures.clang != nil && DoctorFixtures.patchelf != nil }
    static let buildReason = Comment(rawValue: "needs clang and patchelf (Scripts/test.sh installs patchelf)")

    /// Copies a runtime to `dest` and gives the copy the SONAME `soname` (as auditwheel does for a vendored copy).
    static func vendor(_ runtime: String, to dest: String, soname: String) async throws {
        try DoctorFixtures.copy(runtime, to: dest)
        try await DoctorFixtures.run([try #require(DoctorFixtures.patchelf), "--set-soname", soname, dest])
    }

    /// A shared library at `dest` that imports `symbols` and needs `runtime` (linked by its file, so
    /// its DT_NEEDED is the runtime's SONAME).
    /// `originRunpath`: the library finds its runtime beside it (RUNPATH `$ORIGIN`), as wheels' libraries do.
    static func consumer(_ dest: String, calling symbols: [String], linkedTo runtime: String, originRunpath: Bool = false) async throws {
        let clang = try #require(DoctorFixtures.clang)
        let source = symbols.map { "extern int \($0)(void);" }.joined(separator: "\n")
            + "\nint consumer_entry(void) { return 0" + symbols.map { " + \($0)()" }.joined() + "; }\n"
        let c = dest + ".c"
        try source.write(toFile: c, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: c) }
        try await DoctorFixtures.run([clang, "-shared", "-fPIC", "-o", dest, c, runtime] + (originRunpath ? ["-Wl,-rpath,$ORIGIN"] : []))
    }

    /// LLVM 14 at `root/lib/libomp.so.5` and LLVM 16 vendored at `root/pkg.libs/libomp-16c0ffee.so.5` (renamed
    /// SONAME), as a venv holding a system-style runtime and a wheel's renamed copy.
    static func llvm14AndVendored16(in root: String) async throws -> (old: String, new: String) {
        let old = root + "/lib/libomp.so.5", new = root + "/pkg.libs/libomp-16c0ffee.so.5"
        try DoctorFixtures.copy(try DoctorFixtures.runtimePath("llvm14"), to: old)
        try await vendor(try DoctorFixtures.runtimePath("llvm16"), to: new, soname: "libomp-16c0ffee.so.5")
        return (old, new)
    }

    /// Runs `argv` and returns whether it ended within `seconds` (it is killed otherwise).
    static func endsWithin(_ seconds: Double, _ argv: [String]) async throws -> (ended: Bool, status: Int32, output: String) {
        let out = try makeTemporaryDirectory("omp-ends-within").appendingPathComponent("out")
        try #require(FileManager.default.createFile(atPath: out.path, contents: nil))
        defer { try? FileManager.default.removeItem(at: out.deletingLastPathComponent()) }
        let handle = try FileHandle(forWritingTo: out)
        let p = try TestProcess.start(argv, standardOutput: handle, standardError: handle)
        // The deadline is kept by a thread of its own, not by a sleep on a possibly busy cooperative pool.
        let ended = try await onOwnThread { [p] in
            let deadline = Date().addingTimeInterval(seconds)
            while !p.hasEnded && Date() < deadline { usleep(20_000) }
            if !p.hasEnded { kill(p.pid, SIGKILL); return false }
            return true
        }
        let status = await p.exit().status
        try handle.close()
        return (ended, status, (try? String(contentsOf: out, encoding: .utf8)) ?? "")
    }

    /// A python3 that loads `libraries` with `mode` (`os.RTLD_GLOBAL` or `os.RTLD_LOCAL`), calls
    /// `omp_get_max_threads` as `call` says, prints `ready` and sleeps. The caller kills it.
    static func sleeper(_ libraries: [String], mode: String, call: String, environment: [String: String] = [:]) throws -> (Process, Int32) {
        let python = try #require(DoctorFixtures.python)
        let script = """
        import ctypes, os, sys, time
        handles = [ctypes.CDLL(p, mode=os.\(mode)) for p in sys.argv[1:]]
        \(call)
        print('ready', flush=True)
        time.sleep(900)
        """
        let child = Process()
        child.executableURL = URL(fileURLWithPath: python)
        child.arguments = ["-c", script] + libraries
        var env = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("KMP_") && !$0.key.hasPrefix("OMP_") && !$0.key.hasPrefix("LD_") }
        env.merge(environment) { _, b in b }
        child.environment = env
        let out = Pipe()
        child.standardOutput = out
        try child.run()
        var seen = Data()
        while !String(decoding: seen, as: UTF8.self).contains("ready") {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            seen += chunk
        }
        return (child, child.processIdentifier)
    }

    static func stop(_ child: Process) {
        let pid = child.processIdentifier
        kill(pid, SIGKILL)
        child.waitUntilExit()
        ShmRegistry.remove(pids: [pid])
    }
}

extension DoctorTests {
    @Suite("The loader's rules before a verdict", .enabled(if: !TestRuntimes.all.isEmpty, Comment(rawValue: TestRuntimes.missingReason)))
    struct LoaderRuleTests {
        @Test("two Intel releases' libiomp5.so with one SONAME, each with a consumer needing it by name: one runtime, no conflict, exit 0",
              .enabled(if: LoaderFixtures.canBuild, LoaderFixtures.buildReason))
        func sameSONAMEIsOneRuntime() async throws {
            let root = try DoctorFixtures.temporaryDirectory("same-soname")
            defer { try? FileManager.default.removeItem(atPath: root) }
            let old = root + "/lib/python3.11/site-packages/paddle/libs/libiomp5.so", new = root + "/lib/libiomp5.so"
            try DoctorFixtures.copy(try LoaderFixtures.path("intel-2024"), to: old)
            try DoctorFixtures.copy(try LoaderFixtures.path("intel"), to: new)
            try await LoaderFixtures.consumer(root + "/lib/python3.11/site-packages/paddle/libs/libpaddle_core.so", calling: ["omp_get_max_threads"], linkedTo: old)
            try await LoaderFixtures.consumer(root + "/lib/libmkl_like.so", calling: ["omp_get_num_procs"], linkedTo: new)

            let scan = try RuntimeScanner().scan(paths: [root])
            #expect(scan.runtimes.count == 2)
            #expect(scan.conflicts.isEmpty, "\(scan.conflicts.map(\.prediction))")
            #expect(scan.notes.contains { $0.hasPrefix("One runtime:") && $0.contains("SONAME libiomp5.so") && $0.contains("opens each file by its path") })
            #expect(scan.consumers.count == 2)

            let report = try await Doctor.diagnose(paths: [root], options: .init(fixCheck: false))
            #expect(!report.conflict)
            #expect(report.exitStatus(strict: true) == 0)
            #expect(report.pairs.isEmpty, "a pair the loader maps as one was probed: \(report.pairs.map { ($0.first.path, $0.second.path) })")
            #expect(report.answer.first?.hasPrefix("One runtime:") == true, "\(report.answer)")
            #expect(report.answer.contains { $0.contains("You do not need KMP_DUPLICATE_LIB_OK") })

            let cli = try #require(DoctorCLI.path, "omp-matrix not built beside the tests")
            #expect(try await DoctorCLI.run(cli, ["scan", root]).status == 0)
            #expect(try await DoctorCLI.run(cli, ["doctor", "--no-fix-check", root]).status == 0)
        }

        @Test("a conflict says under which loading: different SONAMEs load both by name",
              .enabled(if: LoaderFixtures.canBuild, LoaderFixtures.buildReason))
        func conflictSaysWhichLoading() async throws {
            let root = try DoctorFixtures.temporaryDirectory("renamed")
            defer { try? FileManager.default.removeItem(atPath: root) }
            try DoctorFixtures.copy(try DoctorFixtures.runtimePath("llvm14"), to: root + "/lib/libomp.so.5")
            try await LoaderFixtures.vendor(try DoctorFixtures.runtimePath("llvm14"), to: root + "/pkg.libs/libomp-5f3a9c1e.so.5", soname: "libomp-5f3a9c1e.so.5")
            let scan = try RuntimeScanner().scan(paths: [root])
            let c = try #require(scan.conflicts.first)
            #expect(scan.conflicts.count == 1)
            #expect(c.prediction.contains("different SONAMEs (") && c.prediction.contains("libomp.so.5")
                    && c.prediction.contains("libomp-5f3a9c1e.so.5") && c.prediction.contains("load both"), "\(c.prediction)")
        }

        @Test("a wheel with two members of one name (LLVM 14, then Intel): both read by their entry, and the doctor probes the two different files")
        func duplicateMemberNames() async throws {
            let root = try DoctorFixtures.temporaryDirectory("dup-wheel")
            defer { try? FileManager.default.removeItem(atPath: root) }
            let wheel = root + "/dup-1.0-py3-none-linux_x86_64.whl"
            let l14 = try DoctorFixtures.runtimePath("llvm14"), intel = try DoctorFixtures.runtimePath("intel")
            try await DoctorFixtures.run([try #require(DoctorFixtures.python), "-W", "ignore", "-c", """
                import sys, zipfile
                w, a, b = sys.argv[1:4]
                with zipfile.ZipFile(w, "w") as z:
                    z.write(a, "lib/libomp.so.5", compress_type=zipfile.ZIP_DEFLATED)
                    z.write(b, "lib/libomp.so.5", compress_type=zipfile.ZIP_DEFLATED)
                """, wheel, l14, intel])
            let scan = try RuntimeScanner().scan(paths: [wheel])
            #expect(scan.runtimes.map(\.path) == [wheel + "!lib/libomp.so.5", wheel + "!lib/libomp.so.5#2"])
            #expect(scan.runtimes.map(\.vendor) == [.llvm, .intel])
            #expect(scan.conflicts.count == 1)

            let report = try await Doctor.diagnose(paths: [wheel], options: .init(fixCheck: false))
            let pair = try #require(report.pairs.first)
            #expect(Set([pair.first.vendor, pair.second.vendor]) == [.llvm, .intel])
            let probed = pair.observations.map(\.repro)
            #expect(!probed.isEmpty)
            // Each side's loaded copy was the member it names: the LLVM side's repro line loads a file whose
            // bytes are LLVM's, the Intel side's Intel's (the copies are gone, so compare by the report's hashes).
            #expect(pair.first.sha256 != pair.second.sha256)
            #expect(pair.observations.contains { $0.outcome == .duplicateRuntimeAbort }, "\(pair.observations.map(\.outcome))")
        }

        @Test("a library file truncated between open and read is listed as unreadable; the scan does not crash")
        func truncatedWhileRead() throws {
            let root = try DoctorFixtures.temporaryDirectory("truncate")
            defer { try? FileManager.default.removeItem(atPath: root) }
            let victim = root + "/lib/libiomp5.so"
            try DoctorFixtures.copy(try DoctorFixtures.runtimePath("intel"), to: victim)
            FileBytes.afterOpen.withLock { $0 = { path in if path == victim { truncate(path, 4096) } } }
            defer { FileBytes.afterOpen.withLock { $0 = nil } }
            let scan = try RuntimeScanner().scan(paths: [root])
            #expect(scan.runtimes.isEmpty)
            #expect(scan.skipped.contains { $0.path == victim && $0.reason.contains("changed while it was read") }, "\(scan.skipped)")
            #expect(scan.incomplete)
        }

        @Test("an unreadable Intel runtime among the files: not 'nothing to do', the answer is incomplete, exit 4")
        func unreadableIsIncomplete() async throws {
            let root = try DoctorFixtures.temporaryDirectory("unreadable")
            defer { try? FileManager.default.removeItem(atPath: root) }
            let whole = try Data(contentsOf: URL(fileURLWithPath: try DoctorFixtures.runtimePath("intel")))
            try FileManager.default.createDirectory(atPath: root + "/lib", withIntermediateDirectories: true)
            try whole.prefix(65_536).write(to: URL(fileURLWithPath: root + "/lib/libiomp5.so"))
            let report = try await Doctor.diagnose(paths: [root])
            #expect(!report.conflict)
            #expect(report.incomplete != nil)
            #expect(report.exitStatus(strict: false) == 4)
            #expect(!report.answer.contains { $0.contains("nothing to do") }, "\(report.answer)")
            #expect(report.answer.first?.hasPrefix("Incomplete:") == true)
            #expect(report.unreadable.first?.reason.hasPrefix("unreadable: ") == true)
            let cli = try #require(DoctorCLI.path, "omp-matrix not built beside the tests")
            #expect(try await DoctorCLI.run(cli, ["doctor", root]).status == 4)
        }

        @Test("a link fix keeps the runtime whose exports cover what the other side imports; of two that do, the newer",
              .enabled(if: LoaderFixtures.canBuild, LoaderFixtures.buildReason))
        func linkFixKeepsTheCoveringRuntime() async throws {
            let root = try DoctorFixtures.temporaryDirectory("link-choice")
            defer { try? FileManager.default.removeItem(atPath: root) }
            let (old, new) = try await LoaderFixtures.llvm14AndVendored16(in: root)
            // Built against LLVM 16: calls omp_in_explicit_task, which LLVM 14 does not export.
            try await LoaderFixtures.consumer(root + "/pkg.libs/libuses16.so", calling: ["omp_in_explicit_task"], linkedTo: new)
            try await LoaderFixtures.consumer(root + "/lib/libuses14.so", calling: ["omp_get_max_threads"], linkedTo: old)
            let report = try await Doctor.diagnose(paths: [root])
            let pair = try #require(report.pairs.first)
            let links = pair.fixes.filter { $0.kind == .link }
            #expect(links.count == 1)
            let link = try #require(links.first)
            #expect(link.command?.hasPrefix("mv \(old) ") == true, "LLVM 14 must be the one replaced: \(link.command ?? "")")
            #expect(link.instruction.contains("lacks omp_in_explicit_task"), "\(link.instruction)")
            #expect(link.status == .verified, "\(link.evidence)")

            // Without consumers both cover; the newer (LLVM 16) is kept.
            let a = try #require(report.runtimes.first { $0.path == old }), b = try #require(report.runtimes.first { $0.path == new })
            #expect(LinkChoice.decide(a, b, consumers: []) == .keep(b, replacing: a, why: "both export what the other side's libraries import; \(b.shortName) is the newer release (2023-03)"))
        }

        @Test("doctor -- COMMAND: the link fix keeps the runtime that the loaded libraries need (LLVM 16 for omp_in_explicit_task), and works",
              .enabled(if: LoaderFixtures.canBuild && DoctorFixtures.python != nil, LoaderFixtures.buildReason))
        func commandLinkFixKeepsTheCoveringRuntime() async throws {
            let root = try DoctorFixtures.temporaryDirectory("cmd-link-choice")
            defer { try? FileManager.default.removeItem(atPath: root) }
            let (old, new) = try await LoaderFixtures.llvm14AndVendored16(in: root)
            // The one built against LLVM 16 also calls omp_in_explicit_task, which LLVM 14 does not export.
            try await LoaderFixtures.consumer(root + "/lib/libuses14.so", calling: ["omp_get_max_threads"], linkedTo: old, originRunpath: true)
            try await LoaderFixtures.consumer(root + "/pkg.libs/libuses16.so", calling: ["omp_get_max_threads", "omp_in_explicit_task"],
                                        linkedTo: new, originRunpath: true)
            let script = "import ctypes, sys\nlibs = [ctypes.CDLL(p) for p in sys.argv[1:]]\nfor l in libs: l.consumer_entry()\n"
            let report = try await Doctor.diagnose(command: [DoctorFixtures.python!, "-c", script, root + "/lib/libuses14.so",
                                                             root + "/pkg.libs/libuses16.so"],
                                                   options: .init(commandTimeout: .seconds(60)))
            #expect(report.conflict, "\(report.answer)")
            let links = report.pairs.flatMap(\.fixes).filter { $0.kind == .link }
            let link = try #require(links.first, "\(report.answer)")
            #expect(links.count == 1)
            #expect(link.command?.hasPrefix("mv \(old) ") == true, "LLVM 14 must be the one replaced: \(link.command ?? "")")
            #expect(link.instruction.contains("lacks omp_in_explicit_task"), "\(link.instruction)")
            #expect(link.status == .verified, "\(link.evidence)")
        }

        @Test("neither runtime covers the other side's imports: the link fix does not apply, naming the missing entry points",
              .enabled(if: LoaderFixtures.canBuild, LoaderFixtures.buildReason))
        func linkFixDoesNotApply() async throws {
            let root = try DoctorFixtures.temporaryDirectory("link-none")
            defer { try? FileManager.default.removeItem(atPath: root) }
            let intel = root + "/lib/libiomp5.so", llvm = root + "/pkg.libs/libomp-16c0ffee.so.5"
            try DoctorFixtures.copy(try LoaderFixtures.path("intel-2021"), to: intel)
            try await LoaderFixtures.vendor(try DoctorFixtures.runtimePath("llvm16"), to: llvm, soname: "libomp-16c0ffee.so.5")
            try await LoaderFixtures.consumer(root + "/lib/libcomplex.so", calling: ["__kmpc_atomic_cmplx16_add"], linkedTo: intel)
            try await LoaderFixtures.consumer(root + "/pkg.libs/libtasks.so", calling: ["omp_in_explicit_task"], linkedTo: llvm)
            // What is checked here is the link choice, not the probes' outcomes: a with-variable probe
            // of this pair that hangs stops at 5 s instead of the default 20 s.
            let report = try await Doctor.diagnose(paths: [root], options: .init(probeTimeout: .seconds(5)))
            let links = try #require(report.pairs.first).fixes.filter { $0.kind == .link }
            #expect(links.count == 1)
            #expect(links.first?.status == .notApplicable)
            #expect(links.first?.evidence.contains("__kmpc_atomic_cmplx16_add") == true && links.first?.evidence.contains("omp_in_explicit_task") == true,
                    "\(links.first?.evidence ?? "")")
            #expect(report.pairs.first?.observations.contains { $0.label.hasPrefix("link fix") } == false, "a fix that does not apply was probed")

            // The older Intel 2021 is kept when only it covers: its users call what LLVM 16 lacks.
            let consumers = try RuntimeScanner().scan(paths: [root]).consumers.filter { $0.path.hasSuffix("libcomplex.so") }
            let i = try #require(report.runtimes.first { $0.path == intel }), l = try #require(report.runtimes.first { $0.path == llvm })
            guard case .keep(let kept, _, _) = LinkChoice.decide(i, l, consumers: consumers) else {
                Issue.record("no runtime kept")
                return
            }
            #expect(kept == i)
        }
    }

    @Suite("Mapped is not started", .enabled(if: !TestRuntimes.all.isEmpty, Comment(rawValue: TestRuntimes.missingReason)))
    struct StartedTests {
        @Test("two runtimes loaded RTLD_GLOBAL, calls bound to the first: the second is mapped, not started; no conflict, exit 0")
        func rtldGlobal() async throws {
            let (child, pid) = try LoaderFixtures.sleeper([try DoctorFixtures.runtimePath("llvm14"), try DoctorFixtures.runtimePath("intel")],
                                                          mode: "RTLD_GLOBAL", call: "ctypes.CDLL(None).omp_get_max_threads()")
            defer { LoaderFixtures.stop(child) }
            let inspection = try ProcessInspector.report(pid: pid)
            let intel = try #require(inspection.runtimes.first { $0.identity?.vendor == .intel })
            let llvm = try #require(inspection.runtimes.first { $0.identity?.vendor == .llvm })
            #expect(intel.started == false, "\(intel.startEvidence ?? "")")
            #expect(llvm.started == true, "\(llvm.startEvidence ?? "")")
            #expect(inspection.warnings.isEmpty)

            let report = try await Doctor.diagnose(pid: pid, options: .init(fixCheck: false))
            #expect(!report.conflict)
            #expect(report.exitStatus(strict: false) == 0)
            #expect(report.answer.contains { $0.contains("but not started") && $0.contains("libiomp5.so") }, "\(report.answer)")
            #expect(!report.answer.contains { $0.contains("Without it this pair aborts") })

            let cli = try #require(DoctorCLI.path, "omp-matrix not built beside the tests")
            let inspect = try await DoctorCLI.run(cli, ["inspect", String(pid)])
            #expect(inspect.status == 0)
            #expect(inspect.stdout.contains("mapped, not started"))
            #expect(try await DoctorCLI.run(cli, ["doctor", "--no-fix-check", "--pid", String(pid)]).status == 0)
        }

        @Test("the same two runtimes both started (KMP_DUPLICATE_LIB_OK=TRUE): started, a conflict, exit 1")
        func bothStarted() async throws {
            let (child, pid) = try LoaderFixtures.sleeper([try DoctorFixtures.runtimePath("llvm14"), try DoctorFixtures.runtimePath("intel")],
                                                          mode: "RTLD_LOCAL", call: "[h.omp_get_max_threads() for h in handles]",
                                                          environment: ["KMP_DUPLICATE_LIB_OK": "TRUE"])
            defer { LoaderFixtures.stop(child) }
            let inspection = try ProcessInspector.report(pid: pid)
            #expect(inspection.runtimes.filter { $0.identity?.family == .kmp }.allSatisfy { $0.started == true },
                    "\(inspection.runtimes.map { ($0.path, $0.started as Any, $0.startEvidence ?? "") })")
            #expect(inspection.warnings.count == 1)
            let report = try await Doctor.diagnose(pid: pid, options: .init(fixCheck: false))
            #expect(report.conflict && report.exitStatus(strict: false) == 1)
        }

        @Test("a FIFO as the process's KMP registration file: inspect and doctor --pid end within 5 s")
        func fifoRegistration() async throws {
            let (child, pid) = try LoaderFixtures.sleeper([try DoctorFixtures.runtimePath("llvm16")], mode: "RTLD_LOCAL", call: "pass")
            defer { LoaderFixtures.stop(child) }
            let fifo = "\(ShmRegistry.directories[0])/\(ShmRegistry.prefix)\(pid)_\(getuid())"
            unlink(fifo)
            try #require(mkfifo(fifo, 0o600) == 0, "mkfifo \(fifo): \(String(cString: strerror(errno)))")
            defer { unlink(fifo) }
            let cli = try #require(DoctorCLI.path, "omp-matrix not built beside the tests")
            for args in [["inspect", String(pid)], ["doctor", "--no-fix-check", "--pid", String(pid)]] {
                let run = try await LoaderFixtures.endsWithin(5, [cli] + args)
                #expect(run.ended, "omp-matrix \(args.joined(separator: " ")) still running after 5 s")
                #expect(run.status == 0, "\(run.output)")
            }
        }

        @Test("a runtime mapped from a folder whose name holds a newline is found by its real path and probed, not called gone")
        func newlineInMappedPath() async throws {
            let root = try DoctorFixtures.temporaryDirectory("newline")
            defer { try? FileManager.default.removeItem(atPath: root) }
            let lib = root + "/odd\nname/libomp.so.5"
            try DoctorFixtures.copy(try DoctorFixtures.runtimePath("llvm16"), to: lib)
            let (child, pid) = try LoaderFixtures.sleeper([lib, try DoctorFixtures.runtimePath("gnu")], mode: "RTLD_LOCAL", call: "pass")
            defer { LoaderFixtures.stop(child) }
            let report = try await Doctor.diagnose(pid: pid, options: .init(fixCheck: false))
            #expect(report.runtimes.contains { $0.path == lib }, "\(report.runtimes.map(\.path))")
            #expect(!report.notes.contains { $0.contains("gone") }, "\(report.notes)")
            #expect(report.pairs.contains { $0.first.path == lib || $0.second.path == lib })
        }
    }
}
