import Foundation

/// Runs matrix cells on this host through the one runner (``CellRunner`` over a
/// ``MatrixSource``): each distinct probe once (cells that share a probe are judged from the
/// same run against their own predictions), reporting progress after each judged cell.
package struct MatrixRunner: Sendable {
    package var cells: [Cell]
    /// Per-probe deadline for the steps.
    package var timeout: Duration
    /// Probes in flight at once (the limiter caps it further).
    package var jobs: Int

    /// Runs `cells`, each probe bounded by `timeout`, at most `jobs` at once (nil: `OMP_CONFORMANCE_JOBS`, else the CPU count).
    package init(cells: [Cell], timeout: Duration = .seconds(20), jobs: Int? = nil) {
        self.cells = cells; self.timeout = timeout; self.jobs = max(1, jobs ?? ProbeLimiter.defaultLimit)
    }

    /// Progress after each finished cell.
    package struct Progress: Sendable {
        /// Cells finished so far.
        package var done: Int
        /// Cells in the run.
        package var total: Int
        package var unexpected: Int
        package var elapsed: Duration
        /// The cell that just finished.
        package var last: CellResult
        /// Estimated time left, from the pace so far.
        package var eta: Duration? {
            guard done > 0, done < total else { return nil }
            return elapsed * (Double(total - done) / Double(done))
        }
    }

    /// Runs every cell (untestable ones become skipped results at once). Stops launching
    /// when `Cancellation` is requested; the results returned then are the finished ones.
    package func run(progress: @escaping @Sendable (Progress) -> Void = { _ in }) async -> [CellResult] {
        let clock = ContinuousClock()
        let start = clock.now
        var results: [CellResult] = []
        results.reserveCapacity(cells.count)
        var unexpected = 0
        let total = cells.count

        func finished(_ r: CellResult) {
            results.append(r)
            if r.verdict == .refuted { unexpected += 1 }
            progress(Progress(done: results.count, total: total, unexpected: unexpected, elapsed: clock.now - start, last: r))
        }

        // A cell this host cannot run (a stack shape whose consumer libraries cannot be had here) is untestable, with the reason.
        let resolved = cells.map { c -> Cell in
            guard c.testability.isTestable, let why = c.untestableHere else { return c }
            var u = c
            u.testability = .untestable(reason: why)
            return u
        }
        for c in resolved where !c.testability.isTestable { finished(Verdicts.judge(c, probe: nil)) }
        // The testable ones through the one runner (MatrixSource: one probe per distinct probe key).
        var reported = 0
        _ = await CellRunner(parallel: jobs).run(MatrixSource(cells: resolved, timeout: timeout)) { p, judged in
            guard p.cellFinished else { return }
            for r in judged[reported...] { finished(r) }
            reported = judged.count
        }
        let rank = Dictionary(uniqueKeysWithValues: resolved.enumerated().map { ($1.id, $0) })
        return results.sorted { (rank[$0.id] ?? 0) < (rank[$1.id] ?? 0) }
    }
}
