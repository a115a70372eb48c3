import Foundation

/// Runs matrix cells on this host: each distinct probe once (cells that share a probe
/// are judged from the same run against their own predictions), longest first, under
/// the process-wide `ProbeLimiter`, reporting progress as it goes.
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

        // A stack-shape cell whose consumer libraries cannot be had here is untestable, with the reason.
        let resolved = cells.map { c -> Cell in
            guard let why = c.stackUnavailable else { return c }
            var u = c
            u.testability = .untestable(reason: why)
            return u
        }
        for c in resolved where !c.testability.isTestable { finished(Verdicts.judge(c, probe: nil)) }
        // One probe per distinct probe key, scheduled longest-expected first.
        var groups: [String: [Cell]] = [:]
        var order: [String] = []
        for c in resolved where c.testability.isTestable {
            if groups[c.probeKey] == nil { order.append(c.probeKey) }
            groups[c.probeKey, default: []].append(c)
        }
        let jobs = order.compactMap { key -> ProbeBatch.Job? in
            let first = groups[key]![0]
            guard let config = first.configuration(timeout: timeout) else { return nil }
            return ProbeBatch.Job(key: key, configuration: config, cost: Self.expectedCost(first))
        }
        // A hang at exit is rerun before it is reported (HangConfirmation): its follow-ups carry the
        // key with a suffix, and the cells are judged when every run is in.
        let configs = Dictionary(uniqueKeysWithValues: jobs.map { ($0.key, $0.configuration) })
        var runs: [String: [ProbeResult]] = [:]
        await ProbeBatch.run(jobs, parallel: self.jobs) { jobKey, probe in
            let key = jobKey.split(separator: "\u{1}", maxSplits: 1).first.map(String.init) ?? jobKey
            runs[key, default: []].append(probe)
            let soFar = runs[key]!
            if soFar.count == 1, probe.outcome == .hangAtExit, let config = configs[key] {
                return (1...HangConfirmation.reruns).map {
                    ProbeBatch.Job(key: "\(key)\u{1}rerun\($0)", configuration: config)
                }
            }
            guard soFar.count == 1 || soFar.count == HangConfirmation.reruns + 1 else { return [] }
            for c in groups[key]! {
                var r = Verdicts.judge(c, probe: soFar[0])
                HangConfirmation.record(soFar, in: &r)
                finished(r)
            }
            return []
        }
        let rank = Dictionary(uniqueKeysWithValues: resolved.enumerated().map { ($1.id, $0) })
        return results.sorted { (rank[$0.id] ?? 0) < (rank[$1.id] ?? 0) }
    }

    /// Cells that may hang at exit (two KMP runtimes with the variable set) cost a grace
    /// period; start them first so they overlap with the quick ones.
    static func expectedCost(_ c: Cell) -> Int {
        var cost = c.plan.steps.count
        let setsVariable = c.environment["KMP_DUPLICATE_LIB_OK"] == "TRUE" || c.launcher == .wrapperExported
            || c.plan.steps.contains { if case .setenv("KMP_DUPLICATE_LIB_OK", "TRUE") = $0 { true } else { false } }
        if setsVariable && Set(c.runtimes.map(\.path)).count > 1 { cost += 100 }
        if c.plan.steps.contains(where: { if case .serve = $0 { true } else { false } }) { cost += 20 }
        return cost
    }
}

