/// The run as one self-contained HTML page: inline CSS, no scripts, no external resources (a
/// Content-Security-Policy forbids them), so it can be attached to a CI run and opened anywhere.
///
/// Layout: the answer; the claims table (state badge, finding, counterexample in words); a
/// legend (outcome colours and glyphs, the ≠doc badge, order and import-reading labels, env
/// modes); the matrix as a grid whose rows are scenario × environment mode and whose columns
/// are runtime pairs, each mark one cell coloured by outcome, labelled with its order and import
/// reading, and badged ≠doc when the doc predicted otherwise (a badge in a neutral colour, so a
/// clean run never carries a failure mark); host and counts; one evidence section per cell.
/// It fits a 1400 px window and scrolls the grid sideways at phone width.
///
/// Every interpolated string is HTML-escaped (`&`, `<`, `>`, `"`, `'`) after terminal escapes
/// and control characters are removed; anchor ids are derived from cell ids with everything but
/// `[A-Za-z0-9_-]` replaced and a hash appended, and are unique within the page.
package enum HTMLReport {
    /// Renders the page.
    ///   - cellsPage: when set (e.g. `matrix-cells.html`), every cell's evidence goes on that second
    ///     page (``renderCells(_:)``) and this page links there, so the first page stays small:
    ///     the answer, the claims and the grid.
    package static func render(_ results: ResultsFile, atlas: AtlasEvidence? = nil, cellsPage: String? = nil) -> String {
        var anchors = Anchors(results.results.map(\.id))
        anchors.page = cellsPage ?? ""
        let summary = ResultsSummary(results)
        let h = XMLText.text
        var out = HTMLPage.head(title: "OpenMP conformance: \(h(results.host.key))", css: css)
        let date = ReportText.datePart(results.finishedAt ?? results.startedAt)
        out += "<h1 id=\"top\">OpenMP conformance: \(h(results.host.key)) <small>\(h(date))</small></h1>\n"
        if results.partial {
            out += "<p class=\"warn\"><strong>Partial run:</strong> it stopped before every selected cell ran.</p>\n"
        }
        // The host's sections over the host's cells only; the Windows column after them, apart.
        let host = results.hostPart
        out += answerSection(results.resolvedAnswer(atlas: atlas))
        out += claimsSection(host, anchors)
        out += legend()
        out += grid(host, anchors)
        out += hostSection(host)
        out += summarySection(host, summary)
        // Two pages: the Windows column's counts here, its claims and grid on the second page (the first stays small).
        out += windowsSection(results, anchors, detailsOn: cellsPage)
        if let cellsPage {
            out += "<section><h2>Evidence</h2>\n<p>Every test case's evidence (its plan, outcome, checks and the line that reproduces it) is on <a href=\"\(XMLText.attribute(cellsPage))\">the second page</a>.</p></section>\n"
        } else {
            out += evidence(results, anchors)
        }
        out += "</body>\n</html>\n"
        return out
    }

    /// The second page: every cell's evidence, each under the anchor the first page links to.
    package static func renderCells(_ results: ResultsFile) -> String {
        let anchors = Anchors(results.results.map(\.id))
        let h = XMLText.text
        return HTMLPage.head(title: "OpenMP conformance, every test case: \(h(results.host.key))", css: css)
            + "<h1 id=\"top\">Every test case: \(h(results.host.key))</h1>\n<p>\(h(PortablePaths.howToRun))</p>\n"
            + windowsDetails(results, anchors) + evidence(results, anchors) + "</body>\n</html>\n"
    }

    // MARK: Anchors

    /// Unique, URL-safe fragment ids for cell ids.
    struct Anchors {
        private var byID: [String: String] = [:]

        init(_ ids: [String]) {
            var used = Set<String>()
            for id in ids where byID[id] == nil {
                let base = HTMLReport.anchor(for: id)
                var candidate = base
                var n = 2
                while used.contains(candidate) { candidate = "\(base)-\(n)"; n += 1 }
                used.insert(candidate)
                byID[id] = candidate
            }
        }

        /// The page the anchors live on, empty for this page.
        var page = ""

        subscript(_ id: String) -> String? { byID[id] }
        /// `#anchor`, or `page#anchor` when the evidence is on a second page.
        func href(_ id: String) -> String? { byID[id].map { page + "#" + $0 } }
    }

    /// `cell-<id with [^A-Za-z0-9_-] replaced by '-', at most 80 characters>-<FNV-1a hash of the id>`.
    static func anchor(for id: String) -> String {
        var sanitized = ""
        var lastDash = false
        for scalar in id.unicodeScalars {
            let ok = (scalar >= "a" && scalar <= "z") || (scalar >= "A" && scalar <= "Z")
                || (scalar >= "0" && scalar <= "9") || scalar == "_" || scalar == "-"
            if ok {
                sanitized.unicodeScalars.append(scalar); lastDash = scalar == "-"
            } else if !lastDash {
                sanitized.append("-"); lastDash = true
            }
            if sanitized.unicodeScalars.count >= 80 { break }
        }
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in id.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        let hex = String(hash & 0xFFFF_FFFF, radix: 16)
        return "cell-\(sanitized)-\(String(repeating: "0", count: 8 - hex.count))\(hex)"
    }

    // MARK: Sections

    static func hostSection(_ r: ResultsFile) -> String {
        let h = XMLText.text
        let host = r.host
        var out = "<section><h2>Host</h2>\n<table class=\"kv\">\n"
        var pairs: [(String, String)] = [
            ("Host key", host.key), ("OS", "\(host.os) \(host.osVersion) (\(host.osID))"), ("Arch", host.arch),
            ("Kernel", host.kernel), ("libc", host.libc), ("CPU", "\(host.cpu), \(host.cores) cores"),
            ("OpenBLAS kernel", "\(host.blas.corename) (from \(host.blas.source))"),
            ("Tool", "\(r.tool.name) \(r.tool.version)"), ("Started", r.startedAt),
            ("Finished", r.finishedAt ?? "(not finished)"), ("Selection", r.selection.joined(separator: ", ")),
        ]
        if !r.environment.pinned.isEmpty {
            pairs.append(("Pinned", r.environment.pinned.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")))
        }
        if !r.environment.scrubbed.isEmpty { pairs.append(("Scrubbed", r.environment.scrubbed.joined(separator: " "))) }
        if !r.environment.passedThrough.isEmpty { pairs.append(("Passed through", r.environment.passedThrough.joined(separator: " "))) }
        for (k, v) in pairs { out += "<tr><th>\(h(k))</th><td>\(h(v))</td></tr>\n" }
        out += "</table>\n"
        if !host.runtimes.isEmpty {
            out += "<table class=\"list\"><thead><tr><th>Runtime</th><th>Family</th><th>Version</th><th>Source</th><th>Path</th><th>sha256</th></tr></thead><tbody>\n"
            for rt in host.runtimes {
                out += "<tr><td>\(h(rt.name))</td><td>\(h(rt.family))</td><td>\(h(rt.version))</td><td>\(h(rt.source))</td><td><code>\(h(rt.path))</code></td><td><code>\(h(rt.sha256))</code></td></tr>\n"
            }
            out += "</tbody></table>\n"
        }
        return out + "</section>\n"
    }

    static func summarySection(_ r: ResultsFile, _ s: ResultsSummary) -> String {
        let h = XMLText.text
        var out = "<section><h2>Summary</h2>\n<table class=\"kv\">\n"
        out += "<tr><th>Cells</th><td>\(s.cells) (ran \(s.ran), skipped \(s.skipped))</td></tr>\n"
        out += "<tr><th>Verdicts</th><td>\(h(ReportText.verdictCounts(s.verdicts)))</td></tr>\n"
        out += "<tr><th>Outcomes</th><td>\(h(ReportText.outcomeCounts(s.outcomes)))</td></tr>\n"
        out += "<tr><th>Claims</th><td>\(r.claims.count): \(h(ReportText.verdictCounts(s.claimVerdicts)))</td></tr>\n"
        out += "</table>\n"
        if !s.rows.isEmpty {
            out += "<table class=\"list\"><thead><tr><th>Row</th><th>Verdict</th><th>Cells</th><th>Refuted</th><th>Outcomes</th></tr></thead><tbody>\n"
            for row in s.rows {
                out += "<tr><td>\(h(row.id))</td><td class=\"v-\(row.verdict.rawValue)\">\(row.verdict.rawValue)</td><td>\(row.cells) (ran \(row.ran))</td><td>\(row.verdicts[.refuted, default: 0])</td><td>\(h(ReportText.outcomeCounts(row.outcomes)))</td></tr>\n"
            }
            out += "</tbody></table>\n"
        }
        let stacks = StackShapeCounts(r.results)
        if !stacks.rows.isEmpty {
            out += "<h3>Stack shapes: how the runtimes reach the process</h3>\n<table class=\"list\"><thead><tr><th>Shape</th><th>Cells ran</th><th>Outcomes</th><th>Skipped</th></tr></thead><tbody>\n"
            for row in stacks.rows {
                out += "<tr><td title=\"\(XMLText.attribute(row.shape.meaning))\"><code>\(h(row.shape.rawValue))</code></td><td>\(row.ran)</td><td>\(h(row.outcomeWords))</td><td>\(h(row.skippedWords))</td></tr>\n"
            }
            out += "</tbody></table>\n"
        }
        return out + "</section>\n"
    }

    /// The Windows column: its claims, grid and counts, under its platform's label, never added
    /// to the host's; or why it did not run.
    /// `detailsOn`: the second page's name when the column's claims and grid go there (``windowsDetails(_:_:)``).
    static func windowsSection(_ r: ResultsFile, _ anchors: Anchors, detailsOn page: String? = nil) -> String {
        guard let w = r.windows, let part = r.windowsPart else { return "" }
        let h = XMLText.text
        var out = "<section class=\"platform\" id=\"windows\"><h2>\(h(w.platform.label))</h2>\n"
        out += "<p class=\"muted\">Platform <code>\(h(w.platform.id))</code>: the doc's rows and claims with the OpenMP DLLs that Windows wheels ship, run by the Windows probe under Wine; a claim id ending in <code>@windows</code> is a table row's Windows analogue. Counted apart: none of these cells is in the host's counts above.</p>\n"
        if let why = w.skipped { out += "<p class=\"warn\"><strong>Not run here:</strong> \(h(why))</p>\n" }
        if let page {
            let states = Dictionary(grouping: part.claims, by: { $0.state?.words ?? $0.verdict.rawValue })
                .sorted { $0.key < $1.key }.map { "\($0.value.count) \(h($0.key))" }.joined(separator: ", ")
            out += "<p>Its \(part.claims.count) rows and claims: \(states). Each with its finding, and its grid, on <a href=\"\(XMLText.attribute(page))#windows-details\">the second page</a>.</p>\n"
        }
        out += "</section>\n"
        if page == nil { out += windowsClaimsAndGrid(part, w.platform.label, anchors) }
        out += summarySection(part, ResultsSummary(r, platform: w.platform.id))
            .replacingOccurrences(of: "<h2>Summary</h2>", with: "<h2>Summary: \(h(w.platform.label))</h2>")
        return out
    }

    /// The Windows column's claims and grid, on the second page (empty when the run had no Windows column).
    static func windowsDetails(_ r: ResultsFile, _ anchors: Anchors) -> String {
        guard let w = r.windows, let part = r.windowsPart else { return "" }
        return "<section id=\"windows-details\"></section>\n" + windowsClaimsAndGrid(part, w.platform.label, anchors)
    }

    static func windowsClaimsAndGrid(_ part: ResultsFile, _ label: String, _ anchors: Anchors) -> String {
        let h = XMLText.text
        return claimsSection(part, anchors).replacingOccurrences(of: "<h2>The doc's claims, judged</h2>", with: "<h2>The doc's claims, judged: \(h(label))</h2>")
            + grid(part, anchors).replacingOccurrences(of: "<h2>Matrix</h2>", with: "<h2>Matrix: \(h(label))</h2>")
    }

    static func answerSection(_ a: Answer) -> String {
        let h = XMLText.text
        var out = "<section class=\"answer\"><h2>The answer on this host</h2>\n"
        for part in AnswerText.parts(a) {
            out += "<div class=\"part\"><h3>\(h(part.title))</h3><p>\(h(part.headline))</p>"
            if !part.details.isEmpty {
                out += "<ul>" + part.details.map { "<li>\(h($0))</li>" }.joined() + "</ul>"
            }
            out += "</div>\n"
        }
        return out + "</section>\n"
    }

    /// The badge class of a claim state: never an alarm colour for "holds".
    static func stateClass(_ c: ClaimVerdict) -> String { "s-" + c.stateOrVerdictState.rawValue }

    static func claimsSection(_ r: ResultsFile, _ anchors: Anchors) -> String {
        let h = XMLText.text
        var out = "<section><h2>The doc's claims, judged</h2>\n"
        if r.claims.isEmpty { return out + "<p>No claims were evaluated.</p></section>\n" }
        out += "<ul class=\"states\">" + ClaimState.allCases.map {
            "<li><span class=\"badge s-\($0.rawValue)\">\(h($0.words))</span> \(h($0.definition))</li>"
        }.joined() + "</ul>\n"
        out += "<div class=\"scroll\"><table class=\"list claims\"><thead><tr><th>Claim</th><th>State and finding</th><th>Counted: agree / disagree</th><th>Counterexample</th></tr></thead><tbody>\n"
        for c in r.claims {
            var cx = ""
            if let cell = c.counterexample {
                let link = anchors.href(cell).map { "<a href=\"\(XMLText.attribute($0))\"><code>\(h(cell))</code></a>" } ?? "<code>\(h(cell))</code>"
                if let w = c.counterexampleWords { cx += "<div>\(h(w))</div>" }
                cx += "<div class=\"muted\">\(link)</div>"
                if let why = c.counterexampleWhy { cx += "<div class=\"muted\">chosen as \(h(why))</div>" }
                if let repro = c.counterexampleRepro { cx += "<details><summary>repro</summary><pre>\(h(repro))</pre></details>" }
            }
            var detail = ""
            for reading in c.readings ?? [] {
                detail += "<li>Reading \u{201C}\(h(reading.reading))\u{201D}: <strong>\(h(reading.state.words))</strong>, \(reading.agreeing) agree, \(reading.disagreeing) disagree"
                    + (reading.exampleWords.map { "; e.g. \(h($0))" } ?? "") + "</li>"
            }
            for g in c.apart ?? [] {
                detail += "<li>Not counted, \(h(g.kind)): \(g.cells) test cases (\(h(AnswerText.outcomes(g)))): \(h(g.why))</li>"
            }
            out += "<tr><td><code>\(h(c.id))</code><div class=\"quote\">\u{201C}\(h(c.quote ?? c.source))\u{201D}</div></td>"
            out += "<td><span class=\"badge \(stateClass(c))\">\(h(c.state?.words ?? c.verdict.rawValue))</span><p>\(h(c.finding ?? c.statement))</p>"
            out += "<details><summary>claim, method, readings</summary><p>\(h(c.statement))</p><p class=\"muted\">\(h(c.source))</p><p class=\"muted\">Method: \(h(c.method))</p>"
                + (detail.isEmpty ? "" : "<ul>\(detail)</ul>") + "</details></td>"
            out += "<td>\(c.agreeing) / \(c.disagreeing)</td><td>\(cx)</td></tr>\n"
        }
        return out + "</tbody></table></div></section>\n"
    }

    static func legend() -> String {
        let h = XMLText.text
        var out = "<section><h2>Legend</h2>\n<h3>Colour and glyph: the outcome</h3><div class=\"legend\">\n"
        for o in Outcome.allCases {
            out += "<span class=\"key\"><span class=\"c o-\(o.rawValue)\">\(shortLabel(o))</span> \(o.rawValue): \(h(o.meaning))</span>\n"
        }
        out += "<span class=\"key\"><span class=\"c o-skipped v-untestable\">–</span> skipped: this host cannot run the cell (dashed frame)</span>\n"
        out += "</div>\n<h3>Badge: the doc's prediction</h3><div class=\"legend\">\n"
        out += "<span class=\"key\"><span class=\"c o-pass\">ok</span> no badge: the outcome is one the doc's prediction allows (confirmed)</span>\n"
        out += "<span class=\"key\"><span class=\"c o-pass v-refuted\">ok<b class=\"nd\">≠doc</b></span> ≠doc: the outcome differs from what the doc predicts (refuted); the colour still says what happened</span>\n"
        out += "</div>\n<h3>Inside a grid cell: order and reading of \u{201C}import\u{201D}</h3><div class=\"legend\">\n"
        for (code, words) in [("F", "the framework's runtime is loaded first"), ("I", "the index library's runtime is loaded first"),
                              ("B", "both loaded, then started in turn (interleaved)"),
                              ("·load", CellWords.importWords("load")), ("·start", CellWords.importWords("load+init"))] {
            out += "<span class=\"key\"><code>\(h(code))</code> \(h(words))</span>\n"
        }
        out += "</div>\n<h3>Rows: how the variable is set</h3><div class=\"legend\">\n"
        for m in Cell.EnvMode.allCases {
            out += "<span class=\"key\"><code>\(h(m.rawValue))</code> \(h(CellWords.envWords(m.rawValue)))</span>\n"
        }
        out += "</div></section>\n"
        return out
    }

    /// `F·load`, `I·start`, `B·start`: where a cell sits within its grid cell.
    static func shapeCode(_ c: CellResult) -> String {
        let o = switch c.ordering {
        case "framework-first": "F"
        case "index-first": "I"
        case "interleaved": "B"
        default: c.ordering
        }
        return o + (c.importMeaning == "load" ? "·load" : "·start") + (c.stack == .ownHandle ? "" : "·" + c.stack.rawValue)
    }

    static func shortLabel(_ o: Outcome?) -> String {
        switch o {
        case .launchFailed: "LF"
        case .duplicateRuntimeAbort: "#15"
        case .hangAtExit: "HX"
        case .hang: "H"
        case .runtimeError: "RE"
        case .wrongResult: "WR"
        case .crash: "C"
        case .exitNonzero: "NZ"
        case .pass: "ok"
        case nil: "–"
        }
    }

    struct RowKey: Hashable { var row: String; var env: String }

    static func grid(_ r: ResultsFile, _ anchors: Anchors) -> String {
        let h = { XMLText.text(ReportText.oneLine($0)) }  // labels: one line each
        let a = { XMLText.attribute($0, limit: 600) }
        var out = "<section><h2>Matrix</h2>\n"
        let words = CellWords(runtimes: r.host.runtimes)
        if r.results.isEmpty { return out + "<p>No cells.</p></section>\n" }

        let scenarios = ClaimJudgement.ordered(r.results.map(\.row))
        let envs = ClaimJudgement.ordered(r.results.map(\.envMode))
        // One column per runtime pair (profile); every profile listed has cells.
        let profiles = ClaimJudgement.ordered(r.results.map(\.profile))
        var cellsAt: [RowKey: [String: [CellResult]]] = [:]
        for cell in r.results {
            cellsAt[RowKey(row: cell.row, env: cell.envMode), default: [:]][cell.profile, default: []].append(cell)
        }
        let rowKeys = scenarios.flatMap { s in envs.map { RowKey(row: s, env: $0) } }.filter { cellsAt[$0] != nil }

        out += "<p class=\"muted\">Rows: scenario and how the variable is set. Columns: the runtime pair. Each mark is one cell: its colour and glyph are the outcome, its label the order and reading of \u{201C}import\u{201D} (see the legend), a ≠doc badge marks an outcome the doc does not predict.</p>\n"
        out += "<div class=\"scroll\"><table class=\"grid\">\n<thead>\n<tr><th>Scenario</th><th>Variable</th>"
        for profile in profiles { out += "<th class=\"profile\">\(h(profile))</th>" }
        out += "</tr>\n</thead>\n<tbody>\n"

        for scenario in scenarios {
            let group = rowKeys.filter { $0.row == scenario }
            for (index, key) in group.enumerated() {
                out += "<tr>"
                if index == 0 { out += "<th rowspan=\"\(group.count)\" class=\"scenario\">\(h(scenario))</th>" }
                out += "<th class=\"env\">\(h(key.env))</th>"
                for profile in profiles {
                    guard let cells = cellsAt[key]?[profile], !cells.isEmpty else {
                        out += "<td class=\"none\"></td>"
                        continue
                    }
                    out += "<td>"
                    for cell in cells {
                        let outcomeClass = cell.status == .skipped ? "skipped" : (cell.outcome?.rawValue ?? "skipped")
                        let mark = cell.verdict == .refuted ? "<b class=\"nd\">≠doc</b>" : ""
                        let title = "\(cell.words ?? words.describe(cell)) (\(cell.id)): \(cell.outcome?.rawValue ?? cell.status.rawValue), \(cell.verdict.rawValue)"
                            + (cell.message.isEmpty ? "" : "; \(ReportText.oneLine(cell.message))")
                        out += "<a class=\"c o-\(outcomeClass) v-\(cell.verdict.rawValue)\" href=\"\(XMLText.attribute(anchors.href(cell.id) ?? ""))\" title=\"\(a(title))\">\(shortLabel(cell.status == .skipped ? nil : cell.outcome))<small>\(h(shapeCode(cell)))</small>\(mark)</a>"
                    }
                    out += "</td>"
                }
                out += "</tr>\n"
            }
        }
        out += "</tbody></table></div></section>\n"
        return out
    }

    static func evidence(_ r: ResultsFile, _ anchors: Anchors) -> String {
        let h = XMLText.text
        var out = "<section><h2>Evidence</h2>\n"
        let words = CellWords(runtimes: r.host.runtimes)
        var emitted = Set<String>()
        for cell in r.results {
            // Duplicate ids share one anchor; the first cell with the id owns the section.
            let anchor = anchors[cell.id] ?? ""
            let idAttribute = emitted.insert(anchor).inserted ? " id=\"\(anchor)\"" : ""
            out += "<section class=\"evidence v-\(cell.verdict.rawValue)\"\(idAttribute)>\n"
            out += "<h3><code>\(h(cell.id))</code> <span class=\"c o-\(cell.status == .skipped ? "skipped" : (cell.outcome?.rawValue ?? "skipped")) v-\(cell.verdict.rawValue)\">\(cell.verdict.rawValue)</span></h3>\n"
            out += "<table class=\"kv\">\n"
            var pairs: [(String, String)] = [
                ("In words", cell.words ?? words.describe(cell)),
                ("Row", cell.row), ("Profile", cell.profile), ("Environment", cell.envMode),
                ("Ordering", cell.ordering), ("Import means", cell.importMeaning), ("Status", cell.status.rawValue),
                ("Outcome", cell.outcome == nil ? "(none)" : WhatRanText.outcome(cell)),
                ("Allowed", cell.allowed.map(\.rawValue).joined(separator: ", ")),
                ("Verdict", cell.verdict.rawValue),
            ]
            if let reason = cell.reason { pairs.append(("Reason", reason)) }
            if let analogue = cell.analogueOf { pairs.append(("Analogue of", analogue)) }
            if !cell.claims.isEmpty { pairs.append(("Claims", cell.claims.joined(separator: ", "))) }
            if !cell.tags.isEmpty { pairs.append(("Tags", cell.tags.joined(separator: ", "))) }
            pairs.append(("Message", cell.message))
            pairs.append(("Duration", ReportText.seconds(cell.durationSeconds) + " s"))
            for (k, v) in pairs { out += "<tr><th>\(h(k))</th><td>\(h(v))</td></tr>\n" }
            out += "<tr><th>Repro</th><td><pre>\(h(cell.repro))</pre></td></tr>\n"
            if let p = cell.probe {
                if let ran = WhatRanText.words(p) { out += "<tr><th>What ran</th><td>\(h(ran))</td></tr>\n" }
                out += "<tr><th>Steps</th><td>\(p.stepsCompleted) of \(p.stepsTotal)</td></tr>\n"
                var ending = p.ending.kind.rawValue
                if let code = p.ending.code { ending += ", code \(code)" }
                if let signal = p.ending.signal { ending += ", signal \(signal)" }
                ending += ", after step \(p.ending.afterStep)"
                if let by = p.ending.killedBy { ending += ", killed by \(by)" }
                if let wait = p.exitWaitMilliseconds { ending += ", waited \(ReportText.seconds(wait / 1000)) s for exit" }
                out += "<tr><th>Ending</th><td>\(h(ending))</td></tr>\n"
                if !p.ompErrors.isEmpty {
                    out += "<tr><th>OMP errors</th><td>\(p.ompErrors.map { "#\($0)" }.joined(separator: ", "))</td></tr>\n"
                }
                if p.message.text != cell.message || p.message.initializing != nil {
                    var m = p.message.text
                    if let i = p.message.initializing, let f = p.message.found { m += " (initializing \(i), found \(f))" }
                    out += "<tr><th>Probe message</th><td>\(h(m))</td></tr>\n"
                }
                if !p.runtimesMapped.isEmpty {
                    let mapped = p.runtimesMapped.map { "<code>\(h($0.path))</code> (\(h($0.family)), after step \($0.afterStep))" }
                    out += "<tr><th>Runtimes mapped</th><td>\(mapped.joined(separator: "<br>"))</td></tr>\n"
                }
                if let core = p.blasCore { out += "<tr><th>OpenBLAS kernel</th><td>\(h(core))</td></tr>\n" }
            }
            out += "</table>\n"
            if let p = cell.probe {
                if !p.checks.isEmpty {
                    out += "<table class=\"list\"><thead><tr><th>Step</th><th>Check</th><th>Passed</th><th>Detail</th></tr></thead><tbody>\n"
                    for c in p.checks {
                        out += "<tr class=\"\(c.passed ? "ok" : "bad")\"><td>\(c.step)</td><td>\(h(c.name))</td><td>\(c.passed ? "yes" : "no")</td><td>\(h(c.detail))</td></tr>\n"
                    }
                    out += "</tbody></table>\n"
                }
                let stderr = p.stderr.tail.isEmpty ? p.stderr.head : p.stderr.tail
                if !stderr.isEmpty {
                    let note = p.stderr.omittedBytes > 0 ? " (\(p.stderr.omittedBytes) of \(p.stderr.totalBytes) bytes omitted)" : ""
                    out += "<div class=\"muted\">stderr, last lines\(note)</div><pre>\(h(ReportText.tail(stderr, maxLines: 40, maxCharacters: 8000)))</pre>\n"
                }
                let stdout = p.stdout.tail.isEmpty ? p.stdout.head : p.stdout.tail
                if !stdout.isEmpty {
                    out += "<details><summary>stdout, last lines</summary><pre>\(h(ReportText.tail(stdout, maxLines: 40, maxCharacters: 8000)))</pre></details>\n"
                }
            }
            if !cell.plan.isEmpty {
                out += "<details><summary>Plan</summary><pre>\(h(cell.plan))</pre></details>\n"
            }
            out += "<p><a href=\"#top\">back to top</a></p>\n</section>\n"
        }
        return out + "</section>\n"
    }

    static let css = """
    body{font:14px/1.4 system-ui,-apple-system,Segoe UI,Helvetica,Arial,sans-serif;margin:1.5em;color:#1b1b1b;background:#fff}
    h1 small{font-weight:normal;color:#666;font-size:60%}
    table{border-collapse:collapse;margin:.5em 0}
    th,td{border:1px solid #ccc;padding:2px 6px;text-align:left;vertical-align:top}
    table.kv th{background:#f4f4f4;white-space:nowrap}
    table.list thead th{background:#f4f4f4}
    pre{margin:0;white-space:pre-wrap;word-break:break-all;font-size:12px;background:#f7f7f7;padding:4px}
    code{font-size:12px}
    .muted{color:#666;font-size:12px}
    .warn{background:#fff3cd;padding:6px;border:1px solid #e0c060}
    .scroll{overflow:auto;max-width:100%}
    table.grid th{font-size:12px;white-space:nowrap;background:#f4f4f4}
    table.grid td{padding:2px;text-align:left;white-space:normal;min-width:7em}
    table.grid td.none{background:#fafafa}
    .c{display:inline-block;min-width:2.6em;margin:1px;padding:1px 2px;border:1px solid #555;border-radius:3px;color:#111;text-decoration:none;font-size:12px;text-align:center;vertical-align:top}
    .c small{display:block;font-size:9px;color:#333;line-height:1}
    .c.v-untestable{border:1px dashed #999;color:#666}
    .c .nd{display:block;font-size:9px;font-weight:bold;color:#fff;background:#1f3a93;border-radius:2px;padding:0 2px;margin-top:1px}
    .o-pass{background:#c8e6c9}
    .o-duplicate-runtime-abort{background:#ef9a9a}
    .o-hang-at-exit{background:#ffcc80}
    .o-hang{background:#ffab91}
    .o-runtime-error{background:#f48fb1}
    .o-wrong-result{background:#b39ddb}
    .o-crash{background:#90a4ae}
    .o-exit-nonzero{background:#fff59d}
    .o-launch-failed{background:#b0bec5}
    .o-skipped{background:#eeeeee}
    td.v-refuted,span.v-refuted{color:#1f3a93}
    td.v-confirmed,span.v-confirmed{color:#1b5e20}
    td.v-untestable,span.v-untestable{color:#666}
    .badge{display:inline-block;padding:1px 6px;border-radius:9px;font-weight:bold;font-size:12px;border:1px solid}
    .badge.s-holds{background:#e8f5e9;color:#1b5e20;border-color:#81c784}
    .badge.s-does-not-hold{background:#e8eaf6;color:#1f3a93;border-color:#7986cb}
    .badge.s-holds-only-when{background:#e0f7fa;color:#006064;border-color:#4dd0e1}
    .badge.s-untestable{background:#f5f5f5;color:#555;border-color:#bbb;font-weight:normal}
    ul.states{list-style:none;padding:0}
    ul.states li{margin:.2em 0}
    .quote{font-style:italic;color:#555;font-size:12px}
    section.answer .part{margin:.4em 0 .8em}
    section.answer h3{margin:.2em 0;font-size:15px}
    section.answer p{margin:.2em 0;max-width:70em}
    table.claims{width:100%}
    table.claims td{max-width:40em}
    table.claims td:first-child{min-width:9em}
    @media (max-width:700px){body{margin:.6em;font-size:13px}table.claims td:nth-child(3){display:none}table.claims th:nth-child(3){display:none}th,td{padding:2px 3px}table.kv th{white-space:normal}table.grid th.scenario,table.grid th.env{white-space:normal;word-break:break-word;font-size:10px;max-width:5.5em}table.grid th.scenario{position:sticky;left:0;z-index:1}table.grid td{min-width:5.6em}.c{min-width:2.3em;font-size:11px}pre{font-size:11px}table.kv,table.list{display:block;overflow-x:auto;max-width:100%}td code{word-break:break-all}code{overflow-wrap:anywhere}h1{font-size:22px;word-break:break-word}}
    .legend{display:flex;flex-wrap:wrap;gap:.3em 1.2em;margin:.4em 0}
    section.evidence{border-top:1px solid #ddd;margin-top:1em;padding-top:.3em}
    section.evidence:target{background:#fffbe6;outline:2px solid #e0a800}
    tr.bad td{background:#fdecea}
    """
}
