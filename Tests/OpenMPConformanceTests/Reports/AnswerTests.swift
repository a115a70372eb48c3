import Foundation
import Testing
@testable import OpenMPConformance

/// Cells built in code for the answer and claim-judging tests: runtime names follow the
/// catalog, plans are real plan text, aborts end where a real probe would.
enum AnswerFixtures {
    static let runtimes = ReportFixtures.host().runtimes

    /// A cell that ran. `roles` are (framework, index) runtime names; `kind` is the profile kind tag.
    static func cell(_ name: String, roles: (String, String), kind: String, env: String, ordering: String = "framework-first",
                     meaning: String = "load+init", outcome: Outcome, allowed: [Outcome], claims: [String] = ["c"],
                     row: String = "r", abortAtStep: Int? = nil) -> CellResult {
        let first = ordering == "index-first" ? "index" : "framework"
        let second = first == "index" ? "framework" : "index"
        let setenv = env == "set-before-imports" ? "setenv KMP_DUPLICATE_LIB_OK=TRUE; " : ""
        let plan = meaning == "load"
            ? "\(setenv)load \(first); load \(second); parallel \(first); parallel \(second)"
            : "\(setenv)load \(first); init \(first); load \(second); init \(second)"
        let steps = plan.split(separator: ";").count
        var probe = ReportFixtures.probe(outcome, stderr: "", message: "m", repro: "repro \(name)")
        probe.stepsTotal = steps
        if outcome == .duplicateRuntimeAbort {
            probe.ending = .init(kind: .signaled, signal: 6, afterStep: abortAtStep ?? (steps - 1))
        }
        let id = "\(row)/\(name)/\(env)/\(ordering)/\(meaning)"
        var r = CellResult(id: id, row: row, claims: claims, profile: name, envMode: env, ordering: ordering,
                           importMeaning: meaning, tags: ["linux", kind], status: .ran, outcome: outcome, allowed: allowed,
                           verdict: Verdicts.verdict(outcome: outcome, allowed: allowed), reason: nil, durationSeconds: 0.1,
                           message: "m", repro: "repro \(name)", plan: plan, probe: probe)
        r.roleRuntimes = ["framework": roles.0, "index": roles.1]
        return r
    }

    /// A small run: aborts without the variable, a hang with it in one order, controls and a GNU pair.
    static func run(hangWithVariable: Bool = true, abortWhileLoading: Bool = false) -> [CellResult] {
        [
            cell("intel+llvm", roles: ("intel", "llvm14"), kind: "contending", env: "unset", outcome: .duplicateRuntimeAbort,
                 allowed: [.duplicateRuntimeAbort], abortAtStep: abortWhileLoading ? 2 : nil),
            cell("llvm14+llvm16", roles: ("llvm14", "llvm16"), kind: "contending", env: "unset", outcome: .duplicateRuntimeAbort,
                 allowed: [.duplicateRuntimeAbort]),
            cell("llvm14+llvm16", roles: ("llvm14", "llvm16"), kind: "contending", env: "exported",
                 outcome: hangWithVariable ? .hangAtExit : .pass, allowed: [.pass]),
            cell("llvm14+llvm16", roles: ("llvm14", "llvm16"), kind: "contending", env: "exported", ordering: "index-first",
                 outcome: .pass, allowed: [.pass]),
            cell("gnu+llvm", roles: ("gnu", "llvm14"), kind: "mixed", env: "unset", outcome: .pass, allowed: [.duplicateRuntimeAbort]),
            cell("shared-runtime", roles: ("llvm14", "llvm14"), kind: "control", env: "unset", outcome: .pass, allowed: [.pass]),
        ]
    }

