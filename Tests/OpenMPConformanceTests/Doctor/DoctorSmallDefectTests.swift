import Foundation
import Testing
@testable import OpenMPConformance

// Issue 20's smaller defects, each with a regression test on real processes and files.

@Suite("Plan sizes: bounds that protect the machine")
struct PlanSizeBoundTests {
    @Test("serve threads= is capped at 1024; other sizes keep their range")
    func serveThreadsCap() throws {
        #expect { try Plan.parse("load a; init a; serve a a threads=16777216") } throws: { "\($0)".contains("from 1 to 1024") }
        #expect(throws: PlanError.self) { try Plan.parse("load a; init a; serve a a threads=1025") }
        _ = try Plan.parse("load a; init a; serve a a threads=1024")
        _ = try Plan.parse("load a; init a; serve a a requests=16777216")
    }
}

#if os(Linux)
extension DoctorTests {
    @Suite("doctor: smaller defects")
    struct SmallDefectTests {
        @Test("a runtime that hangs while loading: the first probes show it, nothing more is started",
              .enabled(if: DoctorFixtures.clang != nil, "needs a C compiler"),
              .enabled(if: !TestRuntimes.all.isEmpty, Comment(rawValue: TestRuntimes.missingReason)))
        func runtimeHangingAtLoad() async throws {
            let dir = try DoctorFixtures.temporaryDirectory("hang-load")
            defer { try? FileManager.default.removeItem(atPath: dir) }
            // A KMP-family runtime by its exports, whose constructor never returns.
            try "#include <unistd.h>\nvoid __kmpc_fork_call(void) {}\nint omp_get_max_threads(void) { return 1; }\n__attribute__((constructor)) static void hang(void) { for (;;) pause(); }\n"
                .write(toFile: dir + "/h.c", atomically: true, encoding: .utf8)
            try FileManager.default.createDirectory(atPath: dir + "/tree", withIntermediateDirectories: true)
            try await DoctorFixtures.run([DoctorFixtures.clang!, "-shared", "-fPIC", "-o", dir + "/tree/libomp.so.5", dir + "/h.c"])
            try DoctorFixtures.copy(try DoctorFixtures.runtimePath("intel"), to: dir + "/tree/libiomp5.so")
            let report = try await Doctor.diagnose(paths: [dir + "/tree"], options: .init(probeTimeout: .seconds(2)))
            let pair = try #require(report.pairs.first)
            #expect(pair.observations.count == 2, "only the first probes ran: \(pair.observations.map(\.label))")
            #expect(pair.observations.allSatisfy { $0.outcome == .hang })
            #expect(pair.variableSafety.contains("libomp.so.5 hangs while loading"), "\(pair.variableSafety)")
            #expect(pair.fixes.allSatisfy { $0.status == .notVerified })
        }

        @Test("doctor --pid 1 as root, refused by the kernel: not called another user's process",
              .enabled(if: geteuid() == 0 && FileManager.default.contents(atPath: "/proc/1/maps") == nil,
                       "needs root and a pid 1 whose map the kernel refuses to this process"))
        func pidOneAsRoot() async throws {
            await #expect { try await Doctor.diagnose(pid: 1) } throws: { e in
                let text = "\(e)"
                return !text.contains("another user") && text.contains("root")
            }
        }

        @Test("the doctor accepts the --max-file-size its skipped-file message names",
              .enabled(if: TestProducts.ompMatrix != nil, "omp-matrix is not built beside the tests"))
        func maxFileSizeOption() async throws {
            let dir = try DoctorFixtures.temporaryDirectory("maxsize")
            defer { try? FileManager.default.removeItem(atPath: dir) }
            try Data(repeating: 0x7f, count: 4096).write(to: URL(fileURLWithPath: dir + "/libbig.so"))
            let p = try await TestProcess.run([TestProducts.ompMatrix!, "doctor", dir, "--max-file-size", "1000"])
            // Accepted (not a usage error, 2); the file over the limit could be a runtime, so the answer is incomplete.
            #expect(p.terminationStatus == 4, "\(p.output)\(p.errors)")
            #expect(p.output.contains("raise it with --max-file-size"), "\(p.output)")
        }

