import Foundation
import Testing
import OpenMPConformanceTesting
@testable import OpenMPConformance

// The command form observes with an LD_AUDIT library and inspects /proc: Linux only.
#if os(Linux)

extension DoctorTests {
    /// `doctor -- COMMAND` on a real python3 program shaped like a real stack.
    @Suite("doctor -- COMMAND",
           .enabled(if: !TestRuntimes.all.isEmpty, Comment(rawValue: TestRuntimes.missingReason)),
           .enabled(if: DoctorFixtures.canBuildStack, Comment(rawValue: DoctorFixtures.stackReason)))
    struct CommandTests {
        @Test("python3 loading two consumer libraries by ctypes: runtimes mapped, abort without the variable, link fix verified on a copy, preload verified or not applicable as the program reaches its runtime",
              arguments: DoctorFixtures.Reach.allCases)
        func pythonStack(_ reach: DoctorFixtures.Reach) async throws {
            let s = try await DoctorFixtures.pythonStack(reach)
            defer { try? FileManager.default.removeItem(atPath: s.root) }
            let before = try DoctorFixtures.hashes(s.root)
            let lines = Lines()
            let report = try await Doctor.diagnose(command: s.command, options: .init(commandTimeout: .seconds(60), progress: { lines.add($0) }))
            #expect(try DoctorFixtures.hashes(s.root) == before, "the doctor changed a user file")

            #expect(lines.all.first?.contains("up to 4 times") == true, "says how often it runs before it starts: \(lines.all)")
            #expect(lines.all.filter { $0.contains("ended:") }.count == report.runs.count)
            #expect(Set(report.runtimes.map(\.path)).isSuperset(of: [s.a, s.b]), "\(report.runtimes.map(\.path))")
            #expect(report.conflict && report.exitStatus(strict: false) == 1)
            let first = try #require(report.runs.first)
            #expect(first.outcome == .duplicateRuntimeAbort, "\(first.message)")
            #expect(first.repro.contains("LD_AUDIT=") && first.repro.contains("LD_PRELOAD="), "the kit's observer shows in the repro line")
            #expect(report.runs.count == 4)
            let pair = try #require(report.pairs.first)
            #expect(pair.first.path == s.a && pair.second.path == s.b, "the runtime loaded first is kept")
            let link = try #require(pair.fixes.first { $0.kind == .link })
            #expect(link.status == .verified, "\(link.evidence)")
            let linkRun = try #require(report.runs.first { $0.label.hasPrefix("link fix") })
            #expect(!linkRun.repro.contains(s.command[1]), "the link fix ran against a copy, not the user's tree")
            let preload = try #require(pair.fixes.first { $0.kind == .preload })
            let preloadRun = try #require(report.runs.first { $0.label.hasPrefix("preload fix") })
            #expect(preloadRun.repro.contains(":" + s.a), "the preloaded runtime shows in the repro line")
            switch reach {
            case .byName:
                // Linked by name: both consumers bind to the preloaded runtime; the vendored copy never starts.
                #expect(preload.status == .verified, "\(preload.evidence)")
                #expect(preloadRun.outcome == .pass)
            case .byHandle:
                // The program calls the vendored runtime through its own handle: preloading cannot help.
                #expect(preload.status == .notApplicable, "\(preload.evidence)")
                #expect(preloadRun.outcome == .duplicateRuntimeAbort)
            }
            for f in DoctorFixtures.doctorFolders(in: report) { #expect(!FileManager.default.fileExists(atPath: f), "\(f) left behind") }
        }

        @Test("--observe-only runs the command once")
        func observeOnly() async throws {
            let s = try await DoctorFixtures.pythonStack()
            defer { try? FileManager.default.removeItem(atPath: s.root) }
            let report = try await Doctor.diagnose(command: s.command, options: .init(observeOnly: true, commandTimeout: .seconds(60)))
            #expect(report.runs.count == 1)
            #expect(report.conflict)
            #expect(report.pairs.first?.fixes.isEmpty == true)
        }

        @Test("Conformance.check(command:) reports the runtimes the command mapped")
        func conformanceCheckMapsRuntimes() async throws {
            let s = try await DoctorFixtures.pythonStack()
            defer { try? FileManager.default.removeItem(atPath: s.root) }
            let r = await Conformance.check(command: s.command, expected: [.duplicateRuntimeAbort], timeout: .seconds(60))
            #expect(Set(r.runtimesMapped.map(\.path)).isSuperset(of: [s.a, s.b]), "\(r.runtimesMapped)")
            #expect(r.runtimesMapped.allSatisfy { $0.family == "kmp" })
        }
    }

