import Foundation
import Testing
@testable import OpenMPConformance

/// The matrix's Windows column without Wine: how it is expanded from the bundled Matrices/, and
/// that its cells are reported apart and never change the host's counts, verdicts or answer.
@Suite("Windows column: expansion and counts kept apart")
struct WindowsColumnTests {
    static let matrices = URL(fileURLWithPath: TestRuntimes.root + "/Matrices")

    @Test("Windows cells come from the macOS and any-platform CPU rows and claim probes only, each labelled and untestable with the reason when Wine is not looked for")
    func expansion() throws {
        let m = try Matrix.load(directory: Self.matrices, windows: .none)
        #expect(!m.windowsCells.isEmpty)
        let rows = Set(m.windowsCells.map(\.row))
        // Sources: rows and claim probes about macOS or any platform on the CPU (or any device).
        let expected = Set(m.rows.filter { WindowsExpander.applies(platform: $0.platform, device: $0.device) }.map { $0.id + "@windows" }
            + m.claims.compactMap { c in c.probe.flatMap { WindowsExpander.applies(platform: $0.platform, device: $0.device) ? c.id + "@windows" : nil } })
        #expect(rows == expected)
        #expect(!rows.contains("linux-cpu-training@windows") && !rows.contains("macos-mps-training@windows") && !rows.contains("macos-gpu-training@windows"))
        let hostIDs = Set(m.cells.map(\.id))
        #expect(Set(m.windowsCells.map(\.id)).count == m.windowsCells.count)
        for c in m.windowsCells {
            #expect(c.platform == .windows && c.tags.contains(WineTools.platform) && !hostIDs.contains(c.id))
            #expect(m.windowsProfiles.contains { $0.id == c.profile })
            #expect(c.testability.reason?.hasPrefix(WineTools.platformLabel + ": ") == true, "\(c.id)")
        }
    }

    @Test("A source that names Linux profiles runs the Windows profiles of the same kinds")
    func profilesByKind() throws {
        let m = try Matrix.load(directory: Self.matrices, windows: .none)
        let declared = Dictionary(uniqueKeysWithValues: m.runtimes.map { ($0.name, $0) })
        let windowsDeclared = Dictionary(uniqueKeysWithValues: m.windowsRuntimes.map { ($0.name, $0) })
        for claim in m.claims {
            guard let probe = claim.probe, let named = probe.expansion.profiles else { continue }
            let kinds = Set(named.compactMap { id in m.profile(id: id)?.kind(declared: declared) })
            let want = Set(m.windowsProfiles.filter { kinds.contains($0.kind(declared: windowsDeclared)) }.map(\.id))
            let got = Set(m.windowsCells.filter { $0.row == claim.id + "@windows" }.map(\.profile))
            #expect(!got.isEmpty && got == want, "\(claim.id)")
        }
        // vcomp takes no part: its profile is mixed (only unset and exported), like gnu+llvm.
        let vcomp = try #require(m.windowsProfiles.first { $0.id == "win-intel+vcomp" })
        #expect(vcomp.kind(declared: windowsDeclared) == .mixed)
    }

