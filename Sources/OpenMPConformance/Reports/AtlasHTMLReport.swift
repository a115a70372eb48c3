/// The atlas as one self-contained HTML page (inline CSS, no scripts, nothing external) that
/// fits a 1400 px window: a fixed-layout grid whose cells say their outcomes in words and are
/// coloured by them, a legend in words, footnotes, the pairing sentences, and every cell's
/// repro lines. Every interpolated string is escaped.
package enum AtlasHTMLReport {
    package static func render(_ atlas: AtlasResults) -> String {
        let grid = AtlasGrid(atlas)
        var out = HTMLPage.head(title: "OpenMP runtime atlas: \(h(atlas.host.key))", css: css)
            + "<h1>OpenMP runtime atlas: \(h(atlas.host.key)) <small>\(h(atlas.startedAt))</small></h1>\n"
            + (atlas.platform.map { "<p><strong>Platform:</strong> <code>\(h($0.id))</code>, \(h($0.label)).</p>\n" } ?? "")
        if atlas.partial { out += "<p class=\"warn\"><strong>Partial:</strong> interrupted before every cell ran.</p>\n" }
        out += "<p>Rows: the runtime started first. Columns: the runtime started second. Each cell: without the variable / with "
            + "<code>KMP_DUPLICATE_LIB_OK=TRUE</code> exported before start.</p>\n"
        out += "<div class=\"gridwrap\"><table class=\"grid\"><colgroup><col class=\"rowhead\">"
            + String(repeating: "<col>", count: grid.axes.count) + "</colgroup>\n<thead><tr><th>first ↓ · second →</th>"
        for a in grid.axes {
            out += "<th\(a.notProvisioned.map { " class=\"np\" title=\"\(XMLText.attribute($0))\"" } ?? "")>\(h(a.label))</th>"
        }
        out += "</tr></thead>\n<tbody>\n"
        for (i, a) in grid.axes.enumerated() {
            out += "<tr><th\(a.notProvisioned.map { " class=\"np\" title=\"\(XMLText.attribute($0))\"" } ?? "")>\(h(a.label))"
            if let np = a.notProvisioned { out += "<br><span class=\"small\">\(h(np))</span>" }
            out += "</th>"
            for e in grid.rows[i] {
                let cls = e.notRun ? "np" : "w-\(klass(e.without)) x-\(klass(e.with))\(e.varies ? " varies" : "")\(e.diagonal == .control ? " control" : "")"
                    + (e.undetected ? " undetected" : "")
                let text = e.notRun && grid.axes[i].notProvisioned != nil ? "not provisioned" : h(e.text)
                out += "<td class=\"\(cls)\"><a href=\"#\(anchor(e.cellID))\">\(text)</a>\(e.footnote.map { "<sup>\($0)</sup>" } ?? "")</td>"
            }
            out += "</tr>\n"
        }
        out += "</tbody></table></div>\n"
        if !grid.footnotes.isEmpty {
            out += "<ol class=\"notes\">\n" + grid.footnotes.map { "<li>\(h($0))</li>\n" }.joined() + "</ol>\n"
        }
        out += "<h2>By vendor pairing</h2>\n<ul>\n" + atlas.pairings.map { "<li>\(h($0.sentence))</li>\n" }.joined() + "</ul>\n"
        out += legend()
        if !atlas.standIns.isEmpty {
            out += "<h2>macOS wheels</h2>\n<ul>\n"
            for s in atlas.standIns {
                out += "<li><code>\(h(s.member))</code> of \(h(s.wheelName)) (\(h(s.runtimeLabel))) → <code>\(h(s.standIn ?? "none"))</code>: \(h(s.note))</li>\n"
            }
            out += AtlasStandIn.sentences(atlas).map { "<li>\(h($0))</li>\n" }.joined() + "</ul>\n"
        }
        out += "<h2>Runtimes</h2>\n<ul>\n"
        for r in atlas.runtimes {
            if let id = r.identity {
                out += "<li><code>\(h(r.name))</code> \(h(id.label)): \(h(r.source ?? "")), release from \(h(r.releaseSource ?? "banner")), "
                    + "SHA-256 <code>\(h(String(id.sha256.prefix(16))))…</code>\(r.copy.map { ", diagonal with its copy <code>\(h($0.name))</code>" } ?? ", diagonal: the same file twice (control)")</li>\n"
            } else {
                out += "<li><code>\(h(r.name))</code>: not provisioned: \(h(r.notProvisioned ?? ""))</li>\n"
            }
        }
        out += "</ul>\n<h2>Cells</h2>\n"
        for c in atlas.cells {
            out += "<details id=\"\(anchor(c.id))\"><summary>\(h(atlas.runtime(named: c.first)?.label ?? c.first)) then \(h(atlas.runtime(named: c.second)?.label ?? c.second))"
            if let why = c.notRun { out += ": \(h(why))</summary></details>\n"; continue }
            out += "</summary>\n<ul>\n"
            for o in c.observations {
                out += "<li>\(h(o.variant.meaning)): <strong>\(h(AtlasWords.observation(o)))</strong>"
                    + " (runs: \(h(o.runs.map(\.rawValue).joined(separator: ", "))))"
                    + (o.whatRan.map { "; \(h($0.words))" } ?? "") + "<br><code>\(h(o.repro))</code></li>\n"
            }
            out += "</ul></details>\n"
        }
        if let shapes = atlas.shapes, !shapes.isEmpty {
            out += "<h2>Stack shapes (no variable)</h2>\n<ul>\n"
            for c in shapes {
                out += "<li><code>\(h(c.id))</code>: <strong>\(h(c.words))</strong>" + (c.ran.map { "; \(h($0.words))" } ?? "")
                    + (c.outcome == nil ? "" : "<br><code>\(h(c.repro))</code>") + "</li>\n"
            }
            out += "</ul>\n"
        }
        if let together = atlas.concurrency, !together.isEmpty {
            out += "<h2>Used at the same time (variable exported)</h2>\n<ul>\n"
            for c in together {
                out += "<li><code>\(h(c.id))</code> (\(h(c.kind.meaning))): <strong>\(h(c.outcomeWords))</strong>"
                    + (c.ran.map { "; \(h($0.words))" } ?? "") + "<br><code>\(h(c.repro))</code></li>\n"
            }
            out += "</ul>\n"
        }
        return out + "</body>\n</html>\n"
    }

    static func klass(_ o: Outcome?) -> String { o?.rawValue ?? "varies" }

    static func anchor(_ id: String) -> String {
        "cell-" + String(id.map { $0.isLetter || $0.isNumber || $0 == "-" ? $0 : "_" })
    }

    static func legend() -> String {
        var out = "<h2>Legend</h2>\n<ul class=\"legend\">\n"
        out += "<li>Background: what the pair does with the variable set. Left border: what it does without it.</li>\n"
        for o in Outcome.allCases {
            out += "<li><span class=\"sw x-\(o.rawValue)\"></span><span class=\"sw w-\(o.rawValue)\"></span> \(h(AtlasWords.singular(o))): \(h(o.meaning))</li>\n"
        }
        out += "<li><span class=\"sw x-varies\"></span> varies: repeated runs did not agree; the cell lists what was seen</li>\n"
        out += "<li>control, one file: the diagonal without a copy loads the same file twice, which is one runtime</li>\n"
        out += "<li>A pass says how many runtimes ran (each runtime's checked parallel region, observed): "
            + "<span class=\"sw undetected\"></span> \(h(AtlasRuntimesRan.twoUndetected.words)): both started without the variable and "
            + "neither stopped with Error #15, the pair does not detect each other; \(h(AtlasRuntimesRan.two.words)): both started "
            + "with the variable set, or the two are of different families (GNU takes no part); \(h(AtlasRuntimesRan.one.words)): only one runtime ran</li>\n"
        out += "<li>A numbered note: loading the second runtime first, with the variable set, changes the outcome</li>\n"
        for v in AtlasVariant.allCases { out += "<li>\(h(v.meaning))</li>\n" }
        return out + "</ul>\n"
    }

    static func h(_ s: String) -> String { XMLText.text(ReportText.oneLine(s)) }

    static let css = """
    body{font:14px/1.4 system-ui,sans-serif;margin:16px;max-width:1368px;color:#111}
    table.grid{border-collapse:collapse;table-layout:fixed;width:100%;font-size:12px}
    .grid th,.grid td{border:1px solid #bbb;padding:3px;vertical-align:top;overflow-wrap:anywhere}
    .grid col.rowhead{width:120px}.grid thead th{font-size:11px}
    .grid td a{color:inherit;text-decoration:none}
    .np{background:#eee;color:#666}.small{font-size:10px;font-weight:normal}
    .x-pass{background:#d9f2d9}.x-duplicate-runtime-abort{background:#f6c9c9}.x-hang-at-exit{background:#ffe3a8}
    .x-hang{background:#ffc97a}.x-runtime-error,.x-crash,.x-exit-nonzero,.x-wrong-result{background:#e3c6f0}
    .x-launch-failed{background:#ddd}.x-varies{background:repeating-linear-gradient(45deg,#fff,#fff 4px,#ffe3a8 4px,#ffe3a8 8px)}
    .grid td.w-pass,.sw.w-pass{border-left:5px solid #3a3}.grid td.w-duplicate-runtime-abort,.sw.w-duplicate-runtime-abort{border-left:5px solid #c33}
    .grid td.w-hang-at-exit,.sw.w-hang-at-exit{border-left:5px solid #d90}.grid td.w-hang,.sw.w-hang{border-left:5px solid #e70}
    .grid td.w-runtime-error,.grid td.w-crash,.grid td.w-exit-nonzero,.grid td.w-wrong-result,.sw.w-runtime-error,.sw.w-crash,.sw.w-exit-nonzero,.sw.w-wrong-result{border-left:5px solid #839}
    .grid td.w-launch-failed,.sw.w-launch-failed{border-left:5px solid #888}.grid td.w-varies{border-left:5px dashed #a60}
    .undetected{box-shadow:inset 0 -4px 0 #36c}.control{font-style:italic}.varies{outline:2px dashed #a60;outline-offset:-3px}
    .sw{display:inline-block;width:14px;height:14px;border:1px solid #999;vertical-align:middle}
    .warn{background:#fee;padding:6px}code{font-size:11px;overflow-wrap:anywhere}
    .gridwrap{overflow-x:auto;max-width:100%}
    @media (max-width:700px){body{margin:8px}table.grid{table-layout:auto;width:auto;font-size:10px}
    .grid th,.grid td{overflow-wrap:normal;word-break:normal;min-width:4.5em}.grid col.rowhead{width:auto}}
    """
}
