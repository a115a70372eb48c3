import Foundation
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
    package static func verdict(outcome: Outcome, allowed: [Outcome]) -> Verdict {
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
        result.roleRuntimes = cell.roleRuntimes.isEmpty ? nil : cell.roleRuntimes
        if cell.platform == .windows { result.platform = WineTools.platform }
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
    package static func stepCount(_ r: CellResult) -> Int {
        if let plan = try? Plan.parse(r.plan) { return plan.steps.count }
        return r.probe?.stepsTotal ?? Int.max
    }

    /// A group verdict with its tallies.
    package struct Aggregate: Sendable, Hashable {
        package var verdict: Verdict
        package var byProfile: [String: Verdict]
        /// The refuting cell of the fewest plan steps (ties: smallest id).
        package var counterexample: CellResult?
        package var agreeing: Int
        package var disagreeing: Int
        /// Every cell id in the group, testable or not, in the given order.
        package var evidence: [String]
    }

    /// Aggregates any group of cell results.
    package static func aggregate(_ results: [CellResult]) -> Aggregate {
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
    /// `runtimes` name the pair's releases in the words of the finding and counterexample.
    /// `platform`: whose cells count (nil: the host's; ``WineTools/platform``: the Windows column's);
    /// the other platform's cells are never counted.
    /// `atlas`, when given, judges the host's claims that read it (``ClaimAtlasWeighing``) with its pairs,
    /// shapes and concurrent cells beside the matrix's.
    package static func claim(_ claim: Matrix.Claim, results: [CellResult], wheels: [WheelScan.Wheel] = [],
                             runtimes: [RuntimeRecord] = [], platform: String? = nil, atlas: AtlasEvidence? = nil) -> ClaimVerdict {
        let mine = results.filter { $0.claims.contains(claim.id) && $0.platform == platform }
        let judgement = ClaimJudgement(words: CellWords(runtimes: runtimes))
        let j = judgement.judge(mine, scope: claim.scope, failures: claim.failures, readings: claim.readings)
        let counted = aggregate(j.counted)
        var v = ClaimVerdict(id: claim.id, statement: claim.statement, source: claim.source.text, byProfile: counted.byProfile,
                             verdict: j.state.verdict, method: claim.method, counterexample: j.counterexample?.id,
                             counterexampleRepro: j.counterexample?.repro, agreeing: j.agreeing.count,
                             disagreeing: j.disagreeing.count, evidence: counted.evidence)
        var state = j.state
        var conditions = j.conditions
        if let reason = claim.untestableReason, mine.isEmpty {
            v.method += " Untestable here: \(reason)"
            state = .untestable
            conditions = [reason]
        }
        var found = ""
        if let check = claim.wheels {
            let w = wheelVerdict(check, wheels: wheels)
            for (k, x) in w.byPart { v.byProfile["wheel:\(k)"] = x }
            v.evidence += w.evidence
            found = w.findings.isEmpty ? "no wheels were found" : w.findings.joined(separator: "; ")
            v.method += " Found: " + found + "."
            v.agreeing += w.byPart.values.filter { $0 == .confirmed }.count
            v.disagreeing += w.byPart.values.filter { $0 == .refuted }.count
            if v.counterexample == nil, let c = w.counterexample {
                v.counterexample = c
                v.counterexampleRepro = "omp-matrix scan \"$\(RuntimeCatalog.directoryVariable)/wheels/\(c)\""
                v.counterexampleWhy = "the wheel's own bytes"
            }
            let combined = combine(mine.isEmpty ? nil : j.state.verdict, w.verdict)
            v.verdict = combined
            switch combined {
            case .confirmed: state = .holds
            case .refuted: state = .doesNotHold; conditions = []
            case .untestable:
                state = .untestable
                conditions = [w.findings.filter { $0.hasPrefix("no ") }.joined(separator: "; ")].filter { !$0.isEmpty }
                if conditions.isEmpty { conditions = [found] }
            }
        }
        v.record(state: state, conditions: conditions, quote: claim.source.quote, from: j, words: judgement.words)
        let values = [
            "agree": "\(v.agreeing)", "disagree": "\(v.disagreeing)", "tested": "\(v.agreeing + v.disagreeing)",
            "failures": ClaimJudgement.outcomeSummary(j.disagreeing), "conditions": conditions.joined(separator: "; "),
            "reason": conditions.map(trimmedStop).joined(separator: "; "), "found": found,
            "passes": ClaimJudgement.outcomeSummary(j.agreeing),
        ]
        let template = claim.findings[state] ?? defaultFinding(state, statement: claim.statement)
        v.finding = ClaimJudgement.fill(template, values)
        if claim.untestableReason == nil || !mine.isEmpty {
            ClaimAtlasWeighing.weigh(&v, j, atlas: atlas, words: judgement.words)
        }
        return v
    }

    /// A phrase without its closing full stop, to sit inside a sentence.
    static func trimmedStop(_ s: String) -> String {
        var t = s.trimmingCharacters(in: .whitespaces)
        while t.hasSuffix(".") { t.removeLast() }
        return t
    }

    static func defaultFinding(_ state: ClaimState, statement: String) -> String {
        switch state {
        case .holds: statement
        case .doesNotHold: "Cells here ended otherwise than the claim says: {failures} in {disagree} of {tested} cells."
        case .holdsOnlyWhen: "It is true only when {conditions}; otherwise {failures} ({disagree} of {tested} cells)."
        case .untestable: "This host cannot test it: {reason}."
        }
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
    package static func claims(_ matrix: Matrix, results: [CellResult], wheels: [WheelScan.Wheel] = [],
                              runtimes: [RuntimeRecord] = [], atlas: AtlasEvidence? = nil) -> [ClaimVerdict] {
        matrix.claims.map { claim($0, results: results, wheels: wheels, runtimes: runtimes, atlas: atlas) }
    }

    /// One verdict per applicability row (id = row id), over the row's own cells. The Linux
    /// analogues (`<row>@linux`) get their own entries, labelled as analogues, after the rows.
    /// Rows are about two KMP-family runtimes and the table's own env modes: controls, GNU-mixed
    /// profiles and troubleshooting modes are shown apart (``ClaimJudgement``).
    package static func rows(_ matrix: Matrix, results: [CellResult], runtimes: [RuntimeRecord] = [],
                             atlas: AtlasEvidence? = nil) -> [ClaimVerdict] {
        var out: [ClaimVerdict] = []
        let judgement = ClaimJudgement(words: CellWords(runtimes: runtimes))
        for r in matrix.rows {
            for (rowID, label) in [(r.id, ""), ("\(r.id)@linux", "Linux analogue of ")] {
                let mine = results.filter { $0.row == rowID && $0.platform == nil }
                if mine.isEmpty && !label.isEmpty { continue }
                let method = label.isEmpty ? "Cells of the row's workload, judged against the table's prediction."
                    : "The same plans on Linux, judged against the macOS prediction: evidence about the OpenMP runtimes, not about macOS's loader."
                let v = rowVerdict(r, id: rowID, cells: mine, label: label, method: method, judgement: judgement, atlas: atlas) {
                    rowFinding(r, analogue: !label.isEmpty, $0)
                }
                out.append(v)
            }
        }
        return out
    }

    /// One table row judged over `cells`: two KMP-family runtimes and the table's own env modes
    /// counted, the rest shown apart; `finding` words the judgement.
    /// `atlas`: the host's atlas, which the row is weighed with (``ClaimAtlasWeighing``); nil for the Windows column.
    static func rowVerdict(_ r: Matrix.Row, id: String, cells: [CellResult], label: String, method: String,
                           judgement: ClaimJudgement, atlas: AtlasEvidence? = nil,
                           finding: (ClaimJudgement.Judged) -> String) -> ClaimVerdict {
        // A table row is about the abort: the failure it is about is the one it does not predict.
        let failures: [Outcome] = r.fixNeeded == .no ? [.duplicateRuntimeAbort, .hangAtExit, .hang, .crash, .wrongResult, .runtimeError]
            : [.hangAtExit, .hang, .crash, .wrongResult, .runtimeError, .pass]
        let j = judgement.judge(cells, scope: .kmpPairs, tableModesOnly: true, failures: failures)
        let agg = aggregate(j.counted)
        var v = ClaimVerdict(
            id: id,
            statement: "\(label)\(r.scenario) | \(r.device.rawValue) | \(r.platform.rawValue) | fix needed: \(r.fixNeeded.rawValue) — \(r.reason)",
            source: r.source.text, byProfile: agg.byProfile, verdict: j.state.verdict, method: method,
            counterexample: j.counterexample?.id, counterexampleRepro: j.counterexample?.repro,
            agreeing: j.agreeing.count, disagreeing: j.disagreeing.count, evidence: agg.evidence)
        v.record(state: j.state, conditions: j.conditions, quote: r.source.quote, from: j, words: judgement.words)
        v.finding = finding(j)
        ClaimAtlasWeighing.weigh(&v, j, atlas: atlas, words: judgement.words)
        return v
    }

    /// A row's finding in one sentence, from its counts.
    /// `what`: the subject when it is neither the row itself nor its Linux analogue (the Windows column's).
    static func rowFinding(_ r: Matrix.Row, analogue: Bool, _ j: ClaimJudgement.Judged, what subject: String? = nil) -> String {
        let what = subject ?? (analogue ? "On Linux, the plans standing in for \u{201C}\(r.scenario)\u{201D} on macOS" : r.scenario)
        let tested = j.agreeing.count + j.disagreeing.count
        let table = r.fixNeeded == .no ? "run clean with or without the variable" : "abort without the variable and run clean with it exported"
        // The stack every cell measures: two runtime files opened by their paths in one process.
        let pair = "with two runtime files of the Intel/LLVM kind opened by path in one process"
        let stack = " That is the stack measured here; which installed packages start two such runtimes is a separate question (see the answer)."
        switch j.state {
        case .holds:
            return "\(what), \(pair), \(r.fixNeeded == .no ? "ran clean with or without the variable" : "aborted without the variable and ran clean with it exported") in all \(tested) test cases, as the table says."
        case .holdsOnlyWhen:
            return "\(what), \(pair), behaved as the table says (\(table)) only when \(j.conditions.joined(separator: "; ")); the other \(j.disagreeing.count) of \(tested) test cases gave \(ClaimJudgement.outcomeSummary(j.disagreeing))."
        case .doesNotHold:
            return "\(what), \(pair), gave \(ClaimJudgement.outcomeSummary(j.disagreeing)) in \(j.disagreeing.count) of \(tested) test cases, where the table expects them to \(table)." + stack
        case .untestable:
            return "\(what) cannot run on this host: \(j.conditions.joined(separator: "; "))."
        }
    }

    /// Verdict per profile over all the given results.
    package static func profiles(_ results: [CellResult]) -> [String: Verdict] {
        aggregate(results).byProfile
    }
}

extension ClaimVerdict {
    /// Records a judgement's state and what it adds beside the counts, for a claim and a table
    /// row alike: the conditions, the doc's quote, the cells shown apart, the two readings, and
    /// the counterexample in words with why it was chosen.
    mutating func record(state: ClaimState, conditions: [String], quote: String?, from j: ClaimJudgement.Judged,
                         words: CellWords) {
        self.state = state
        verdict = state.verdict
        self.conditions = conditions.isEmpty ? nil : conditions
        self.quote = quote
        apart = j.apart.isEmpty ? nil : j.apart
        readings = j.readings.isEmpty ? nil : j.readings
        if let cx = j.counterexample {
            counterexampleWords = words.describe(cx) + ": " + (cx.outcome.map(ClaimJudgement.outcomeWords) ?? "not run")
            counterexampleWhy = j.counterexampleWhy
        }
    }
}
