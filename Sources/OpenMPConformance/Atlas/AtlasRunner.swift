import Foundation

/// Runs an ``AtlasPlan`` through ``ProbeBatch`` (the matrix runner's scheduling, limiter and
/// cancellation): three probes per runnable pair. A probe whose outcome is neither a pass nor
/// a duplicate-runtime abort runs twice more; the cell then records every outcome seen.
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
    struct Tally {
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
        var tallies: [String: Tally] = [:]
        var jobList: [ProbeBatch.Job] = []
        for (i, p) in plan.pairs.enumerated() {
            for v in AtlasVariant.allCases {
                guard let config = p.configuration(v, timeout: timeout, executable: executable, wine: plan.wine) else { continue }
                let key = "\(i)|\(v.rawValue)"
                // Two distinct files with the variable set may cost an exit grace: start those first.
                let cost = (v == .withoutVariable || p.diagonal == .control) ? 6 : 106
                jobList.append(.init(key: key, configuration: config, cost: cost))
                let families = plan.runtimes.filter { $0.name == p.first || $0.name == p.second }.map { $0.identity?.family }
                tallies[key] = Tally(bothKMP: families.allSatisfy { $0 == RuntimeIdentity.Family.kmp.rawValue })
            }
        }
        let sampled = concurrency ? AtlasConcurrencyCell.jobs(plan, timeout: timeout, executable: executable) : []
        for (i, (kind, _, config)) in sampled.enumerated() {
            let key = "c\(i)|\(kind.rawValue)"
            // Each run is its own job, so the repeats spread over the slots; the hangs cost a grace each.
            jobList += Array(repeating: .init(key: key, configuration: config, cost: 106), count: kind.runs)
            tallies[key] = Tally(expected: kind.runs)
        }
        let shapeJobs = consumers.map { AtlasShapeCell.jobs(plan, consumers: $0, timeout: timeout, executable: executable) } ?? []
        for (i, job) in shapeJobs.enumerated() {
            guard case .success(let config) = job.3 else { continue }
            jobList.append(.init(key: "s\(i)|shape", configuration: config, cost: 6))
            tallies["s\(i)|shape"] = Tally()
        }
        let configs = Dictionary(jobList.map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })
        var total = jobList.count, done = 0, repeats = 0

        await ProbeBatch.run(jobList, parallel: jobs) { key, probe in
            tallies[key]!.add(probe, configs[key]!.configuration)
            done += 1
            var more: [ProbeBatch.Job] = []
            if key.hasPrefix("s") {
                let job = shapeJobs[Int(key.dropFirst().split(separator: "|")[0])!]
                progress(Progress(done: done, total: total, cell: "\(job.1)>\(job.2)", variant: nil, step: job.0.rawValue,
                                  outcome: probe.outcome, cells: Self.cells(plan, tallies)))
                return more
            }
            if key.hasPrefix("c") {
                let i = Int(key.dropFirst().split(separator: "|")[0])!
                let (kind, pair, _) = sampled[i]
                progress(Progress(done: done, total: total, cell: "\(pair.first)>\(pair.second)", variant: nil, step: kind.rawValue,
                                  outcome: probe.outcome, cells: Self.cells(plan, tallies)))
                return more
            }
            if tallies[key]!.runs.count == 1, probe.outcome != .pass, probe.outcome != .duplicateRuntimeAbort {
                tallies[key]!.expected = Self.runsWhenUnsettled
                more = Array(repeating: configs[key]!, count: Self.runsWhenUnsettled - 1)
                total += more.count
                repeats += more.count
            }
            let parts = key.split(separator: "|")
            let pair = plan.pairs[Int(parts[0])!]
            progress(Progress(done: done, total: total, cell: "\(pair.first)>\(pair.second)",
                              variant: AtlasVariant(rawValue: String(parts[1]))!, step: String(parts[1]), outcome: probe.outcome,
                              cells: Self.cells(plan, tallies)))
            return more
        }
        let cells = Self.cells(plan, tallies)
        let complete = tallies.values.allSatisfy(\.done)
        let together: [AtlasConcurrencyCell] = sampled.enumerated().compactMap { i, job in
            let (kind, pair, _) = job
            guard let t = tallies["c\(i)|\(kind.rawValue)"], t.done else { return nil }
            return AtlasConcurrencyCell(kind: kind, first: pair.first, second: pair.second, plan: kind.planText,
                                        runs: t.runs.map(\.outcome), repro: t.repro, message: t.message, ran: t.ran,
                                        durationSeconds: t.runs.reduce(0) { $0 + $1.seconds })
        }
        let shapes: [AtlasShapeCell] = shapeJobs.enumerated().compactMap { i, job in
            let (shape, f, s, config) = job
            if case .failure(let why) = config {
                return AtlasShapeCell(shape: shape, first: f, second: s, outcome: nil, skipped: why.reason, message: "", repro: "",
                                      ran: nil, durationSeconds: 0)
            }
            guard let t = tallies["s\(i)|shape"], t.done, let seen = t.runs.first else { return nil }
            return AtlasShapeCell(shape: shape, first: f, second: s, outcome: seen.outcome, skipped: nil, message: t.message,
                                  repro: t.repro, ran: t.ran, durationSeconds: seen.seconds)
        }
        return Run(cells: cells, concurrency: together, shapes: shapes, probes: done, repeats: repeats, interrupted: Cancellation.isRequested || !complete)
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