    /// The exit-begun signal and the supervisor's limits for a user's command.
    @Suite("doctor -- COMMAND: hangs, timeouts, bad input", .enabled(if: DoctorFixtures.clang != nil, "needs a C compiler"))
    struct CommandLimitTests {
        @Test("the kit's exit hook tells an exit hang from a hang",
              arguments: [("exit-hang", "static void spin(void) { for (;;) pause(); }\nint main(void) { atexit(spin); return 0; }", Outcome.hangAtExit),
                          ("work-hang", "int main(void) { for (;;) pause(); }", Outcome.hang)])
        func exitSignal(_ name: String, _ body: String, _ expected: Outcome) async throws {
            let exe = try await DoctorFixtures.cProgram(name, source: "#include <stdlib.h>\n#include <unistd.h>\n" + body)
            defer { try? FileManager.default.removeItem(atPath: (exe as NSString).deletingLastPathComponent) }
            let o = try await CommandObservation.run(command: [exe], timeout: .seconds(3))
            #expect(o.result.outcome == expected, "\(o.result.message.text)")
            #expect(o.leaderObserved)
            #expect(o.exitBegun == (expected == .hangAtExit))
        }

        @Test("a hanging command with a child is killed after --timeout with its whole tree; nothing is left")
        func hangingTreeKilled() async throws {
            let python = try #require(DoctorFixtures.python)
            let marker = "omp-doctor-hang-\(UUID().uuidString.prefix(8))"
            let script = "import os, sys, time\nif os.fork() == 0:\n    time.sleep(600)\ntime.sleep(600)\n"
            let report = try await Doctor.diagnose(command: [python, "-c", script, marker],
                                                   options: .init(observeOnly: true, commandTimeout: .seconds(2)))
            let run = try #require(report.runs.first)
            #expect(run.outcome == .hang)
            #expect(run.message.contains("timeout") && run.durationSeconds >= 2, "killed at --timeout: \(run.message), \(run.durationSeconds) s")
            #expect(report.notes.contains { $0.contains("exit hook did not report") })
            #expect(!report.conflict && report.commandFailed)
            #expect(report.exitStatus(strict: false) == 0 && report.exitStatus(strict: true) == 1)
            let left = try DoctorFixtures.processes(marked: marker)
            #expect(left.isEmpty, "processes left: \(left)")
        }

        @Test("a command that floods its output: the capture and the report stay bounded")
        func flood() async throws {
            let python = try #require(DoctorFixtures.python)
            let o = try await CommandObservation.run(command: [python, "-c", "import sys\nfor _ in range(400): sys.stdout.write('x' * 250000)\n"],
                                                     timeout: .seconds(60))
            #expect(o.result.outcome == .pass, "\(o.result.message.text)")
            #expect(o.result.stdout.totalBytes == 100_000_000)
            #expect(o.result.stdout.head.utf8.count + o.result.stdout.tail.utf8.count <= 2 * 64 * 1024)
        }

        @Test("a command that cannot start: bad input naming it",
              arguments: [["/nonexistent/omp-doctor-cmd"], ["omp-doctor-no-such-command-xyz"], ["/etc/hostname"]])
        func unstartable(_ command: [String]) async throws {
            await #expect { try await Doctor.diagnose(command: command) } throws: { e in
                guard let e = e as? DoctorError, case .badInput(let m) = e else { return false }
                return m.contains(command[0])
            }
        }
    }

