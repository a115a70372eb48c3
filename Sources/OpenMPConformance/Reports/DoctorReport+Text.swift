extension DoctorReport {
    /// For a terminal: the answer first, then the details. Untrusted strings (paths, messages,
    /// command lines) have their control characters stripped.
    package var text: String {
        var lines: [String] = []
        let clean = TerminalText.field
        lines.append("omp-matrix doctor \(form == "paths" ? "" : form + " ")\(clean(subject.joined(separator: " ")))")
        lines.append("")
        if let why = incomplete {
            lines.append("Answer (incomplete, \(clean(why))): " + (conflict ? "OpenMP conflict." : "no verdict beyond the runs that finished."))
        } else {
            lines.append(conflict ? "Answer: OpenMP conflict." : "Answer: no conflict.")
        }
        for a in answer { lines.append("  " + clean(a)) }
        lines.append("")
        lines.append("Details")
        lines.append("  Runtimes (\(runtimes.count)):")
        for r in runtimes {
            lines.append("    \(r.family.rawValue)  \(clean(r.release))  \(clean(r.path))  [\(clean(r.foundBy))]")
            lines.append("        sha256 \(r.sha256)" + (r.soname.map { "  soname \(clean($0))" } ?? ""))
        }
        if !runs.isEmpty {
            lines.append("  Runs of the command:")
            for o in runs { lines.append(contentsOf: observationLines(o, indent: "    ")) }
        }
        for p in pairs {
            lines.append("  Pair: a = \(clean(p.first.path)), b = \(clean(p.second.path))")
            if form != "command" {
                for o in p.observations { lines.append(contentsOf: observationLines(o, indent: "    ")) }
            }
            for f in p.fixes {
                lines.append("    fix \(f.kind.rawValue) [\(f.status.rawValue)]: \(clean(f.instruction))")
                if let c = f.command { lines.append("        \(clean(c))") }
                lines.append("        evidence: \(clean(f.evidence))")
            }
            for c in p.atlas { lines.append("    \(clean(c))") }
        }
        if !unreadable.isEmpty {
            lines.append("  Unreadable (never loaded):")
            for u in unreadable { lines.append("    \(clean(u.path)): \(clean(u.reason))") }
        }
        for n in notes { lines.append("  Note: \(clean(n))") }
        return lines.joined(separator: "\n")
    }

    private func observationLines(_ o: Observation, indent: String) -> [String] {
        let clean = TerminalText.field
        return ["\(indent)\(clean(o.label)): \(o.outcome.rawValue) (\(ReportText.seconds(o.durationSeconds))) — \(ReportText.oneLine(o.message))",
                "\(indent)    repro: \(clean(o.repro))"]
    }

    /// Markdown: the same content, answer first. Every string goes through ``MarkdownText``
    /// (text, or a code span), as in the matrix reports.
    package var markdown: String {
        var md: [String] = []
        let cell = { (s: String) in MarkdownText.text(s, limit: 4000) }
        let code = { (s: String) in MarkdownText.code(s, limit: 4000, inTable: true) }
        md.append("# omp-matrix doctor: \(conflict ? "OpenMP conflict" : incomplete == nil ? "no conflict" : "no verdict")"
                  + (incomplete.map { " (incomplete, \(cell($0)))" } ?? ""))
        md.append("")
        md.append("\(code(subject.joined(separator: " "))) (\(form))")
        md.append("")
        md.append("## Answer")
        md.append("")
        for a in answer { md.append("- " + cell(a)) }
        md.append("")
        md.append("## Runtimes")
        md.append("")
        md.append("| family | release | path | found by |")
        md.append("|---|---|---|---|")
        for r in runtimes { md.append("| \(r.family.rawValue) | \(cell(r.release)) | \(code(r.path)) | \(cell(r.foundBy)) |") }
        let all = runs + pairs.flatMap { form == "command" ? [] : $0.observations }
        if !all.isEmpty {
            md.append("")
            md.append("## Observations")
            md.append("")
            md.append("| run | outcome | message | repro |")
            md.append("|---|---|---|---|")
            for o in all { md.append("| \(cell(o.label)) | `\(o.outcome.rawValue)` | \(cell(o.message)) | \(code(o.repro)) |") }
        }
        let fixes = pairs.flatMap(\.fixes)
        if !fixes.isEmpty {
            md.append("")
            md.append("## Fixes")
            md.append("")
            md.append("| fix | status | what to do | evidence |")
            md.append("|---|---|---|---|")
            for f in fixes {
                md.append("| \(f.kind.rawValue) | **\(f.status.rawValue)** | \(cell(f.instruction))\(f.command.map { " " + code($0) } ?? "") | \(cell(f.evidence)) |")
            }
        }
        if !unreadable.isEmpty || !notes.isEmpty {
            md.append("")
            md.append("## Notes")
            md.append("")
            for u in unreadable { md.append("- unreadable, never loaded: \(code(u.path)): \(cell(u.reason))") }
            for n in notes { md.append("- " + cell(n)) }
        }
        return md.joined(separator: "\n") + "\n"
    }
}
