/// The run as GitHub-flavoured Markdown, for reading in a terminal, a PR, or a job summary:
/// title (host key and date), host, summary counts, **unexpected (refuted) cells first**, the
/// applicability rows with their verdicts, the claims (verdict, counterexample, repro), and a
/// compact table of every cell.
///
/// Size: GitHub caps a job summary at 1 MiB, so the report stays within ``defaultByteBudget``
/// (plus the first 200 unexpected cells, which are never cut; each of their fields is capped).
/// When the budget runs out the full table is cut with a note saying how many cells are left out.
///
/// Every string taken from the results is stripped of terminal escapes and control characters,
/// put on one line, and Markdown-escaped (`|` included), or shown as a safely fenced code span.
public enum MarkdownReport {
    /// The size the report aims to stay under: 600 KB, well below GitHub's 1 MiB summary limit.
    public static let defaultByteBudget = 600_000
    /// Unexpected cells always listed, whatever the budget.
    public static let guaranteedUnexpected = 200

    /// Renders the report.
    /// - Parameters:
    ///   - results: The results file.
    ///   - byteBudget: Soft upper bound on the UTF-8 size; the full table (and unexpected cells
    ///     beyond the first ``guaranteedUnexpected``) are cut to respect it.
    public static func render(_ results: ResultsFile, byteBudget: Int = defaultByteBudget) -> String {
        let summary = ResultsSummary(results)
        var out = ""
        let date = ReportText.datePart(results.finishedAt ?? results.startedAt)
        out += "# OpenMP conformance: \(MarkdownText.text(results.host.key, limit: 120)) (\(MarkdownText.text(date, limit: 40)))\n\n"
        if results.partial {
            out += "> **Partial run**: it stopped before every selected cell ran; counts below cover only what ran.\n\n"
        }
        out += hostSection(results)
        out += summarySection(results, summary)

        // Unexpected cells first.
        let refuted = results.results.filter { $0.verdict == .refuted }
        out += "## Unexpected cells (\(refuted.count) refuted)\n\n"
        if refuted.isEmpty {
            out += "None: every cell that ran ended in an outcome its prediction allows.\n\n"
        }
        var tail = ""  // rows, claims: rendered first so the budget can account for them
        tail += rowsSection(summary)
        tail += claimsSection(results)
        var listed = 0
        for cell in refuted {
            let line = unexpectedItem(cell)
            if listed >= guaranteedUnexpected, out.utf8.count + tail.utf8.count + line.utf8.count > byteBudget / 2 {
                break
            }
            out += line
            listed += 1
        }
        if listed < refuted.count {
            out += "\n_… \(refuted.count - listed) more unexpected cells are not listed here to keep this report small; the JSON and HTML reports have every cell._\n"
        }
        if !refuted.isEmpty { out += "\n" }
        out += tail
        out += fullTable(results, budgetLeft: byteBudget - out.utf8.count)
        return out
    }

    static func hostSection(_ r: ResultsFile) -> String {
        let h = r.host
        var out = "## Host\n\n"
        out += "- OS: \(MarkdownText.text("\(h.os) \(h.osVersion)")) (\(MarkdownText.text(h.osID))), \(MarkdownText.text(h.arch)), kernel \(MarkdownText.text(h.kernel)), libc \(MarkdownText.text(h.libc))\n"
        out += "- CPU: \(MarkdownText.text(h.cpu)), \(h.cores) cores; OpenBLAS kernel \(MarkdownText.text(h.blas.corename)) (from \(MarkdownText.text(h.blas.source)))\n"
        out += "- Tool: \(MarkdownText.text(r.tool.name)) \(MarkdownText.text(r.tool.version)); started \(MarkdownText.text(r.startedAt))"
        if let f = r.finishedAt { out += ", finished \(MarkdownText.text(f))" }
        out += "; selection: \(MarkdownText.text(r.selection.joined(separator: ", ")))\n"
        if !r.environment.pinned.isEmpty {
            let pinned = r.environment.pinned.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            out += "- Pinned in every probe: \(MarkdownText.code(pinned, limit: 400))\n"
        }
        if !r.environment.scrubbed.isEmpty {
            out += "- Removed from the environment: \(MarkdownText.code(r.environment.scrubbed.joined(separator: " "), limit: 400))\n"
        }
        out += "\n"
        if !h.runtimes.isEmpty {
            out += MarkdownText.header(["Runtime", "Family", "Version", "Source", "Path", "sha256"])
            for rt in h.runtimes {
                out += MarkdownText.row([
                    MarkdownText.text(rt.name, limit: 60), MarkdownText.text(rt.family, limit: 20),
                    MarkdownText.text(rt.version, limit: 60), MarkdownText.text(rt.source, limit: 120),
                    MarkdownText.code(rt.path, limit: 200, inTable: true),
                    MarkdownText.code(String(rt.sha256.prefix(12)), limit: 12, inTable: true),
                ])
            }
            out += "\n"
        }
        return out
    }