    static func claim(_ id: String = "c", scope: Matrix.Claim.Scope = .kmpPairs, failures: [Outcome] = [],
                      readings: [Matrix.Claim.Reading] = [], findings: [ClaimState: String] = [:]) -> Matrix.Claim {
        var c = Matrix.Claim(id: id, statement: "a statement", source: .init(section: "S", quote: "the doc's words"),
                             method: "m", evidence: [], probe: nil, wheels: nil, untestableReason: nil,
                             location: SourceLocation(file: "claims.yaml", line: 1, column: 1))
        c.scope = scope; c.failures = failures; c.readings = readings; c.findings = findings
        return c
    }
}

@Suite("The answer section and claims judged in their own terms")
struct AnswerTests {
    @Test("the abort figures follow the results, both ways")
    func abortFigures() {
        let a = Answer.compute(results: AnswerFixtures.run(), runtimes: AnswerFixtures.runtimes)
        #expect(a.abort.contendingCells == 2 && a.abort.aborted == 2 && a.abort.atSecondStart == 2 && a.abort.atLoad == 0)
        #expect(a.abort.headline.contains("2 of 2 test cases with two runtime files of the Intel/LLVM kind (Intel and LLVM) aborted"))
        #expect(a.abort.headline.contains("every one at the second runtime's first OpenMP call, never at its load"))
        #expect(a.abort.headline.contains("GNU libgomp takes no part: all 1 test case with it on one side"))
        // An abort while loading changes the sentence.
        let b = Answer.compute(results: AnswerFixtures.run(abortWhileLoading: true), runtimes: AnswerFixtures.runtimes)
        #expect(b.abort.atLoad == 1 && b.abort.atSecondStart == 1)
        #expect(b.abort.headline.contains("(1 at the second runtime's first OpenMP call, 1 while loading)"))
        #expect(!b.abort.headline.contains("never at its load"))
    }

    @Test("the variable's figures name the pair, release and order, and change with the results")
    func variableFigures() throws {
        let a = Answer.compute(results: AnswerFixtures.run(), runtimes: AnswerFixtures.runtimes)
        #expect(a.variable.cells == 2 && a.variable.clean == 1)
        let f = try #require(a.variable.failures.first)
        #expect(f.pair == "LLVM 14 and LLVM 16" && f.outcome == "hang-at-exit")
        #expect(f.when == ["LLVM 14 starts first, then LLVM 16"] && f.cleanWhen == ["LLVM 16 starts first, then LLVM 14"])
        #expect(a.variable.headline.contains("1 of 2 test cases with two runtimes of the Intel/LLVM kind ran clean"))
        #expect(a.instead.lastResort.contains("1 hang at exit in 1 of 2 test cases"))
        let clean = Answer.compute(results: AnswerFixtures.run(hangWithVariable: false), runtimes: AnswerFixtures.runtimes)
        #expect(clean.variable.failures.isEmpty)
        #expect(clean.variable.headline.contains("all 2 test cases with two runtimes of the Intel/LLVM kind ran clean"))
        #expect(!clean.variable.headline.contains("hang"))
    }

    @Test("what to do instead counts the one-file controls; macOS says it did not run and why the wheels are missing")
    func insteadAndMacOS() {
        var cells = AnswerFixtures.run()
        cells.append(ReportFixtures.cell(row: "macos-lvm-training", profile: "intel+llvm", env: "unset", ordering: "framework-first",
                                         outcome: nil, allowed: [.duplicateRuntimeAbort]))
        let a = Answer.compute(results: cells, runtimes: AnswerFixtures.runtimes, wheels: [], wheelsMissing: "no wheel entry torch-macos-arm64")
        #expect(a.instead.controlCells == 1 && a.instead.controlClean == 1)
        #expect(a.instead.headline.contains("one LLVM 14 file"))
        #expect(a.macOS.headline.contains("macOS was not run on this host (1 macOS test case skipped)"))
        #expect(a.macOS.wheelsUntestable == "no wheel entry torch-macos-arm64")
        #expect(a.macOS.headline.contains("untestable here: no wheel entry torch-macos-arm64"))
        let w = WheelScan.Wheel(file: "torch-2.15.0-cp312-cp312-macosx_14_0_arm64.whl", package: "torch", version: "2.15.0",
                                platformTag: "macosx_14_0_arm64", libraries: [.init(path: "torch/lib/libomp.dylib", kind: .llvm)], error: nil)
        let b = Answer.compute(results: cells, runtimes: AnswerFixtures.runtimes, wheels: [w])
        #expect(b.macOS.wheels == ["torch 2.15.0 (macosx_14_0_arm64) bundles LLVM libomp (libomp.dylib)"])
        #expect(b.macOS.wheelsUntestable == nil)
    }

