import Foundation
import Testing
@testable import OpenMPConformance

/// The three questions at the top of every report: computed from the cells and the atlas, so a
/// changed result changes the sentence; worded for a reader (present, a condition named, no
/// double negative, no term of art); escaped in every format.
@Suite("The three questions, answered from the results")
struct AnswerQuestionsTests {
    static let committedAtlas = "debian12-x86_64-glibc2.36"

    /// The committed atlas snapshot (its runtimes, identities and stand-ins) with `cells` in
    /// place of its measured cells.
    static func atlas(_ cells: [(String, String, [(AtlasVariant, [Outcome], AtlasRuntimesRan?)])]) throws -> AtlasEvidence {
        AtlasEvidence(try atlasResults(cells), source: "Matrices/atlas/\(committedAtlas).json")
    }

    /// The same, as the atlas file's model.
    static func atlasResults(_ cells: [(String, String, [(AtlasVariant, [Outcome], AtlasRuntimesRan?)])]) throws -> AtlasResults {
        var atlas = try #require(try AtlasFixtures.committed(committedAtlas))
        atlas.cells = try cells.map { first, second, observations in
            let f = try #require(atlas.runtime(named: first)?.identity), s = try #require(atlas.runtime(named: second)?.identity)
            return AtlasCell(first: first, second: second, firstIdentity: f, secondIdentity: s, secondFile: nil, diagonal: nil, notRun: nil,
                             observations: observations.map { v, runs, ran in
                                 AtlasObservation(variant: v, plan: v.planText, outcomes: ClaimJudgement.ordered(runs), runs: runs, repro: "",
                                                  message: "", durationSeconds: 1, runtimesRan: ran.map { [$0] })
                             })
        }
        return atlas
    }

    /// LLVM 16 started second after LLVM 14, LLVM 13 and Intel 2025 hangs at exit with the variable
    /// (loaded second); after LLVM 11 it runs, and LLVM 11 with LLVM 16 goes undetected.
    static func cells(hangAfterLLVM11: Bool = false, hangLoadedFirst: Bool = false, oneCleanRun: Bool = false,
                      undetected: Bool = true) -> [(String, String, [(AtlasVariant, [Outcome], AtlasRuntimesRan?)])] {
        func hanging(_ first: String, _ last: Bool = false) -> (String, String, [(AtlasVariant, [Outcome], AtlasRuntimesRan?)]) {
            (first, "llvm16", [(.withoutVariable, [.duplicateRuntimeAbort], nil),
                               (.withVariable, oneCleanRun && last ? [.hangAtExit, .pass, .hangAtExit] : [.hangAtExit, .hangAtExit, .hangAtExit], .two),
                               (.withVariableSecondLoadedFirst, [hangLoadedFirst ? .hangAtExit : .pass], .two)])
        }
        return [hanging("llvm14"), hanging("llvm13"), hanging("intel", true),
                ("llvm16", "llvm14", [(.withoutVariable, [.duplicateRuntimeAbort], nil), (.withVariable, [.pass], .two),
                                      (.withVariableSecondLoadedFirst, [.pass], .two)]),
                ("llvm11", "llvm16", [(.withoutVariable, [.pass], undetected ? .twoUndetected : .two),
                                      (.withVariable, [hangAfterLLVM11 ? .hangAtExit : .pass], .two),
                                      (.withVariableSecondLoadedFirst, [.pass], .two)])]
    }

    static func answer(_ results: [CellResult] = AnswerFixtures.run(), atlas: AtlasEvidence?) -> Answer {
        Answer.compute(results: results, runtimes: AnswerFixtures.runtimes, wheels: [], atlas: atlas, hostKey: "debian12-x86_64-glibc2.36")
    }

    static func text(_ a: Answer, _ id: String, platform: Int = 0) -> String {
        a.questions?.first { $0.id == id }?.answers.dropFirst(platform).first?.answer ?? ""
    }

