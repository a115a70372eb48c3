/// One matrix cell's result on one host: what was predicted, what happened, and the verdict.
public struct CellResult: Codable, Sendable, Hashable, Identifiable {
    /// Stable cell id, e.g. `linux-cpu-training/intel+llvm/unset/framework-first/load+init`.
    public var id: String
    /// Applicability-table row id (or claim id for claim-only cells).
    public var row: String
    /// Claim ids this cell is evidence for.
    public var claims: [String]
    public var profile: String
    /// Environment mode id (`unset`, `exported`, `set-after-loads`, ...).
    public var envMode: String
    /// Ordering id (`framework-first`, `index-first`, `interleaved`, ...).
    public var ordering: String
    /// What the doc's "import" is taken to mean for this cell: `load` or `load+init`.
    public var importMeaning: String
    public var tags: [String]
    /// `ran` or `skipped`.
    public var status: Status
    /// The observed outcome (nil when skipped).
    public var outcome: Outcome?
    /// The doc's prediction, as the set of outcomes it allows.
    public var allowed: [Outcome]
    public var verdict: Verdict
    /// Why the cell was skipped, or what the verdict rests on.
    public var reason: String?
    /// For macOS rows on Linux: the Linux cell shown as evidence, labelled as an analogue.
    public var analogueOf: String?
    public var durationSeconds: Double
    public var message: String
    public var repro: String
    /// The probe plan, in the plan language.
    public var plan: String
    public var probe: ProbeResult?

    public enum Status: String, Codable, Sendable { case ran, skipped }

    public init(id: String, row: String, claims: [String], profile: String, envMode: String, ordering: String,
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
public struct ClaimVerdict: Codable, Sendable, Hashable, Identifiable {
    public var id: String
    /// The claim in our words.
    public var statement: String
    /// The doc's section and the few words that identify the claim.
    public var source: String
    /// Per profile (or `all`), the verdict.
    public var byProfile: [String: Verdict]
    public var verdict: Verdict
    /// How the claim is tested here, or why it cannot be.
    public var method: String
    /// When refuted: one counterexample cell of the fewest steps.
    public var counterexample: String?
    public var counterexampleRepro: String?
    /// How many testable cells agreed and disagreed.
    public var agreeing: Int
    public var disagreeing: Int
    public var evidence: [String]

    public init(id: String, statement: String, source: String, byProfile: [String: Verdict], verdict: Verdict,
                method: String, counterexample: String?, counterexampleRepro: String?, agreeing: Int,
                disagreeing: Int, evidence: [String]) {
        self.id = id; self.statement = statement; self.source = source; self.byProfile = byProfile
        self.verdict = verdict; self.method = method; self.counterexample = counterexample
        self.counterexampleRepro = counterexampleRepro; self.agreeing = agreeing; self.disagreeing = disagreeing
        self.evidence = evidence
    }
}
