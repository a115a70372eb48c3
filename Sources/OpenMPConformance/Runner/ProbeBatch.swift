/// The scheduling loop every runner shares: probes in flight under the process-wide
/// `ProbeLimiter`, most expensive first, no new launch once `Cancellation` is requested or
/// the calling task is cancelled, and probes ended by a cancellation dropped rather than
/// reported as outcomes.
///
/// ``MatrixRunner`` runs each distinct probe once through it; the atlas also queues
/// follow-up probes (repeats of a cell whose outcome was neither a pass nor an abort) from
/// the result handler.
package enum ProbeBatch {
    /// One probe to run, under a key the caller uses to route its result.
    package struct Job: Sendable {
        package var key: String
        package var configuration: Probe.Configuration
        /// Higher runs earlier (see `MatrixRunner.expectedCost(_:)`).
        package var cost: Int
        package init(key: String, configuration: Probe.Configuration, cost: Int = 0) {
            self.key = key; self.configuration = configuration; self.cost = cost
        }
    }

    /// Runs `jobs`, at most `parallel` queued ahead of the limiter at once. `handle` sees each
    /// result (not those ended by a cancellation) and returns any follow-up jobs to queue.
    package static func run(_ jobs: [Job], parallel: Int,
                           handle: (String, ProbeResult) -> [Job]) async {
        var queue = jobs.sorted { $0.cost > $1.cost }
        var next = 0
        await withTaskGroup(of: (String, ProbeResult).self) { group in
            func launch() {
                guard next < queue.count, !Cancellation.isRequested, !Task.isCancelled else { return }
                let job = queue[next]
                next += 1
                group.addTask { (job.key, await Probe.run(job.configuration)) }
            }
            for _ in 0..<min(max(1, parallel) * 2, queue.count) { launch() }
            while let (key, probe) = await group.next() {
                if probe.ending.killedBy != Classifier.KillReason.cancelled.rawValue {
                    let more = handle(key, probe)
                    if !more.isEmpty {
                        // Follow-ups go ahead of what is still queued, so a repeated cell finishes soon.
                        queue.insert(contentsOf: more, at: next)
                        for _ in more { launch() }
                    }
                }
                launch()
            }
        }
    }
}