    @Test("is it safe: the condition is computed from the atlas cells, and changes with them")
    func safeCondition() throws {
        let a = Self.answer(atlas: try Self.atlas(Self.cells()))
        let safe = Self.text(a, "safe")
        #expect(safe.hasPrefix("Not always: "), "\(safe)")
        #expect(safe.contains("hangs at exit when LLVM 16 is loaded and started second, after LLVM 14, LLVM 13 and Intel 2025.2.1 (3 of 4 pairs; after LLVM 11 it runs)"), "\(safe)")
        #expect(safe.contains("the same pairs run when LLVM 16 is loaded first"))
        #expect(safe.contains("every one of 9 runs of those orders: it follows the load order"), "\(safe)")
        #expect(safe.contains("two runtimes ran in 10 of 10 atlas probes with the variable"), "\(safe)")
        // After every other runtime: the condition becomes "any".
        let any = Self.text(Self.answer(atlas: try Self.atlas(Self.cells(hangAfterLLVM11: true))), "safe")
        #expect(any.contains("after any other runtime of the kind (4 of 4 pairs)"), "\(any)")
        // Hanging whichever was loaded first: the load order drops out of the condition.
        let loaded = Self.text(Self.answer(atlas: try Self.atlas(Self.cells(hangLoadedFirst: true))), "safe")
        #expect(loaded.contains("when LLVM 16 is started second, whichever was loaded first"), "\(loaded)")
        #expect(!loaded.contains("loaded and started second"))
        // One clean run among the repeats: described as varying, with counts.
        let varies = Self.text(Self.answer(atlas: try Self.atlas(Self.cells(oneCleanRun: true))), "safe")
        #expect(varies.contains("8 of 9 runs of those orders: it varies from run to run"), "\(varies)")
        // No failure in the atlas or the matrix: the answer says it ran clean.
        let clean = Self.text(Self.answer(AnswerFixtures.run(hangWithVariable: false),
                                          atlas: try Self.atlas([("llvm16", "llvm14", [(.withVariable, [.pass], .two)])])), "safe")
        #expect(clean.hasPrefix("It silenced the abort here: all 2 test cases with the variable ran clean."), "\(clean)")
    }

    @Test("do I need it: matrix figures and the undetected releases follow the results")
    func needFigures() throws {
        let a = Self.answer(atlas: try Self.atlas(Self.cells()))
        let need = Self.text(a, "need")
        #expect(need.hasPrefix("Yes, when two runtimes of the Intel/LLVM kind (LLVM libomp, Intel libiomp5) both start in one process: without the variable, 2 of 2 test cases"), "\(need)")
        #expect(need.contains("You do not need it when the other runtime is GNU libgomp (1 of 1 ran without the abort)"), "\(need)")
        #expect(need.contains("(1 of 5 ordered pairs in the atlas): LLVM 11 with LLVM 16."), "\(need)")
        let detected = Self.text(Self.answer(atlas: try Self.atlas(Self.cells(undetected: false))), "need")
        #expect(!detected.contains("never detect each other"), "\(detected)")
        // One abort fewer in the matrix: the figure changes.
        var cells = AnswerFixtures.run()
        cells[0].outcome = .pass
        #expect(Self.text(Self.answer(cells, atlas: nil), "need").contains("without the variable, 1 of 2 test cases"))
        // No abort at all: the answer turns around.
        cells[1].outcome = .pass
        #expect(Self.text(Self.answer(cells, atlas: nil), "need").hasPrefix("Not here: none of 2 test cases"))
    }

    @Test("what to do instead: one runtime with its evidence; the copies, the newer release, the unmeasured channel and the last resort's costs")
    func instead() throws {
        var cells = AnswerFixtures.run()
        cells.append(AnswerFixtures.cell("llvm14+copy", roles: ("llvm14", "llvm14-copy"), kind: "contending", env: "unset",
                                         outcome: .duplicateRuntimeAbort, allowed: [.duplicateRuntimeAbort]))
        let a = Self.answer(cells, atlas: try Self.atlas(Self.cells()))
        let q = try #require(a.questions?.first { $0.id == "instead" }?.answers.first)
        #expect(q.answer.hasPrefix("Put one OpenMP runtime in the process: with one runtime file for both libraries, 1 of 1 test case ran clean without the variable."), "\(q.answer)")
        let details = q.details.joined(separator: "\n")
        #expect(details.contains("opened by path as these test cases open them, aborted in 1 of 1"), "\(details)")
        // With or without the atlas's stack shapes: "… need one SONAME [from two folders] are given one file by the loader".
        #expect(details.contains(#/Two libraries that need one SONAME( from two folders)? are given one file by the loader/#), "\(details)")
        #expect(!details.contains("must be replaced"))
        #expect(details.contains("keeping the newer release"))
        #expect(details.contains("Install both from one channel (not measured here)"))
        #expect(details.contains("each with its own thread pool (two runtimes ran in 10 of 10 atlas probes with it)"), "\(details)")
        #expect(details.contains("In the atlas, it hangs at exit when LLVM 16 is loaded and started second"))
    }

