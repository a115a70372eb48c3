import Foundation

/// The run as GitHub-flavoured Markdown, for reading in a terminal, a PR, or a job summary:
/// title (host key and date); **the answer** (when the abort happens, what the variable does,
/// what to do instead, macOS); the claims table (the doc's words, state, finding); the cells
/// that ended otherwise than predicted, grouped by claim and collapsed in `<details>`; each
/// claim in detail (readings, cells shown apart, counterexample in words); host, counts, rows,
/// and a compact table of every cell.
///
/// Size: GitHub caps a job summary at 1 MiB, so the report stays within ``defaultByteBudget``
/// (plus the first 200 deviating cells, which are never cut; each of their fields is capped).
/// When the budget runs out the full table is cut with a note saying how many cells are left out.
///
/// Every string taken from the results is stripped of terminal escapes and control characters,
/// put on one line, cut at a word boundary, and Markdown-escaped (`|` included), or shown as a
/// safely fenced code span; `<summary>` text is HTML-escaped.
package enum MarkdownReport {
    /// The size the report aims to stay under: 600 KB, well below GitHub's 1 MiB summary limit.
    package static let defaultByteBudget = 600_000
    /// Unexpected cells always listed, whatever the budget.
    package static let guaranteedUnexpected = 200

    /// Renders the report.
    /// - Parameters:
    ///   - results: The results file.
    ///   - byteBudget: Soft upper bound on the UTF-8 size; the full table (and unexpected cells
    ///     beyond the first `guaranteedUnexpected`) are cut to respect it.
    package static func render(_ results: ResultsFile, byteBudget: Int = defaultByteBudget, atlas: AtlasEvidence? = nil) -> String {
        let summary = ResultsSummary(results)
        var out = ""
        let date = ReportText.datePart(results.finishedAt ?? results.startedAt)
        out += "# OpenMP conformance: \(MarkdownText.text(results.host.key, limit: 120)) (\(MarkdownText.text(date, limit: 40)))\n\n"
        if results.partial {
            out += "> **Partial run**: it stopped before every selected cell ran; counts below cover only what ran.\n\n"
        }
        // The host's sections over the host's cells only; the Windows column after them, apart.
        let host = results.hostPart
        out += answerSection(results.resolvedAnswer(atlas: atlas))
        out += claimsTable(host)
        out += deviating(host, budget: byteBudget / 2)
        out += claimsSection(host)
        out += hostSection(host)
        out += summarySection(host, summary)
        out += rowsSection(summary)
        out += stacksSection(host)
        out += windowsSection(results, budget: byteBudget / 6)
        out += fullTable(host, budgetLeft: byteBudget - out.utf8.count)
        return out
    }

    /// The Windows column under its platform's label: its claims, the cells that ended otherwise
    /// than predicted, its counts and rows, never added to the host's; or why it did not run.
    static func windowsSection(_ r: ResultsFile, budget: Int) -> String {
        guard let w = r.windows, let part = r.windowsPart else { return "" }
        let label = MarkdownText.text(w.platform.label, limit: 120)
        var out = "## \(label)\n\n"
        out += "Platform \(MarkdownText.code(w.platform.id, limit: 40)): the doc's rows and claims with the OpenMP DLLs that Windows wheels ship, run by the Windows probe under Wine; a claim id ending in `@windows` is a table row's Windows analogue. Counted apart: none of these cells is in the host's counts above.\n\n"
        if let why = w.skipped { out += "> **Not run here:** \(MarkdownText.text(why, limit: 600))\n\n" }
        let s = ResultsSummary(r, platform: w.platform.id)
        func sub(_ text: String) -> String { text.replacingOccurrences(of: "\n## ", with: "\n### ").replacingOccurrences(of: "## ", with: "### ", options: .anchored) }
        out += sub(claimsTable(part)).replacingOccurrences(
            of: "A claim id ending in `@linux` is the same test on Linux, standing in for the macOS row of that name.",
            with: "A claim id ending in `@windows` is the same test with the Windows DLLs under Wine, standing in for the row of that name.")
        out += sub(deviating(part, budget: budget))
        out += sub(summarySection(part, s))
        out += sub(rowsSection(s))
        return out
    }

    /// The answer: four parts, each a headline and its details.
    static func answerSection(_ a: Answer) -> String {
        var out = "## The answer on this host\n\n"
        for part in AnswerText.parts(a) {
            out += "**\(MarkdownText.text(part.heading, limit: 120))** \(MarkdownText.text(part.headline, limit: 2000))\n\n"
            for d in part.details { out += "- \(MarkdownText.text(d, limit: 1200))\n" }
            if !part.details.isEmpty { out += "\n" }
        }
        return out
    }

    /// One line per claim and row: the doc's words, the state, the finding.
    static func claimsTable(_ r: ResultsFile) -> String {
        var out = "## The doc's claims, judged\n\n"
        if r.claims.isEmpty { return out + "No claims were evaluated.\n\n" }
        out += "States: " + ClaimState.allCases.map { "**\($0.words)**: \(MarkdownText.text($0.definition, limit: 200))" }.joined(separator: " · ") + "\n\n"
        out += "A claim id ending in `@linux` is the same test on Linux, standing in for the macOS row of that name.\n\n"
        out += MarkdownText.header(["Claim", "The doc's words", "State", "Finding", "Counted: agree / disagree", "Not counted: controls with one runtime file, GNU pairs, troubleshooting runs"])
        for c in r.claims {
            let apart = (c.apart ?? []).map { "\($0.cells) \($0.kind)" }.joined(separator: ", ")
            out += MarkdownText.row([
                MarkdownText.code(c.id, limit: 80, inTable: true),
                "\u{201C}" + MarkdownText.text(c.quote ?? c.source, limit: 120) + "\u{201D}",
                "**\(MarkdownText.text(c.stateWords, limit: 300))**",
                MarkdownText.text(c.finding ?? c.statement, limit: 1200),
                "\(c.agreeing) / \(c.disagreeing)",
                apart.isEmpty ? "—" : MarkdownText.text(apart, limit: 120),
            ])
        }
        return out + "\n"
    }

    /// Refuted cells grouped by the claim or row they count for, each group collapsed.
    static func deviating(_ r: ResultsFile, budget: Int) -> String {
        let refuted = r.results.filter { $0.verdict == .refuted }
        var out = "## Cells that ended otherwise than the doc predicts (\(refuted.count))\n\n"
        if refuted.isEmpty { return out + "None: every cell that ran ended in an outcome its prediction allows.\n\n" }
        out += "\(MarkdownText.text(PortablePaths.howToRun, limit: 300))\n\n"
        let words = CellWords(runtimes: r.host.runtimes)
        var groups: [(String, [CellResult])] = []
        var index: [String: Int] = [:]
        for c in refuted {
            for key in [c.row] + c.claims.filter({ $0 != c.row }) {
                if index[key] == nil { index[key] = groups.count; groups.append((key, [])) }
                groups[index[key]!].1.append(c)
            }
        }
        let counted = Dictionary(r.claims.map { ($0.id, Set($0.evidence)) }, uniquingKeysWith: { a, _ in a })
        var listed = 0, size = 0
        for (key, all) in groups {
            // Cells the claim counts first; those it shows apart (controls, GNU-mixed, troubleshooting) after.
            let mine = counted[key] ?? Set(all.map(\.id))
            let countedCells = all.filter { mine.contains($0.id) }
            let cells = countedCells + all.filter { !mine.contains($0.id) }
            let apart = all.count - countedCells.count
            var block = "<details><summary>\(XMLText.text(ReportText.truncate(ReportText.oneLine(key), 120))): \(cells.count - apart) counted"
                + (apart > 0 ? ", \(apart) not counted (one runtime file, a GNU pair or a troubleshooting run)" : "") + "</summary>\n\n"
            var markedApart = false
            var added = 0
            for cell in cells {
                if !mine.contains(cell.id), !markedApart {
                    block += "\nNot counted for this claim (one runtime file, a GNU pair or a troubleshooting run):\n\n"
                    markedApart = true
                }
                let item = unexpectedItem(cell, words: words)
                if listed >= guaranteedUnexpected, size + block.utf8.count + item.utf8.count > budget { break }
                block += item
                listed += 1
                added += 1
            }
            if added == 0 { continue }
            block += "\n</details>\n\n"
            size += block.utf8.count
            out += block
        }
        let total = groups.reduce(0) { $0 + $1.1.count }
        if listed < total {
            out += "_… \(total - listed) more unexpected cells are not listed here to keep this report small; the JSON and HTML reports have every cell._\n\n"
        }
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

    static func unexpectedItem(_ cell: CellResult, words: CellWords) -> String {
        let observed = cell.outcome?.rawValue ?? "no outcome"
        let allowed = cell.allowed.map(\.rawValue).joined(separator: ", ")
        let label = cell.words ?? words.describe(cell)
        var line = "- \(MarkdownText.text(label, limit: 200)) (\(MarkdownText.code(cell.id, limit: 200))): **\(observed)**, allowed \(allowed.isEmpty ? "nothing" : allowed)"
        if !cell.message.isEmpty { line += ". \(MarkdownText.text(cell.message, limit: 300))" }
        if let reason = cell.reason, !reason.isEmpty { line += " (\(MarkdownText.text(reason, limit: 200)))" }
        if let ran = cell.probe.flatMap(WhatRanText.words) { line += "\n  - what ran: \(MarkdownText.text(ran, limit: 300))" }
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

    /// The stack-shape cells counted per shape, own-handle's counterparts first (``StackShapeCounts``).
    static func stacksSection(_ r: ResultsFile) -> String {
        let counts = StackShapeCounts(r.results)
        guard !counts.rows.isEmpty else { return "" }
        var out = "## Stack shapes: how the runtimes reach the process\n\n"
        out += MarkdownText.header(["Shape", "Cells ran", "Outcomes", "Skipped"])
        for row in counts.rows {
            out += MarkdownText.row([MarkdownText.code(row.shape.rawValue, inTable: true), "\(row.ran)",
                                     MarkdownText.text(row.outcomeWords, limit: 300), MarkdownText.text(row.skippedWords, limit: 300)])
        }
        return out + "\n"
    }

    static func claimsSection(_ r: ResultsFile) -> String {
        var out = "## Each claim in detail\n\n"
        if r.claims.isEmpty { return out + "No claims were evaluated.\n\n" }
        for c in r.claims {
            out += "### \(MarkdownText.text(c.id, limit: 80)): \(MarkdownText.text(c.stateWords, limit: 300))\n\n"
            if let f = c.finding { out += "\(MarkdownText.text(f, limit: 1200))\n\n" }
            out += "- The claim, in our words: \(MarkdownText.text(c.statement, limit: 600))\n"
            for reading in c.readings ?? [] {
                out += "- Reading \u{201C}\(MarkdownText.text(reading.reading, limit: 200))\u{201D}: \(reading.state.words), \(reading.agreeing) agree, \(reading.disagreeing) disagree"
                if let w = reading.exampleWords { out += "; e.g. \(MarkdownText.text(w, limit: 300))" }
                out += "\n"
            }
            for g in c.apart ?? [] {
                out += "- Not counted, \(MarkdownText.text(g.kind, limit: 40)): \(g.cells) test cases (\(MarkdownText.text(AnswerText.outcomes(g), limit: 200))); \(MarkdownText.text(g.why, limit: 200))\n"
            }
            if let w = c.counterexampleWords {
                out += "- Counterexample in words: \(MarkdownText.text(w, limit: 300))"
                if let why = c.counterexampleWhy { out += " (chosen as \(MarkdownText.text(why, limit: 200)))" }
                out += "\n"
            }
            out += "- Source: \(MarkdownText.text(c.source, limit: 300))\n"
            out += "- Method: \(MarkdownText.text(c.method, limit: 600))\n"
            if !c.byProfile.isEmpty {
                let by = c.byProfile.sorted { $0.key < $1.key }.map { "\(MarkdownText.text($0.key, limit: 60)): \($0.value.rawValue)" }
                out += "- By profile: \(by.joined(separator: "; "))\n"
            }
            out += "- Cells counted: \(c.agreeing) agree, \(c.disagreeing) disagree; cell verdict word: \(c.verdict.rawValue)\n"
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
        out += MarkdownText.header(["Cell", "Status", "Outcome", "Allowed", "Verdict", "What ran", "Seconds"])
        var shown = 0
        for cell in r.results {
            let line = MarkdownText.row([
                MarkdownText.code(cell.id, limit: 160, inTable: true), cell.status.rawValue,
                WhatRanText.outcome(cell), cell.allowed.map(\.rawValue).joined(separator: ", "),
                cell.verdict == .refuted ? "**refuted**" : cell.verdict.rawValue,
                MarkdownText.text(cell.probe.flatMap(WhatRanText.words) ?? "-", limit: 300),
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
