/// What ``Gate/compare(results:baseline:options:)`` found: every difference between a run and its
/// baseline, each marked as failing the gate or not, with the repro line when the cell ran.
package struct GateReport: Sendable, Hashable, Codable {
    /// Host key of the results.
    package var resultsHostKey: String
    /// Host key the baseline was written for.
    package var baselineHostKey: String
    package var options: Gate.Options
    /// Cells that ran and had an expectation.
    package var compared: Int
    /// Of those, how many ended in an allowed outcome.
    package var asExpected: Int
    /// Every finding, grouped by kind in ``Finding/Kind`` order, then in results order.
    package var findings: [Finding]

    package init(resultsHostKey: String, baselineHostKey: String, options: Gate.Options, compared: Int,
                asExpected: Int, findings: [Finding]) {
        self.resultsHostKey = resultsHostKey; self.baselineHostKey = baselineHostKey; self.options = options
        self.compared = compared; self.asExpected = asExpected; self.findings = findings
    }

    /// One difference between the run and the baseline.
    package struct Finding: Sendable, Hashable, Codable {
        /// The kinds of difference, in the order the text output lists them.
        package enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
            /// The results come from another host than the baseline's. Fails unless
            /// `Gate/Options/allowHostMismatch`.
            case hostMismatch = "host-mismatch"
            /// The run was interrupted (`partial: true`). Always fails: cells it never reached went unchecked.
            case partialRun = "partial-run"
            /// A runtime file differs from the one the baseline measured (other SHA-256; an atlas). Always fails.
            case runtimeChanged = "runtime-changed"
            /// The same cell id appears twice in the results. Always fails.
            case duplicateCell = "duplicate-cell"
            /// The cell ran and its outcome is not one the baseline allows, an unexpected pass
            /// included. Always fails.
            case unexpected
            /// In the baseline but absent from a full run (selection `all`): the matrix lost the
            /// cell or the run did. Fails; `update` drops it if the matrix really lost it.
            case missing
            /// In the baseline, absent from a run whose selection was filtered. Listed, not a failure.
            case notSelected = "not-selected"
            /// In the baseline, but skipped on this run (runtime missing, needs macOS, ...). Listed, not a failure.
            case skipped
            /// Ran, but the baseline has no entry. Fails only with `Gate/Options/strict`.
            case new
        }

        package var kind: Kind
        package var cellID: String?
        package var observed: Outcome?
        /// What the baseline allows (empty for new cells and run-level findings).
        package var allowed: [Outcome]
        /// The person's note from the baseline entry.
        package var note: String?
        /// One line on what happened.
        package var detail: String
        /// The shell line that reproduces the cell, when it ran.
        package var repro: String?
        package var isFailure: Bool

        package init(kind: Kind, cellID: String? = nil, observed: Outcome? = nil, allowed: [Outcome] = [],
                    note: String? = nil, detail: String, repro: String? = nil, isFailure: Bool) {
            self.kind = kind; self.cellID = cellID; self.observed = observed; self.allowed = allowed
            self.note = note; self.detail = detail; self.repro = repro; self.isFailure = isFailure
        }
    }

    /// True when no finding fails the gate.
    package var passed: Bool { !findings.contains { $0.isFailure } }

    /// The findings that fail the gate.
    package var failures: [Finding] { findings.filter(\.isFailure) }

    /// The findings of one kind.
    package func findings(_ kind: Finding.Kind) -> [Finding] { findings.filter { $0.kind == kind } }

    /// A plain-text report for a terminal: verdict line, counts, then each group of findings.
    /// Unexpected outcomes are listed in full (observed and allowed outcomes, message, note, repro
    /// line); the other groups one line per cell, at most `textListLimit` cells each. Strings
    /// from the files are stripped of terminal escapes and control characters.
    package var text: String {
        let clean = { (s: String) in ReportText.oneLine(s) }
        var out = ""
        let failures = self.failures
        if failures.isEmpty {
            out += "gate: PASSED"
        } else {
            var counts: [Finding.Kind: Int] = [:]
            for f in failures { counts[f.kind, default: 0] += 1 }
            let parts = Finding.Kind.allCases.compactMap { k in counts[k].map { "\($0) \(k.rawValue)" } }
            out += "gate: FAILED (\(parts.joined(separator: ", ")))"
        }
        out += "\n"
        out += "results host \(clean(resultsHostKey)), baseline host \(clean(baselineHostKey)); "
        out += "\(compared) cells compared, \(asExpected) as expected"
        if options.strict { out += "; strict: new cells fail" }
        out += "\n"

        let interrupted = findings.contains { $0.kind == .partialRun }
        let titles: [Finding.Kind: String] = [
            .hostMismatch: "HOST MISMATCH",
            .partialRun: "PARTIAL RUN",
            .runtimeChanged: "RUNTIME CHANGED (another file than the baseline measured)",
            .duplicateCell: "DUPLICATE CELLS IN RESULTS",
            .unexpected: "UNEXPECTED (outcome not allowed by the baseline)",
            .missing: interrupted
                ? "MISSING (in the baseline, not reached before the run was interrupted)"
                : "MISSING (in the baseline, not in this full run; `gate --update` drops cells the matrix no longer has)",
            .notSelected: "NOT SELECTED (in the baseline, outside this run's selection; not a failure)",
            .skipped: "SKIPPED (in the baseline, skipped on this run; not a failure)",
            .new: options.strict ? "NEW (ran, not in the baseline; fails because of --strict)"
                : "NEW (ran, not in the baseline; not a failure without --strict)",
        ]
        let allowedList = { (f: Finding) in f.allowed.map(\.rawValue).joined(separator: ", ") }
        for kind in Finding.Kind.allCases {
            let group = findings(kind)
            if group.isEmpty { continue }
            let mark = group.contains { $0.isFailure } ? "✗" : "·"
            out += "\n\(mark) \(titles[kind]!): \(group.count)\n"
            let shown = kind == .unexpected ? group : Array(group.prefix(GateReport.textListLimit))
            for f in shown {
                switch kind {
                case .unexpected:
                    out += "  \(clean(f.cellID ?? "?"))\n"
                    out += "    observed \(f.observed?.rawValue ?? "nothing"); allowed \(allowedList(f))\n"
                    if !f.detail.isEmpty { out += "    \(clean(f.detail))\n" }
                    if let note = f.note { out += "    note: \(clean(note))\n" }
                    if let repro = f.repro, !repro.isEmpty { out += "    repro: \(clean(repro))\n" }
                case .new:
                    out += "  \(clean(f.cellID ?? "?")): \(f.observed?.rawValue ?? "no outcome")\n"
                    if let repro = f.repro, !repro.isEmpty { out += "    repro: \(clean(repro))\n" }
                case .missing, .notSelected:
                    out += "  \(clean(f.cellID ?? "?")) (allowed \(allowedList(f)))\n"
                    if let note = f.note { out += "    note: \(clean(note))\n" }
                case .skipped:
                    out += "  \(clean(f.cellID ?? "?")): \(clean(f.detail))\n"
                case .duplicateCell:
                    out += "  \(clean(f.cellID ?? "?"))\n"
                case .hostMismatch, .partialRun, .runtimeChanged:
                    out += "  \(clean(f.detail))\n"
                }
            }
            if shown.count < group.count {
                out += "  … and \(group.count - shown.count) more (the JSON form of this report lists them all)\n"
            }
        }
        return out
    }

    /// Cells listed per group in ``text``, except unexpected outcomes, which are always all listed.
    package static let textListLimit = 50
}
