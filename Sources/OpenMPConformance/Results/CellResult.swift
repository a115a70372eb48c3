/// One matrix cell's result on one host: what was predicted, what happened, and the verdict.
public struct CellResult: Codable, Sendable, Hashable, Identifiable {
    /// Stable cell id, e.g. `linux-cpu-training/intel+llvm/unset/framework-first/load+init`.
    public var id: String
    /// Applicability-table row id (or claim id for claim-only cells).
    public var row: String
    /// Claim ids this cell is evidence for.
    package var claims: [String]
    package var profile: String
    /// Environment mode id (`unset`, `exported`, `set-after-loads`, ...).
    package var envMode: String
    /// Ordering id (`framework-first`, `index-first`, `interleaved`, ...).
    package var ordering: String
    /// What the doc's "import" is taken to mean for this cell: `load` or `load+init`.
    package var importMeaning: String
    package var tags: [String]
    /// `ran` or `skipped`.
    package var status: Status
    /// The observed outcome (nil when skipped).
    public var outcome: Outcome?
    /// The doc's prediction, as the set of outcomes it allows.
    package var allowed: [Outcome]
    /// The doc's prediction judged against the outcome.
    public var verdict: Verdict
    /// Why the cell was skipped, or what the verdict rests on.
    public var reason: String?
    /// For macOS rows on Linux: the Linux cell shown as evidence, labelled as an analogue.
    package var analogueOf: String?
    package var durationSeconds: Double
    /// The probe's message (``ProbeResult/Message/text``), or the reason a cell did not run.
    public var message: String
    /// A shell line that runs the same probe again, with the environment it had.
    public var repro: String
    /// The probe plan, in the plan language.
    package var plan: String
    /// Everything the probe observed (nil when skipped).
    public var probe: ProbeResult?
    /// Which runtime each role brings (`framework: intel`, `index: llvm14`); absent in schema 1 files.
    package var roleRuntimes: [String: String]?
    /// The cell in words, e.g. "LLVM 14 starts first, then LLVM 16; variable exported before start;
    /// both loaded first" (``CellWords``); absent in schema 1 files.
    package var words: String?
    /// Every run's outcome, in order, when a hang at exit was rerun to confirm it (``HangConfirmation``);
    /// absent otherwise. More than one distinct outcome: the cell is varying, reported "n of m".
    package var runs: [Outcome]?
    /// The platform of a cell that is not the host's: `windows-x86_64` for the Windows column
    /// (the real DLLs under Wine); absent for the host's own cells. Reports count each platform apart.
    package var platform: String?

    /// The distinct outcomes of ``runs`` when there are more than one: a varying cell.
    package var varying: Set<Outcome>? {
        guard let runs, Set(runs).count > 1 else { return nil }
        return Set(runs)
    }

    /// How the profile's two roles relate, from the cell's tags: `control` (one runtime file),
    /// `mixed` (one side is GNU libgomp) or `contending` (two KMP-family files); nil if not tagged.
    package var profileKind: String? {
        ["control", "mixed", "contending"].first { tags.contains($0) }
    }

    /// How the runtimes reached the process (from the cell's tags `stack`, `<shape>`);
    /// `own-handle` for a cell without them.
    package var stack: StackShape {
        guard tags.contains("stack") else { return .ownHandle }
        return tags.lazy.compactMap { StackShape(rawValue: $0) }.first ?? .ownHandle
    }

    /// Whether the cell ran here.
    package enum Status: String, Codable, Sendable { case ran, skipped }

    package init(id: String, row: String, claims: [String], profile: String, envMode: String, ordering: String,
                importMeaning: String, tags: [String], status: Status, outcome: Outcome?, allowed: [Outcome],
                verdict: Verdict, reason: String?, analogueOf: String? = nil, durationSeconds: Double,
                message: String, repro: String, plan: String, probe: ProbeResult?) {
        self.id = id; self.row = row; self.claims = claims; self.profile = profile; self.envMode = envMode
        self.ordering = ordering; self.importMeaning = importMeaning; self.tags = tags; self.status = status
        self.outcome = outcome; self.allowed = allowed; self.verdict = verdict; self.reason = reason
        self.analogueOf = analogueOf; self.durationSeconds = durationSeconds; self.message = message
        self.repro = repro; self.plan = plan; self.probe = probe
    }
}

/// A claim judged in its own terms (schema 2).
package enum ClaimState: String, Codable, Sendable, CaseIterable {
    case holds
    case doesNotHold = "does-not-hold"
    case holdsOnlyWhen = "holds-only-when"
    case untestable

    /// The state as a reader sees it.
    package var words: String {
        switch self {
        case .holds: "holds"
        case .doesNotHold: "does not hold"
        case .holdsOnlyWhen: "holds only when …"
        case .untestable: "untestable here"
        }
    }

    /// One line that defines the state (README, legends).
    package var definition: String {
        switch self {
        case .holds: "every cell that tests the claim here ended as the doc says."
        case .doesNotHold: "cells here ended otherwise than the doc says, and no condition the kit varied sets them apart."
        case .holdsOnlyWhen: "the claim is true under the named conditions (a load order, a pair, a reading of \"import\") and false outside them."
        case .untestable: "nothing on this host can test it; the reason is named."
        }
    }

    /// The cell-level verdict word that goes with it (kept for schema 1 readers and merges).
    package var verdict: Verdict {
        switch self {
        case .holds: .confirmed
        case .doesNotHold, .holdsOnlyWhen: .refuted
        case .untestable: .untestable
        }
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

/// A prediction checked against an observation.
public enum Verdict: String, Codable, Sendable, CaseIterable {
    /// The observed outcome is one the doc's prediction allows.
    case confirmed
    /// The observed outcome is not one the prediction allows.
    case refuted
    /// This host cannot run the cell (needs macOS, MPS, CUDA, or a runtime that is missing).
    case untestable
}

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