        @Test("--timeout below 1 ms is a usage error naming the option (exit 2), before anything runs",
              .enabled(if: TestProducts.ompMatrix != nil, "omp-matrix is not built beside the tests"),
              arguments: [["doctor", "--timeout", "0.0004", "--", "/bin/true"],
                          ["doctor", "--observe-only", "--timeout", "0.0009999", "--", "/bin/true"],
                          ["probe", "--timeout", "0.0004", "--runtime", "a=/nonexistent/libomp.so.5", "--steps", "load a"],
                          ["run", "--timeout", "0.0001", "--row", "linux-cpu-training", "--output", "-"]])
        func timeoutBelowOneMillisecond(_ args: [String]) async throws {
            let p = try await TestProcess.run([TestProducts.ompMatrix!] + args)
            #expect(p.terminationStatus == 2, "\(p.output)\(p.errors)")
            let value = args[args.firstIndex(of: "--timeout")! + 1]
            #expect(p.errors.contains("--timeout must be between 0.001 and") && p.errors.contains("got \(value)"), "\(p.errors)")
            #expect(!p.output.contains("doctor: run 1") && !p.errors.contains("doctor: run 1"), "no run started")
        }
    }

    @Suite("Input files that are not regular files")
    struct SpecialInputTests {
        @Test("a results file piped through /dev/stdin is read, even as root",
              .enabled(if: TestProducts.ompMatrix != nil, "omp-matrix is not built beside the tests"))
        func stdinInput() async throws {
            let dir = try DoctorFixtures.temporaryDirectory("stdin")
            defer { try? FileManager.default.removeItem(atPath: dir) }
            try ResultsCodec.encode(ReportFixtures.results()).write(to: URL(fileURLWithPath: dir + "/r.json"))
            // Through a pipe: /dev/stdin is then a FIFO, not the file.
            let p = try await TestProcess.run(["/bin/sh", "-c", "cat \"$1\" | \"$2\" report /dev/stdin --format summary", "sh",
                                         dir + "/r.json", TestProducts.ompMatrix!])
            #expect(p.terminationStatus == 0, "\(p.errors)")
            #expect(!p.errors.contains("permission"), "\(p.errors)")
        }
    }
}
#endif

#if os(Linux)
@Suite("clean-shm reports what it did")
struct CleanShmReportTests {
    @Test("the count in the last line is the number of files it says it removed",
          .enabled(if: TestProducts.ompMatrix != nil, "omp-matrix is not built beside the tests"))
    func countMatchesLines() async throws {
        let ((p, file), _) = try await StaleRegistration.attempt(
            name: { "/dev/shm/__KMP_REGISTERED_LIB_\($0)_\(getuid())" },
            { file in (try await TestProcess.run([TestProducts.ompMatrix!, "clean-shm"]), file) },
            reported: { run, file in run.0.output.split(separator: "\n").contains { $0 == "removed: \(file)" } })
        #expect(p.terminationStatus == 0, "\(p.errors)")
        let lines = p.output.split(separator: "\n")
        let removed = lines.filter { $0.hasPrefix("removed: ") }.count
        #expect(lines.contains { $0 == "removed: \(file)" }, "\(p.output)")
        let last = try #require(lines.last)
        #expect(last.hasPrefix("\(removed) stale file"), "the summary says \(last) after \(removed) 'removed:' lines")
    }
}
#endif

#if os(Linux)
@Suite("Probes: a runtime that daemonizes at load")
struct DaemonizingRuntimeTests {
    static func zombies(named name: String) throws -> Int {
        let me = getpid()
        return try ProcessTree.snapshot().filter { e in
            e.ppid == me && e.state == "Z"
                && (try? String(contentsOfFile: "/proc/\(e.pid)/comm", encoding: .utf8))?.hasPrefix(name) == true
        }.count
    }

    @Test("its background process, reparented to the supervisor, does not stay <defunct> after each probe",
          .enabled(if: DoctorFixtures.clang != nil, "needs a C compiler"))
    func noDefunctPerRun() async throws {
        let dir = try DoctorFixtures.temporaryDirectory("daemon-rt")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let name = "ompbg\(getpid() % 10000)"
        // At load: fork; the child leaves the session, forks again and exits; the grandchild execs
        // sleep 0.2 (by a link under its own name) with an empty environment, without the kit's marker.
        let source = """
            #define _GNU_SOURCE
            #include <stdlib.h>
            #include <unistd.h>
            void __kmpc_fork_call(void) {}
            int omp_get_max_threads(void) { return 1; }
            int omp_get_thread_num(void) { return 0; }
            int omp_get_num_threads(void) { return 1; }
            void GOMP_parallel(void (*fn)(void *), void *data, unsigned n, unsigned flags) { (void)n; (void)flags; fn(data); }
            __attribute__((constructor)) static void daemonize(void) {
                if (fork() == 0) {
                    setsid();
                    if (fork() == 0) {
                        char *argv[] = { "\(name)", "0.2", 0 }, *envp[] = { 0 };
                        execve("\(dir)/\(name)", argv, envp);
                        _exit(127);
                    }
                    _exit(0);
                }
            }
            """
        try source.write(toFile: dir + "/d.c", atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: dir + "/" + name, withDestinationPath: "/bin/sleep")
        try await DoctorFixtures.run([DoctorFixtures.clang!, "-shared", "-fPIC", "-o", dir + "/libomp.so.5", dir + "/d.c"])
        for _ in 0..<3 {
            let r = await Probe.run(.init(runtimes: [.init(name: "a", path: dir + "/libomp.so.5")], plan: try Plan.parse("load a"), timeout: .seconds(20)))
            #expect(r.outcome == .pass, "\(r.message.text)")
            try await Task.sleep(for: .milliseconds(600))
        }
        // The last one may still wait for the next probe's end; one per run would be 3.
        #expect(try Self.zombies(named: name) <= 1)
    }
}
#endif

