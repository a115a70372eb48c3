import Foundation
import Testing
@testable import OpenMPConformance

@Suite("Markdown report")
struct MarkdownReportTests {
    @Test func structureAndOrder() throws {
        let r = ReportFixtures.results()
        let md = MarkdownReport.render(r)
        #expect(md.hasPrefix("# OpenMP conformance: debian12-x86\\_64-glibc2.36 (2026-11-27)\n"))
        let sections = ["## The answer on this host", "## The doc's claims, judged", "## Cells that ended otherwise", "## Each claim in detail",
                        "## Host", "## Summary", "## Applicability rows", "## All cells"]
        let positions = try sections.map { try #require(md.range(of: "\n" + $0)).lowerBound }
        #expect(positions == positions.sorted())

        let summary = ResultsSummary(r)
        #expect(md.contains("| Cells | \(summary.cells) (ran \(summary.ran), skipped \(summary.skipped)) |"))
        #expect(summary.verdicts[.refuted] == 2 && summary.skipped == 2)
        #expect(md.contains("| Verdicts | confirmed \(summary.verdicts[.confirmed]!) · refuted 2 · untestable 2 |"))
        #expect(md.contains("## Cells that ended otherwise than the doc predicts (2)"))

        // The unexpected list names each refuted cell with its outcome, allowed set and repro.
        let unexpected = md[md.range(of: "## Cells that ended otherwise")!.upperBound..<md.range(of: "## Each claim in detail")!.lowerBound]
        for cell in r.results where cell.verdict == .refuted {
            #expect(unexpected.contains("(`\(cell.id)`): **hang-at-exit**, allowed pass"))
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
        #expect(md.contains("## Cells that ended otherwise than the doc predicts (0)\n\nNone:"))
    }

    @Test func staysUnderOneMebibyteForFiveThousandCells() throws {
        let r = ReportFixtures.large(count: 5000)
        let md = MarkdownReport.render(r)
        #expect(md.utf8.count < 1_048_576 / 10 * 7, "report is \(md.utf8.count) bytes")
        // The first 200 unexpected cells are always listed, in order.
        let refuted = r.results.filter { $0.verdict == .refuted }
        #expect(refuted.count == 2500)
        let unexpected = String(md[md.range(of: "## Cells that ended otherwise")!.upperBound..<md.range(of: "## Each claim in detail")!.lowerBound])
        for cell in refuted.prefix(200) {
            #expect(unexpected.contains("(`\(cell.id)`):"))
        }
        #expect(unexpected.contains("more unexpected cells are not listed here"))
        #expect(md.contains("Table cut after"))
        #expect(md.contains("of 5000 cells"))
    }

    @Test func tinyBudgetStillKeepsFirst200Unexpected() {
        let r = ReportFixtures.large(count: 1000)
        let md = MarkdownReport.render(r, byteBudget: 10_000)
        let listed = md.split(separator: "\n").filter { $0.hasPrefix("- ") && $0.contains("(`linux-cpu-training/") }.count
        #expect(listed == 200)
    }
}

@Suite("Report text helpers")
struct ReportTextTests {
    @Test func stripsTerminalSequencesAndControls() {
        #expect(ReportText.stripControls("a\u{1B}[1;31mb\u{1B}[0mc") == "abc")
        #expect(ReportText.stripControls("t\u{1B}]0;title\u{7}x") == "tx")
        #expect(ReportText.stripControls("t\u{1B}]8;;http://x\u{1B}\\link\u{1B}]8;;\u{1B}\\") == "tlink")
        #expect(ReportText.stripControls("n\u{0}u\u{8}l\u{7F}l\u{9B}2Jx") == "nullx")
        #expect(ReportText.stripControls("a\r\nb\rc\td") == "a\nb\nc\td")
        #expect(ReportText.stripControls("rtl\u{202E}gnp.exe") == "rtlgnp.exe")
        #expect(ReportText.oneLine("  a \n\n b\t c  ") == "a b c")
    }

    @Test func numbersNeverTrap() {
        #expect(ReportText.seconds(1.005) == "1.00" || ReportText.seconds(1.005) == "1.01")
        #expect(ReportText.seconds(12.5) == "12.50")
        #expect(ReportText.seconds(-0.25) == "-0.25")
        #expect(ReportText.seconds(.infinity) == "?")
        #expect(ReportText.seconds(1e300) == "1e+300")
        var r = ReportFixtures.results()
        r.results[0].durationSeconds = 1e300
        r.results[1].durationSeconds = .nan
        #expect(JUnitReport.render(r).contains("time=\"1e+300\""))
        #expect(MarkdownReport.render(r).contains("| 1e+300 |"))
        #expect(!HTMLReport.render(r).isEmpty)
    }

    @Test func markdownEscapes() {
        #expect(MarkdownText.text("1. not a list") == "1\\. not a list")
        #expect(MarkdownText.text("v1.2.3") == "v1.2.3")
        #expect(MarkdownText.text("- dash") == "\\- dash")
        #expect(MarkdownText.text("a|b") == "a\\|b")
        #expect(MarkdownText.code("a`b") == "``a`b``")
        #expect(MarkdownText.code("`x`") == "`` `x` ``")
        #expect(MarkdownText.code("a|b", inTable: true) == "`a\\|b`")
        #expect(MarkdownText.code("") == "\\(empty\\)")
        #expect(MarkdownText.text(String(repeating: "x", count: 500), limit: 10) == "xxxxxxxxx…")
    }
}
