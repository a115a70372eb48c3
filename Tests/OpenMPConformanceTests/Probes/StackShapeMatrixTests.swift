import Foundation
import Testing
@testable import OpenMPConformance

/// The matrix's stack-shape cells (rule 6), run through the matrix runner with the real
/// runtimes, consumer libraries and loader, beside their own-handle counterparts.
@Suite("Stack shapes as matrix cells",
       .enabled(if: TestRuntimes.available, "runtimes not provisioned; see the failure of \"the provisioned runtimes are present\""),
       .enabled(if: StackFixtures.buildable, Comment(rawValue: StackFixtures.unbuildableReason)),
       .enabled(if: ProbeTool.path != nil, "the probe's OMPT tool cannot be built here: runtime starts are not observed"))
struct StackShapeMatrixTests {
    static let matrix: Matrix? = try? Matrix.bundled(manifest: Dictionary(uniqueKeysWithValues: TestRuntimes.all.map { ($0.name, $0) }), host: .linux)

    /// The unset cells of one profile: own-handle and every stack shape, judged by the runner.
    static func run(profile: String) async throws -> [CellResult] {
        let m = try #require(matrix)
        let base = "linux-cpu-training/\(profile)/unset/framework-first/load+init"
        let cells = m.cells.filter { $0.id == base || $0.id.hasPrefix(base + "/") }
        try #require(cells.count == StackShape.allCases.count, "\(cells.map(\.id))")
        return await MatrixRunner(cells: cells, timeout: .seconds(20)).run()
    }

    @Test("LLVM 14 then 16: every shape runs, named in its result, its outcome agreeing with the runtimes it saw start")
    func llvmPair() async throws {
        let results = try await Self.run(profile: "llvm14+llvm16")
        let own = try #require(results.first { $0.stack == .ownHandle })
        try #require(own.outcome == .duplicateRuntimeAbort, "the pair must abort in own-handle: \(own.outcome.map(\.rawValue) ?? "skipped")")
        for r in results where r.stack != .ownHandle {
            #expect(r.id.hasSuffix("/" + r.stack.rawValue) && r.tags.contains(r.stack.rawValue))
            let words = CellWords(runtimes: TestRuntimes.all).describe(r)
            #expect(words.contains("stack shape \(r.stack.rawValue)"), "\(words)")
            #expect(r.status == .ran, "\(r.id): \(r.reason ?? "")")
            guard let p = r.probe else { continue }
            // Each probe runs the consumers under the cell's role names, not the runtime files.
            #expect(r.plan == r.stack.planText(first: "framework", second: "index"))
            switch r.outcome {
            case .pass:
                #expect(p.startedCount == 1, "\(r.id): a pass with \(String(describing: p.runtimesStarted)) started")
            case .duplicateRuntimeAbort:
                #expect(p.ompErrors.first == 15, "\(r.id)")
            default:
                Issue.record("\(r.id): \(r.outcome.map(\.rawValue) ?? "none"): \(r.message)")
            }
        }
        // The counts the reports show cover every shape, own-handle's counterpart included.
        let counts = StackShapeCounts(results)
        #expect(counts.rows.map(\.shape) == StackShape.allCases)
        #expect(counts.rows.allSatisfy { $0.ran == 1 })
    }

    @Test("Intel with LLVM: linked-same-soname is untestable with the reason, the other shapes run")
    func differentSonames() async throws {
        let results = try await Self.run(profile: "intel+llvm")
        let same = try #require(results.first { $0.stack == .linkedSameSoname })
        #expect(same.status == .skipped && same.verdict == .untestable)
        #expect(same.reason?.contains("different SONAMEs") == true, "\(same.reason ?? "")")
        #expect(results.filter { $0.stack != .linkedSameSoname }.allSatisfy { $0.status == .ran })
        let counts = StackShapeCounts(results)
        #expect(counts.rows.first { $0.shape == .linkedSameSoname }?.skippedWords.contains("different SONAMEs") == true)
    }
}

/// A stack cell whose consumer libraries cannot be had says why, whatever the reason.
@Suite("Stack cells without consumers")
struct StackCellUnavailableTests {
    static let cell = MatrixFixtures.linux.cells.first { $0.stack == .executable && $0.profile == "llvm14+llvm16" && $0.envMode == .unset }

    @Test("no runtime cache, or one where nothing can be built: a failure with the reason, never a probe")
    func reasons() throws {
        let cell = try #require(Self.cell)
        guard case .failure(let none) = cell.stackConfiguration(consumers: nil, timeout: .seconds(5)) else {
            Issue.record("expected a failure without a runtime cache"); return
        }
        #expect(none.reason.contains("no runtime cache"))
        // A runtimes directory below a regular file: the consumers' folder cannot be created.
        let dir = try makeTemporaryDirectory("stack-cell")
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("not-a-folder")
        try Data("x".utf8).write(to: file)
        let consumers = StackConsumers(runtimesDirectory: file)
        guard case .failure(let why) = cell.stackConfiguration(consumers: consumers, timeout: .seconds(5)) else {
            Issue.record("expected a failure when the consumers cannot be built"); return
        }
        #expect(why.reason.contains("cannot create"), "\(why.reason)")
    }
}
