/// A claim (or an applicability row) judged in the doc's own terms: which cells count, which
/// state applies and under which conditions, the counterexample that matters most, and the
/// finding sentence with its figures filled in.
///
/// - **Which cells count.** For a claim about two KMP-family runtimes (every row, and claims
///   with `scope: kmp-pairs`), controls (one runtime file) and GNU-mixed profiles are shown
///   apart, as neither agreement nor counterexample. A row counts only the table's own env modes
///   (`unset`, `exported`); troubleshooting modes are evidence for their own claims.
/// - **State.** `holds` when every counted cell agrees; `holds only when …` when one dimension
///   the kit varied (import reading, env mode, load order, which runtime starts first, pair)
///   separates every agreeing cell from every disagreeing one; else `does not hold`;
///   `untestable here: …` when nothing counted ran.
/// - **Counterexample.** The doc's own pair first (the framework brings Intel's runtime and
///   the index library LLVM's); then the failure the claim is about (its `failures` list);
///   fewest plan steps only to break ties; then the smallest id.
package struct ClaimJudgement: Sendable {
    package var words: CellWords

    package init(words: CellWords) { self.words = words }

    /// What judging produced, ready to be stored in a ``ClaimVerdict``.
    package struct Judged: Sendable {
        package var state: ClaimState
        package var conditions: [String]
        package var counted: [CellResult]
        package var agreeing: [CellResult]
        package var disagreeing: [CellResult]
        package var apart: [ApartGroup]
        package var counterexample: CellResult?
        package var counterexampleWhy: String?
        package var readings: [ReadingEvidence]
    }

    /// Splits off the cells that are not evidence for a claim of this scope.
    package static func partition(_ cells: [CellResult], scope: Matrix.Claim.Scope, tableModesOnly: Bool)
        -> (counted: [CellResult], apart: [ApartGroup]) {
        var counted: [CellResult] = []
        var controls: [CellResult] = [], mixed: [CellResult] = [], troubleshooting: [CellResult] = []
        for c in cells {
            if scope == .kmpPairs, c.profileKind == "control" { controls.append(c); continue }
            if scope == .kmpPairs, c.profileKind == "mixed" { mixed.append(c); continue }
            if tableModesOnly, c.envMode != "unset", c.envMode != "exported" { troubleshooting.append(c); continue }
            counted.append(c)
        }
        func group(_ kind: String, _ why: String, _ cs: [CellResult]) -> ApartGroup? {
            guard !cs.isEmpty else { return nil }
            var o: [String: Int] = [:]
            for c in cs where c.status == .ran { if let x = c.outcome { o[x.rawValue, default: 0] += 1 } }
            return ApartGroup(kind: kind, why: why, cells: cs.count, outcomes: o)
        }
        let apart = [
            group("controls", "one runtime file serves both libraries, so there is no second runtime to conflict with", controls),
            group("gnu-mixed", "one side is GNU libgomp, which takes no part in the duplicate check", mixed),
            group("troubleshooting", "set the variable in ways the table does not describe; they count for the troubleshooting claims", troubleshooting),
        ].compactMap { $0 }
        return (counted, apart)
    }

    /// Judges the given cells.
    package func judge(_ cells: [CellResult], scope: Matrix.Claim.Scope, tableModesOnly: Bool = false,
                      failures: [Outcome] = [], readings: [Matrix.Claim.Reading] = []) -> Judged {
        let (counted, apart) = Self.partition(cells, scope: scope, tableModesOnly: tableModesOnly)
        let tested = counted.filter { $0.verdict != .untestable }
        let agreeing = tested.filter { $0.verdict == .confirmed }
        let disagreeing = tested.filter { $0.verdict == .refuted }
        var state: ClaimState
        var conditions: [String] = []
        if tested.isEmpty {
            state = .untestable
            conditions = [Self.commonReason(counted) ?? "no cell tests it here"]
        } else if disagreeing.isEmpty {
            state = .holds
        } else if !agreeing.isEmpty, let c = separating(agreeing, disagreeing) {
            state = .holdsOnlyWhen
            conditions = [c]
        } else {
            state = .doesNotHold
        }
        let (cx, why) = counterexample(disagreeing, failures: failures)
        return Judged(state: state, conditions: conditions, counted: counted, agreeing: agreeing, disagreeing: disagreeing,
                      apart: apart, counterexample: cx, counterexampleWhy: why,
                      readings: readingEvidence(tested, readings: readings, failures: failures))
    }

    /// Whether the framework brings Intel's runtime and the index library LLVM's: the doc's own pair.
    package static func isDocPair(_ r: CellResult) -> Bool {
        guard let roles = r.roleRuntimes else { return r.profile == "intel+llvm" }
        return (roles["framework"] ?? "").hasPrefix("intel") && (roles["index"] ?? "").hasPrefix("llvm")
            && !(roles["index"] ?? "").hasSuffix("-copy")
    }

    /// The most relevant refuting cell, and why it was chosen.
    package func counterexample(_ refuting: [CellResult], failures: [Outcome]) -> (CellResult?, String?) {
        func rank(_ r: CellResult) -> (Int, Int, Int, String) {
            let failure = r.outcome.flatMap { failures.firstIndex(of: $0) } ?? failures.count
            return (Self.isDocPair(r) ? 0 : 1, failure, Verdicts.stepCount(r), r.id)
        }
        guard let best = refuting.min(by: { rank($0) < rank($1) }) else { return (nil, nil) }
        let outcome = best.outcome.map(Self.outcomeWords) ?? "no outcome"
        let why: String
        if Self.isDocPair(best) {
            why = "the doc's own pair (\(words.pair(best))): \(outcome)"
        } else if let o = best.outcome, failures.contains(o) {
            why = "the doc's pair gives no counterexample; this is the failure the claim is about: \(outcome)"
        } else {
            why = "\(outcome); of equally relevant cells, the one with the fewest steps"
        }
        return (best, why)
    }

    /// A dimension whose values split agreeing from disagreeing cells, as a condition in words.
    func separating(_ agree: [CellResult], _ disagree: [CellResult]) -> String? {
        let dims: [(CellResult) -> String] = [
            { $0.importMeaning == "load" ? "the import only loads the runtime" : "the import also starts the runtime" },
            { Self.envClause($0.envMode) },
            { Self.orderingWords($0.ordering) },
            { [words] r in Answer.startWords(r, words) },
            { [words] r in "the pair is \(words.pair(r))" },
        ]
        for d in dims {
            let a = Set(agree.map(d)), b = Set(disagree.map(d))
            guard a.isDisjoint(with: b) else { continue }
            let good = Self.ordered(agree.map(d)), bad = Self.ordered(disagree.map(d))
            return good.count <= 2 || bad.count >= good.count ? good.joined(separator: " or ")
                : "the order differs from: " + bad.joined(separator: " or ")
        }
        return nil
    }

    func readingEvidence(_ tested: [CellResult], readings: [Matrix.Claim.Reading], failures: [Outcome]) -> [ReadingEvidence] {
        var defined = readings
        if defined.isEmpty {
            // The two readings of "import", where the claim's cells cover both.
            let meanings = Set(tested.map(\.importMeaning))
            guard meanings.count > 1 else { return [] }
            defined = ["load", "load+init"].map {
                .init(words: CellWords.importWords($0), envModes: [], imports: [Cell.ImportMeaning(rawValue: $0)!])
            }
        }
        return defined.map { reading in
            let mine = tested.filter(reading.matches)
            let bad = mine.filter { $0.verdict == .refuted }
            let good = mine.filter { $0.verdict == .confirmed }
            let state: ClaimState = mine.isEmpty ? .untestable : bad.isEmpty ? .holds : .doesNotHold
            let example = counterexample(bad, failures: failures).0 ?? good.min { Verdicts.stepCount($0) < Verdicts.stepCount($1) }
            return ReadingEvidence(reading: reading.words, agreeing: good.count, disagreeing: bad.count, state: state,
                                   example: example?.id, exampleWords: example.map { words.describe($0) + ": " + ($0.outcome.map(Self.outcomeWords) ?? "not run") })
        }
    }

    /// The reason most cells give for not running.
    static func commonReason(_ cells: [CellResult]) -> String? {
        let reasons = cells.compactMap { $0.status == .skipped ? $0.reason : nil }
        guard !reasons.isEmpty else { return nil }
        let counts = Dictionary(reasons.map { ($0, 1) }, uniquingKeysWith: +)
        return counts.max { $0.value != $1.value ? $0.value < $1.value : $0.key > $1.key }!.key
    }

    /// Distinct values in first-appearance order.
    static func ordered<T: Hashable>(_ xs: [T]) -> [T] {
        var seen = Set<T>()
        return xs.filter { seen.insert($0).inserted }
    }

    /// An outcome for readers: `abort with Error #15`, `hang at exit`, `clean run`.
    package static func outcomeWords(_ o: Outcome) -> String {
        switch o {
        case .launchFailed: "could not start"
        case .duplicateRuntimeAbort: "abort with Error #15"
        case .hangAtExit: "hang at exit"
        case .hang: "hang"
        case .runtimeError: "another OpenMP error"
        case .wrongResult: "wrong result"
        case .crash: "crash"
        case .exitNonzero: "nonzero exit"
        case .pass: "clean run"
        }
    }

    /// The outcome words for a count: `2 hangs at exit`, `1 clean run`.
    package static func outcomeWords(_ o: Outcome, count: Int) -> String {
        guard count != 1 else { return outcomeWords(o) }
        switch o {
        case .launchFailed: return "could not start"
        case .duplicateRuntimeAbort: return "aborts with Error #15"
        case .hangAtExit: return "hangs at exit"
        case .hang: return "hangs"
        case .runtimeError: return "other OpenMP errors"
        case .wrongResult: return "wrong results"
        case .crash: return "crashes"
        case .exitNonzero: return "nonzero exits"
        case .pass: return "clean runs"
        }
    }

    /// `2 hangs at exit, 1 abort with Error #15`, most frequent first.
    package static func outcomeSummary(_ cells: [CellResult]) -> String {
        var counts: [Outcome: Int] = [:]
        for c in cells { if let o = c.outcome { counts[o, default: 0] += 1 } }
        let parts = counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
            .map { "\($0.value) \(outcomeWords($0.key, count: $0.value))" }
        return parts.isEmpty ? "no outcome" : parts.joined(separator: ", ")
    }

    /// An env mode as a clause: `the variable is exported before start`.
    static func envClause(_ mode: String) -> String {
        switch mode {
        case "unset": "no variable is set"
        case "exported": "the variable is exported before start"
        case "set-before-imports": "the variable is set in the program before the loads"
        case "set-after-loads": "the variable is set after the loads, before either runtime starts"
        case "set-after-inits": "the variable is set after both runtimes started"
        case "false": "the variable is exported as FALSE"
        default: "the variable is handled as in mode \(mode)"
        }
    }

    static func orderingWords(_ o: String) -> String {
        switch o {
        case "framework-first": "the framework's runtime is loaded first"
        case "index-first": "the index library's runtime is loaded first"
        case "interleaved": "both are loaded before either starts"
        default: "ordering \(o)"
        }
    }

    /// Fills `{placeholders}` of a finding sentence.
    package static func fill(_ template: String, _ values: [String: String]) -> String {
        var out = template
        for (k, v) in values { out = out.replacingOccurrences(of: "{\(k)}", with: v) }
        return out
    }
}