    @Test("a safety claim's counterexample is the with-variable hang, not a GNU+LLVM pass")
    func counterexampleByRelevance() throws {
        let gnu = AnswerFixtures.cell("gnu+llvm", roles: ("gnu", "llvm14"), kind: "mixed", env: "unset", meaning: "load",
                                      outcome: .pass, allowed: [.duplicateRuntimeAbort])
        let hang = AnswerFixtures.cell("llvm14+llvm16", roles: ("llvm14", "llvm16"), kind: "contending", env: "exported",
                                       outcome: .hangAtExit, allowed: [.pass])
        #expect(Verdicts.stepCount(gnu) == Verdicts.stepCount(hang))
        // Even when GNU cells count (scope any), the failure the claim is about wins; fewest steps only breaks ties.
        for scope in [Matrix.Claim.Scope.any, .kmpPairs] {
            let v = Verdicts.claim(AnswerFixtures.claim(scope: scope, failures: [.hangAtExit, .hang, .crash, .wrongResult]),
                                   results: [gnu, hang], runtimes: AnswerFixtures.runtimes)
            #expect(v.counterexample == hang.id, "scope \(scope)")
            #expect(v.counterexampleWords == "LLVM 14 starts first, then LLVM 16; variable exported before start; each started right after its load: hang at exit")
        }
        // The doc's own pair comes first of all.
        let doc = AnswerFixtures.cell("intel+llvm", roles: ("intel", "llvm14"), kind: "contending", env: "exported",
                                      outcome: .pass, allowed: [.duplicateRuntimeAbort])
        let v = Verdicts.claim(AnswerFixtures.claim(failures: [.hangAtExit]), results: [hang, doc], runtimes: AnswerFixtures.runtimes)
        #expect(v.counterexample == doc.id)
        #expect(v.counterexampleWhy?.hasPrefix("the doc's own pair (Intel 2025.2.1 and LLVM 14)") == true)
    }

    @Test("a claim whose only disagreeing cells are controls and GNU pairs holds; they are shown apart")
    func controlsExcluded() throws {
        let cells = [
            AnswerFixtures.cell("intel+llvm", roles: ("intel", "llvm14"), kind: "contending", env: "unset",
                                outcome: .duplicateRuntimeAbort, allowed: [.duplicateRuntimeAbort]),
            AnswerFixtures.cell("shared-runtime", roles: ("llvm14", "llvm14"), kind: "control", env: "unset",
                                outcome: .pass, allowed: [.duplicateRuntimeAbort]),
            AnswerFixtures.cell("gnu+llvm", roles: ("gnu", "llvm14"), kind: "mixed", env: "unset",
                                outcome: .pass, allowed: [.duplicateRuntimeAbort]),
        ]
        let v = Verdicts.claim(AnswerFixtures.claim(), results: cells, runtimes: AnswerFixtures.runtimes)
        #expect(v.state == .holds && v.verdict == .confirmed)
        #expect(v.agreeing == 1 && v.disagreeing == 0 && v.counterexample == nil)
        let apart = try #require(v.apart)
        #expect(apart.map(\.kind) == ["controls", "gnu-mixed"] && apart.map(\.cells) == [1, 1])
        // The same cells under scope any: the controls are counterexamples again.
        let any = Verdicts.claim(AnswerFixtures.claim(scope: .any), results: cells, runtimes: AnswerFixtures.runtimes)
        #expect(any.state != .holds && any.disagreeing == 2)
    }