    /// `doctor --pid` on live processes.
    @Suite("doctor --pid", .enabled(if: !TestRuntimes.all.isEmpty, Comment(rawValue: TestRuntimes.missingReason)))
    struct PidTests {
        @Test("a python sleeping with two KMP runtimes mapped and started (the variable set): both named, conflict (exit 1); inspect JSON names each runtime")
        func livePid() async throws {
            let python = try #require(DoctorFixtures.python)
            let intel = try DoctorFixtures.runtimePath("intel"), llvm = try DoctorFixtures.runtimePath("llvm16")
            let child = Process()
            child.executableURL = URL(fileURLWithPath: python)
            // Mapped is not started: each runtime is started through its own handle, which the variable lets both do.
            child.arguments = ["-c", "import ctypes, os, sys, time\nfor p in sys.argv[1:]: ctypes.CDLL(p, mode=os.RTLD_LOCAL).omp_get_max_threads()\nprint('ready', flush=True)\ntime.sleep(900)\n", intel, llvm]
            child.environment = ProcessInfo.processInfo.environment.merging(["KMP_DUPLICATE_LIB_OK": "TRUE"]) { _, b in b }
            let out = Pipe()
            child.standardOutput = out
            try child.run()
            let pid = child.processIdentifier
            defer { kill(pid, SIGKILL); child.waitUntilExit(); ShmRegistry.remove(pids: [pid]) }
            var seen = Data()
            while !String(decoding: seen, as: UTF8.self).contains("ready") {
                let chunk = out.fileHandleForReading.availableData
                if chunk.isEmpty { break }
                seen += chunk
            }
            let report = try await Doctor.diagnose(pid: pid, options: .init(fixCheck: false))
            let paths = Set(report.runtimes.map { RuntimeIdentity.resolvedPath($0.path) ?? $0.path })
            #expect(paths.isSuperset(of: [RuntimeIdentity.resolvedPath(intel) ?? intel, RuntimeIdentity.resolvedPath(llvm) ?? llvm]))
            #expect(report.conflict && report.exitStatus(strict: false) == 1)
            #expect(report.answer.first?.contains("2 distinct KMP-family runtimes mapped") == true, "\(report.answer)")

            let json = try JSONSerialization.jsonObject(with: try ResultsCodec.encode(ProcessInspector.report(pid: pid))) as? [String: Any]
            let objects = try #require(json?["objects"] as? [[String: Any]])
            let runtimes = objects.filter { $0["openmpRuntime"] as? Bool == true }
            #expect(runtimes.count == 2)
            #expect(Set(runtimes.compactMap { $0["vendor"] as? String }) == ["intel", "llvm"])
            #expect(runtimes.allSatisfy { $0["family"] as? String == "kmp" && ($0["release"] as? String)?.isEmpty == false })
            #expect(objects.contains { ($0["path"] as? String)?.hasSuffix("/libc.so.6") == true && $0["openmpRuntime"] as? Bool == false })
            if let cli = DoctorCLI.path {
                #expect(try await DoctorCLI.run(cli, ["inspect", String(pid)]).status == 1)
                #expect(try await DoctorCLI.run(cli, ["doctor", "--no-fix-check", "--pid", String(pid)]).status == 1)
            }
        }

        @Test("a pid that is gone: bad input naming it")
        func gonePid() async throws {
            let pid = try await TestProcess.reapedPid()
            await #expect { try await Doctor.diagnose(pid: pid) } throws: { e in
                guard let e = e as? DoctorError, case .badInput(let m) = e else { return false }
                return m.contains(String(pid))
            }
        }

        @Test("a pid the kit may not read: bad input naming the permission",
              .enabled(if: getuid() != 0, "needs a non-root user: root may read every process's memory map"))
        func unreadablePid() async throws {
            await #expect { try await Doctor.diagnose(pid: 1) } throws: { e in
                guard let e = e as? DoctorError, case .badInput(let m) = e else { return false }
                return m.contains("not allowed")
            }
        }
    }
}

/// Progress lines collected from the doctor's callback.
final class Lines: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    func add(_ s: String) { lock.lock(); lines.append(s); lock.unlock() }
    var all: [String] { lock.lock(); defer { lock.unlock() }; return lines }
}
#endif
