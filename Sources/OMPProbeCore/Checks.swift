/// What one step verified, reported to the supervisor as `@omp check` records.
package struct Check: Sendable {
    package var name: String
    package var passed: Bool
    package var detail: String
}

/// Collects checks and the smallest team each runtime ran a region with.
package final class StepLedger: @unchecked Sendable {
    package var checks: [Check] = []
    package var minTeam: [(runtime: String, threads: Int)] = []

    package init() {}

    func check(_ name: String, _ passed: Bool, _ detail: String) {
        checks.append(Check(name: name, passed: passed, detail: detail))
    }

    package func team(_ runtime: any ParallelRuntime, _ threads: Int) { team(named: runtime.name, threads) }

    package func team(named name: String, _ threads: Int) {
        if let i = minTeam.firstIndex(where: { $0.runtime == name }) {
            minTeam[i].threads = min(minTeam[i].threads, threads)
        } else {
            minTeam.append((name, threads))
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
