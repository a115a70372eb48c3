import Foundation
import Testing
@testable import OpenMPConformance

@Suite("HTML report")
struct HTMLReportTests {
    /// Values of an attribute across the page, e.g. every `id="…"`.
    static func attributeValues(_ name: String, in html: String) -> [String] {
        html.components(separatedBy: " \(name)=\"").dropFirst().map { String($0.prefix { $0 != "\"" }) }
    }

    @Test func selfContainedPageWithGridClaimsAndEvidence() throws {
        let r = ReportFixtures.results()
        let html = HTMLReport.render(r)
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.hasSuffix("</html>\n"))
        // No external resources and no scripts at all.
        for forbidden in ["<script", "src=", "<link", "url(", "http://", "https://", "@import"] {
            #expect(!html.lowercased().contains(forbidden), "page contains \(forbidden)")
        }
        #expect(html.contains("Content-Security-Policy"))

        // The claims table comes before the grid, which comes before the evidence.
        let claims = try #require(html.range(of: "<h2>The doc's claims, judged</h2>")).lowerBound
        let grid = try #require(html.range(of: "<h2>Matrix</h2>")).lowerBound
        let evidence = try #require(html.range(of: "<h2>Evidence</h2>")).lowerBound
        #expect(claims < grid && grid < evidence)

        // Each cell is one coloured link in the grid, and every link lands on an evidence section.
        let links = html.components(separatedBy: "<a class=\"c o-").count - 1
        #expect(links == r.results.count)
        let ids = Self.attributeValues("id", in: html)
        #expect(Set(ids).count == ids.count, "anchor ids must be unique")
        let targets = Self.attributeValues("href", in: html).filter { $0.hasPrefix("#") }.map { String($0.dropFirst()) }
        for target in targets { #expect(ids.contains(target), "dangling link #\(target)") }

        // Grid header: one column per runtime pair (orders folded into each cell); rows: scenario × environment.
        #expect(html.contains("<th class=\"profile\">intel+llvm14</th>"))
        #expect(html.contains("<th class=\"profile\">llvm14+llvm16</th>"))
        #expect(html.contains("<th rowspan=\"2\" class=\"scenario\">linux-cpu-training</th>"))
        #expect(html.contains("<th class=\"env\">exported</th>"))

        // The refuted cells are marked and framed; their evidence has repro, checks and stderr.
        let refuted = r.results.filter { $0.verdict == .refuted }
        for cell in refuted {
            let anchor = HTMLReport.anchor(for: cell.id)
            #expect(html.contains("<a class=\"c o-hang-at-exit v-refuted\" href=\"#\(anchor)\""))
            let section = try #require(html.range(of: "id=\"\(anchor)\">"))
            let body = String(html[section.upperBound...].prefix(6000))
            #expect(body.contains("<tr><th>Allowed</th><td>pass</td></tr>"))
            #expect(body.contains("<pre>\(cell.repro.replacingOccurrences(of: "'", with: "&#39;"))</pre>"))
            #expect(body.contains("parallel-equals-serial"))
            #expect(body.contains("OMP: Error #13: Assertion failure"))
        }
        // Legend lists every outcome.
        for o in Outcome.allCases { #expect(html.contains("\(o.rawValue): ")) }
    }

    @Test func anchorsAreSanitizedAndDistinct() {
        let a = HTMLReport.anchor(for: "row/intel+llvm14/unset/framework-first/load+init")
        #expect(a.hasPrefix("cell-row-intel-llvm14-unset-framework-first-load-init-"))
        #expect(a.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") })
        // Ids that sanitize alike still get different anchors.
        #expect(HTMLReport.anchor(for: "a/b") != HTMLReport.anchor(for: "a+b"))
        let anchors = HTMLReport.Anchors(["x", "x", "y"])
        #expect(anchors["x"] != anchors["y"])
    }
}
