import OMPPlan

/// Pure functions from predictions and observations to verdicts.
///
/// - A cell is *confirmed* when its observed outcome is one its prediction allows, *refuted*
///   otherwise, and *untestable* when it could not run here (or its probe could not start:
///   `launch-failed` says nothing about the doc).
/// - A group of cells (a claim, a row, a profile) is *confirmed* when every testable cell in it
///   is, *refuted* when any is not — with one counterexample of the fewest plan steps (ties:
///   the smallest id) — and *untestable* when none is testable.
public enum Verdicts {
    /// A cell's verdict from its allowed outcomes and what happened.
    public static func verdict(outcome: Outcome, allowed: [Outcome]) -> Verdict {
        if outcome == .launchFailed { return .untestable }
        return allowed.contains(outcome) ? .confirmed : .refuted
    }

    /// The result of one cell: `probe` is what the supervisor observed, nil when the cell did not run.
    public static func judge(_ cell: Cell, probe: ProbeResult?) -> CellResult {
        var result = CellResult(
            id: cell.id, row: cell.row, claims: cell.claims, profile: cell.profile, envMode: cell.envMode.rawValue,
            ordering: cell.ordering.rawValue, importMeaning: cell.importMeaning.rawValue, tags: cell.tags,
            status: .skipped, outcome: nil, allowed: cell.allowed, verdict: .untestable, reason: nil,
            analogueOf: cell.analogue, durationSeconds: 0, message: "", repro: "", plan: cell.plan.text, probe: nil)
        if let why = cell.testability.reason {
            result.reason = why
            return result
        }
        guard let probe else {
            result.reason = "not run (the run stopped before this cell)"
            return result
        }
        let allowed = cell.allowed.map(\.rawValue).joined(separator: " or ")
        result.status = .ran
        result.outcome = probe.outcome
        result.probe = probe
        result.durationSeconds = probe.durationSeconds
        result.message = probe.message.text
        result.repro = probe.repro
        result.verdict = verdict(outcome: probe.outcome, allowed: cell.allowed)
        switch result.verdict {
        case .confirmed:
            result.reason = "observed \(probe.outcome.rawValue), which the doc allows. \(cell.predictionBasis)"
        case .refuted:
            result.reason = "observed \(probe.outcome.rawValue) after step \(probe.ending.afterStep) of \(probe.stepsTotal); the doc allows \(allowed). \(cell.predictionBasis)"
        case .untestable:
            result.reason = "the probe could not start or load a runtime, so it says nothing about the doc: \(probe.message.text)"
        }
        return result
    }

    /// How many steps a result's plan has (its counterexample size).
    public static func stepCount(_ r: CellResult) -> Int {
        if let plan = try? Plan.parse(r.plan) { return plan.steps.count }
        return r.probe?.stepsTotal ?? Int.max
    }

    /// A group verdict with its tallies.
    public struct Aggregate: Sendable, Hashable {
        public var verdict: Verdict
        public var byProfile: [String: Verdict]
        /// The refuting cell of the fewest plan steps (ties: smallest id).
        public var counterexample: CellResult?
        public var agreeing: Int
        public var disagreeing: Int
        /// Every cell id in the group, testable or not, in the given order.
        public var evidence: [String]
    }

    /// Aggregates any group of cell results.
    public static func aggregate(_ results: [CellResult]) -> Aggregate {
        func verdict(_ rs: [CellResult]) -> Verdict {
            let tested = rs.filter { $0.verdict != .untestable }
            if tested.isEmpty { return .untestable }
            return tested.allSatisfy { $0.verdict == .confirmed } ? .confirmed : .refuted
        }
        let refuting = results.filter { $0.verdict == .refuted }
        let counter = refuting.min { a, b in
            let (sa, sb) = (stepCount(a), stepCount(b))
            return sa != sb ? sa < sb : a.id < b.id
        }
        let byProfile = Dictionary(grouping: results, by: \.profile).mapValues(verdict)
        return Aggregate(verdict: verdict(results), byProfile: byProfile, counterexample: counter,
                         agreeing: results.filter { $0.verdict == .confirmed }.count, disagreeing: refuting.count,
                         evidence: results.map(\.id))
    }

    /// The verdict on one claim from the results that name it (and, for a wheel claim, the wheels found).
    public static func claim(_ claim: Matrix.Claim, results: [CellResult], wheels: [WheelScan.Wheel] = []) -> ClaimVerdict {
        let mine = results.filter { $0.claims.contains(claim.id) }
        let agg = aggregate(mine)
        var v = ClaimVerdict(id: claim.id, statement: claim.statement, source: claim.source.text, byProfile: agg.byProfile,
                             verdict: agg.verdict, method: claim.method, counterexample: agg.counterexample?.id,
                             counterexampleRepro: agg.counterexample?.repro, agreeing: agg.agreeing,
                             disagreeing: agg.disagreeing, evidence: agg.evidence)
        if let reason = claim.untestableReason, mine.isEmpty {
            v.method += " Untestable here: \(reason)"
        }
        if let check = claim.wheels {
            let w = wheelVerdict(check, wheels: wheels)
            for (k, x) in w.byPart { v.byProfile["wheel:\(k)"] = x }
            v.evidence += w.evidence
            v.method += " Found: " + (w.findings.isEmpty ? "no wheels in the wheels directory." : w.findings.joined(separator: "; ") + ".")
            v.agreeing += w.byPart.values.filter { $0 == .confirmed }.count
            v.disagreeing += w.byPart.values.filter { $0 == .refuted }.count
            if v.counterexample == nil, let c = w.counterexample {
                v.counterexample = c
                v.counterexampleRepro = "omp-matrix scan runtimes/wheels/\(c)"
            }
            v.verdict = combine(mine.isEmpty ? nil : agg.verdict, w.verdict)
        }
        return v
    }