    @Test("Adding the Windows section leaves every host cell as it was")
    func hostCellsUnchanged() throws {
        let dir = try makeTemporaryDirectory("omp-win-matrix")
        defer { try? FileManager.default.removeItem(at: dir) }
        for name in Matrix.fileNames {
            var text = try String(contentsOf: Self.matrices.appendingPathComponent(name), encoding: .utf8)
            if name == "profiles.yaml", let cut = text.range(of: "\nwindows:") { text = String(text[..<cut.lowerBound]) + "\n" }
            try text.write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        let without = try Matrix.load(directory: dir)
        let with = try Matrix.load(directory: Self.matrices, windows: .none)
        #expect(without.windowsCells.isEmpty)
        #expect(!with.windowsCells.isEmpty)
        #expect(with.cells == without.cells)
    }

    @Test("The evidence selectors read for Windows: @linux rows mean @windows rows; a claim about macOS's loader takes no Windows cell")
    func evidence() throws {
        let m = try Matrix.load(directory: Self.matrices, windows: .none)
        let firstLoaded = m.windowsCells.filter { $0.claims.contains("first-one-loaded") }
        #expect(!firstLoaded.isEmpty)
        #expect(firstLoaded.allSatisfy { $0.row == "macos-lvm-training@windows" && $0.envMode == .exported })
        #expect(!m.windowsCells.contains { $0.claims.contains("dyld-kills-process") })
        #expect(m.windowsCells.contains { $0.row == "dyld-kills-process@windows" })
        #expect(!m.cells.contains { $0.claims.isEmpty == false && $0.platform == .windows })
    }

    @Test("What Wine cannot run is untestable there with the reason")
    func unsupported() throws {
        let inputs = Matrix.WindowsInputs(unavailable: "wine64 not found")
        let m = try Matrix.load(directory: Self.matrices, windows: inputs)
        let envI = m.windowsCells.filter { $0.envMode == .wrapperEnvI }
        #expect(!envI.isEmpty && envI.allSatisfy { $0.testability.reason?.contains("env -i") == true })
        #expect(m.windowsCells.filter { $0.envMode != .wrapperEnvI }.allSatisfy { $0.testability.reason?.contains("wine64 not found") == true })
        let race = try Plan.parse("load framework; load index; race framework index")
        #expect(WindowsExpander.unsupported(plan: race, env: .unset)?.contains("race framework index") == true)
        #expect(WindowsExpander.unsupported(plan: try Plan.parse("load framework; init framework; train framework"), env: .unset) == nil)
    }

    @Test("The plan verbs the kit hands to the Windows probe are the ones its C source implements")
    func probeVerbs() throws {
        let source = try String(contentsOfFile: TestRuntimes.root + "/" + WineTools.probeSource, encoding: .utf8)
        let start = try #require(source.range(of: "known_verbs[] = {"))
        let end = try #require(source.range(of: "NULL", range: start.upperBound..<source.endIndex))
        let verbs = source[start.upperBound..<end.lowerBound].split(separator: "\"").enumerated()
            .filter { $0.offset % 2 == 1 }.map { String($0.element) }
        #expect(Set(verbs) == WineTools.probeVerbs)
    }

    @Test("OMP_CONFORMANCE_SKIP_WINE makes every Windows cell say it was skipped on purpose")
    func skipVariable() throws {
        let manifest = RuntimeManifest(runtimes: [])
        let inputs = Matrix.WindowsInputs.provisioned(manifest: manifest, directory: URL(fileURLWithPath: "/nonexistent"),
                                                      environment: [Matrix.WindowsInputs.skipVariable: "1"])
        #expect(inputs.unavailable?.contains("OMP_CONFORMANCE_SKIP_WINE=1") == true)
        let m = try Matrix.load(directory: Self.matrices, windows: inputs)
        #expect(m.windowsCells.allSatisfy { !$0.testability.isTestable })
    }

    @Test("A claim without Windows evidence is untestable in the column, saying why", arguments: [
        ("mps-cuda-no-openmp", "GPU training"), ("linux-unaffected", "Linux's loader"),
        ("pytorch-intel-faiss-llvm", "macOS wheels"), ("dyld-kills-process", "macOS's loader"),
        ("unactivated-venv-other-libs", "Python installations"),
    ])
    func claimsWithoutWindowsCells(_ id: String, _ why: String) throws {
        let m = try Matrix.load(directory: Self.matrices, windows: .none)
        let column = Verdicts.windows(m, results: [])
        let c = try #require(column.claims.first { $0.id == id })
        #expect(c.state == .untestable && c.verdict == .untestable)
        #expect(c.conditions?.first?.contains(why) == true, "\(c.conditions ?? [])")
        #expect(column.platform == .windows)
    }

    // MARK: Counts kept apart

    /// The fixture's ran cells again as Windows cells (row `<row>@windows`, platform set), with a
    /// Windows column judged over them.
    static func withWindows(_ base: ResultsFile, skipped: String? = nil) throws -> ResultsFile {
        var r = base
        for c in base.results {
            var w = c
            w.id = c.id.replacingOccurrences(of: c.row + "/", with: c.row + "@windows/")
            w.row = c.row + "@windows"
            w.platform = WineTools.platform
            r.results.append(w)
        }
        r.windows = Verdicts.windows(try Matrix.load(directory: matrices, windows: .none), results: r.results, skipped: skipped)
        return r
    }

    @Test("Windows cells in a results file change none of the host's counts, verdicts or answer")
    func hostCountsUnchanged() throws {
        let base = ReportFixtures.results()
        let mixed = try Self.withWindows(base)
        #expect(ResultsSummary(mixed) == ResultsSummary(base))
        let windows = ResultsSummary(mixed, platform: WineTools.platform)
        #expect(windows.cells == base.results.count && windows.ran == ResultsSummary(base).ran)
        let m = try Matrix.load(directory: Self.matrices, windows: .none)
        #expect(Verdicts.rows(m, results: mixed.results) == Verdicts.rows(m, results: base.results))
        #expect(Verdicts.claims(m, results: mixed.results) == Verdicts.claims(m, results: base.results))
        #expect(mixed.resolvedAnswer() == base.resolvedAnswer())
        // The terminal summary: the host's part as before, the Windows column after it.
        let before = TerminalSummary.render(base), after = TerminalSummary.render(mixed)
        #expect(after.hasPrefix(before + "\n"))
        #expect(after.dropFirst(before.count).contains("\n" + WineTools.platformLabel + " (" + WineTools.platform))
        #expect(after.contains("cells: \(windows.cells) (ran \(windows.ran), skipped \(windows.skipped))"))
    }

    @Test("Markdown, HTML, JUnit and JSON show the Windows column under its label, with its own counts")
    func reports() throws {
        let base = ReportFixtures.results()
        let mixed = try Self.withWindows(base, skipped: nil)
        let label = WineTools.platformLabel
        let md = MarkdownReport.render(mixed), mdBase = MarkdownReport.render(base)
        #expect(md.contains("## \(label)\n"))
        func section(_ text: String, _ heading: String) -> Substring? {
            guard let r = text.range(of: heading) else { return nil }
            let rest = text[r.upperBound...]
            return rest[..<(rest.range(of: "\n## ")?.lowerBound ?? rest.endIndex)]
        }
        #expect(section(md, "## Summary\n") == section(mdBase, "## Summary\n"))
        #expect(section(md, "## Applicability rows\n") == section(mdBase, "## Applicability rows\n"))
        let html = HTMLReport.render(mixed)
        #expect(html.contains("<h2>\(label)</h2>") && html.contains("<h2>Summary: \(label)</h2>"))
        #expect(html.contains("<h2>Matrix: \(label)</h2>") && html.contains("<h2>The doc's claims, judged: \(label)</h2>"))
        // Two pages: the first keeps the column's counts and links to its claims and grid, which the second page holds.
        let first = HTMLReport.render(mixed, cellsPage: "matrix-cells.html"), second = HTMLReport.renderCells(mixed)
        #expect(first.contains("<h2>Summary: \(label)</h2>") && first.contains("href=\"matrix-cells.html#windows-details\""))
        #expect(!first.contains("<h2>Matrix: \(label)</h2>") && !first.contains("<h2>The doc's claims, judged: \(label)</h2>"))
        #expect(second.contains("id=\"windows-details\"") && second.contains("<h2>Matrix: \(label)</h2>")
                && second.contains("<h2>The doc's claims, judged: \(label)</h2>"))
        #expect(!HTMLReport.renderCells(base).contains("windows-details"))
        let junit = JUnitReport.render(mixed)
        #expect(junit.components(separatedBy: "<testsuite ").count == 3)
        #expect(junit.contains("tests=\"\(base.results.count)\""))
        #expect(junit.contains("\(WineTools.platform) (\(label))"))
        let decoded = try ResultsCodec.decode(try ResultsCodec.encode(mixed), file: "mixed.json")
        #expect(decoded.windows == mixed.windows)
        #expect(decoded.results.filter { $0.platform == WineTools.platform }.count == base.results.count)
        // Not run here: the reason is shown in every format.
        let skipped = try Self.withWindows(base, skipped: "wine64 not found")
        for text in [TerminalSummary.render(skipped), MarkdownReport.render(skipped), HTMLReport.render(skipped)] {
            #expect(text.contains("wine64 not found"))
        }
    }
}

