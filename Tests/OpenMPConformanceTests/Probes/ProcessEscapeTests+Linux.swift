#if os(Linux)
import Foundation
import Testing
@testable import OpenMPConformance
import OpenMPConformanceTesting

// Linux only (the whole file): carriers are found through /proc/<pid>/environ, which macOS does not offer.
/// No descendant outlives its probe, even one that leaves the session or forks in a loop; a
/// runner killed with SIGKILL leaves no probe running; clean-shm keeps files of live processes
/// in other PID namespaces. Other workers run probes at the same time, so every check looks
/// only for processes carrying this test's own marker (an environment variable).
@Suite("Escaping descendants and dead runners", .serialized)
struct ProcessEscapeTests {
    static let escapes: [(String, String)] = [
        ("double fork + setsid", "setsid sh -c 'sleep 300 & sleep 300 & wait' & sleep 0.3; exit 0"),
        ("fork loop", "i=0; while [ $i -lt 60 ]; do setsid sleep 300 & i=$((i+1)); done; setsid sh -c 'while :; do sleep 300 & sleep 0.01; done' & sleep 0.3; exit 0"),
        ("daemon ignoring SIGTERM and SIGHUP", "setsid sh -c 'trap \"\" TERM HUP; while :; do sleep 0.05; done' & sleep 0.3; exit 0"),
    ]
    static let names = escapes.map(\.0)

    /// Live (non-zombie) processes whose environment holds `key=value`.
    static func carriers(_ key: String, _ value: String) -> [Int32] {
        let me = getpid()
        let names = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        let needle = Data("\(key)=\(value)".utf8)
        return names.compactMap(Int32.init).filter { pid in
            guard pid != me, ProcessTree.state(of: pid) != "Z",
                  let env = FileManager.default.contents(atPath: "/proc/\(pid)/environ") else { return false }
            return env.split(separator: 0).contains { Data($0) == needle }
        }
    }

    @Test("through Probe.run (what --probe uses): 0 processes left", arguments: names)
    func probeRun(_ name: String) async throws {
        let script = try #require(Self.escapes.first { $0.0 == name }?.1)
        let token = UUID().uuidString
        let r = await Probe.run(.init(command: .external(["/bin/sh", "-c", script]), environment: ["OMPTEST_TOKEN": token],
                                      timeout: .seconds(5)))
        #expect(r.outcome == .pass, "\(r.outcome): \(r.message.text)")
        #expect(Self.carriers("OMPTEST_TOKEN", token).isEmpty, "left running: \(Self.carriers("OMPTEST_TOKEN", token))")
    }

    @Test("through Conformance.check(command:): 0 processes left", arguments: names)
    func conformanceCheck(_ name: String) async throws {
        let script = try #require(Self.escapes.first { $0.0 == name }?.1)
        let token = UUID().uuidString
        await Conformance.check(command: ["/bin/sh", "-c", script], environment: ["OMPTEST_TOKEN": token],
                                expected: [.pass], timeout: .seconds(5))
        #expect(Self.carriers("OMPTEST_TOKEN", token).isEmpty, "left running: \(Self.carriers("OMPTEST_TOKEN", token))")
    }

    @Test("kill -9 of the runner during a hang-at-exit probe: no probe alive within 2 s; clean-shm removes its file")
    func runnerKilled() async throws {
        let a = try #require(TestRuntimes.named("llvm14"), Comment(rawValue: TestRuntimes.missingReason))
        let b = try #require(TestRuntimes.named("llvm16"), Comment(rawValue: TestRuntimes.missingReason))
        let token = UUID().uuidString
        let p = try RunInterruptTests.start(["probe", "--runtime", "a=\(a.path)", "--runtime", "b=\(b.path)", "--steps", "load a; init a; load b; init b",
                                             "--env", "KMP_DUPLICATE_LIB_OK=TRUE", "--env", "OMPTEST_TOKEN=\(token)", "--timeout", "60"])
        // Wait until the probe runs, then past its steps (the hang is at exit).
        let clock = ContinuousClock()
        var probes: [Int32] = []
        let t0 = clock.now
        while clock.now - t0 < .seconds(20) {
            probes = Self.carriers("OMPTEST_TOKEN", token)
            if !probes.isEmpty { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        try #require(!probes.isEmpty, "the probe never started")
        try await Task.sleep(for: .milliseconds(1500))
        kill(p.pid, SIGKILL)
        await p.exit()
        let killedAt = clock.now
        while clock.now - killedAt < .seconds(2), !Self.carriers("OMPTEST_TOKEN", token).isEmpty {
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(Self.carriers("OMPTEST_TOKEN", token).isEmpty, "probe alive 2 s after its runner died")
        // Its registration file (if the runtime wrote one) goes with the next clean-shm.
        _ = ShmRegistry.cleanUpAfterDeadRunners()
        let left = ShmRegistry.entries().filter { probes.contains($0.pid) }
        #expect(left.isEmpty, "registration files left: \(left.map(\.path))")
    }

    /// True when `unshare --pid --fork` works here (root, and the container allows it).
    static let canUnshare: Bool = {
        guard getuid() == 0, FileManager.default.isExecutableFile(atPath: "/usr/bin/unshare") else { return false }
        return (try? TestProcess.run(["/usr/bin/unshare", "--pid", "--fork", "/bin/true"]))?.terminationStatus == 0
    }()

    @Test("clean-shm keeps the file of a live process in another PID namespace",
          .enabled(if: canUnshare, "needs root and permission for unshare --pid --fork"))
    func otherNamespace() async throws {
        let dir = try makeTemporaryDirectory("omp-ns")
        defer { try? FileManager.default.removeItem(at: dir) }
        let pidFile = dir.appendingPathComponent("pid")
        // Inside the namespace: burn pids so that the writer's pid there is one that is dead out here,
        // then write a registration file named after that pid and stay alive.
        let inner = "for i in $(seq 1 $((200 + $$ % 50))); do /bin/true; done; "
            + "sh -c 'echo $$ > \(pidFile.path).tmp; touch /dev/shm/__KMP_REGISTERED_LIB_$$_0; mv \(pidFile.path).tmp \(pidFile.path); exec sleep 20'"
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/unshare")
        p.arguments = ["--pid", "--fork", "--kill-child", "/bin/sh", "-c", inner]
        try p.run()
        defer { kill(p.processIdentifier, SIGKILL); p.waitUntilExit() }
        let clock = ContinuousClock(), t0 = clock.now
        while clock.now - t0 < .seconds(10), !FileManager.default.fileExists(atPath: pidFile.path) {
            try await Task.sleep(for: .milliseconds(20))
        }
        let nsPid = try #require(Int32(String(contentsOf: pidFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
        let file = "/dev/shm/__KMP_REGISTERED_LIB_\(nsPid)_0"
        defer { unlink(file) }
        try #require(!ShmRegistry.isAlive(nsPid), "pid \(nsPid) happens to be alive here too; the test proves nothing")
        let entry = try #require(ShmRegistry.entries().first { $0.path == file })
        #expect(entry.alive && entry.keptBecause?.contains("nested PID namespace") == true, "\(entry)")
        ShmRegistry.removeStale()
        #expect(FileManager.default.fileExists(atPath: file), "clean-shm removed a live process's file")
    }
}
#endif
