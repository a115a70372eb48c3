import Foundation
import Testing
@testable import OpenMPConformance

@Suite("Markdown report")
struct MarkdownReportTests {
    @Test func structureAndOrder() throws {
        let r = ReportFixtures.results()
        let md = MarkdownReport.render(r)
        #expect(md.hasPrefix("# OpenMP conformance: debian12-x86\\_64-glibc2.36 (2026-11-27)\n"))
        let sections = ["## Host", "## Summary", "## Unexpected cells", "## Applicability rows", "## Claims", "## All cells"]
        let positions = try sections.map { try #require(md.range(of: "\n" + $0)).lowerBound }
        #expect(positions == positions.sorted())

        let summary = ResultsSummary(r)
        #expect(md.contains("| Cells | \(summary.cells) (ran \(summary.ran), skipped \(summary.skipped)) |"))
        #expect(summary.verdicts[.refuted] == 2 && summary.skipped == 2)
        #expect(md.contains("| Verdicts | confirmed \(summary.verdicts[.confirmed]!) · refuted 2 · untestable 2 |"))
        #expect(md.contains("## Unexpected cells (2 refuted)"))

        // The unexpected list names each refuted cell with its outcome, allowed set and repro.
        let unexpected = md[md.range(of: "## Unexpected cells")!.upperBound..<md.range(of: "## Applicability rows")!.lowerBound]
        for cell in r.results where cell.verdict == .refuted {
            #expect(unexpected.contains("- `\(cell.id)`: **hang-at-exit**, allowed pass"))
            #expect(unexpected.contains("repro: `\(cell.repro)`"))
        }
        #expect(!unexpected.contains("unset/"))  // confirmed cells are not listed there

        // One table row per applicability row, with its verdict.
        #expect(md.contains("| linux-cpu-training | **refuted** | 12 (ran 12) | 11 | 1 | 0 |"))
        #expect(md.contains("| macos-mps-training | **untestable** | 2 (ran 0) | 0 | 0 | 2 |"))

        // Claims with verdict, counterexample and repro.
        #expect(md.contains("### env-fixes-it: refuted"))
        let refutedID = r.claims[1].counterexample!
        #expect(md.contains("- Counterexample: `\(refutedID)`"))
        #expect(md.contains("- Repro: `omp-matrix run --cell '\(refutedID)'`"))

        // Full table has every cell.
        let table = md[md.range(of: "## All cells")!.upperBound...]
        #expect(table.split(separator: "\n").filter { $0.hasPrefix("| `") }.count == r.results.count)
        #expect(!md.contains("Table cut"))
    }

    @Test func noUnexpectedCells() {
        var r = ReportFixtures.results()
        r.results.removeAll { $0.verdict == .refuted }
        let md = MarkdownReport.render(r)
        #expect(md.contains("## Unexpected cells (0 refuted)\n\nNone:"))
    }

    @Test func staysUnderOneMebibyteForFiveThousandCells() throws {
        let r = ReportFixtures.large(count: 5000)
        let md = MarkdownReport.render(r)
        #expect(md.utf8.count < 1_048_576 / 10 * 7, "report is \(md.utf8.count) bytes")
        // The first 200 unexpected cells are always listed, in order.
        let refuted = r.results.filter { $0.verdict == .refuted }
        #expect(refuted.count == 2500)
        let unexpected = String(md[md.range(of: "## Unexpected cells")!.upperBound..<md.range(of: "## Applicability rows")!.lowerBound])
        for cell in refuted.prefix(200) {
            #expect(unexpected.contains("- `\(cell.id)`:"))
        }
        #expect(unexpected.contains("more unexpected cells are not listed here"))
        #expect(md.contains("Table cut after"))
        #expect(md.contains("of 5000 cells"))
    }

    @Test func tinyBudgetStillKeepsFirst200Unexpected() {
        let r = ReportFixtures.large(count: 1000)
        let md = MarkdownReport.render(r, byteBudget: 10_000)
        let listed = md.split(separator: "\n").filter { $0.hasPrefix("- `linux-cpu-training/") }.count
        #expect(listed == 200)
    }
}
