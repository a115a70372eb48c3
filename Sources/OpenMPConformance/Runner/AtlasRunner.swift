import Foundation

/// Runs an ``AtlasPlan`` through the one runner (``CellRunner`` over an ``AtlasSource``): three
/// probes per runnable pair. A probe whose outcome is neither a pass nor a duplicate-runtime
/// abort runs twice more; the cell then records every outcome seen.
package struct AtlasRunner: Sendable {
    package var plan: AtlasPlan
    package var timeout: Duration
    package var jobs: Int
    /// The `omp-probe` binary; nil finds it.
    package var executable: String?
    /// Whether the sampled concurrent and nested cells (``AtlasConcurrencyCell``) and the stack
    /// shapes (``AtlasShapeCell``, consumers built in this runtimes directory) run too.
    package var concurrency: Bool
    package var consumers: StackConsumers?
    /// Runs of a variant whose first outcome is neither a pass nor an abort.
    package static let runsWhenUnsettled = 3

    package init(plan: AtlasPlan, timeout: Duration = .seconds(20), jobs: Int? = nil,
                executable: String? = nil, concurrency: Bool = false, consumers: StackConsumers? = nil) {
        self.plan = plan; self.timeout = timeout; self.jobs = max(1, jobs ?? ProbeLimiter.defaultLimit); self.executable = executable
        self.concurrency = concurrency; self.consumers = consumers
    }

    package struct Progress: Sendable {
        /// Probes finished (repeats included) and the count known so far.
        package var done: Int
        package var total: Int
        /// The cell and variant that just finished, and what it did.
        package var cell: String
        /// The variant, or nil for a concurrent or nested cell.
        package var variant: AtlasVariant?
        /// The variant's or the cell kind's name (`without`, `race`, ...).
        package var step: String
        package var outcome: Outcome
        /// Every cell as it stands (finished variants only), for checkpoints.
        package var cells: [AtlasCell]
    }

    /// What a run produced.
    package struct Run: Sendable {
        package var cells: [AtlasCell]
        /// The concurrent and nested cells (empty unless asked for).
        package var concurrency: [AtlasConcurrencyCell] = []
        /// The stack-shape cells (empty unless asked for).
        package var shapes: [AtlasShapeCell] = []
        package var probes: Int
        package var repeats: Int
        package var interrupted: Bool
    }

    /// A probe's results so far for one cell variant: only what the atlas keeps (the first
    /// run's repro and message, every run's outcome and time), never the captured output, so
    /// memory stays flat however many probes run.
    package struct Tally {
        struct Seen { var outcome: Outcome; var seconds: Double; var ran: AtlasRuntimesRan? }
        var runs: [Seen] = []
        var repro = ""
        var message = ""
        var ran: AtlasObservation.WhatRan?
        var expected = 1
        /// Both runtimes of the pair are of the KMP family (they could detect each other).
        var bothKMP = false
        var done: Bool { runs.count >= expected }

        mutating func add(_ p: ProbeResult, _ config: Probe.Configuration) {
            if runs.isEmpty { repro = p.repro; message = p.message.text; ran = AtlasObservation.WhatRan(p) }
            var roles: [RuntimeBinding] = []
            if case .plan(_, let rs) = config.command { roles = rs }
            let ran = AtlasRuntimesRan.observe(p, roles: roles,
                                               variableSet: config.environment["KMP_DUPLICATE_LIB_OK"] != nil,
                                               bothKMP: bothKMP)
            runs.append(Seen(outcome: p.outcome, seconds: p.durationSeconds, ran: ran))
        }
    }

    package func run(progress: (Progress) -> Void = { _ in }) async -> Run {
        let source = AtlasSource(plan: plan, timeout: timeout, executable: executable, concurrency: concurrency, consumers: consumers)
        let (tallies, summary) = await CellRunner(parallel: jobs).run(source) { p, tallies in
            let cell: String, variant: AtlasVariant?, step: String
            switch AtlasSource.Key(p.key)! {
            case .pair(let i, let v):
                let pair = plan.pairs[i]
                (cell, variant, step) = ("\(pair.first)>\(pair.second)", v, v.rawValue)
            case .concurrency(let i):
                let (kind, pair, _) = source.sampled[i]
                (cell, variant, step) = ("\(pair.first)>\(pair.second)", nil, kind.rawValue)
            case .shape(let i):
                let job = source.shapes[i]
                (cell, variant, step) = ("\(job.1)>\(job.2)", nil, job.0.rawValue)
            }
            progress(Progress(done: p.done, total: p.total, cell: cell, variant: variant, step: step, outcome: p.outcome,
                              cells: Self.cells(plan, tallies)))
        }
        let cells = Self.cells(plan, tallies)
        let together: [AtlasConcurrencyCell] = source.sampled.enumerated().compactMap { i, job in
            let (kind, pair, _) = job
            guard let t = tallies[AtlasSource.Key.concurrency(i).text], t.done else { return nil }
            return AtlasConcurrencyCell(kind: kind, first: pair.first, second: pair.second, plan: kind.planText,
                                        runs: t.runs.map(\.outcome), repro: t.repro, message: t.message, ran: t.ran,
                                        durationSeconds: t.runs.reduce(0) { $0 + $1.seconds })
        }
        let shapes: [AtlasShapeCell] = source.shapes.enumerated().compactMap { i, job in
            let (shape, f, s, config) = job
            if case .failure(let why) = config {
                return AtlasShapeCell(shape: shape, first: f, second: s, outcome: nil, skipped: why.reason, message: "", repro: "",
                                      ran: nil, durationSeconds: 0)
            }
            guard let t = tallies[AtlasSource.Key.shape(i).text], t.done, let seen = t.runs.first else { return nil }
            return AtlasShapeCell(shape: shape, first: f, second: s, outcome: seen.outcome, skipped: nil, message: t.message,
                                  repro: t.repro, ran: t.ran, durationSeconds: seen.seconds)
        }
        return Run(cells: cells, concurrency: together, shapes: shapes, probes: summary.probes, repeats: summary.repeats,
                   interrupted: summary.interrupted)
    }

    /// The plan's cells before any probe finished (what a first checkpoint holds).
    package static func cells(of plan: AtlasPlan) -> [AtlasCell] { cells(plan, [:]) }

    static func cells(_ plan: AtlasPlan, _ tallies: [String: Tally]) -> [AtlasCell] {
        let byName = Dictionary(plan.runtimes.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        return plan.pairs.enumerated().map { i, p in
            var observations: [AtlasObservation] = []
            for v in AtlasVariant.allCases {
                guard let t = tallies["\(i)|\(v.rawValue)"], t.done, !t.runs.isEmpty else { continue }
                let runs = t.runs.map(\.outcome)
                var o = AtlasObservation(
                    variant: v, plan: v.planText, outcomes: Array(Set(runs)).sorted(), runs: runs, repro: t.repro,
                    message: t.message, durationSeconds: t.runs.reduce(0) { $0 + $1.seconds },
                    runtimesRan: AtlasRuntimesRan.distinct(t.runs.map(\.ran)))
                o.whatRan = t.ran
                observations.append(o)
            }
            return AtlasCell(first: p.first, second: p.second, firstIdentity: byName[p.first]?.identity,
                             secondIdentity: byName[p.second]?.identity, secondFile: p.secondFile, diagonal: p.diagonal,
                             notRun: p.notRun, observations: observations)
        }
    }
}
