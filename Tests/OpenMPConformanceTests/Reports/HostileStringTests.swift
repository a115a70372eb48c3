import Foundation
import Testing
@testable import OpenMPConformance

/// Strings from runtimes, paths and child processes are attacker-controlled as far as reports are
/// concerned: markup, quotes, newlines, terminal escapes and NUL must come out inert.
@Suite("Hostile strings in reports")
struct HostileStringTests {
    let results = ReportFixtures.hostileResults()
    var hostileCell: CellResult { results.results.first { $0.id.hasPrefix("cell-<script>") }! }

    @Test func htmlEscapesEverything() throws {
        let html = HTMLReport.render(results)
        #expect(!html.contains("<script"))
        #expect(!html.contains("alert(1)</"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(html.contains("&quot;&#39;&amp;"))
        #expect(ReportChecks.controlCharacters(in: html).isEmpty)
        #expect(!html.contains("[31m"))
        // The runtime path, the message, stderr, check detail and claim statement all appear escaped.
        #expect(html.contains("<code>/opt/&lt;script&gt;alert(1)&lt;/script&gt; &quot;&#39;&amp; "))
        #expect(html.contains("message &lt;script&gt;"))
        #expect(html.contains("stderr &lt;script&gt;"))
        #expect(html.contains("detail &lt;script&gt;"))
        #expect(html.contains("statement &lt;script&gt;"))
        // No attribute value contains a raw quote or angle bracket: every `="` opens a value that
        // closes before the next tag boundary.
        for chunk in html.components(separatedBy: "=\"").dropFirst() {
            let value = chunk.prefix { $0 != "\"" }
            #expect(!value.contains("<") && !value.contains(">"), "attribute value \(value)")
        }
        // The hostile cell's anchor is sanitized, and the claim's counterexample link resolves to it.
        let anchor = HTMLReport.anchor(for: hostileCell.id)
        #expect(anchor.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") })
        #expect(html.contains("id=\"\(anchor)\""))
        #expect(html.components(separatedBy: "href=\"#\(anchor)\"").count - 1 == 2)  // grid + claims table
    }

    @Test func junitIsWellFormedAndKeepsTheTextInert() throws {
        let xml = JUnitReport.render(results)
        #expect(!xml.contains("<script"))
        #expect(ReportChecks.controlCharacters(in: xml).isEmpty)
        let (parsed, error) = ReportChecks.parseXML(xml)
        let elements = try #require(parsed, "JUnit output is not well-formed XML: \(error ?? "")")
        let testcase = try #require(elements.first { $0.name == "testcase" && $0.attributes["name"]!.hasPrefix("cell-") })
        let name = try #require(testcase.attributes["name"])
        // The parser gives back the original characters, minus escapes and NUL/BEL.
        #expect(name.hasPrefix("cell-<script>alert(1)</script> \"'& \n second line red nul:: bell:: | `tick`"))
        #expect(testcase.attributes["classname"]!.hasPrefix("row-<script>"))
        let failure = try #require(elements.first { $0.name == "failure" && $0.attributes["message"]!.contains("message <script>") })
        #expect(failure.attributes["message"]!.contains("\"'&"))
        #expect(failure.text.contains("stderr <script>alert(1)</script>"))
        #expect(!failure.text.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0 })
        let property = try #require(elements.first { $0.name == "property" && $0.attributes["name"] == "runtime.llvm14" })
        #expect(property.attributes["value"]!.contains("/opt/<script>alert(1)</script>"))
    }

    @Test func markdownNeutralisesMarkupAndKeepsTablesIntact() throws {
        let md = MarkdownReport.render(results)
        #expect(ReportChecks.controlCharacters(in: md).isEmpty)
        #expect(!md.contains("[31m"))
        let lines = md.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        // The newline inside the hostile strings never starts a line of its own.
        #expect(!lines.contains { $0.hasPrefix(" second line") || $0.hasPrefix("second line") })
        for line in lines {
            // The collapsed groups' own tags are the only HTML; their text is entity-escaped.
            let untagged = line.replacingOccurrences(of: "<details><summary>", with: "")
                .replacingOccurrences(of: "</summary>", with: "").replacingOccurrences(of: "</details>", with: "")
            let outsideCode = ReportChecks.stripCodeSpans(untagged)
            // Outside code spans, every < and > is backslash-escaped (no raw HTML).
            let chars = Array(outsideCode)
            for (i, ch) in chars.enumerated() where ch == "<" || ch == ">" {
                #expect(i > 0 && chars[i - 1] == "\\", "raw \(ch) in: \(line)")
            }
        }
        // Every table keeps its column count on every row.
        var tableColumns: Int?
        for line in lines {
            if line.hasPrefix("|") {
                let pipes = ReportChecks.unescapedPipes(line)
                if let expected = tableColumns {
                    #expect(pipes == expected, "row breaks its table: \(line)")
                } else {
                    tableColumns = pipes
                }
            } else {
                tableColumns = nil
            }
        }
        // The hostile text is still there, readable, escaped.
        #expect(md.contains("message \\<script\\>alert\\(1\\)\\</script\\> \"'\\& second line red nul:: bell:: \\| \\`tick\\` \\*star\\* \\_u\\_ \\[l\\]\\(x\\)"))
        #expect(md.contains("| ``/opt/<script>alert(1)</script> \"'& second line red nul:: bell:: \\| `tick` *star* _u_ [l](x)/libomp.so.5`` |"))
    }

    @Test func gateTextStripsTerminalEscapes() {
        var baseline = Gate.update(baseline: nil, results: results)
        baseline.cells[hostileCell.id] = .init(allowed: [.pass], note: "note \(ReportFixtures.hostile)")
        let report = Gate.compare(results: results, baseline: baseline)
        #expect(!report.passed)
        let text = report.text
        #expect(ReportChecks.controlCharacters(in: text).isEmpty)
        #expect(text.contains("note <script>alert(1)</script>"))
        #expect(!text.contains("[31m"))
    }
}