    @Test("a condition the kit varied gives 'holds only when', and each reading of 'import' keeps its own evidence")
    func conditionalAndReadings() throws {
        let loads = AnswerFixtures.cell("intel+llvm", roles: ("intel", "llvm14"), kind: "contending", env: "set-after-loads",
                                        meaning: "load", outcome: .pass, allowed: [.duplicateRuntimeAbort])
        let inits = AnswerFixtures.cell("intel+llvm", roles: ("intel", "llvm14"), kind: "contending", env: "set-after-inits",
                                        outcome: .duplicateRuntimeAbort, allowed: [.duplicateRuntimeAbort])
        let readings: [Matrix.Claim.Reading] = [
            .init(words: "an import that only loads", envModes: [.setAfterLoads], imports: []),
            .init(words: "an import that starts the runtime", envModes: [.setAfterInits], imports: []),
        ]
        let v = Verdicts.claim(AnswerFixtures.claim(failures: [.pass], readings: readings,
                                                    findings: [.holdsOnlyWhen: "Too late only when {conditions}; {disagree} of {tested} took effect."]),
                               results: [loads, inits], runtimes: AnswerFixtures.runtimes)
        #expect(v.state == .holdsOnlyWhen)
        #expect(v.conditions == ["the import also starts the runtime"])
        #expect(v.finding == "Too late only when the import also starts the runtime; 1 of 2 took effect.")
        let r = try #require(v.readings)
        #expect(r.map(\.state) == [.doesNotHold, .holds])
        #expect(r.map(\.example) == [loads.id, inits.id])
    }

