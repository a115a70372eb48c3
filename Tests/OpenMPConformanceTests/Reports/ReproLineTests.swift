import Foundation
import Testing
@testable import OpenMPConformance

/// A repro line in a generated report runs as shown once the README's two variables are set, and
/// behaves as the report says: one line per outcome kind, hangs excluded. In the CI-only lane: it
/// runs a slice of the matrix (12 probes) through `omp-matrix run` and `omp-matrix report`.
@Suite("Repro lines in a generated report run as shown")
struct ReproLineTests {
    static var ready: Bool { TestRuntimes.available && TestProducts.ompMatrix != nil && ProcessInfo.processInfo.environment["OMP_PROBE"] != nil }

    /// Each test case on the HTML evidence page: its outcome and its repro line, unescaped.
    static func cases(_ html: String) -> [(outcome: String, repro: String)] {
        func unescape(_ s: Substring) -> String {
            s.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&quot;", with: "\"")
                .replacingOccurrences(of: "&#39;", with: "'").replacingOccurrences(of: "&apos;", with: "'").replacingOccurrences(of: "&amp;", with: "&")
        }
        var out: [(String, String)] = []
        var rest = Substring(html)
        while let o = rest.range(of: "<tr><th>Outcome</th><td>"), let oe = rest[o.upperBound...].range(of: "</td>"),
              let r = rest[oe.upperBound...].range(of: "<tr><th>Repro</th><td><pre>"), let re = rest[r.upperBound...].range(of: "</pre>") {
            let outcome = String(unescape(rest[o.upperBound..<oe.lowerBound]).prefix { $0.isLetter || $0 == "-" })
            out.append((outcome, unescape(rest[r.upperBound..<re.lowerBound])))
            rest = rest[re.upperBound...]
        }
        return out
    }

    @Test("one repro line per outcome kind, from the HTML evidence page, run by bash with the README's variables",
          .ciLane, .enabled(if: ready, "needs the provisioned runtimes, omp-matrix beside the tests and OMP_PROBE"))
    func runAsShown() async throws {
        let dir = try makeTemporaryDirectory("omp-repro")
        defer { try? FileManager.default.removeItem(at: dir) }
        let tool = TestProducts.ompMatrix!
        let results = dir.appendingPathComponent("results.json").path, page = dir.appendingPathComponent("cells.html").path
        let run = try await TestProcess.run([tool, "run", "--row", "macos-faiss-index-build@linux", "--env-mode", "unset", "--output", results, "--plain"],
                                      in: URL(fileURLWithPath: TestRuntimes.root), mergingErrors: true)
        #expect(run.terminationStatus == 0, "\(run.output.suffix(2000))")
        let report = try await TestProcess.run([tool, "report", results, "--format", "html-cells", "--output", page], mergingErrors: true)
        #expect(report.terminationStatus == 0, "\(report.output)")
        let html = try String(contentsOfFile: page, encoding: .utf8)
        #expect(html.contains(PortablePaths.howToRun.replacingOccurrences(of: "\"", with: "&quot;")) || html.contains("export both first"))
        let cases = Self.cases(html)
        #expect(cases.count == 12, "\(cases.count) test cases on the page")
        // The report names no path of this machine: the cache and the probe are the README's variables.
        let cache = try RuntimeCatalog.directory().path
        for c in cases { #expect(!c.repro.contains(cache) && c.repro.contains("$OMP_PROBE"), "\(c.repro)") }
        var kinds: [String: String] = [:]
        for c in cases where c.outcome != Outcome.hangAtExit.rawValue && c.outcome != Outcome.hang.rawValue && kinds[c.outcome] == nil {
            kinds[c.outcome] = c.repro
        }
        #expect(Set(kinds.keys) == [Outcome.pass.rawValue, Outcome.duplicateRuntimeAbort.rawValue], "\(kinds.keys.sorted())")
        var env = ["PATH": "/usr/bin:/bin", "OMP_CONFORMANCE_RUNTIMES": cache, "OMP_PROBE": ProcessInfo.processInfo.environment["OMP_PROBE"]!]
        env["HOME"] = ProcessInfo.processInfo.environment["HOME"]
        for (outcome, line) in kinds.sorted(by: { $0.key < $1.key }) {
            let r = try await TestProcess.run(["/usr/bin/timeout", "60", "/bin/bash", "-c", line], environment: env)
            let all = r.output + r.errors
            switch outcome {
            case Outcome.pass.rawValue:
                #expect(r.terminationStatus == 0 && !all.contains("OMP: Error #15"), "\(line) → exit \(r.terminationStatus): \(all.suffix(800))")
            case Outcome.duplicateRuntimeAbort.rawValue:
                #expect(r.terminationStatus != 0 && all.contains("OMP: Error #15"), "\(line) → exit \(r.terminationStatus): \(all.suffix(800))")
            default:
                Issue.record("no check for \(outcome)")
            }
        }
    }
}
