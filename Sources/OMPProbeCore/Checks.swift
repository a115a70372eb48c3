import Synchronization

/// What one step verified, reported to the supervisor as `@omp check` records.
package struct Check: Sendable {
    package var name: String
    package var passed: Bool
    package var detail: String
}

/// Collects checks and the smallest team each runtime ran a region with. The web-server workload
/// hands each worker thread's ledger to the main thread, so the state is behind a lock.
package final class StepLedger: Sendable {
    private struct State {
        var checks: [Check] = []
        var minTeam: [(runtime: String, threads: Int)] = []
    }
    private let state = Mutex(State())

    package init() {}

    package var checks: [Check] { state.withLock { $0.checks } }
    package var minTeam: [(runtime: String, threads: Int)] { state.withLock { $0.minTeam } }

    func check(_ name: String, _ passed: Bool, _ detail: String) {
        state.withLock { $0.checks.append(Check(name: name, passed: passed, detail: detail)) }
    }

    package func team(_ runtime: any ParallelRuntime, _ threads: Int) { team(named: runtime.name, threads) }

    package func team(named name: String, _ threads: Int) {
        state.withLock { s in
            if let i = s.minTeam.firstIndex(where: { $0.runtime == name }) {
                s.minTeam[i].threads = min(s.minTeam[i].threads, threads)
            } else {
                s.minTeam.append((name, threads))
            }
        }
    }

    /// Every parallel region must prove it ran on at least two threads of its runtime.
    func checkTeams() {
        for (rt, n) in minTeam {
            check("threads-\(rt)", n >= 2, "smallest team seen in runtime \(rt): \(n) distinct thread ids (need >= 2)")
        }
    }
}

/// Relative closeness for float comparisons against a Double reference.
@inline(__always)
package func close(_ a: Double, _ b: Double, rel: Double = 1e-3, abs absTol: Double = 1e-4) -> Bool {
    abs(a - b) <= max(absTol, rel * max(abs(a), abs(b)))
}
