import Foundation
import Testing
@testable import OpenMPConformance

/// The tests' own child-process support: waiting holds no thread, and a cancelled test leaves no
/// child behind.
@Suite("Test support: TestProcess")
struct TestProcessTests {
    @Test("a cancelled run ends its child's whole process group within 2 s")
    func cancelledRunEndsTheGroup() async throws {
        let token = "omp-testprocess-\(UUID().uuidString.prefix(8))"
        // A shell with a grandchild in its group; both would sleep a minute. `exec -a` names the
        // grandchild with the token, so it can be found by its command line.
        let run = Task {
            try await TestProcess.run(["/bin/bash", "-c", "(exec -a \(token) sleep 60) & wait"])
        }
        let clock = ContinuousClock(), start = clock.now
        var pids: [Int32] = []
        while clock.now - start < .seconds(10), pids.isEmpty {
            try await Task.sleep(for: .milliseconds(20))
            pids = try Self.processes(named: token)
        }
        try #require(!pids.isEmpty, "the grandchild never started")
        let cancelledAt = clock.now
        run.cancel()
        let finished = try await run.value
        #expect(clock.now - cancelledAt < .seconds(2), "the run ended \(clock.now - cancelledAt) after its cancellation")
        #expect(finished.terminationReason == .uncaughtSignal, "the shell was ended by a signal, exit \(finished.terminationStatus)")
        #expect(try Self.processes(named: token).isEmpty, "the grandchild outlived the cancelled run")
    }

    @Test("runs waiting on children hold no thread of the pool: more children than cores all run at once")
    func waitsHoldNoThread() async throws {
        let width = ProcessInfo.processInfo.activeProcessorCount * 2 + 2
        let dir = try makeTemporaryDirectory("omp-barrier")
        defer { try? FileManager.default.removeItem(at: dir) }
        // A barrier: each child marks its start, then waits (at most 30 s) until all have started. Waits
        // that held a pool thread each would let only as many children run as there are cores.
        let script = "touch \"$1/$2\"; for i in $(seq 600); do [ $(ls \"$1\" | wc -l) -ge \(width) ] && exit 0; sleep 0.05; done; exit 1"
        try await withThrowingTaskGroup(of: Int32.self) { group in
            for i in 0..<width {
                group.addTask { try await TestProcess.run(["/bin/sh", "-c", script, "sh", dir.path, "\(i)"]).terminationStatus }
            }
            for try await status in group { #expect(status == 0, "a child gave up waiting for the others") }
        }
    }

    /// Live processes whose command line starts with `name`.
    static func processes(named name: String) throws -> [Int32] {
        try ProcessTree.snapshot().compactMap { e in
            guard e.state != "Z", let data = FileManager.default.contents(atPath: "/proc/\(e.pid)/cmdline") else { return nil }
            return String(decoding: data, as: UTF8.self).hasPrefix(name) ? e.pid : nil
        }
    }
}
