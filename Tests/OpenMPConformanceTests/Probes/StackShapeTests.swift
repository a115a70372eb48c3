import Foundation
import Testing
@testable import OpenMPConformance

/// The runtimes and consumer libraries of the stack-shape tests, built once.
enum StackFixtures {
    static let runtimes: [AtlasRuntime] = {
        guard let catalog = try? AtlasFixtures.catalog(),
              let plan = try? AtlasPlan.make(catalog: catalog, names: ["llvm14", "llvm16"]) else { return [] }
        return plan.runtimes.filter { $0.notProvisioned == nil }
    }()
    static let consumers: StackConsumers? = (try? AtlasFixtures.catalog()).map { StackConsumers(runtimesDirectory: $0.directory) }
    static let firstBuild: Result<StackConsumers.Built, StackConsumers.Unavailable>? = {
        guard let consumers, let r = runtimes.first else { return nil }
        return consumers.built(r)
    }()
    static var buildable: Bool { if case .success(let b) = firstBuild { return b.renamed != nil } else { return false } }
    static var unbuildableReason: String {
        switch firstBuild {
        case .failure(let e): "consumer libraries cannot be built here: \(e.reason)"
        case .success(let b): "no renamed consumer: \(b.renamedMissing ?? "")"
        case nil: "llvm14 and llvm16 are not provisioned"
        }
    }

}

/// Each stack shape on a pair that aborts in own-handle (LLVM 14 then LLVM 16) and on the same
/// runtime file twice (one runtime in own-handle), with real consumer libraries and the real loader.
/// The loader's rules decide the expectation: a shape whose calls all bind to one runtime runs
/// with one runtime started; a shape that starts two KMP runtimes aborts with Error #15.
@Suite("Stack shapes, real consumers and loader",
       .enabled(if: TestRuntimes.available, "runtimes not provisioned; see the failure of \"the provisioned runtimes are present\""),
       .enabled(if: StackFixtures.buildable, Comment(rawValue: StackFixtures.unbuildableReason)),
       .enabled(if: ProbeTool.path != nil, "the probe's OMPT tool cannot be built here: runtime starts are not observed"))
struct StackShapeTests {
    enum Pair: String, CaseIterable { case aborting = "llvm14>llvm16", sameFile = "llvm14>llvm14" }

    @Test("each shape: outcome and runtimes started", arguments: StackShape.allCases, Pair.allCases)
    func shape(_ shape: StackShape, _ pair: Pair) async throws {
        let a = try #require(StackFixtures.runtimes.first { $0.name == "llvm14" })
        let b = try #require(StackFixtures.runtimes.first { $0.name == (pair == .aborting ? "llvm16" : "llvm14") })
        let config = try shape.configuration(a: a, b: b, consumers: #require(StackFixtures.consumers), timeout: .seconds(20)).get()
        let r = await Probe.run(config)
        #expect(sessionIsGone(r.pid), "a process of the probe's session survived: \(r.repro)")
        // One runtime: every OpenMP call binds to one file (shared SONAME, global scope, preload, or one file).
        let oneRuntime = [.linkedSameSoname, .global, .preloaded].contains(shape) || (shape == .ownHandle && pair == .sameFile)
        if oneRuntime {
            #expect(r.outcome == .pass, "\(r.outcome): \(r.message.text)\n\(r.repro)")
            #expect(r.startedCount == 1, "started: \(String(describing: r.runtimesStarted))\n\(r.repro)")
            #expect(r.checks.allSatisfy { $0.passed }, "\(r.checks.filter { !$0.passed })")
        } else {
            #expect(r.outcome == .duplicateRuntimeAbort, "\(r.outcome): \(r.message.text)\n\(r.repro)")
            #expect(r.ompErrors.first == 15)
        }
    }

    @Test("global and preloaded map the second runtime but never start it")
    func mappedNotStarted() async throws {
        let a = try #require(StackFixtures.runtimes.first { $0.name == "llvm14" })
        let b = try #require(StackFixtures.runtimes.first { $0.name == "llvm16" })
        for shape in [StackShape.global, .preloaded] {
            let r = await Probe.run(try shape.configuration(a: a, b: b, consumers: #require(StackFixtures.consumers), timeout: .seconds(20)).get())
            #expect(Set(r.runtimesMapped.map(\.path)).count == 2, "\(shape): \(r.runtimesMapped)")
            #expect(r.runtimesStarted?.filter { !$0.started }.count == 1, "\(shape): \(String(describing: r.runtimesStarted))")
        }
    }

    @Test("linked-same-soname needs one SONAME: Intel with LLVM is skipped with the reason")
    func differentSonames() throws {
        let catalog = try AtlasFixtures.catalog()
        let plan = try AtlasPlan.make(catalog: catalog, names: ["llvm14", "intel"])
        let rs = plan.runtimes.filter { $0.notProvisioned == nil }
        try #require(rs.count == 2, "intel and llvm14 provisioned")
        let result = StackShape.linkedSameSoname.configuration(a: rs[0], b: rs[1], consumers: try #require(StackFixtures.consumers), timeout: .seconds(5))
        guard case .failure(let why) = result else { Issue.record("expected a skip"); return }
        #expect(why.reason.contains("different SONAMEs"))
    }
}