@Suite("omp-matrix run: one writer per --output", .serialized,
       .enabled(if: TestProducts.ompMatrix != nil, "omp-matrix is not built beside the tests"),
       .enabled(if: !TestRuntimes.all.isEmpty, Comment(rawValue: TestRuntimes.missingReason)))
struct SharedOutputTests {
    @Test("a second run naming the same --output stops before its first probe (exit 2); the first run's results are whole")
    func secondWriterRefused() async throws {
        let dir = try makeTemporaryDirectory("omp-one-output")
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("r.json")
        // --timeout 120: no probe of this selection comes near it (each ends within a second), so the pause below
        // cannot turn a probe into a hang.
        let args = ["run", "--plain", "--jobs", "1", "--timeout", "120", "--output", out.path] + MatrixFixtures.quickRun
        let first = try TestProcess.start([TestProducts.ompMatrix!] + args, standardOutput: FileHandle.nullDevice,
                                          standardError: FileHandle.nullDevice)
        // The results file exists once the first run holds its lock. It is paused while the second run
        // starts: under load the second run's start (seconds in a debug build) outlasted the first run's
        // quick probes, found the lock gone, and ran too (exit 0, not 2). The poll and the pause are on
        // a thread of their own, so that a busy cooperative pool cannot delay the pause past the run's end.
        try await onOwnThread { [path = out.path, pid = first.pid] in
            let deadline = ContinuousClock.now + .seconds(60)
            while ContinuousClock.now < deadline, !FileManager.default.fileExists(atPath: path) { usleep(20_000) }
            kill(pid, SIGSTOP)
        }
        let second: TestProcess.Finished
        do { defer { kill(first.pid, SIGCONT) }; second = try await TestProcess.run([TestProducts.ompMatrix!] + args) }
        let firstEnded = await first.exit()
        #expect(second.terminationStatus == 2, "\(second.errors)")
        #expect(second.errors.contains("is being written by another omp-matrix run"), "\(second.errors)")
        #expect(firstEnded.status == 0 && !firstEnded.bySignal)
        let r = try ResultsCodec.read(out)
        #expect(!r.partial && r.results.count == MatrixFixtures.quickRunCells)
        #expect(!FileManager.default.fileExists(atPath: out.path + ".lock"), "the lock file is removed")
    }
}

#if os(Linux)
@Suite("omp-matrix under tight resource limits", .enabled(if: TestProducts.ompMatrix != nil, "omp-matrix is not built beside the tests"))
struct ResourceLimitTests {
    @Test("too few file descriptors or too little address space: exit 3 naming the limit, never a trap or a crash",
          arguments: ["ulimit -n 8", "ulimit -v 400000"])
    func belowTheFloor(_ limit: String) async throws {
        let p = try await TestProcess.run(["/bin/sh", "-c", "\(limit) && exec \"$1\" probe --runtime a=/nonexistent/libomp.so.5 --steps 'load a' --format text",
                                     "sh", TestProducts.ompMatrix!])
        #expect(p.terminationStatus == 3, "\(limit): exit \(p.terminationStatus) \(p.errors)")
        #expect(p.errors.contains("(\(limit.split(separator: " ").prefix(2).joined(separator: " ")))"), "\(p.errors)")
    }

    /// Whether every folder above `path` lets other users through, and `path` itself is readable and executable by them.
    static func reachableByOthers(_ path: String) -> Bool {
        var p = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
        var st = stat()
        guard stat(p, &st) == 0, st.st_mode & 0o005 == 0o005 else { return false }
        while p != "/" {
            p = (p as NSString).deletingLastPathComponent
            guard stat(p, &st) == 0, st.st_mode & 0o001 != 0 else { return false }
        }
        return true
    }