/// `omp-matrix run` with the Windows column skipped: the reason in the results and the summary,
/// exit 4; left out on purpose with `--platform linux-x86_64`: exit 0. No Wine runs here.
@Suite("Windows column: omp-matrix run without Wine")
struct WindowsColumnRunTests {
    static func run(_ extra: [String]) async throws -> (status: Int32, output: String, file: ResultsFile) {
        let dir = try makeTemporaryDirectory("omp-win-run")
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("r.json")
        var env = ProcessInfo.processInfo.environment
        env[Matrix.WindowsInputs.skipVariable] = "1"
        // macos-web-server's host cells need macOS (none runs here); its Windows cells would run under Wine.
        let p = try await TestProcess.run([TestProducts.directory.appendingPathComponent("omp-matrix").path, "run", "--plain",
                                     "--row", "macos-web-server", "--row", "macos-web-server@windows", "--output", out.path] + extra,
                                    environment: env, in: dir)
        return (p.terminationStatus, p.output + p.errors, try ResultsCodec.read(out))
    }

    @Test("Skipped (OMP_CONFORMANCE_SKIP_WINE): every Windows cell says why, the column too, and the run is incomplete (exit 4)")
    func skipped() async throws {
        let r = try await Self.run([])
        #expect(r.status == 4, "\(r.output)")
        #expect(r.output.contains(WineTools.platformLabel) && r.output.contains("OMP_CONFORMANCE_SKIP_WINE=1"), "\(r.output)")
        let windows = r.file.results(platform: WineTools.platform)
        #expect(!windows.isEmpty && windows.allSatisfy { $0.status == .skipped && $0.reason?.contains("OMP_CONFORMANCE_SKIP_WINE") == true })
        #expect(r.file.windows?.skipped?.contains("OMP_CONFORMANCE_SKIP_WINE=1") == true)
        #expect(r.file.windows?.claims.contains { $0.id == "macos-web-server@windows" } == true)
        #expect(!r.file.hostResults.isEmpty)
    }