    @Test("the bundled claims' finding sentences are present and free of double negatives", arguments: MatrixFixtures.linux.claims)
    func findingWording(_ claim: Matrix.Claim) throws {
        // Each claim with cells has a sentence for every state its cells can reach; an untestable one for the rest.
        let needed: [ClaimState] = claim.untestableReason != nil || claim.id == "dyld-kills-process" || claim.id == "mps-cuda-no-openmp"
            ? [.untestable] : claim.wheels != nil ? [.holds, .doesNotHold, .untestable] : [.holds, .doesNotHold, .holdsOnlyWhen]
        for state in needed {
            let sentence = try #require(claim.findings[state], "\(claim.id) has no \(state.rawValue) sentence in claims.yaml")
            #expect(Self.negations(sentence) <= 1, "\(claim.id) \(state.rawValue): \(sentence)")
            for banned in ["refuted", "confirmed", "not un", "never not", "no longer not", "isn't not", "doesn't not"] {
                #expect(!sentence.lowercased().contains(banned), "\(claim.id) \(state.rawValue) uses '\(banned)'")
            }
        }
        // Claims whose doc wording is a negative are stated as the positive truth when they fail.
        let positive: [String: String] = [
            "export-does-not-propagate": "is inherited by the script",
            "after-imports-too-late": "still took effect",
            "linux-unaffected": "gives no protection",
            "safe-3-overly-conservative": "guards against real failures",
        ]
        if let phrase = positive[claim.id] { #expect(claim.findings[.doesNotHold]?.contains(phrase) == true) }
    }

    /// Negation words in a sentence (`without` is a preposition here, not a negation of a claim).
    static func negations(_ s: String) -> Int {
        let words = s.lowercased().split { !$0.isLetter && $0 != "'" }
        return words.filter { ["not", "no", "never", "none", "nothing", "neither", "nor", "cannot"].contains($0) || $0.hasSuffix("n't") }.count
    }

    @Test("the judged finding of the propagation claim is a plain true sentence")
    func judgedFinding() throws {
        let claim = try #require(MatrixFixtures.linux.claims.first { $0.id == "export-does-not-propagate" })
        let passed = AnswerFixtures.cell("intel+llvm", roles: ("intel", "llvm14"), kind: "contending", env: "wrapper-exported",
                                         outcome: .pass, allowed: [.duplicateRuntimeAbort], claims: [claim.id])
        let v = Verdicts.claim(claim, results: [passed], runtimes: AnswerFixtures.runtimes)
        #expect(v.state == .doesNotHold)
        #expect(v.finding == "An exported variable is inherited by the script the shell runs: in 1 of 1 cells it reached the program (1 clean run).")
        #expect(v.quote == "Runs in new shell, doesn't inherit")
    }

    @Test("hostile strings stay escaped in the answer sections of every format")
    func hostile() {
        let evil = ReportFixtures.hostile
        var cells = AnswerFixtures.run()
        cells[1].roleRuntimes = ["framework": evil, "index": "llvm16"]
        var host = ReportFixtures.host(key: evil)
        host.runtimes.append(RuntimeRecord(name: evil, path: "/x", family: "kmp", version: "1", source: "pypi:x==\(evil)", sha256: ""))
        var claim = Verdicts.claim(AnswerFixtures.claim(), results: cells, runtimes: host.runtimes)
        claim.finding = evil; claim.quote = evil; claim.counterexampleWords = evil
        claim.readings = [ReadingEvidence(reading: evil, agreeing: 1, disagreeing: 0, state: .holds, example: evil, exampleWords: evil)]
        let file = ResultsFile(partial: false, startedAt: "2026-12-01T10:00:00Z", finishedAt: nil, host: host,
                               environment: .init(scrubbed: [], passedThrough: [], pinned: [:]), selection: ["all"],
                               results: cells, claims: [claim]).annotated()
        let md = MarkdownReport.render(file)
        let html = HTMLReport.render(file)
        let term = TerminalSummary.render(file, color: false)
        let readme = ReadmeSection.render(ReadmeSection.Snapshot(file))
        for (name, text) in [("md", md), ("html", html), ("terminal", term), ("readme", readme)] {
            // Markup matters outside code spans in Markdown and anywhere in HTML; a terminal shows text.
            let markup = name == "html" ? text : name == "terminal" ? "" : text.split(separator: "\n").map { ReportChecks.stripCodeSpans(String($0)) }.joined(separator: "\n")
            #expect(!markup.contains("<script>"), "\(name) passes <script> through")
            #expect(!text.contains("\u{1B}[31m"), "\(name) passes a terminal escape through")
            #expect(!text.contains("\u{0}") && !text.contains("\u{7}"), "\(name) passes a control character through")
        }
        #expect(html.contains("&lt;script&gt;"))
        #expect(md.contains("\\<script\\>") || md.contains("&lt;script&gt;"))
        #expect(!md.contains("| `tick` |"), "a | in a table cell must be escaped")
        #expect(term.contains("<script>alert(1)</script>") || term.contains("alert(1)"), "the terminal shows the text, cleaned")
    }

    @Test("every report opens with the answer; the terminal summary colours only when asked")
    func answerFirst() {
        let file = ResultsFile(partial: false, startedAt: "2026-12-01T10:00:00Z", finishedAt: nil, host: ReportFixtures.host(),
                               environment: .init(scrubbed: [], passedThrough: [], pinned: [:]), selection: ["all"],
                               results: AnswerFixtures.run(), claims: [Verdicts.claim(AnswerFixtures.claim(), results: AnswerFixtures.run())]).annotated()
        let md = MarkdownReport.render(file)
        let answer = md.range(of: "## The answer on this host")!.lowerBound
        #expect(answer < md.range(of: "## The doc's claims, judged")!.lowerBound)
        #expect(md.range(of: "## The doc's claims, judged")!.lowerBound < md.range(of: "## Cells that ended otherwise")!.lowerBound)
        let html = HTMLReport.render(file)
        #expect(html.range(of: "The answer on this host")!.lowerBound < html.range(of: "The doc's claims, judged")!.lowerBound)
        let plain = TerminalSummary.render(file, color: false)
        #expect(plain.hasPrefix("The answer on ") && !plain.contains("\u{1B}"))
        #expect(TerminalSummary.render(file, color: true).contains("\u{1B}[1m"))
        #expect(!TerminalSummary.useColor(isTerminal: true, environment: ["NO_COLOR": "1"]))
        #expect(!TerminalSummary.useColor(isTerminal: false, environment: [:]))
        #expect(TerminalSummary.useColor(isTerminal: true, environment: ["TERM": "xterm"]))
    }

    @Test("a schema 1 results file still reads and reports; an unknown version names itself")
    func olderSchema() throws {
        var file = ResultsFile(schemaVersion: 1, partial: false, startedAt: "2026-11-27T11:24:03Z", finishedAt: nil, host: ReportFixtures.host(),
                               environment: .init(scrubbed: [], passedThrough: [], pinned: [:]), selection: ["all"],
                               results: AnswerFixtures.run().map { var c = $0; c.roleRuntimes = nil; return c }, claims: [])
        let data = try ResultsCodec.encode(file)
        let back = try ResultsCodec.decode(data, file: "old.json")
        #expect(back.schemaVersion == 1 && back.answer == nil)
        #expect(MarkdownReport.render(back).contains("## The answer on this host"))
        #expect(back.resolvedAnswer().abort.aborted == 2)
        file.schemaVersion = ResultsFile.currentSchemaVersion + 1
        let future = try ResultsCodec.encode(file)
        #expect(throws: InputError.self) { try ResultsCodec.decode(future, file: "new.json") }
        do { _ = try ResultsCodec.decode(future, file: "new.json") } catch {
            #expect("\(error)".contains("written by schema \(ResultsFile.currentSchemaVersion + 1), this tool reads 1 to \(ResultsFile.currentSchemaVersion)"))
        }
    }

    /// The committed atlas snapshot, where the answer's atlas evidence comes from.
    static let committedAtlas = "debian12-x86_64-glibc2.36"

    @Test("an atlas snapshot adds its pairs to the answer; without one the answer stands on the run alone")
    func atlasInput() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("atlas-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("Matrices/atlas"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        #expect(try AtlasEvidence.snapshot(hostKey: "h", root: root) == nil)
        // The committed snapshot's runtimes with three cells of known outcomes: one KMP pair that
        // hangs at exit with the variable, one that passes, and a diagonal that the answer leaves out.
        var atlas = try #require(try AtlasFixtures.committed(Self.committedAtlas))
        func cell(_ first: String, _ second: String, diagonal: AtlasCell.Diagonal? = nil, _ outcomes: [(AtlasVariant, Outcome)]) throws -> AtlasCell {
            let f = try #require(atlas.runtime(named: first)?.identity), s = try #require(atlas.runtime(named: second)?.identity)
            return AtlasCell(first: first, second: second, firstIdentity: f, secondIdentity: s, secondFile: nil, diagonal: diagonal, notRun: nil,
                             observations: outcomes.map { v, o in
                                 AtlasObservation(variant: v, plan: v.planText, outcomes: [o], runs: [o], repro: "", message: "", durationSeconds: 1)
                             })
        }
        atlas.cells = [try cell("llvm14", "llvm16", [(.withoutVariable, .duplicateRuntimeAbort), (.withVariable, .hangAtExit)]),
                       try cell("intel", "llvm19", [(.withVariable, .pass)]),
                       try cell("llvm14", "llvm14", diagonal: .control, [(.withVariable, .pass)])]
        try AtlasCodec.write(atlas, to: root.appendingPathComponent("Matrices/atlas/h.json"))
        let evidence = try #require(try AtlasEvidence.snapshot(hostKey: "h", root: root))
        #expect(evidence.observations.count == 3)
        let a = Answer.compute(results: AnswerFixtures.run(), runtimes: AnswerFixtures.runtimes, atlas: evidence)
        let part = try #require(a.atlas)
        #expect(part.lines.first == "With the variable, the atlas observed 2 ordered pairs of two runtimes of the Intel/LLVM kind (LLVM libomp, Intel libiomp5) (2 distinct outcomes of their probes); 1 of them did not always run clean.")
        // Every run of the order counted, not the distinct outcomes of two probes.
        #expect(part.lines.contains("LLVM 14 starts first, then LLVM 16: hangs at exit (1 of 1 run) when LLVM 16 is loaded second."), "\(part.lines)")
        #expect(Answer.compute(results: AnswerFixtures.run(), runtimes: AnswerFixtures.runtimes).atlas == nil)
        try "{".write(to: root.appendingPathComponent("Matrices/atlas/bad.json"), atomically: true, encoding: .utf8)
        #expect(throws: InputError.self) { try AtlasEvidence.snapshot(hostKey: "bad", root: root) }
    }

    @Test("the committed atlas snapshot gives one observation per distinct outcome of each variant of each off-diagonal KMP pair")
    func committedAtlasEvidence() throws {
        let evidence = try #require(try AtlasEvidence.snapshot(hostKey: Self.committedAtlas, root: URL(fileURLWithPath: TestRuntimes.root)))
        #expect(evidence.source == "Matrices/atlas/\(Self.committedAtlas).json")
        // The same counts read from the file with Foundation's JSON parser, independently of the atlas's codec.
        let data = try Data(contentsOf: URL(fileURLWithPath: TestRuntimes.root + "/" + evidence.source))
        let cells = try #require((try JSONSerialization.jsonObject(with: data) as? [String: Any])?["cells"] as? [[String: Any]])
        func family(_ c: [String: Any], _ key: String) -> String? { (c[key] as? [String: Any])?["family"] as? String }
        let pairs = cells.filter { $0["diagonal"] == nil && family($0, "firstIdentity") == "kmp" && family($0, "secondIdentity") == "kmp" }
        let observations = pairs.flatMap { $0["observations"] as? [[String: Any]] ?? [] }
        let withVariable = observations.filter { $0["variant"] as? String != "without" }
        #expect(!pairs.isEmpty)
        #expect(evidence.observations.count == observations.reduce(0) { $0 + Set($1["outcomes"] as? [String] ?? []).count })
        #expect(evidence.observations.filter(\.variable).count == withVariable.reduce(0) { $0 + Set($1["outcomes"] as? [String] ?? []).count })
        let part = try #require(Answer.compute(results: AnswerFixtures.run(), runtimes: AnswerFixtures.runtimes, atlas: evidence).atlas)
        #expect(part.lines.first?.hasPrefix("With the variable, the atlas observed \(pairs.count) ordered pairs of two runtimes of the Intel/LLVM kind") == true,
                "\(part.lines.first ?? "")")
    }

    @Test("cells and releases in words")
    func words() {
        let w = CellWords(runtimes: AnswerFixtures.runtimes)
        #expect(w.runtime("llvm16") == "LLVM 16" && w.runtime("intel") == "Intel 2025.2.1" && w.runtime("gnu") == "GNU libgomp 12.2.0")
        #expect(w.runtime("llvm14-copy") == "a second file of LLVM 14")
        let c = AnswerFixtures.cell("llvm14+llvm16", roles: ("llvm14", "llvm16"), kind: "contending", env: "exported", meaning: "load",
                                    outcome: .pass, allowed: [.pass])
        #expect(w.describe(c) == "LLVM 14 starts first, then LLVM 16; variable exported before start; both loaded first")
        #expect(ReportText.truncate("one two three four five six", 16) == "one two three …")
    }
}