    static func summarySection(_ r: ResultsFile, _ s: ResultsSummary) -> String {
        var out = "## Summary\n\n"
        out += MarkdownText.header(["", "Count"])
        out += MarkdownText.row(["Cells", "\(s.cells) (ran \(s.ran), skipped \(s.skipped))"])
        out += MarkdownText.row(["Verdicts", ReportText.verdictCounts(s.verdicts)])
        out += MarkdownText.row(["Outcomes", ReportText.outcomeCounts(s.outcomes)])
        out += MarkdownText.row(["Claims", "\(r.claims.count): " + ReportText.verdictCounts(s.claimVerdicts)])
        out += "\n"
        return out
    }

    static func unexpectedItem(_ cell: CellResult) -> String {
        let observed = cell.outcome?.rawValue ?? "no outcome"
        let allowed = cell.allowed.map(\.rawValue).joined(separator: ", ")
        var line = "- \(MarkdownText.code(cell.id, limit: 200)): **\(observed)**, allowed \(allowed.isEmpty ? "nothing" : allowed)"
        if !cell.message.isEmpty { line += ". \(MarkdownText.text(cell.message, limit: 300))" }
        if let reason = cell.reason, !reason.isEmpty { line += " (\(MarkdownText.text(reason, limit: 200)))" }
        line += "\n  - repro: \(MarkdownText.code(cell.repro, limit: 800))\n"
        return line
    }

    static func rowsSection(_ s: ResultsSummary) -> String {
        var out = "## Applicability rows\n\n"
        if s.rows.isEmpty { return out + "No cells.\n\n" }
        out += MarkdownText.header(["Row", "Verdict", "Cells", "Confirmed", "Refuted", "Untestable", "Outcomes"])
        for row in s.rows {
            out += MarkdownText.row([
                MarkdownText.text(row.id, limit: 120), "**\(row.verdict.rawValue)**",
                "\(row.cells) (ran \(row.ran))", "\(row.verdicts[.confirmed, default: 0])",
                "\(row.verdicts[.refuted, default: 0])", "\(row.verdicts[.untestable, default: 0])",
                ReportText.outcomeCounts(row.outcomes),
            ])
        }
        return out + "\n"
    }

    static func claimsSection(_ r: ResultsFile) -> String {
        var out = "## Claims\n\n"
        if r.claims.isEmpty { return out + "No claims were evaluated.\n\n" }
        out += MarkdownText.header(["Claim", "Verdict", "Statement", "Cells agree / disagree"])
        for c in r.claims {
            out += MarkdownText.row([
                MarkdownText.text(c.id, limit: 80), "**\(c.verdict.rawValue)**",
                MarkdownText.text(c.statement, limit: 300), "\(c.agreeing) / \(c.disagreeing)",
            ])
        }
        out += "\n"
        for c in r.claims {
            out += "### \(MarkdownText.text(c.id, limit: 80)): \(c.verdict.rawValue)\n\n"
            out += "\(MarkdownText.text(c.statement, limit: 600))\n\n"
            out += "- Source: \(MarkdownText.text(c.source, limit: 300))\n"
            out += "- Method: \(MarkdownText.text(c.method, limit: 600))\n"
            if !c.byProfile.isEmpty {
                let by = c.byProfile.sorted { $0.key < $1.key }.map { "\(MarkdownText.text($0.key, limit: 60)): \($0.value.rawValue)" }
                out += "- By profile: \(by.joined(separator: "; "))\n"
            }
            out += "- Cells: \(c.agreeing) agree, \(c.disagreeing) disagree\n"
            if let cx = c.counterexample {
                out += "- Counterexample: \(MarkdownText.code(cx, limit: 200))\n"
            }
            if let repro = c.counterexampleRepro {
                out += "- Repro: \(MarkdownText.code(repro, limit: 800))\n"
            }
            out += "\n"
        }
        return out
    }

    static func fullTable(_ r: ResultsFile, budgetLeft: Int) -> String {
        var out = "## All cells\n\n"
        if r.results.isEmpty { return out + "No cells.\n" }
        out += MarkdownText.header(["Cell", "Status", "Outcome", "Allowed", "Verdict", "Seconds"])
        var shown = 0
        for cell in r.results {
            let line = MarkdownText.row([
                MarkdownText.code(cell.id, limit: 160, inTable: true), cell.status.rawValue,
                cell.outcome?.rawValue ?? "-", cell.allowed.map(\.rawValue).joined(separator: ", "),
                cell.verdict == .refuted ? "**refuted**" : cell.verdict.rawValue,
                ReportText.seconds(cell.durationSeconds),
            ])
            if out.utf8.count + line.utf8.count + 200 > budgetLeft { break }
            out += line
            shown += 1
        }
        if shown < r.results.count {
            out += "\n_Table cut after \(shown) of \(r.results.count) cells to keep this report under its size limit; the JSON and HTML reports have every cell._\n"
        }
        return out
    }
}
