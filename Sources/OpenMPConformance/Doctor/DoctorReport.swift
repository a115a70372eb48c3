/// What `omp-matrix doctor` found, answer first. The same content goes to text, Markdown and JSON.
public struct DoctorReport: Sendable, Hashable, Codable {
    /// A fix, and whether it was verified on this machine.
    public struct Fix: Sendable, Hashable, Codable {
        public enum Kind: String, Sendable, Hashable, Codable { case link, preload, variable }
        public enum Status: String, Sendable, Hashable, Codable {
            /// Checked here: the fixed setup ran clean, both libraries' parallel work checked with 2 threads.
            case verified = "verified here"
            /// Not checked (`--no-fix-check`, or it could not be set up here); the reason says why.
            case notVerified = "not verified"
            /// Checked here and it did not work.
            case failed = "fails here"
            /// Does not apply to how this program reaches its runtimes (measured).
            case notApplicable = "not applicable"
        }
        public var kind: Kind
        public var status: Status
        /// What to do, in words.
        public var instruction: String
        /// The exact command or file change.
        public var command: String?
        /// What was observed, with the repro line of the check.
        public var evidence: String
        public init(kind: Kind, status: Status, instruction: String, command: String?, evidence: String) {
            self.kind = kind; self.status = status; self.instruction = instruction; self.command = command
            self.evidence = evidence
        }
    }

    /// One probe or run, in the outcome vocabulary.
    public struct Observation: Sendable, Hashable, Codable {
        /// e.g. `a first, variable unset`, `link fix: b -> a, b first`.
        public var label: String
        public var outcome: Outcome
        public var message: String
        public var repro: String
        public var durationSeconds: Double
        public init(label: String, outcome: Outcome, message: String, repro: String, durationSeconds: Double) {
            self.label = label; self.outcome = outcome; self.message = message; self.repro = repro
            self.durationSeconds = durationSeconds
        }
        init(label: String, _ r: ProbeResult) {
            self.init(label: label, outcome: r.outcome, message: r.message.text, repro: r.repro, durationSeconds: r.durationSeconds)
        }
    }

    /// Two runtimes that could meet in one process, and what was measured for them.
    public struct Pair: Sendable, Hashable, Codable {
        public var first: DoctorRuntime
        public var second: DoctorRuntime
        /// Two distinct KMP-family files: if both start, the second aborts.
        public var bothKMP: Bool
        /// An OpenMP conflict: an abort or exit hang observed, or two KMP runtimes that both start.
        public var conflict: Bool
        /// Yes when, without any fix, this pair aborts here without the variable.
        public var needsVariable: Bool
        /// In words, from the with-variable observations.
        public var variableSafety: String
        public var observations: [Observation]
        public var fixes: [Fix]
        /// Atlas cells for this pair or its releases.
        public var atlas: [String]
        public init(first: DoctorRuntime, second: DoctorRuntime, bothKMP: Bool, conflict: Bool, needsVariable: Bool,
                    variableSafety: String, observations: [Observation], fixes: [Fix], atlas: [String]) {
            self.first = first; self.second = second; self.bothKMP = bothKMP; self.conflict = conflict
            self.needsVariable = needsVariable; self.variableSafety = variableSafety
            self.observations = observations; self.fixes = fixes; self.atlas = atlas
        }
    }

    /// `paths`, `pid` or `command`.
    public var form: String
    /// The paths, the pid, or the command line.
    public var subject: [String]
    /// The plain-words answer, one sentence a line.
    public var answer: [String]
    /// True when an OpenMP conflict was seen or predicted (exit 1).
    public var conflict: Bool
    public var runtimes: [DoctorRuntime]
    public var pairs: [Pair]
    /// The user's command, once per run (command form).
    public var runs: [Observation]
    /// Files that look like libraries but could not be read (damaged, hostile): never loaded.
    public var unreadable: [ScanReport.Skipped]
    public var notes: [String]
    /// For the command form: the command failed for a reason other than OpenMP.
    public var commandFailed: Bool

    public init(form: String, subject: [String], answer: [String], conflict: Bool, runtimes: [DoctorRuntime],
                pairs: [Pair], runs: [Observation], unreadable: [ScanReport.Skipped], notes: [String], commandFailed: Bool) {
        self.form = form; self.subject = subject; self.answer = answer; self.conflict = conflict
        self.runtimes = runtimes; self.pairs = pairs; self.runs = runs; self.unreadable = unreadable
        self.notes = notes; self.commandFailed = commandFailed
    }

    /// The exit status: 1 on a conflict (or, with `strict`, a command that failed otherwise), else 0.
    public func exitStatus(strict: Bool) -> Int32 {
        if conflict { return 1 }
        if strict && commandFailed { return 1 }
        return 0
    }
}