    /// Both parts must hold: refuted if either is, confirmed only if every present part is.
    static func combine(_ cells: Verdict?, _ wheels: Verdict) -> Verdict {
        guard let cells else { return wheels }
        if cells == .refuted || wheels == .refuted { return .refuted }
        if cells == .untestable || wheels == .untestable { return .untestable }
        return .confirmed
    }

    struct WheelVerdict {
        var verdict: Verdict
        var byPart: [String: Verdict]
        var findings: [String]
        var evidence: [String]
        var counterexample: String?
    }

    /// Each expected package's wheels on the claim's platform must bundle the expected runtime
    /// and no other (another vendor's runtime refutes; none, or one of unknown vendor, leaves it open). The claim names both packages at once, so one unchecked half leaves the
    /// whole untestable unless the other half refutes it.
    static func wheelVerdict(_ check: Matrix.WheelCheck, wheels: [WheelScan.Wheel]) -> WheelVerdict {
        var out = WheelVerdict(verdict: .confirmed, byPart: [:], findings: [], evidence: [], counterexample: nil)
        for e in check.expectations {
            let all = wheels.filter { $0.package == e.package }
            let onPlatform = all.filter { check.platform == .any || $0.platform == check.platform }
            out.evidence += all.map(\.file)
            var part: Verdict = .untestable
            if onPlatform.isEmpty {
                let elsewhere = all.map(\.summary)
                let platform = check.platform == .macos ? "macOS" : check.platform.rawValue
                out.findings.append("no \(platform) wheel of \(e.package)"
                    + (e.note.map { " (\($0))" } ?? "")
                    + (elsewhere.isEmpty ? "" : "; other platforms, not evidence: " + elsewhere.joined(separator: ", ")))
            } else {
                var verdicts: [Verdict] = []
                for w in onPlatform {
                    out.findings.append(w.summary)
                    let kinds = Set(w.libraries.map(\.kind))
                    let known = kinds.subtracting([.unknown])
                    if !known.subtracting([e.bundles]).isEmpty {
                        verdicts.append(.refuted)   // another vendor's runtime is in it
                        if out.counterexample == nil { out.counterexample = w.file }
                    } else if w.error != nil || kinds != [e.bundles] {
                        verdicts.append(.untestable)   // unreadable, none bundled, or a runtime of unknown vendor
                    } else {
                        verdicts.append(.confirmed)
                    }
                }
                part = verdicts.contains(.refuted) ? .refuted : verdicts.contains(.untestable) ? .untestable : .confirmed
            }
            out.byPart[e.package] = part
        }
        let parts = Array(out.byPart.values)
        out.verdict = parts.contains(.refuted) ? .refuted : parts.contains(.untestable) ? .untestable : .confirmed
        return out
    }

    /// Every claim of a matrix, in file order.
    public static func claims(_ matrix: Matrix, results: [CellResult], wheels: [WheelScan.Wheel] = []) -> [ClaimVerdict] {
        matrix.claims.map { claim($0, results: results, wheels: wheels) }
    }

    /// One verdict per applicability row (id = row id), over the row's own cells. The Linux
    /// analogues (`<row>@linux`) get their own entries, labelled as analogues, after the rows.
    public static func rows(_ matrix: Matrix, results: [CellResult]) -> [ClaimVerdict] {
        var out: [ClaimVerdict] = []
        for r in matrix.rows {
            for (rowID, label) in [(r.id, ""), ("\(r.id)@linux", "Linux analogue of ")] {
                let mine = results.filter { $0.row == rowID }
                if mine.isEmpty && !label.isEmpty { continue }
                let agg = aggregate(mine)
                out.append(ClaimVerdict(
                    id: rowID,
                    statement: "\(label)\(r.scenario) | \(r.device.rawValue) | \(r.platform.rawValue) | fix needed: \(r.fixNeeded.rawValue) — \(r.reason)",
                    source: r.source.text, byProfile: agg.byProfile, verdict: agg.verdict,
                    method: label.isEmpty ? "Cells of the row's workload, judged against the table's prediction."
                        : "The same plans on Linux, judged against the macOS prediction: evidence about the OpenMP runtimes, not about macOS's loader.",
                    counterexample: agg.counterexample?.id, counterexampleRepro: agg.counterexample?.repro,
                    agreeing: agg.agreeing, disagreeing: agg.disagreeing, evidence: agg.evidence))
            }
        }
        return out
    }

    /// Verdict per profile over all the given results.
    public static func profiles(_ results: [CellResult]) -> [String: Verdict] {
        aggregate(results).byProfile
    }
}
