/// The verdict on one of the doc's claims, over every cell that tests it.
package struct ClaimVerdict: Codable, Sendable, Hashable, Identifiable {
    /// The claim id in `Matrices/claims.yaml`, or the row id for a row's verdict.
    package var id: String
    /// The claim in our words.
    package var statement: String
    /// The doc's section and the few words that identify the claim.
    package var source: String
    /// Per profile (or `all`), the verdict.
    package var byProfile: [String: Verdict]
    /// The claim's verdict over all its cells here.
    package var verdict: Verdict
    /// How the claim is tested here, or why it cannot be.
    package var method: String
    /// When refuted: one counterexample cell of the fewest steps.
    package var counterexample: String?
    package var counterexampleRepro: String?
    /// How many testable cells agreed and disagreed.
    package var agreeing: Int
    package var disagreeing: Int
    package var evidence: [String]

    // Schema 2: the claim judged in its own terms (absent in schema 1 files).
    /// holds, does not hold, holds only when …, or untestable here.
    package var state: ClaimState?
    /// What the kit found, in one plain sentence written as the truth.
    package var finding: String?
    /// The doc's own few words that identify the claim.
    package var quote: String?
    /// For `holds-only-when`: the conditions, in words; for `untestable`: the reason.
    package var conditions: [String]?
    /// Cells shown apart and counted neither way: controls (one runtime file) and GNU-mixed
    /// profiles for a claim about two KMP-family runtimes; troubleshooting modes for a row.
    package var apart: [ApartGroup]?
    /// Where the claim's words allow two readings of "import": each with its own evidence.
    package var readings: [ReadingEvidence]?
    /// The counterexample in words, and why it was chosen.
    package var counterexampleWords: String?
    package var counterexampleWhy: String?

    /// The state; for a schema 1 verdict, which has none, the state its verdict word stands for
    /// (`confirmed`: holds, `refuted`: does not hold, `untestable`: untestable).
    var stateOrVerdictState: ClaimState {
        if let state { return state }
        switch verdict {
        case .confirmed: return .holds
        case .refuted: return .doesNotHold
        case .untestable: return .untestable
        }
    }

    /// The state in words, e.g. `holds only when an import that also starts the runtime`.
    package var stateWords: String {
        guard let state else { return verdict.rawValue }
        switch state {
        case .holdsOnlyWhen: return "holds only when " + (conditions ?? []).joined(separator: "; ")
        case .untestable: return "untestable here: " + (conditions ?? []).joined(separator: "; ")
        default: return state.words
        }
    }

    package init(id: String, statement: String, source: String, byProfile: [String: Verdict], verdict: Verdict,
                method: String, counterexample: String?, counterexampleRepro: String?, agreeing: Int,
                disagreeing: Int, evidence: [String]) {
        self.id = id; self.statement = statement; self.source = source; self.byProfile = byProfile
        self.verdict = verdict; self.method = method; self.counterexample = counterexample
        self.counterexampleRepro = counterexampleRepro; self.agreeing = agreeing; self.disagreeing = disagreeing
        self.evidence = evidence
    }
}

/// Cells of a claim shown apart, with what they did.
package struct ApartGroup: Codable, Sendable, Hashable {
    /// `controls` (one runtime file), `gnu-mixed`, or `troubleshooting` (env modes judged by their own claims).
    package var kind: String
    /// Why they are not counted, in words.
    package var why: String
    package var cells: Int
    /// Outcome counts of the cells that ran.
    package var outcomes: [String: Int]
    package init(kind: String, why: String, cells: Int, outcomes: [String: Int]) {
        self.kind = kind; self.why = why; self.cells = cells; self.outcomes = outcomes
    }
}

/// One reading of the claim's words, with its own evidence.
package struct ReadingEvidence: Codable, Sendable, Hashable {
    package var reading: String
    package var agreeing: Int
    package var disagreeing: Int
    /// holds / does-not-hold / untestable in this reading.
    package var state: ClaimState
    /// One cell of this reading: a counterexample when there is one, else an agreeing cell.
    package var example: String?
    package var exampleWords: String?
    package init(reading: String, agreeing: Int, disagreeing: Int, state: ClaimState, example: String?, exampleWords: String?) {
        self.reading = reading; self.agreeing = agreeing; self.disagreeing = disagreeing; self.state = state
        self.example = example; self.exampleWords = exampleWords
    }
}
