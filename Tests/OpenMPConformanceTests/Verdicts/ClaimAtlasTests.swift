import Foundation
import Testing
@testable import OpenMPConformance

/// The doc's claims judged with the atlas beside the matrix: the general order rule, the
/// mechanism of `first-one-loaded`, concurrent and nested use, and the stack shapes. Every input
/// is a result (the committed atlas's runtimes with cells, shapes and concurrent cells put in);
/// each test changes a result and sees the sentence change.
@Suite("Claims judged with the atlas")
struct ClaimAtlasTests {
    typealias Cells = [(String, String, [(AtlasVariant, [Outcome], AtlasRuntimesRan?)])]

    /// The committed atlas snapshot with `cells`, `shapes` and `concurrency` in place of its own.
    static func atlas(_ cells: Cells = AnswerQuestionsTests.cells(), shapes: [(StackShape, String, String, Outcome, Int?)] = [],
                      concurrency: [(AtlasConcurrencyCell.Kind, String, String, [Outcome], Int?, Int?)] = []) throws -> AtlasEvidence {
        var atlas = try AnswerQuestionsTests.atlasResults(cells)
        atlas.shapes = shapes.isEmpty ? nil : shapes.map { shape, f, s, outcome, started in
            AtlasShapeCell(shape: shape, first: f, second: s, outcome: outcome, skipped: nil, message: "", repro: "",
                           ran: .init(mappedFiles: 2, runtimesStarted: started, teamThreads: nil, osThreads: nil), durationSeconds: 1)
        }
        atlas.concurrency = concurrency.isEmpty ? nil : concurrency.map { kind, f, s, runs, team, os in
            AtlasConcurrencyCell(kind: kind, first: f, second: s, plan: kind.planText, runs: runs, repro: "", message: "",
                                 ran: .init(mappedFiles: 2, runtimesStarted: 2, teamThreads: team, osThreads: os), durationSeconds: 1)
        }
        atlas.environment.pinned["OMP_NUM_THREADS"] = "2"
        return AtlasEvidence(atlas, source: "Matrices/atlas/\(AnswerQuestionsTests.committedAtlas).json")
    }

    /// Every sampled pair of the shapes, aborting in the shapes where two runtimes start unless `abortIn` says otherwise.
    static func shapes(abortIn: Set<StackShape> = [.ownHandle, .linkedRenamed]) -> [(StackShape, String, String, Outcome, Int?)] {
        AtlasShapeCell.samplePairs.flatMap { f, s in
            StackShape.allCases.map { shape in
                abortIn.contains(shape) ? (shape, f, s, Outcome.duplicateRuntimeAbort, 2) : (shape, f, s, Outcome.pass, 1)
            }
        }
    }

    /// The matrix's cells with the variable (a hang when LLVM 14 starts first, then LLVM 16; clean
    /// the other way), as evidence for `claim`.
    static func variableCells(_ claim: String) -> [CellResult] {
        AnswerFixtures.run().filter { $0.envMode == "exported" }.map { var r = $0; r.claims = [claim]; return r }
    }

    /// The matrix's cells without the variable on Linux (aborts), as evidence for `claim`.
    static func linuxCells(_ claim: String) -> [CellResult] {
        AnswerFixtures.run().filter { $0.envMode == "unset" }.map { r -> CellResult in
            var r = r
            r.claims = [claim]
            r.allowed = [.pass]
            r.verdict = Verdicts.verdict(outcome: r.outcome!, allowed: r.allowed)
            return r
        }
    }

    static func judge(_ id: String, _ cells: [CellResult], atlas: AtlasEvidence?, failures: [Outcome] = [.hangAtExit, .hang, .crash]) -> ClaimVerdict {
        Verdicts.claim(AnswerFixtures.claim(id, failures: failures), results: cells, runtimes: AnswerFixtures.runtimes, atlas: atlas)
    }

