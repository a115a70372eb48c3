/// The terminal summary: the grid in short codes (it must fit a terminal), the pairing
/// sentences, footnotes, stand-ins, what was not provisioned, and the run's figures.
package enum AtlasSummaryReport {
    /// Short codes for terminal cells.
    package static func code(_ o: AtlasObservation?) -> String {
        guard let o else { return "-" }
        guard let single = o.outcome else { return "~" }
        return single == .pass ? "R" + (o.ran?.code ?? "") : code(single)
    }

    /// The letter of one outcome.
    package static func code(_ single: Outcome) -> String {
        switch single {
        case .pass: return "R"
        case .duplicateRuntimeAbort: return "A"
        case .hangAtExit: return "X"
        case .hang: return "H"
        case .runtimeError: return "E"
        case .wrongResult: return "W"
        case .crash: return "C"
        case .exitNonzero: return "N"
        case .launchFailed: return "L"
        }
    }

    package static func render(_ atlas: AtlasResults) -> String {
        let grid = AtlasGrid(atlas)
        // Every string from the atlas file (host key, labels, releases, names, notes) is escaped for
        // the terminal here, where it is rendered.
        let f = TerminalText.field
        var out: [String] = []
        out.append("Atlas on \(f(atlas.host.key))\(atlas.platform.map { " for \($0.id) (\($0.label))" } ?? "")"
                   + "\(atlas.partial ? " (PARTIAL: interrupted)" : ""): \(atlas.runtimes.count) runtimes, "
                   + "\(atlas.cells.filter { $0.notRun == nil }.count) of \(atlas.cells.count) pairs run")
        out.append("rows: started first; columns: started second; each cell: without the variable / with it")
        let width = 9
        func pad(_ s: String, _ w: Int) -> String { s.count >= w ? String(s.prefix(w)) : s + String(repeating: " ", count: w - s.count) }
        let rowLabel = max(16, (atlas.runtimes.map { f($0.label).count }.max() ?? 0) + 7)
        out.append(pad("", rowLabel) + atlas.runtimes.enumerated().map { pad("[\($0.offset + 1)]", width) }.joined())
        for (i, r) in atlas.runtimes.enumerated() {
            var line = pad("[\(i + 1)] \(f(r.label))", rowLabel)
            for (j, s) in atlas.runtimes.enumerated() {
                let e = grid.rows[i][j]
                guard let c = atlas.cell(first: r.name, second: s.name), c.notRun == nil else { line += pad("n/p", width); continue }
                var t = "\(code(c.observation(.withoutVariable)))/\(code(c.observation(.withVariable)))"
                if c.diagonal == .control { t += "c" }
                if let f = e.footnote { t += "^\(f)" }
                line += pad(t, width)
            }
            out.append(line)
        }
        out.append("codes: R runs (R1 one runtime ran, R2 two runtimes, Ru two KMP runtimes undetected: no Error #15 without the variable), A aborts (Error #15), X hangs at exit, H hangs, E another OMP error, W wrong result, "
                   + "C crash, N non-zero exit, L cannot load, ~ varies across repeats, c control (the same file twice), n/p not provisioned")
        for (i, note) in grid.footnotes.enumerated() { out.append("^\(i + 1) \(f(note))") }
        out.append("")
        for p in atlas.pairings { out.append("- " + f(p.sentence)) }
        for s in atlas.standIns {
            out.append("macOS \(f(s.wheelName)) \(f(s.member)) (\(f(s.runtimeLabel))) -> \(f(s.standIn ?? "none")): \(f(s.note))")
        }
        for s in AtlasStandIn.sentences(atlas) { out.append("- " + f(s)) }
        for r in atlas.notProvisioned { out.append("not provisioned: \(f(r.name)): \(f(r.notProvisioned ?? ""))") }
        let varying = atlas.cells.flatMap { c in c.observations.filter(\.varies).map { (c, $0) } }
        for (c, o) in varying { out.append("varies: \(f(c.id)) \(o.variant.rawValue): runs \(o.runs.map(\.rawValue).joined(separator: ", "))") }
        out += shapeLines(atlas)
        if let t = atlas.timing { out.append(AtlasTimingText.render(t, atlas: atlas)) }
        return out.joined(separator: "\n")
    }

    /// The stack shapes, one line per sampled pair, in ``StackShape`` order.
    static func shapeLines(_ atlas: AtlasResults) -> [String] {
        guard let cells = atlas.shapes, !cells.isEmpty else { return [] }
        let f = TerminalText.field
        var out = ["stack shapes, no variable (\(StackShape.allCases.map(\.rawValue).joined(separator: ", ")); R1/R2 runs with 1/2 runtimes started, s skipped):"]
        var pairs: [(String, String)] = []
        for c in cells where !pairs.contains(where: { $0 == (c.first, c.second) }) { pairs.append((c.first, c.second)) }
        for (a, b) in pairs {
            let codes = StackShape.allCases.map { shape in cells.first { $0.shape == shape && $0.first == a && $0.second == b }?.code ?? "-" }
            out.append("  \(f(a))>\(f(b)): " + codes.joined(separator: " "))
        }
        return out
    }
}
