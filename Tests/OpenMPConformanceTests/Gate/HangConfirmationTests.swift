import Foundation
import OMPPlan
import Testing
@testable import OpenMPConformance

/// A hang at exit seen once is rerun before it is believed. One that does not recur is varying
/// ("n of m"), never a pass, and the gate matches it only against a baseline recording the same set.
@Suite("Hang at exit: confirmed by reruns")
struct HangConfirmationTests {
    static var cell: CellResult { ReportFixtures.results().results.first { $0.outcome == .pass && $0.probe != nil }! }

    @Test("a hang at exit that does not recur: three runs, varying, never a pass; the gate wants the same set",
          .enabled(if: TestRuntimes.available, "runtimes not provisioned"))
    func varyingHang() async throws {
        let fixture = try #require(TestRuntimes.fixture, "omp-fixture was not built beside the tests")
        let rt = try #require(TestRuntimes.kmp.first, Comment(rawValue: TestRuntimes.missingReason))
        let dir = try makeTemporaryDirectory("omp-hang-once")
        defer { try? FileManager.default.removeItem(at: dir) }
        let config = Probe.Configuration(runtimes: [.init(name: "a", path: rt.path)], plan: try Plan.parse("load a; init a; train a dim=64"),
                                         environment: ["OMP_FIXTURE": "spin-after-done-once",
                                                       "OMP_FIXTURE_MARK": dir.appendingPathComponent("mark").path],
                                         executable: fixture)
        let first = await Probe.run(config)
        #expect(first.outcome == .hangAtExit, "\(first.outcome): \(first.message.text)")
        let runs = await HangConfirmation.confirm(first) { await Probe.run(config) }
        #expect(runs.map(\.outcome) == [.hangAtExit, .pass, .pass])
        var result = Self.cell
        result.outcome = first.outcome
        HangConfirmation.record(runs, in: &result)
        #expect(result.runs == [.hangAtExit, .pass, .pass])
        #expect(result.varying == [.hangAtExit, .pass])
        #expect(result.outcome == .hangAtExit, "a varying cell is never reported as a pass")
        #expect(result.message.contains("varying: hang at exit in 1 of 3 runs"), "\(result.message)")
        #expect(!HangConfirmation.matches(result, outcome: .hangAtExit, allowed: [.pass]))
        #expect(!HangConfirmation.matches(result, outcome: .hangAtExit, allowed: [.hangAtExit]))
        #expect(HangConfirmation.matches(result, outcome: .hangAtExit, allowed: [.pass, .hangAtExit]))
    }

    @Test("a pass is not rerun; a confirmed hang matches a baseline of hang-at-exit")
    func noRerunAndConfirmed() async {
        var pass = Self.cell
        let probe = pass.probe!
        let runs = await HangConfirmation.confirm(probe) { Issue.record("a pass was rerun"); return probe }
        #expect(runs.count == 1)
        HangConfirmation.record(runs, in: &pass)
        #expect(pass.runs == nil)
        var hang = probe
        hang.outcome = .hangAtExit
        var confirmed = Self.cell
        HangConfirmation.record([hang, hang, hang], in: &confirmed)
        #expect(confirmed.varying == nil && confirmed.runs?.count == 3)
        #expect(HangConfirmation.matches(confirmed, outcome: .hangAtExit, allowed: [.hangAtExit]))
    }

    @Test("the gate: a varying cell fails against one outcome, passes against the same set; gate --update records the set")
    func gate() {
        var results = ReportFixtures.results()
        let i = results.results.firstIndex { $0.id == Self.cell.id }!
        results.results[i].outcome = .hangAtExit
        results.results[i].runs = [.hangAtExit, .pass, .pass]
        let single = Baseline(hostKey: results.host.key, cells: [Self.cell.id: .init(allowed: [.pass])])
        #expect(!Gate.compare(results: results, baseline: single).passed)
        let both = Baseline(hostKey: results.host.key, cells: [Self.cell.id: .init(allowed: [.hangAtExit, .pass])])
        let report = Gate.compare(results: results, baseline: both)
        #expect(report.passed, "\(report.text)")
        let updated = Gate.update(baseline: single, results: results)
        #expect(Set(updated.cells[Self.cell.id]?.allowed ?? []) == [.hangAtExit, .pass])
    }
}
