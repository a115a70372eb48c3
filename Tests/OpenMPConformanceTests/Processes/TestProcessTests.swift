import Foundation
import Testing
@testable import OpenMPConformance

/// The tests' own child-process support: waiting holds no thread, and a cancelled test leaves no
/// child behind.
@Suite("Test support: TestProcess")
struct TestProcessTests {
    @Test("a cancelled run ends its child's whole process group within 2 s")
    func cancelledRunEndsTheGroup() async throws {
        let dir = try makeTemporaryDirectory("omp-cancel")
        defer { try? FileManager.default.removeItem(at: dir) }
        let pidFile = dir.appendingPathComponent("pid")
        // A shell with a grandchild in its process group; both would sleep a minute.
        let run = Task {
            try await TestProcess.run(["/bin/sh", "-c", "sleep 60 & echo $! > \"$1.tmp\"; mv \"$1.tmp\" \"$1\"; wait", "sh", pidFile.path])
        }
        // Waited for on a thread of its own: under a full suite, a sleep on the cooperative pool can
        // resume many seconds late.
        let clock = ContinuousClock()
        try await onOwnThread { [path = pidFile.path] in
            let start = clock.now
            while clock.now - start < .seconds(60), !FileManager.default.fileExists(atPath: path) { usleep(20_000) }
        }
        let grandchild = try #require(Int32(String(contentsOf: pidFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)),
                                      "the grandchild never started")
        let cancelledAt = clock.now
        run.cancel()
        let finished = try await run.value
        // Timed by the child's termination handler: the awaiting test may resume later on a busy pool.
        #expect(finished.endedAt - cancelledAt < .seconds(2), "the run ended \(finished.endedAt - cancelledAt) after its cancellation")
        #expect(finished.terminationReason == .uncaughtSignal, "the shell was ended by a signal, exit \(finished.terminationStatus)")
        let deadline = clock.now + .seconds(2)
        while clock.now < deadline, try Self.alive(grandchild) { try await Task.sleep(for: .milliseconds(20)) }
        #expect(try !Self.alive(grandchild), "the grandchild \(grandchild) outlived the cancelled run")
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

    /// True when `pid` runs (a zombie is not running).
    static func alive(_ pid: Int32) throws -> Bool {
        try ProcessTree.snapshot().contains { $0.pid == pid && $0.state != "Z" }
    }
}