    @Test("macOS: the doc's package pairs from the committed atlas's stand-ins, cells read independently")
    func macOSPairs() throws {
        let evidence = try #require(try AtlasEvidence.snapshot(hostKey: Self.committedAtlas, root: URL(fileURLWithPath: TestRuntimes.root)))
        let a = Self.answer(atlas: evidence)
        // The same cells read with Foundation's JSON parser.
        let data = try Data(contentsOf: URL(fileURLWithPath: TestRuntimes.root + "/" + evidence.source))
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let standIns = try #require(json["standIns"] as? [[String: Any]])
        let torch = try #require(standIns.first { ($0["wheelSource"] as? String)?.hasPrefix("pypi:torch==") == true })
        let faiss = try #require(standIns.first { ($0["wheelSource"] as? String)?.hasPrefix("pypi:faiss-cpu==") == true })
        let cells = try #require(json["cells"] as? [[String: Any]])
        func runs(_ first: Any?, _ second: Any?, _ variant: String) -> [String] {
            let c = cells.first { $0["first"] as? String == first as? String && $0["second"] as? String == second as? String }
            let o = (c?["observations"] as? [[String: Any]])?.first { $0["variant"] as? String == variant }
            return o?["runs"] as? [String] ?? []
        }
        let with = runs(torch["standIn"], faiss["standIn"], "with")
        let q = try #require(a.questions?.first { $0.id == "safe" }?.answers.dropFirst().first)
        #expect(q.platform == "macOS: read from the wheels; Linux builds of the same release stand in")
        let torchName = (torch["wheelSource"] as! String).dropFirst(5).replacingOccurrences(of: "==", with: " ")
        #expect(q.answer.contains("\(torchName) (LLVM \(torch["release"] as! String))"), "\(q.answer)")
        let verb = with.allSatisfy { $0 == "hang-at-exit" } ? "hangs at exit" : with.allSatisfy { $0 == "pass" } ? "runs" : "varies"
        #expect(q.answer.contains("torch's started first: \(verb)"), "\(q.answer) vs \(with)")
        // scikit-learn from the wheel catalog: its LLVM 11.1 stood in for by the atlas's LLVM 11 build.
        let sk = runs("llvm19", "llvm11", "without"), skBack = runs("llvm11", "llvm19", "without")
        let need = try #require(a.questions?.first { $0.id == "need" }?.answers.dropFirst().first?.answer)
        #expect(need.contains("scikit-learn 1.9.1 (LLVM 11.1; its stand-in is LLVM 11.0.1, the same major release)"), "\(need)")
        if (sk + skBack).allSatisfy({ $0 == "pass" }) {
            #expect(need.contains("no Error #15: their Linux stand-ins never detect each other"), "\(need)")
            #expect(need.contains("whether the macOS builds detect each other is not measured here"), "\(need)")
        }
        #expect(!need.contains("not answered"), "\(need)")
        // Linux comes first, labelled for what it is.
        #expect(a.questions?.allSatisfy { $0.answers.first?.platform == "Linux (run here)" } == true)
    }

