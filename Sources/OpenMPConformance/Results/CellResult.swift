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
