/// The atlas as GitHub Markdown, for a PR comment or `$GITHUB_STEP_SUMMARY`: the grid with
/// footnotes, the pairing sentences, stand-ins, what was not provisioned; with `repros`, a
/// collapsed list of every cell's repro lines.
package enum AtlasMarkdownReport {
    package static func render(_ atlas: AtlasResults, repros: Bool = true) -> String {
        let t = { MarkdownText.text($0, limit: 400) }
        var out = "## OpenMP runtime atlas: \(MarkdownText.code(atlas.host.key))\n\n"
        if let p = atlas.platform { out += "**Platform:** \(MarkdownText.code(p.id)), \(t(p.label)).\n\n" }
        if atlas.partial { out += "**Partial:** interrupted before every cell ran.\n\n" }
        out += grid(atlas)
        out += concurrencySection(atlas, t)
        out += shapesSection(atlas, t)
        return out + (repros ? reproSection(atlas, t) : "")
    }

    /// The stack shapes: outcome and how many runtimes ran, per sampled pair.
    static func shapesSection(_ atlas: AtlasResults, _ t: (String) -> String) -> String {
        guard let cells = atlas.shapes, !cells.isEmpty else { return "" }
        var out = "\n### How the runtimes reach the process (stack shapes, no variable)\n\n"
        for shape in StackShape.allCases { out += "- `\(shape.rawValue)`: \(t(shape.meaning)).\n" }
        out += "\n" + MarkdownText.header(["Pair"] + StackShape.allCases.map(\.rawValue))
        var pairs: [(String, String)] = []
        for c in cells where !pairs.contains(where: { $0 == (c.first, c.second) }) { pairs.append((c.first, c.second)) }
        for (f, s) in pairs {
            let row = StackShape.allCases.map { shape in
                cells.first { $0.shape == shape && $0.first == f && $0.second == s }.map { t($0.words) } ?? "-"
            }
            out += MarkdownText.row([MarkdownText.code("\(f)>\(s)", inTable: true)] + row)
        }
        return out
    }

    /// The concurrent and nested cells: outcomes counted over their runs ("n of 10"), and what ran.
    static func concurrencySection(_ atlas: AtlasResults, _ t: (String) -> String) -> String {
        guard let cells = atlas.concurrency, !cells.isEmpty else { return "" }
        var out = "\n### Used at the same time\n\n"
        for kind in AtlasConcurrencyCell.Kind.allCases where cells.contains(where: { $0.kind == kind }) {
            out += "- `\(kind.rawValue)`: \(t(kind.meaning)), \(kind.runs) run\(kind.runs == 1 ? "" : "s") each.\n"
        }
        out += "\n" + MarkdownText.header(["Cell", "Outcomes", "What ran (first run)"])
        for c in cells {
            out += MarkdownText.row([MarkdownText.code("\(c.kind.rawValue) \(c.first)>\(c.second)", inTable: true),
                                     t(c.outcomeWords), t(c.ran?.words ?? "not observed")])
        }
        return out
    }

    /// The grid, its footnotes and the sentences, without a heading (also the README section).
    package static func grid(_ atlas: AtlasResults) -> String {
        let t = { MarkdownText.text($0, limit: 2000) }
        let grid = AtlasGrid(atlas)
        var out = "Rows: the runtime started first. Columns: the runtime started second. "
            + "Each cell: the outcome without `KMP_DUPLICATE_LIB_OK`, then with it exported before start "
            + "(load order = start order). A footnote marks a pair whose outcome changes when the second runtime "
            + "is loaded first. A pass says how many runtimes ran, observed from each runtime's checked parallel region: "
            + "\"two runtimes undetected\" (both started without the variable and neither stopped with Error #15: the pair "
            + "does not detect each other), \"two runtimes\" (both started, the variable set or two families) or \"one runtime\". "
            + "Measured \(t(atlas.startedAt)), 2 threads per region, "
            + "training in the first runtime and a flat-IP index in the second, both checked.\n\n"
        out += MarkdownText.header(["started first ↓ · second →"] + grid.axes.map { t($0.label) })
        for (i, axis) in grid.axes.enumerated() {
            var cells = ["**\(t(axis.label))**"]
            for e in grid.rows[i] {
                var s = t(e.text)
                if let f = e.footnote { s += " [\(f)]" }
                cells.append(s)
            }
            out += MarkdownText.row(cells)
        }
        out += "\n"
        for (i, f) in grid.footnotes.enumerated() { out += "\(i + 1)\\. \(t(f))  \n" }
        if !grid.footnotes.isEmpty { out += "\n" }
        for p in atlas.pairings { out += "- \(t(p.sentence))\n" }
        out += "\n"
        let copies = atlas.runtimes.compactMap { r in r.copy.map { "\(t(r.label)) with \(MarkdownText.code($0.name)) (a second file)" } }
        let controls = atlas.cells.filter { $0.diagonal == .control }.map { t(atlas.runtime(named: $0.first)?.label ?? $0.first) }
        if !copies.isEmpty { out += "Diagonal: " + AtlasWords.list(copies) + (copies.count == 1 ? " is a copy pair" : " are copy pairs") + ". " }
        if !controls.isEmpty { out += "A control (one file loaded twice, one runtime) for " + AtlasWords.list(controls) + "." }
        out += "\n\n"
        for s in atlas.standIns {
            out += "- macOS: \(MarkdownText.code(s.member)) of \(t(s.wheelName)) (\(t(s.runtimeLabel))) → "
                + "\(s.standIn.map { MarkdownText.code($0) } ?? "none"), \(t(s.note)).\n"
        }
        for s in AtlasStandIn.sentences(atlas) { out += "- \(t(s))\n" }
        for r in atlas.notProvisioned { out += "- \(MarkdownText.code(r.name)): not provisioned: \(t(r.notProvisioned ?? ""))\n" }
        let sources = atlas.runtimes.compactMap { r -> String? in
            guard let id = r.identity else { return nil }
            return "\(MarkdownText.code(r.name)) \(t(id.label)) (release from \(t(r.releaseSource ?? "banner")), \(t(r.source ?? "")))"
        }
        out += "\nRuntimes: " + sources.joined(separator: "; ") + ".\n"
        return out
    }

    static func reproSection(_ atlas: AtlasResults, _ t: (String) -> String) -> String {
        var out = "\n<details><summary>Repro lines, every cell and variant</summary>\n\n"
        for c in atlas.cells where c.notRun == nil {
            for o in c.observations {
                let ran = o.whatRan.map { " (" + MarkdownText.text($0.words) + ")" } ?? ""
                out += "- \(MarkdownText.code(c.id)) \(o.variant.rawValue), \(t(AtlasWords.observation(o)))\(ran): \(MarkdownText.code(o.repro, limit: 2000))\n"
            }
        }
        for c in atlas.shapes ?? [] where c.outcome != nil {
            out += "- \(MarkdownText.code(c.id)), \(t(c.words)): \(MarkdownText.code(c.repro, limit: 2000))\n"
        }
        for c in atlas.concurrency ?? [] {
            out += "- \(MarkdownText.code(c.id)), \(t(c.outcomeWords)): \(MarkdownText.code(c.repro, limit: 2000))\n"
        }
        return out + "\n</details>\n"
    }
}