    @Test("Left out on purpose with --platform linux-x86_64: no Windows cell, exit 0")
    func excluded() async throws {
        let r = try await Self.run(["--platform", "linux-x86_64"])
        #expect(r.status == 0, "\(r.output)")
        #expect(r.file.windows == nil && r.file.results.allSatisfy { $0.platform == nil } && !r.file.results.isEmpty)
    }

    @Test("first-one-loaded in the Windows column is judged by what ran: both DLLs started refutes it; one started leaves the survival verdict",
          arguments: [2, 1])
    func firstOneLoadedByWhatRan(started: Int) throws {
        var cells = (0..<3).map { i in
            AnswerFixtures.cell("w\(i)", roles: ("win-intel-2026", "win-ctranslate2-4.8.5"), kind: "contending", env: "exported",
                                outcome: .pass, allowed: [.pass], claims: ["first-one-loaded"])
        }
        for i in cells.indices {
            cells[i].probe?.runtimesStarted = [.init(runtime: "framework", started: true, how: "its first OpenMP call returned"),
                                               .init(runtime: "index", started: started == 2, how: "its first OpenMP call returned")]
        }
        var v = ClaimVerdict(id: "first-one-loaded", statement: "s", source: "d", byProfile: [:], verdict: .confirmed, method: "m",
                             counterexample: nil, counterexampleRepro: nil, agreeing: 3, disagreeing: 0, evidence: [])
        v.state = .holds
        v.finding = "3 of 3 ran clean."
        ClaimAtlasWeighing.mechanism(&v, cells: cells, runtimeWords: "DLLs")
        if started == 2 {
            #expect(v.state == .doesNotHold && v.verdict == .refuted)
            #expect(v.finding?.hasPrefix("Judged by what ran, not only by survival: with the variable both DLLs started, each with its own threads, in 3 of 3 test cases") == true, "\(v.finding ?? "")")
        } else {
            #expect(v.state == .holds && v.verdict == .confirmed)
            #expect(v.finding == "Judged by what ran: one runtime started in all 3 test cases that observed it. 3 of 3 ran clean.", "\(v.finding ?? "")")
        }
    }
}
