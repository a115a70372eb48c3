/// What `omp-matrix doctor` found, answer first. The same content goes to text, Markdown and JSON.
package struct DoctorReport: Sendable, Hashable, Codable {
    /// A fix, and whether it was verified on this machine.
    package struct Fix: Sendable, Hashable, Codable {
        package enum Kind: String, Sendable, Hashable, Codable { case link, preload, variable }
        package enum Status: String, Sendable, Hashable, Codable {
            /// Checked here: the fixed setup ran clean, both libraries' parallel work checked with 2 threads.
            case verified = "verified here"
            /// Not checked (`--no-fix-check`, or it could not be set up here); the reason says why.
            case notVerified = "not verified"
            /// Checked here and it did not work.
            case failed = "fails here"
            /// Does not apply to how this program reaches its runtimes (measured).
            case notApplicable = "not applicable"
        }
        package var kind: Kind
        package var status: Status
        /// What to do, in words.
        package var instruction: String
        /// The exact command or file change.
        package var command: String?
        /// What was observed, with the repro line of the check.
        package var evidence: String
        package init(kind: Kind, status: Status, instruction: String, command: String?, evidence: String) {
            self.kind = kind; self.status = status; self.instruction = instruction; self.command = command
            self.evidence = evidence
        }
    }

    /// One probe or run, in the outcome vocabulary.
    package struct Observation: Sendable, Hashable, Codable {
        /// e.g. `a first, variable unset`, `link fix: b -> a, b first`.
        package var label: String
        package var outcome: Outcome
        package var message: String
        package var repro: String
        package var durationSeconds: Double
        package init(label: String, outcome: Outcome, message: String, repro: String, durationSeconds: Double) {
            self.label = label; self.outcome = outcome; self.message = message; self.repro = repro
            self.durationSeconds = durationSeconds
        }
        init(label: String, _ r: ProbeResult) {
            self.init(label: label, outcome: r.outcome, message: r.message.text, repro: r.repro, durationSeconds: r.durationSeconds)
        }
    }

    /// Two runtimes that could meet in one process, and what was measured for them.
    package struct Pair: Sendable, Hashable, Codable {
        package var first: DoctorRuntime
        package var second: DoctorRuntime
        /// Two distinct KMP-family files: if both start, the second aborts.
        package var bothKMP: Bool
        /// An OpenMP conflict: an abort or exit hang observed, or two KMP runtimes that both start.
        package var conflict: Bool
        /// Yes when, without any fix, this pair aborts here without the variable.
        package var needsVariable: Bool
        /// In words, from the with-variable observations.
        package var variableSafety: String
        package var observations: [Observation]
        package var fixes: [Fix]
        /// Atlas cells for this pair or its releases.
        package var atlas: [String]
        package init(first: DoctorRuntime, second: DoctorRuntime, bothKMP: Bool, conflict: Bool, needsVariable: Bool,
                    variableSafety: String, observations: [Observation], fixes: [Fix], atlas: [String]) {
            self.first = first; self.second = second; self.bothKMP = bothKMP; self.conflict = conflict
            self.needsVariable = needsVariable; self.variableSafety = variableSafety
            self.observations = observations; self.fixes = fixes; self.atlas = atlas
        }
    }

    /// `paths`, `pid` or `command`.
    package var form: String
    /// The paths, the pid, or the command line.
    package var subject: [String]
    /// The plain-words answer, one sentence a line.
    package var answer: [String]
    /// True when an OpenMP conflict was seen or predicted (exit 1).
    package var conflict: Bool
    package var runtimes: [DoctorRuntime]
    package var pairs: [Pair]
    /// The user's command, once per run (command form).
    package var runs: [Observation]
    /// Files that look like libraries but could not be read (damaged, hostile): never loaded.
    package var unreadable: [ScanReport.Skipped]
    package var notes: [String]
    /// For the command form: the command failed for a reason other than OpenMP.
    package var commandFailed: Bool
    /// Why the answer is not whole (interrupted; a probe that could not launch: "not probed: …"; a
    /// file that could be an OpenMP runtime could not be read), or nil. An incomplete answer gives
    /// only what the finished runs and the files read showed, and exit 4.
    package var incomplete: String?

    package init(form: String, subject: [String], answer: [String], conflict: Bool, runtimes: [DoctorRuntime],
                pairs: [Pair], runs: [Observation], unreadable: [ScanReport.Skipped], notes: [String], commandFailed: Bool,
                incomplete: String? = nil) {
        self.form = form; self.subject = subject; self.answer = answer; self.conflict = conflict
        self.runtimes = runtimes; self.pairs = pairs; self.runs = runs; self.unreadable = unreadable
        self.notes = notes; self.commandFailed = commandFailed; self.incomplete = incomplete
    }

    /// The exit status: 4 when the answer is incomplete; 1 on a conflict (or, with `strict`, a
    /// command that failed otherwise); else 0.
    package func exitStatus(strict: Bool) -> Int32 {
        if incomplete != nil { return 4 }
        if conflict { return 1 }
        if strict && commandFailed { return 1 }
        return 0
    }
}
