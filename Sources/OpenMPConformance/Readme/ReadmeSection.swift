import Foundation

/// The README's generated results section, rendered from a compact snapshot of a real run
/// (`Matrices/baselines/<host key>.verdicts.json`), so the README never states a result by hand.
package enum ReadmeSection {
    package static let begin = "<!-- BEGIN GENERATED: matrix-results (Scripts/update-readme.sh rewrites this section; a test fails when it is stale) -->"
    package static let end = "<!-- END GENERATED: matrix-results -->"

    /// What the section is made from.
    package struct Snapshot: Codable, Sendable, Hashable {
        package var hostKey: String
        package var os: String
        package var kernel: String
        package var blas: String
        package var runtimes: [String]
        package var startedAt: String
        package var cells: Int
        package var ran: Int
        package var skipped: Int
        package var outcomes: [String: Int]
        package var verdicts: [String: Int]
        package var claims: [ClaimVerdict]
        /// The answer section (absent in snapshots written before it existed).
        package var answer: Answer?
        /// The Windows column's counts, apart from the host's (absent when the run had none).
        package var windows: Counts?

        /// One platform's cell counts.
        package struct Counts: Codable, Sendable, Hashable {
            package var label: String
            package var cells: Int
            package var ran: Int
            package var skipped: Int
            package var outcomes: [String: Int]
            package var verdicts: [String: Int]

            /// The counts the reports show (``ResultsSummary``), keyed by the outcomes' and verdicts' names.
            init(label: String, _ summary: ResultsSummary) {
                self.label = label
                cells = summary.cells; ran = summary.ran; skipped = summary.skipped
                outcomes = Dictionary(uniqueKeysWithValues: summary.outcomes.map { ($0.key.rawValue, $0.value) })
                verdicts = Dictionary(uniqueKeysWithValues: summary.verdicts.map { ($0.key.rawValue, $0.value) })
            }
        }

        package init(_ r: ResultsFile) {
            hostKey = r.host.key; os = r.host.os; kernel = r.host.kernel
            blas = "\(r.host.blas.corename) (\(r.host.blas.source))"
            runtimes = r.host.runtimes.map { "\($0.name) \($0.family) \($0.version) [\($0.source)]" }
            startedAt = r.startedAt
            // The host's counts over the host's cells; the Windows column's apart, never added in.
            let host = Counts(label: "", ResultsSummary(r))
            cells = host.cells; ran = host.ran; skipped = host.skipped
            outcomes = host.outcomes; verdicts = host.verdicts
            if let w = r.windows { windows = Counts(label: w.platform.label, ResultsSummary(r, platform: WineTools.platform)) }
            claims = r.claims.map { var c = $0; c.evidence = Array(c.evidence.prefix(3)); return c }
            answer = r.resolvedAnswer()
        }
    }

    package static func render(_ s: Snapshot) -> String {
        let md = { (t: String) in MarkdownText.text(t, limit: 2000) }
        var out: [String] = []
        if let a = s.answer {
            out.append("### The answer on \(MarkdownText.code(s.hostKey, limit: 80))")
            out.append("")
            for part in AnswerText.parts(a) {
                out.append("**\(md(part.heading))** \(md(part.headline))")
                out.append("")
                if !part.details.isEmpty {
                    out += part.details.map { "- \(md($0))" }
                    out.append("")
                }
            }
        }
        out.append("### The doc's claims, judged here")
        out.append("")
        out.append("Each claim is stated in our words in [`Matrices/claims.yaml`](Matrices/claims.yaml) (the table's rows in "
                   + "[`Matrices/applicability.yaml`](Matrices/applicability.yaml)); the state, its conditions and the counts are computed from the run. States:")
        out.append("")
        for st in ClaimState.allCases { out.append("- **\(st.words)**: \(md(st.definition))") }
        out.append("")
        out.append("| claim | the doc's words | state | finding | counted: agree / disagree |")
        out.append("|---|---|---|---|---|")
        for c in s.claims {
            out.append("| \(MarkdownText.code(c.id, limit: 80, inTable: true)) | \u{201C}\(MarkdownText.text(c.quote ?? c.source, limit: 120))\u{201D} | **\(MarkdownText.text(c.state?.words ?? c.verdict.rawValue, limit: 40))** | \(MarkdownText.text(c.finding ?? c.statement, limit: 1200)) | \(c.agreeing) / \(c.disagreeing) |")
        }
        out.append("")
        out.append("Measured \(md(s.startedAt)) on \(MarkdownText.code(s.hostKey, limit: 80)) (\(md(s.os)), kernel \(md(s.kernel))), OpenBLAS kernel \(md(s.blas)).")
        out.append("Runtimes: " + s.runtimes.map { MarkdownText.code($0, limit: 200) }.joined(separator: ", ") + ".")
        func counts(_ cells: Int, _ ran: Int, _ skipped: Int, _ outcomes: [String: Int], _ verdicts: [String: Int]) -> String {
            "\(cells) cells: \(ran) ran, \(skipped) untestable here. Outcomes: "
                + Outcome.allCases.compactMap { o in outcomes[o.rawValue].map { "\($0) `\(o.rawValue)`" } }.joined(separator: ", ")
                + ". Cell verdicts on the doc's predictions: "
                + Verdict.allCases.map { "\(verdicts[$0.rawValue] ?? 0) \($0.rawValue)" }.joined(separator: ", ") + "."
        }
        out.append(counts(s.cells, s.ran, s.skipped, s.outcomes, s.verdicts))
        if let w = s.windows {
            out.append("\(md(w.label)), counted apart: " + counts(w.cells, w.ran, w.skipped, w.outcomes, w.verdicts))
        }
        return out.joined(separator: "\n")
    }

    /// `readme` with the text between the markers replaced.
    package static func splice(_ section: String, into readme: String) throws -> String {
        try splice(section, into: readme, begin: begin, end: end, missing: "the generated-section markers are missing")
    }

    /// The text currently between the markers.
    package static func current(in readme: String) -> String? {
        current(in: readme, begin: begin, end: end)
    }

    /// `readme` with the text between the `begin` marker and the next `end` marker replaced
    /// (every generated section of the README is rewritten so).
    /// - Throws: ``InputError`` saying `missing` when either marker is absent.
    static func splice(_ section: String, into readme: String, begin: String, end: String, missing: String) throws -> String {
        guard let inside = between(begin, end, in: readme) else {
            throw InputError(file: "README.md", line: 1, column: 1, message: missing)
        }
        return String(readme[..<inside.lowerBound]) + "\n" + section + "\n" + String(readme[inside.upperBound...])
    }

    /// The text between the `begin` marker and the next `end` marker, or nil.
    static func current(in readme: String, begin: String, end: String) -> String? {
        between(begin, end, in: readme).map { readme[$0].trimmingCharacters(in: .newlines) }
    }

    private static func between(_ begin: String, _ end: String, in readme: String) -> Range<String.Index>? {
        guard let b = readme.range(of: begin), let e = readme.range(of: end, range: b.upperBound..<readme.endIndex) else { return nil }
        return b.upperBound..<e.lowerBound
    }
}