    static let setpriv = ["/usr/bin/setpriv", "/bin/setpriv"].first { FileManager.default.isExecutableFile(atPath: $0) }
    static var canRunAsNobody: Bool {
        geteuid() == 0 && setpriv != nil && DoctorFixtures.python != nil && FileManager.default.isExecutableFile(atPath: "/bin/bash")
            && TestProducts.ompMatrix.map(reachableByOthers) == true
            && (ProcessInfo.processInfo.environment["OMP_PROBE"]).map(reachableByOthers) != false
    }

    @Test("the user's process slots (ulimit -u) exhausted, as a non-root user: the doctor says 'not probed' with the reason, exit 4, at once; nothing left behind",
          .enabled(if: canRunAsNobody, "needs root, setpriv, bash and python3, and omp-matrix (and OMP_PROBE) in folders user nobody can reach"),
          .enabled(if: !TestRuntimes.all.isEmpty, Comment(rawValue: TestRuntimes.missingReason)))
    func processSlotsExhausted() async throws {
        let dir = try makeTemporaryDirectory("omp-nproc").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir + "/tmp", withIntermediateDirectories: true)
        try DoctorFixtures.copy(try DoctorFixtures.runtimePath("intel"), to: dir + "/tree/libiomp5.so")
        try DoctorFixtures.copy(try DoctorFixtures.runtimePath("llvm14"), to: dir + "/tree/libomp.so.5")
        for (p, mode) in [(dir, 0o755), (dir + "/tree", 0o755), (dir + "/tmp", 0o777), (dir + "/tree/libiomp5.so", 0o644), (dir + "/tree/libomp.so.5", 0o644)] {
            try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: p)
        }
        // Under a limit of 64 (the kit's floor), 50 sleeping threads of one python process (threads count
        // against ulimit -u; a thread that cannot start fails at once, where a shell's fork retries for
        // seconds); python then runs the doctor and exits, its threads with it: nothing to clean up.
        let filler = "import subprocess, sys, threading, time\nfor _ in range(50):\n    try: threading.Thread(target=time.sleep, args=(300,), daemon=True).start()\n"
            + "    except RuntimeError: break\nsys.exit(subprocess.run(sys.argv[1:]).returncode)\n"
        var env = ["HOME=/", "TMPDIR=\(dir)/tmp", "PATH=/usr/bin:/bin"]
        if let probe = ProcessInfo.processInfo.environment["OMP_PROBE"] { env.append("OMP_PROBE=\(probe)") }
        let clock = ContinuousClock(), start = clock.now
        // Before the check: verdicts from starved probes ("not safe here: ... OMP: Error #34", the link
        // fix "fails here"), exit 1; with fewer slots still, a hang (so bounded from outside).
        let p = try await TestProcess.run(["/usr/bin/timeout", "-s", "KILL", "120", Self.setpriv!, "--reuid=65534", "--regid=65534", "--clear-groups", "/usr/bin/env"] + env
                                    + ["/bin/bash", "-c", "ulimit -u 64 || exit 90; exec \"$0\" -c \"$1\" \"$2\" doctor \"$3\"",
                                       DoctorFixtures.python!, filler, TestProducts.ompMatrix!, dir + "/tree"])
        #expect(p.terminationStatus == 4, "\(p.output)\(p.errors)")
        #expect(p.errors.contains("not probed: ") && p.errors.contains("ulimit -u"), "\(p.errors)")
        #expect(!p.output.contains("Need KMP_DUPLICATE_LIB_OK") && !p.output.contains("Answer:"), "no verdict: \(p.output)")
        #expect(clock.now - start < .seconds(60), "at once, never a hang")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir + "/tmp").isEmpty, "no temporary folder left")
        let left = try await TestProcess.run(["/usr/bin/pgrep", "-u", "65534", "-f", "omp-matrix doctor \(dir)"])
        #expect(left.output.isEmpty, "no omp-matrix process left: \(left.output)")
    }

    @Test("a soft limit under the floor that the hard limit allows is raised, and the command runs")
    func softLimitRaised() async throws {
        let p = try await TestProcess.run(["/bin/sh", "-c", "ulimit -S -n 20 && exec \"$1\" --help", "sh", TestProducts.ompMatrix!])
        #expect(p.terminationStatus == 0, "\(p.errors)")
    }
}
#endif