    @Test("the variable's claims name the atlas's general order, not one profile's pair, and follow its cells",
          arguments: ["safe-1-same-standard", "safe-2-not-mixing", "safe-3-overly-conservative", "set-before-imports"])
    func generalCondition(_ id: String) throws {
        let matrixOnly = Self.judge(id, Self.variableCells(id), atlas: nil)
        #expect(matrixOnly.conditions?.contains { $0.contains("detects it") } == false, "\(matrixOnly.conditions ?? [])")

        let v = Self.judge(id, Self.variableCells(id), atlas: try Self.atlas())
        #expect(v.state == .holdsOnlyWhen)
        #expect(v.conditions == ["no LLVM 16 is loaded and started second after a runtime of the Intel/LLVM kind that detects it"], "\(v.conditions ?? [])")
        let f = try #require(v.finding)
        #expect(f.contains("atlas: it hangs at exit in 3 of the 4 pairs with LLVM 16 loaded and started second"), "\(f)")
        #expect(f.contains("after LLVM 11, which do not detect it, it runs"), "\(f)")
        #expect(f.contains("deterministic by load order: 9 of 9 runs in that order, 0 of 3 with LLVM 16 loaded first"), "\(f)")
        #expect(f.contains("Matrix: 1 of 2 test cases agreed, 1 gave 1 hang at exit"), "\(f)")

        // LLVM 11 does not detect LLVM 16, yet it hangs after it too: the rule lists the runtimes instead.
        let listed = Self.judge(id, Self.variableCells(id), atlas: try Self.atlas(AnswerQuestionsTests.cells(hangAfterLLVM11: true)))
        #expect(listed.conditions == ["no LLVM 16 is loaded and started second after LLVM 14, LLVM 13, Intel 2025.2.1 and LLVM 11"], "\(listed.conditions ?? [])")
        // Hanging whichever is loaded first: the order is "started second".
        let either = Self.judge(id, Self.variableCells(id), atlas: try Self.atlas(AnswerQuestionsTests.cells(hangLoadedFirst: true)))
        #expect(either.conditions?.first?.hasPrefix("no LLVM 16 is started second after") == true, "\(either.conditions ?? [])")
        // One clean run among the repeats: varying, with counts.
        let varying = Self.judge(id, Self.variableCells(id), atlas: try Self.atlas(AnswerQuestionsTests.cells(oneCleanRun: true)))
        #expect(varying.finding?.contains("varying: 8 of 9 runs in that order") == true, "\(varying.finding ?? "")")
    }

    @Test("the Windows atlas is read beside the Linux one, labelled and counted apart")
    func windowsAtlas() throws {
        let id = "safe-1-same-standard"
        var atlas = try #require(try AtlasEvidence.snapshot(hostKey: AnswerQuestionsTests.committedAtlas, root: URL(fileURLWithPath: TestRuntimes.root)))
        try #require(!atlas.windowsPairs.isEmpty, "the committed Windows atlas has pairs")
        let runs = atlas.windowsPairs.flatMap { $0.withVariable + $0.withLoadedFirst }
        let clean = runs.filter { $0 == .pass }.count
        let v = Self.judge(id, Self.variableCells(id), atlas: atlas)
        let label = "Windows: the real DLLs under Wine 8.0, not Windows"
        if clean == runs.count {
            #expect(v.finding?.contains("\(label): \(clean) of \(runs.count) runs with the variable ran clean (\(atlas.windowsPairs.count) ordered pairs).") == true, "\(v.finding ?? "")")
        } else {
            #expect(v.finding?.contains("\(label): ") == true, "\(v.finding ?? "")")
        }
        // One Windows pair hanging with the variable: the Windows sentence states its own rule.
        atlas.windowsPairs[0].withVariable = [.hangAtExit]
        let w = Self.judge(id, Self.variableCells(id), atlas: atlas)
        #expect(w.finding?.contains("\(label): it fails when \(atlas.windowsPairs[0].second) is loaded and started second, after") == true, "\(w.finding ?? "")")
    }

    @Test("first-one-loaded is judged by what ran: two runtimes with the variable refute it; one runtime would not")
    func firstOneLoaded() throws {
        let id = "first-one-loaded"
        let v = Self.judge(id, Self.variableCells(id),
                           atlas: try Self.atlas(concurrency: [(.nest, "llvm16", "llvm14", [.pass], 4, 6)]))
        #expect(v.state == .doesNotHold)
        let f = try #require(v.finding)
        #expect(f.hasPrefix("Judged by what ran, not only by survival: "), "\(f)")
        #expect(f.contains("both runtimes stay active, each with its own thread pool (two runtimes ran in 10 of 10 atlas probes"), "\(f)")
        #expect(f.contains("nested (a region of LLVM 14 inside each of LLVM 16's 2 threads): 4 OpenMP threads and 6 OS threads (2×2 at 2 threads per team)"), "\(f)")
        #expect(f.contains("It went on cleanly only when no LLVM 16 is loaded and started second"), "\(f)")

        // Had one runtime run in every probe with the variable, the mechanism would not be refuted.
        let one: Cells = AnswerQuestionsTests.cells().map { f, s, obs in
            (f, s, obs.map { v, runs, ran in (v, runs, v == .withoutVariable ? ran : .one) })
        }
        let w = Self.judge(id, Self.variableCells(id), atlas: try Self.atlas(one))
        #expect(w.state == .holdsOnlyWhen)
        #expect(w.finding?.hasPrefix("Judged by what ran: one runtime ran in all 10 atlas probes with the variable.") == true, "\(w.finding ?? "")")
    }

