/// A ``MergedMatrix`` as Markdown: the hosts, the claims per host, the cells whose outcome
/// differs between hosts, then every cell with one column per host. Stays under
/// ``MarkdownReport/defaultByteBudget`` by cutting the full table (with a note). Strings are
/// escaped as in ``MarkdownReport``.
package enum MergedMarkdownReport {
    /// Renders the merged matrix.
    package static func render(_ merged: MergedMatrix, byteBudget: Int = MarkdownReport.defaultByteBudget) -> String {
        let keys = merged.hostKeys
        var out = "# OpenMP conformance across \(keys.count) host\(keys.count == 1 ? "" : "s")\n\n"

        out += "## Hosts\n\n"
        out += MarkdownText.header(["Host", "OS", "Arch", "libc", "Runtimes", "Cells", "Refuted", "Run"])
        for host in merged.hosts {
            let entries = merged.cells.compactMap { $0.byHost[host.key] }
            let ran = entries.filter { $0.status == .ran }.count
            let refuted = entries.filter { $0.verdict == .refuted }.count
            let runtimes = host.info.runtimes.map { "\($0.name) \($0.version)" }.joined(separator: ", ")
            var run = ReportText.datePart(host.finishedAt ?? host.startedAt)
            if host.partial { run += " (partial)" }
            out += MarkdownText.row([
                MarkdownText.text(host.key, limit: 80),
                MarkdownText.text("\(host.info.os) \(host.info.osVersion)", limit: 80),
                MarkdownText.text(host.info.arch, limit: 30), MarkdownText.text(host.info.libc, limit: 40),
                MarkdownText.text(runtimes.isEmpty ? "none" : runtimes, limit: 200),
                "\(entries.count) (ran \(ran))", "\(refuted)", MarkdownText.text(run, limit: 60),
            ])
        }
        out += "\n"

        out += "## Claims\n\n"
        if merged.claims.isEmpty {
            out += "No claims were evaluated.\n\n"
        } else {
            out += MarkdownText.header(["Claim", "Overall"] + keys.map { MarkdownText.text($0, limit: 60) })
            for claim in merged.claims {
                let perHost = keys.map { key -> String in
                    guard let v = claim.byHost[key] else { return "—" }
                    return v == .refuted ? "**refuted**" : v.rawValue
                }
                out += MarkdownText.row([MarkdownText.text(claim.id, limit: 80) + ": " + MarkdownText.text(claim.statement, limit: 200),
                                         "**\(claim.verdict.rawValue)**"] + perHost)
            }
            out += "\n"
        }

        let differing = merged.cells.filter(\.outcomesDiffer)
        out += "## Cells whose outcome differs between hosts (\(differing.count))\n\n"
        if differing.isEmpty {
            out += "None: every cell that ran on more than one host ended the same way everywhere.\n\n"
        } else {
            out += MarkdownText.header(["Cell"] + keys.map { MarkdownText.text($0, limit: 60) })
            var shown = 0
            for cell in differing {
                let line = row(cell, keys)
                if shown >= 200, out.utf8.count + line.utf8.count > byteBudget / 2 { break }
                out += line
                shown += 1
            }
            if shown < differing.count {
                out += "\n_… \(differing.count - shown) more differing cells not shown; the merged JSON has them all._\n"
            }
            out += "\n"
        }

        out += "## All cells\n\n"
        out += "Each entry is the outcome, with ✗ when the host's verdict is refuted and (untestable) when it is untestable; — means the host has no such cell.\n\n"
        out += MarkdownText.header(["Cell"] + keys.map { MarkdownText.text($0, limit: 60) })
        var shown = 0
        for cell in merged.cells {
            let line = row(cell, keys)
            if out.utf8.count + line.utf8.count + 200 > byteBudget { break }
            out += line
            shown += 1
        }
        if shown < merged.cells.count {
            out += "\n_Table cut after \(shown) of \(merged.cells.count) cells to keep this report under its size limit; the merged JSON has every cell._\n"
        }
        return out
    }

    static func row(_ cell: MergedMatrix.Cell, _ keys: [String]) -> String {
        let entries = keys.map { key -> String in
            guard let e = cell.byHost[key] else { return "—" }
            if e.status == .skipped { return "skipped" }
            var s = e.outcome?.rawValue ?? "no outcome"
            switch e.verdict {
            case .refuted: s = "**\(s) ✗**"
            case .untestable: s += " (untestable)"
            case .confirmed: break
            }
            return s
        }
        return MarkdownText.row([MarkdownText.code(cell.id, limit: 160, inTable: true)] + entries)
    }
}
