/// The one runner: runs a ``CellSource``'s probe cells on this host. Probes run in flight under
/// the process-wide ``ProbeLimiter``, most expensive first; each cell's follow-up runs (its
/// ``RunPolicy``) go ahead of what is still queued, so a repeated cell finishes soon; no new
/// launch once ``Cancellation`` is requested or the calling task is cancelled, and runs ended by
/// a cancellation are dropped rather than reported as outcomes.
package struct CellRunner: Sendable {
    /// Probes queued ahead of the limiter at once (the limiter caps how many run).
    package var parallel: Int

    /// For a fixed list of probes whose caller reports every one (the doctor, one-shot runs): every
    /// listed probe is launched, and a run ended by a cancellation is recorded (its ending says
    /// `cancelled`) instead of dropped. A source of many cells leaves it false.
    package var keepsCancelledRuns: Bool

    /// `parallel`: nil takes `OMP_CONFORMANCE_JOBS`, else the CPU count.
    package init(parallel: Int? = nil, keepsCancelledRuns: Bool = false) {
        self.parallel = max(1, parallel ?? ProbeLimiter.defaultLimit); self.keepsCancelledRuns = keepsCancelledRuns
    }

    /// After each finished probe.
    package struct Progress: Sendable {
        /// Probes finished so far (repeats included), and the count known so far.
        package var done: Int
        package var total: Int
        package var elapsed: Duration
        /// The probe cell the run belongs to, and what the run did.
        package var key: String
        package var outcome: Outcome
        /// True when this run was the cell's last (the cell is now in the tally).
        package var cellFinished: Bool
    }

    /// How the run went.
    package struct Summary: Sendable, Hashable {
        /// Probes finished, and of those, follow-up runs a policy added.
        package var probes: Int
        package var repeats: Int
        /// Probe cells whose runs all finished, of those the source listed.
        package var finishedCells: Int
        package var listedCells: Int
        /// True when cancellation stopped the run or a cell did not finish.
        package var interrupted: Bool
    }

    /// Runs every probe cell of `source`; returns the tally of the cells that finished.
    package func run<S: CellSource>(_ source: S, progress: (Progress, S.Tally) -> Void = { _, _ in }) async -> (S.Tally, Summary) {
        let cells = source.probeCells()
        var tally = source.emptyTally()
        var byKey: [String: ProbeCell] = [:]
        for c in cells { byKey[c.key] = c }
        var runs: [String: [ProbeResult]] = [:]
        var expected: [String: Int] = [:]
        var queue: [ProbeCell] = []
        for c in cells.sorted(by: { $0.cost > $1.cost }) {
            expected[c.key] = c.policy.initialRuns
            queue += Array(repeating: c, count: c.policy.initialRuns)
        }
        let clock = ContinuousClock()
        let start = clock.now
        var next = 0, done = 0, repeats = 0, finished = 0
        await withTaskGroup(of: (String, ProbeResult).self) { group in
            func launch() {
                guard next < queue.count, keepsCancelledRuns || (!Cancellation.isRequested && !Task.isCancelled) else { return }
                let cell = queue[next]
                next += 1
                group.addTask { (cell.key, await Probe.run(cell.configuration)) }
            }
            for _ in 0..<min(parallel * 2, queue.count) { launch() }
            while let (key, probe) = await group.next() {
                defer { launch() }
                if !keepsCancelledRuns && probe.ending.killedBy == Classifier.KillReason.cancelled.rawValue { continue }
                guard let cell = byKey[key] else { continue }
                runs[key, default: []].append(probe)
                done += 1
                let soFar = runs[key]!
                if soFar.count == 1 {
                    let more = cell.policy.followUps(after: probe.outcome)
                    if more > 0 {
                        expected[key]! += more
                        repeats += more
                        queue.insert(contentsOf: Array(repeating: cell, count: more), at: next)
                        for _ in 0..<more { launch() }
                    }
                }
                let complete = soFar.count == expected[key]!
                if complete {
                    source.record(cell, runs: soFar, into: &tally)
                    runs[key] = nil
                    finished += 1
                }
                progress(Progress(done: done, total: queue.count, elapsed: clock.now - start, key: key,
                                  outcome: probe.outcome, cellFinished: complete), tally)
            }
        }
        let summary = Summary(probes: done, repeats: repeats, finishedCells: finished, listedCells: cells.count,
                              interrupted: Cancellation.isRequested || Task.isCancelled || finished < cells.count)
        return (tally, summary)
    }

    /// Runs one probe under `policy`: every run, in order (a run ended by a cancellation included).
    package static func run(_ configuration: Probe.Configuration, policy: RunPolicy = .once) async -> [ProbeResult] {
        let list = ProbeList([ProbeCell(key: "0", configuration: configuration, policy: policy)])
        return await CellRunner(parallel: 1, keepsCancelledRuns: true).run(list).0["0"] ?? []
    }
}