    @Test("safe-2 reads concurrent first use (varying, with counts) and nesting (threads), or says they were not measured")
    func concurrentUse() throws {
        let id = "safe-2-not-mixing"
        let racing: [Outcome] = [.hangAtExit, .pass, .hangAtExit, .pass, .pass, .hangAtExit, .pass, .hangAtExit, .pass, .hangAtExit]
        let v = Self.judge(id, Self.variableCells(id), atlas: try Self.atlas(concurrency: [
            (.race, "intel", "llvm16", racing, nil, nil), (.race, "llvm16", "llvm14", Array(repeating: .pass, count: 10), nil, nil),
            (.nest, "llvm16", "llvm14", [.pass], 4, 5)]))
        let f = try #require(v.finding)
        #expect(f.contains("Under concurrent first use (first calls from two threads at once), it varies from run to run (a race): it hangs at exit in 5 of 10 runs with Intel 2025.2.1 then LLVM 16, 0 of 10 runs with LLVM 16 then LLVM 14."), "\(f)")
        #expect(f.contains("Nested use (one runtime's region inside each thread of the other's): nested (a region of LLVM 14 inside each of LLVM 16's 2 threads): 4 OpenMP threads and 5 OS threads"), "\(f)")
        // Every run hanging: the same every time, not a race.
        let steady = Self.judge(id, Self.variableCells(id), atlas: try Self.atlas(concurrency: [
            (.race, "intel", "llvm16", Array(repeating: .hangAtExit, count: 10), nil, nil)]))
        #expect(steady.finding?.contains("every run agreed: it hangs at exit in 10 of 10 runs with Intel 2025.2.1 then LLVM 16") == true, "\(steady.finding ?? "")")
        // The answer to "is it safe?" says the same.
        let safe = AnswerQuestionsTests.text(AnswerQuestionsTests.answer(atlas: try Self.atlas(concurrency: [(.race, "intel", "llvm16", racing, nil, nil)])), "safe")
        #expect(safe.contains("it varies from run to run (a race): it hangs at exit in 5 of 10 runs with Intel 2025.2.1 then LLVM 16."), "\(safe)")
        #expect(!AnswerQuestionsTests.text(AnswerQuestionsTests.answer(atlas: try Self.atlas()), "safe").contains("concurrent first use"))
        let none = Self.judge(id, Self.variableCells(id), atlas: try Self.atlas())
        #expect(none.finding?.contains("Concurrent first use and nesting were not in this atlas") == true)
    }

