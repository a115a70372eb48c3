import Foundation
import OpenMPConformance
import Synchronization
import Testing

/// One summary for a whole parameterized test of cells, instead of one issue per cell.
///
/// ```swift
/// @Test(.conformanceSummary, arguments: try Matrix.bundledForTesting())
/// func cell(_ c: Cell) async throws { try await Conformance.check(c) }
/// ```
///
/// Under this trait ``Conformance/check(_:baseline:sourceLocation:)`` still cancels an untestable
/// cell (never a pass) and still fails a deviation from the baseline, one issue per cell; cells
/// that share a probe (the same plan, runtimes, environment and launcher, as a macOS row's Linux
/// analogue and the Linux row) are judged from one run of it, as `omp-matrix run` does. What it
/// no longer reports cell by cell: untestable cells and refuted predictions of the doc, printed
/// once at the end of the test as counts per reason and per claim; and skipped baseline
/// comparisons, one warning per reason for all the cells it concerns. The summary also names the
/// baseline the cells were compared with.
public struct ConformanceSummaryTrait: TestTrait, TestScoping {
    /// Scopes the whole test (every case), not each case.
    public func scopeProvider(for test: Test, testCase: Test.Case?) -> Self? { testCase == nil ? self : nil }

    public func provideScope(for test: Test, testCase: Test.Case?,
                             performing function: @Sendable () async throws -> Void) async throws {
        let summary = Conformance.Summary()
        try await Conformance.$summary.withValue(summary) { try await function() }
        for (why, cells) in summary.skippedComparisons {
            Issue.record(Comment(rawValue: "\(why) (\(cells) cell\(cells == 1 ? "" : "s"))"), severity: .warning,
                         sourceLocation: test.sourceLocation)
        }
        let text = summary.text(test: test.displayName ?? test.name)
        if !text.isEmpty { FileHandle.standardOutput.write(Data((text + "\n").utf8)) }
    }
}

extension Trait where Self == ConformanceSummaryTrait {
    /// One summary for the test's cells: see ``ConformanceSummaryTrait``.
    public static var conformanceSummary: Self { ConformanceSummaryTrait() }
}

extension Conformance {
    /// What the cases of one test skipped or found refuted (see ``ConformanceSummaryTrait``).
    package final class Summary: Sendable {
        struct State {
            var untestable: [String: Int] = [:]
            var refutedCells = 0
            var refutedByClaim: [String: Int] = [:]
            var skipped: [String: Int] = [:]
            var matched: [String: Int] = [:]
        }
        private let state = Mutex(State())
        private let probes = Mutex<[String: Task<ProbeResult, Never>]>([:])

        package init() {}

        /// The probe run for `key`, started by the first cell that asks; the others await it.
        package func probe(_ key: String, _ run: @escaping @Sendable () async -> ProbeResult) async -> ProbeResult {
            let task = probes.withLock { tasks in
                if let t = tasks[key] { return t }
                let t = Task { await run() }
                tasks[key] = t
                return t
            }
            let r = await withTaskCancellationHandler { await task.value } onCancel: { task.cancel() }
            // Ended by another cell's cancellation: this one was not cancelled, so it runs its own.
            if r.ending.killedBy == "cancelled", !Task.isCancelled { return await run() }
            return r
        }

        package func add(untestable reason: String) {
            state.withLock { $0.untestable[reason, default: 0] += 1 }
        }

        package func add(refuted result: CellResult) {
            state.withLock {
                $0.refutedCells += 1
                for claim in result.claims.isEmpty ? ["(no claim)"] : result.claims { $0.refutedByClaim[claim, default: 0] += 1 }
            }
        }

        /// A cell whose outcome the baseline in `file` allows.
        package func add(matched file: String) {
            state.withLock { $0.matched[file, default: 0] += 1 }
        }

        /// `why` names the cell when the cell is missing from the baseline; it is counted as "a cell".
        package func add(skippedComparison why: String, cell: String) {
            let general = why.replacingOccurrences(of: cell, with: "a cell")
            state.withLock { $0.skipped[general, default: 0] += 1 }
        }

        /// Skipped comparisons: reason and number of cells, most cells first.
        package var skippedComparisons: [(String, Int)] { state.withLock { Self.ranked($0.skipped) } }

        /// The printed summary: a line per kind, counts per reason and per claim; empty when there is nothing to say.
        package func text(test: String) -> String {
            let s = state.withLock { $0 }
            var lines: [String] = []
            let untestable = s.untestable.values.reduce(0, +)
            if untestable > 0 {
                lines.append("\(test): \(untestable) cell\(untestable == 1 ? "" : "s") untestable here, not run (cancelled, not passed): "
                             + Self.ranked(s.untestable).map { "\($0.1) \($0.0)" }.joined(separator: "; "))
            }
            if s.refutedCells > 0 {
                lines.append("\(test): the doc's prediction is refuted in \(s.refutedCells) cell\(s.refutedCells == 1 ? "" : "s"), "
                             + "by claim: " + Self.ranked(s.refutedByClaim).map { "\($0.0) \($0.1)" }.joined(separator: ", ")
                             + " (each cell with its evidence: omp-matrix run, then omp-matrix report)")
            }
            for (file, n) in Self.ranked(s.matched) {
                lines.append("\(test): compared with baseline \(file): \(n) cell\(n == 1 ? "" : "s") as recorded there")
            }
            return lines.joined(separator: "\n")
        }

        static func ranked(_ counts: [String: Int]) -> [(String, Int)] {
            counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.map { ($0.key, $0.value) }
        }
    }
}