    /// The committed atlases (Linux and Windows) with `change` applied to one of them, read with
    /// the committed wheel catalog.
    static func packageEvidence(linux: (inout AtlasResults) -> Void = { _ in }, windows: (inout AtlasResults) -> Void = { _ in }) throws -> AtlasEvidence {
        let root = URL(fileURLWithPath: TestRuntimes.root)
        var atlas = try #require(try AtlasFixtures.committed(committedAtlas))
        var win = try AtlasCodec.read(try #require(WindowsAtlas.snapshotURL(hostKey: committedAtlas, packageRoot: root)))
        linux(&atlas); windows(&win)
        let catalog = try WheelCatalog.load(root.appendingPathComponent("Matrices/wheels/catalog.yaml"))
        return AtlasEvidence(atlas, source: "linux.json", catalog: catalog, windows: (win, "windows.json"))
    }

    /// Sets the runs without the variable of the cell `first` then `second` (a diagonal when they are equal).
    static func setWithout(_ a: inout AtlasResults, _ first: String, _ second: String, _ runs: [Outcome], ran: AtlasRuntimesRan? = nil) {
        for i in a.cells.indices where a.cells[i].first == first && a.cells[i].second == second {
            for j in a.cells[i].observations.indices where a.cells[i].observations[j].variant == .withoutVariable {
                a.cells[i].observations[j].runs = runs
                a.cells[i].observations[j].outcomes = ClaimJudgement.ordered(runs)
                a.cells[i].observations[j].runtimesRan = ran.map { [$0] }
            }
        }
    }

    static func platformAnswer(_ e: AtlasEvidence, _ id: String, _ prefix: String) -> String {
        Self.answer(atlas: e).questions?.first { $0.id == id }?.answers.first { $0.platform.hasPrefix(prefix) }?.answer ?? ""
    }

    @Test("macOS: torch + scikit-learn from the wheel catalog and the LLVM 11 stand-in's cells, in both directions")
    func macOSScikitLearn() throws {
        let measured = Self.platformAnswer(try Self.packageEvidence(), "need", "macOS")
        #expect(measured.contains("torch 2.15.0 (LLVM 19.1) with scikit-learn 1.9.1 (LLVM 11.1; its stand-in is LLVM 11.0.1, the same major release): no Error #15"), "\(measured)")
        // The stand-ins abort in one order: the sentence says so, with the order.
        let changed = Self.platformAnswer(try Self.packageEvidence(linux: { Self.setWithout(&$0, "llvm19", "llvm11", [.duplicateRuntimeAbort]) }), "need", "macOS")
        #expect(changed.contains("scikit-learn 1.9.1 (LLVM 11.1; its stand-in is LLVM 11.0.1, the same major release): in some start orders: their Linux stand-ins abort in 1 of 2 start orders (torch's started first: aborts (1 of 1 run); scikit-learn's started first: runs (1 of 1 run), both runtimes started, neither detecting the other)"), "\(changed)")
        // Both orders abort: yes.
        let both = Self.platformAnswer(try Self.packageEvidence(linux: {
            Self.setWithout(&$0, "llvm19", "llvm11", [.duplicateRuntimeAbort]); Self.setWithout(&$0, "llvm11", "llvm19", [.duplicateRuntimeAbort])
        }), "need", "macOS")
        #expect(both.contains("scikit-learn 1.9.1 (LLVM 11.1; its stand-in is LLVM 11.0.1, the same major release): yes, their Linux stand-ins abort"), "\(both)")
        #expect(!both.contains("whether the macOS builds detect each other"), "\(both)")
    }

    @Test("Windows: torch + ctranslate2 from the Windows atlas under Wine, vcomp140 taking no part, in both directions")
    func windowsPairs() throws {
        let e = try Self.packageEvidence()
        let need = Self.platformAnswer(e, "need", "Windows")
        #expect(need.contains("torch 2.15.0 (libiomp5md.dll = intel-openmp 2026.2.0's, the same DLL by SHA-256) with ctranslate2 4.8.5 (libiomp5md.dll, its own Intel build 20250910): yes, the real DLLs under Wine abort without the variable in every start order measured"), "\(need)")
        #expect(need.contains("faiss-cpu 1.15.1 and scikit-learn 1.9.1 ship Microsoft's vcomp140.dll, which takes no part: beside torch 2.15.0's or ctranslate2 4.8.5's runtime it ran without Error #15 in 4 of 4 start orders"), "\(need)")
        let q = try #require(Self.answer(atlas: e).questions?.first { $0.id == "need" }?.answers.first { $0.platform.hasPrefix("Windows") })
        #expect(q.platform == "Windows: the real DLLs under Wine 8.0, not Windows")
        #expect(Self.platformAnswer(e, "safe", "Windows").contains("with the variable: torch's started first: runs (1 of 1 run); ctranslate2's started first: runs (1 of 1 run)"))
        // The other direction: the pair runs in one order, vcomp140 aborts beside torch's DLL.
        let changed = try Self.packageEvidence(windows: {
            Self.setWithout(&$0, "win-intel-2026", "win-ctranslate2-4.8.5", [.pass])
            Self.setWithout(&$0, "win-vcomp140", "win-intel-2026", [.duplicateRuntimeAbort])
        })
        let after = Self.platformAnswer(changed, "need", "Windows")
        #expect(after.contains("in some start orders: the real DLLs under Wine abort in 1 of 2 start orders (torch's started first: runs (1 of 1 run); ctranslate2's started first: aborts (1 of 1 run))"), "\(after)")
        #expect(after.contains("which took part: beside torch 2.15.0's or ctranslate2 4.8.5's runtime it ran without Error #15 in 3 of 4 start orders"), "\(after)")
        // Worded for a reader, like the Linux answers.
        for q in Self.answer(atlas: e).questions ?? [] {
            for p in q.answers where !p.platform.hasPrefix("Linux") {
                for b in Self.banned { #expect(!p.answer.contains(b), "\(p.platform) \(q.id) says '\(b)': \(p.answer)") }
            }
        }
        // A host with no Windows atlas snapshot: the Windows pair is not answered, and says why.
        let root = try makeTemporaryDirectory("omp-no-windows")
        defer { try? FileManager.default.removeItem(at: root) }
        for dir in ["Matrices/atlas", "Matrices/wheels"] {
            try FileManager.default.createDirectory(at: root.appendingPathComponent(dir), withIntermediateDirectories: true)
        }
        for f in ["Matrices/atlas/\(Self.committedAtlas).json", "Matrices/wheels/catalog.yaml"] {
            try FileManager.default.copyItem(atPath: TestRuntimes.root + "/" + f, toPath: root.appendingPathComponent(f).path)
        }
        let noWindows = try #require(try AtlasEvidence.snapshot(hostKey: Self.committedAtlas, root: root))
        let unanswered = Self.platformAnswer(noWindows, "need", "Windows")
        #expect(unanswered.hasPrefix("torch + ctranslate2: not answered: no Windows atlas snapshot"), "\(unanswered)")
        // Without a Windows atlas: no Windows paragraph.
        var linuxOnly = e
        linuxOnly.windows = nil
        #expect(Self.platformAnswer(linuxOnly, "need", "Windows").isEmpty)
    }

    /// Phrasings a reader misreads, or terms of art the answer must not use.
    static let banned = ["does not hold", "KMP-family", "cells", "@linux", "shown apart", "of 2 observations", "must be replaced",
                         "not unsafe", "not un", "never not", "no not", "doesn't not"]

    @Test("wording: each question present, naming its condition, none of the banned phrasings",
          arguments: [true, false])
    func wording(withAtlas: Bool) throws {
        let a = Self.answer(atlas: withAtlas ? try Self.atlas(Self.cells()) : nil)
        let questions = try #require(a.questions)
        #expect(questions.map(\.question) == ["Do I need KMP_DUPLICATE_LIB_OK?", "Is it safe?", "What to do instead?"])
        let condition = ["need": "when", "safe": "when", "instead": "one OpenMP runtime"]
        for q in questions {
            let first = try #require(q.answers.first)
            #expect(!first.answer.isEmpty)
            #expect(first.answer.contains(condition[q.id]!), "\(q.id) names no condition: \(first.answer)")
            for p in q.answers {
                for text in [p.answer] + p.details {
                    for b in Self.banned { #expect(!text.contains(b), "\(q.id) says '\(b)': \(text)") }
                }
            }
        }
    }

    @Test("hostile package and runtime names stay escaped in the questions of every format")
    func hostile() throws {
        let evil = ReportFixtures.hostile
        var atlas = try #require(try AtlasFixtures.committed(Self.committedAtlas))
        atlas.standIns = atlas.standIns.map { s in
            guard s.wheelSource.hasPrefix("pypi:torch==") else { return s }
            var s = s; s.wheelSource = "pypi:torch==\(evil)"; s.release = evil; return s
        }
        let evidence = AtlasEvidence(atlas, source: "Matrices/atlas/\(evil).json")
        let file = ResultsFile(partial: false, startedAt: "2026-12-01T10:00:00Z", finishedAt: nil, host: ReportFixtures.host(),
                               environment: .init(scrubbed: [], passedThrough: [], pinned: [:]), selection: ["all"],
                               results: AnswerFixtures.run(), claims: []).annotated(atlas: evidence)
        #expect(file.answer?.questions?.flatMap(\.answers).contains { $0.answer.contains("alert(1)") } == true, "the hostile name reaches the questions")
        let outputs = [("md", MarkdownReport.render(file, atlas: evidence)), ("html", HTMLReport.render(file, atlas: evidence)),
                       ("terminal", TerminalSummary.render(file, color: false, atlas: evidence)),
                       ("readme", ReadmeSection.render(ReadmeSection.Snapshot(file)))]
        for (name, text) in outputs {
            let markup = name == "html" ? text : name == "terminal" ? "" : text.split(separator: "\n").map { ReportChecks.stripCodeSpans(String($0)) }.joined(separator: "\n")
            #expect(!markup.contains("<script>"), "\(name) passes <script> through")
            #expect(!text.contains("\u{1B}[31m") && !text.contains("\u{0}") && !text.contains("\u{7}"), "\(name) passes a control through")
            #expect(text.contains("Is it safe?"), "\(name) does not ask the question")
        }
    }
}