    @Test("the Linux claims hold only in the shapes where the loader gives one runtime, computed from the shapes",
          arguments: ["linux-unaffected", "inference-usually-fine"])
    func linuxShapes(_ id: String) throws {
        let matrixOnly = Self.judge(id, Self.linuxCells(id), atlas: try Self.atlas(), failures: [.duplicateRuntimeAbort])
        #expect(matrixOnly.state == .doesNotHold)

        let v = Self.judge(id, Self.linuxCells(id), atlas: try Self.atlas(shapes: Self.shapes()), failures: [.duplicateRuntimeAbort])
        #expect(v.state == .holdsOnlyWhen)
        // The shapes where the loader gives one runtime, as the kit knows them (each sampled in 4 pairs by Self.shapes()).
        func words(_ xs: [StackShape]) -> String {
            let names = xs.map(\.rawValue)
            return names.count < 2 ? names.joined() : names.dropLast().joined(separator: ", ") + " and " + names.last!
        }
        let oneRuntime = StackShape.allCases.filter { $0 != .ownHandle && $0 != .linkedRenamed }
        #expect(v.conditions == ["the loader gives both libraries one runtime (\(words(oneRuntime)))"], "\(v.conditions ?? [])")
        let f = try #require(v.finding)
        #expect(f.contains("two runtime files opened by path or under renamed SONAMEs abort on Linux too (own-handle 4 of 4 sampled pairs and linked-renamed 4 of 4 sampled pairs, no variable)"), "\(f)")
        #expect(f.contains("0 of \(oneRuntime.count * 4) probes aborted, one runtime started in each"), "\(f)")

        // Same-SONAME copies aborting too: that shape leaves the condition.
        let w = Self.judge(id, Self.linuxCells(id), atlas: try Self.atlas(shapes: Self.shapes(abortIn: [.ownHandle, .linkedRenamed, .linkedSameSoname])),
                           failures: [.duplicateRuntimeAbort])
        #expect(w.conditions == ["the loader gives both libraries one runtime (\(words(oneRuntime.filter { $0 != .linkedSameSoname })))"],
                "\(w.conditions ?? [])")
        // Every shape aborting: it does not hold, whatever the shape.
        let all = Self.judge(id, Self.linuxCells(id), atlas: try Self.atlas(shapes: Self.shapes(abortIn: Set(StackShape.allCases))),
                             failures: [.duplicateRuntimeAbort])
        #expect(all.state == .doesNotHold)
    }

    @Test("the Linux claims name the Linux wheels that bring a runtime of the Intel/LLVM kind, from the catalog")
    func linuxWheels() throws {
        let id = "linux-unaffected"
        var atlas = try Self.atlas(shapes: Self.shapes())
        atlas.wheelCatalog = try #require(try AtlasEvidence.snapshot(hostKey: AnswerQuestionsTests.committedAtlas,
                                                                     root: URL(fileURLWithPath: TestRuntimes.root))?.wheelCatalog)
        let catalog = try #require(atlas.wheelCatalog)
        let linux = catalog.wheels.filter { $0.platform == .linux }
        let kmp = linux.filter { w in w.runtimes.contains { $0.family == "kmp" } }
        let v = Self.judge(id, Self.linuxCells(id), atlas: atlas, failures: [.duplicateRuntimeAbort])
        #expect(v.finding?.contains("Wheel catalog: \(kmp.count) of \(linux.count) Linux wheels bring a runtime of the Intel/LLVM kind") == true, "\(v.finding ?? "")")
        // Only one package left with such a runtime: no stack of them starts two.
        atlas.wheelCatalog?.wheels.removeAll { w in w.platform == .linux && w.runtimes.contains { $0.family == "kmp" } && w.package != kmp.first?.package }
        let one = Self.judge(id, Self.linuxCells(id), atlas: atlas, failures: [.duplicateRuntimeAbort])
        #expect(one.finding?.contains("no stack of these Linux wheels starts two such runtimes") == true, "\(one.finding ?? "")")
    }

    @Test("the rows about Linux read the shapes too")
    func linuxRows() throws {
        let m = try Matrix.bundled(manifest: Dictionary(AnswerFixtures.runtimes.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a }))
        let cells = AnswerFixtures.run().filter { $0.envMode == "unset" }.map { r -> CellResult in
            var r = r; r.row = "linux-cpu-training"; r.allowed = [.pass]; r.verdict = Verdicts.verdict(outcome: r.outcome!, allowed: [.pass]); return r
        }
        let row = try #require(Verdicts.rows(m, results: cells, runtimes: AnswerFixtures.runtimes, atlas: try Self.atlas(shapes: Self.shapes()))
            .first { $0.id == "linux-cpu-training" })
        #expect(row.state == .holdsOnlyWhen, "\(row.finding ?? "")")
        #expect(row.finding?.contains("(runtime files opened by path)") == true, "\(row.finding ?? "")")
    }

    @Test("the vendored-copy advice and the last resort come from the shapes and the nested cells")
    func answerEvidence() throws {
        let run = AnswerFixtures.run() + [AnswerFixtures.cell("vendored-copies", roles: ("llvm14", "llvm14-copy"), kind: "contending", env: "unset",
                                                              outcome: .duplicateRuntimeAbort, allowed: [.duplicateRuntimeAbort])]
        let measured = AnswerQuestionsTests.answer(run, atlas: try Self.atlas(shapes: Self.shapes(), concurrency: [(.nest, "llvm16", "llvm14", [.pass], 4, 6)]))
        let details = measured.questions?.first { $0.id == "instead" }?.answers.first?.details ?? []
        #expect(details.contains { $0.contains("Two libraries that need one SONAME from two folders are given one file by the loader: 0 aborts in 4 sampled pairs (stack shape linked-same-soname, one runtime started in each)") }, "\(details)")
        #expect(measured.instead.lastResort.contains("more when one runtime's threads open regions of the other (nested (a region of LLVM 14 inside each of LLVM 16's 2 threads): 4 OpenMP threads and 6 OS threads"), "\(measured.instead.lastResort)")

        let aborting = AnswerQuestionsTests.answer(run, atlas: try Self.atlas(shapes: Self.shapes(abortIn: [.ownHandle, .linkedSameSoname])))
        let d2 = aborting.questions?.first { $0.id == "instead" }?.answers.first?.details ?? []
        #expect(d2.contains { $0.contains("Two libraries that need one SONAME from two folders still aborted in 4 of 4 sampled pairs") }, "\(d2)")
        #expect(aborting.instead.lastResort.contains("(not measured in this atlas)"))
        let unmeasured = AnswerQuestionsTests.answer(run, atlas: try Self.atlas())
        #expect(unmeasured.questions?.first { $0.id == "instead" }?.answers.first?.details.contains { $0.contains("the atlas read here has no stack shapes to measure it") } == true)
    }

    @Test("omp-matrix report --atlas judges the claims with the atlas file given; without it, with the snapshot")
    func reportWithAtlasFile() async throws {
        let cli = try #require(TestProducts.ompMatrix, "omp-matrix not built beside the tests")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("claim-atlas-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let cells = Self.variableCells("first-one-loaded")
        let file = ResultsFile(partial: false, startedAt: "2026-12-01T10:00:00Z", finishedAt: nil, host: ReportFixtures.host(),
                               environment: .init(scrubbed: [], passedThrough: [], pinned: [:]), selection: ["all"], results: cells, claims: [])
        try ResultsCodec.write(file, to: dir.appendingPathComponent("results.json"))
        var atlas = try AnswerQuestionsTests.atlasResults(AnswerQuestionsTests.cells())
        atlas.environment.pinned["OMP_NUM_THREADS"] = "3"
        atlas.concurrency = [AtlasConcurrencyCell(kind: .nest, first: "llvm16", second: "llvm14", plan: AtlasConcurrencyCell.Kind.nest.planText,
                                                  runs: [.pass], repro: "", message: "",
                                                  ran: .init(mappedFiles: 2, runtimesStarted: 2, teamThreads: 9, osThreads: 11), durationSeconds: 1)]
        try AtlasCodec.write(atlas, to: dir.appendingPathComponent("atlas.json"))
        let given = try await TestProcess.run([cli, "report", "results.json", "--atlas", "atlas.json", "--format", "md"], in: dir)
        #expect(given.terminationStatus == 0, "\(given.errors)")
        #expect(given.output.contains("9 OpenMP threads and 11 OS threads \\(3×3 at 3 threads per team\\)"), "\(given.output.prefix(3000))")
        let snapshot = try await TestProcess.run([cli, "report", "results.json", "--format", "md"], in: dir)
        #expect(snapshot.terminationStatus == 0, "\(snapshot.errors)")
        #expect(!snapshot.output.contains("9 OpenMP threads and 11 OS threads"))
        let missing = try await TestProcess.run([cli, "report", "results.json", "--atlas", "nope.json"], in: dir)
        #expect(missing.terminationStatus == 2, "\(missing.errors)")
    }

    @Test("an atlas without run counts gives no rate: distinct outcomes are not read as n of m")
    func noRateWithoutRuns() {
        let evidence = AtlasEvidence(source: "old.json", observations: [
            .init(first: "LLVM 14", second: "LLVM 16", variable: true, outcome: .hangAtExit),
            .init(first: "LLVM 14", second: "LLVM 16", variable: true, outcome: .pass)])
        let lines = Answer.atlasPart(evidence).lines
        #expect(lines.contains { $0.contains("LLVM 14 starts first, then LLVM 16: 1 hang at exit among its probes with the variable (this atlas keeps no run counts") }, "\(lines)")
        #expect(!lines.contains { $0.contains("of 2 observations") })
    }

    @Test("wording per claim: present, names its condition, no banned phrasing",
          arguments: ClaimAtlasWeighing.kinds.keys.sorted())
    func wording(_ id: String) throws {
        let atlas = try Self.atlas(shapes: Self.shapes(), concurrency: [(.race, "intel", "llvm16", [.hangAtExit, .pass], nil, nil),
                                                                       (.nest, "llvm16", "llvm14", [.pass], 4, 6)])
        let kind = try #require(ClaimAtlasWeighing.kinds[id])
        let cells = kind == .shapes ? Self.linuxCells(id) : Self.variableCells(id)
        let v = Self.judge(id, cells, atlas: atlas, failures: kind == .shapes ? [.duplicateRuntimeAbort] : [.hangAtExit])
        let f = try #require(v.finding)
        #expect(!f.isEmpty)
        if v.state == .holdsOnlyWhen {
            let c = try #require(v.conditions?.first)
            #expect(f.contains(c), "the finding names its condition: \(f)")
        }
        for phrase in ClaimAtlasWeighing.banned {
            #expect(!f.lowercased().contains(phrase), "\(id): \(phrase) in \(f)")
        }
        if v.state == .holds || v.state == .holdsOnlyWhen {
            #expect(!f.contains("does not propagate") && !f.contains("does not hold"), "\(f)")
        }
    }
}
