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

    /// The `executable` shape has its own test below: it is judged by what the probe observes and
    /// by the snapshot, not by a rule written here.
    @Test("each shape: outcome and runtimes started", arguments: StackShape.allCases.filter { $0 != .executable }, Pair.allCases)
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

    /// LLVM 14 then LLVM 16, which aborts in own-handle (checked live first), with both consumers
    /// linked into one executable: the process needs and maps both runtime files from the start,
    /// and its outcome agrees with the runtimes it observed starting (one started: a clean pass
    /// with both checks and teams of at least 2; two KMP runtimes started: Error #15).
    @Test("executable: both consumers linked in; outcome agrees with the runtimes observed starting")
    func executable() async throws {
        let a = try #require(StackFixtures.runtimes.first { $0.name == "llvm14" })
        let b = try #require(StackFixtures.runtimes.first { $0.name == "llvm16" })
        let consumers = try #require(StackFixtures.consumers)
        let own = await Probe.run(try StackShape.ownHandle.configuration(a: a, b: b, consumers: consumers, timeout: .seconds(20)).get())
        try #require(own.outcome == .duplicateRuntimeAbort, "the pair must abort in own-handle: \(own.outcome)\n\(own.repro)")

        let config = try StackShape.executable.configuration(a: a, b: b, consumers: consumers, timeout: .seconds(20)).get()
        let program = try #require(config.executable)
        let needed = try ELFFile(path: program).needed
        guard case .plan(_, let bound) = config.command else { Issue.record("not a plan"); return }
        let consumerPaths = bound.map(\.path)
        #expect(Array(needed.prefix(2)) == consumerPaths, "DT_NEEDED of \(program): \(needed)")
        let r = await Probe.run(config)
        #expect(sessionIsGone(r.pid), "a process of the probe's session survived: \(r.repro)")
        #expect(r.repro.contains(program), "\(r.repro)")
        // Both runtime files are mapped before the first step: the executable needs them.
        #expect(Set(r.runtimesMapped.map(\.path)).count == 2, "\(r.runtimesMapped)")
        switch r.outcome {
        case .pass:
            #expect(r.startedCount == 1, "a pass with \(String(describing: r.runtimesStarted)) started\n\(r.repro)")
            #expect(r.checks.count >= 4 && r.checks.allSatisfy(\.passed), "\(r.checks)")
        case .duplicateRuntimeAbort:
            #expect(r.ompErrors.first == 15)
        default:
            Issue.record("unexpected outcome \(r.outcome): \(r.message.text)\n\(r.repro)")
        }
        let snap = AtlasFixtures.snapshot?.shapes?.first { $0.shape == .executable && $0.first == "llvm14" && $0.second == "llvm16" }
        if let snap {
            #expect(snap.outcome == r.outcome && snap.ran?.runtimesStarted == AtlasObservation.WhatRan(r)?.runtimesStarted,
                    "the snapshot says \(snap.words); this run: \(r.outcome), \(String(describing: r.startedCount)) started")
        }
    }

    @Test("executable: this host's snapshot has the executable shape for every sampled pair",
          .enabled(if: AtlasFixtures.snapshot?.shapes != nil, "this host's atlas snapshot predates the stack shapes (regenerate: omp-matrix atlas --write-snapshot)"))
    func executableInSnapshot() throws {
        let shapes = try #require(AtlasFixtures.snapshot?.shapes)
        for (f, s) in AtlasShapeCell.samplePairs where shapes.contains(where: { $0.first == f && $0.second == s }) {
            let c = try #require(shapes.first { $0.shape == .executable && $0.first == f && $0.second == s }, "no executable cell for \(f)>\(s)")
            #expect(c.outcome != nil || c.skipped != nil)
            if c.outcome == .pass { #expect(c.ran?.runtimesStarted != nil, "\(c.id): \(c.words)") }
        }
    }
}
