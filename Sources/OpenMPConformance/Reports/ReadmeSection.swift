import Foundation

/// The README's generated results section, rendered from a compact snapshot of a real run
/// (`Matrices/baselines/<host key>.verdicts.json`), so the README never states a result by hand.
public enum ReadmeSection {
    public static let begin = "<!-- BEGIN GENERATED: matrix-results (Scripts/update-readme.sh rewrites this section; a test fails when it is stale) -->"
    public static let end = "<!-- END GENERATED: matrix-results -->"

    /// What the section is made from.
    public struct Snapshot: Codable, Sendable, Hashable {
        public var hostKey: String
        public var os: String
        public var kernel: String
        public var blas: String
        public var runtimes: [String]
        public var startedAt: String
        public var cells: Int
        public var ran: Int
        public var skipped: Int
        public var outcomes: [String: Int]
        public var verdicts: [String: Int]
        public var claims: [ClaimVerdict]

        public init(_ r: ResultsFile) {
            hostKey = r.host.key; os = r.host.os; kernel = r.host.kernel
            blas = "\(r.host.blas.corename) (\(r.host.blas.source))"
            runtimes = r.host.runtimes.map { "\($0.name) \($0.family) \($0.version) [\($0.source)]" }
            startedAt = r.startedAt
            cells = r.results.count
            ran = r.results.filter { $0.status == .ran }.count
            skipped = cells - ran
            var o: [String: Int] = [:], v: [String: Int] = [:]
            for c in r.results {
                if let x = c.outcome { o[x.rawValue, default: 0] += 1 }
                v[c.verdict.rawValue, default: 0] += 1
            }
            outcomes = o; verdicts = v
            claims = r.claims.map { var c = $0; c.evidence = Array(c.evidence.prefix(3)); return c }
        }
    }

    public static func render(_ s: Snapshot) -> String {
        func esc(_ t: String) -> String {
            t.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
        }
        var out: [String] = []
        out.append("Measured \(s.startedAt) on `\(s.hostKey)` (\(s.os), kernel \(s.kernel)), OpenBLAS kernel \(s.blas).")
        out.append("Runtimes: " + s.runtimes.map { "`\($0)`" }.joined(separator: ", ") + ".")
        out.append("")
        out.append("\(s.cells) cells: \(s.ran) ran, \(s.skipped) untestable here. Outcomes: "
                   + Outcome.allCases.compactMap { o in s.outcomes[o.rawValue].map { "\($0) `\(o.rawValue)`" } }.joined(separator: ", ")
                   + ". Verdicts on the doc's predictions: "
                   + Verdict.allCases.map { "\(s.verdicts[$0.rawValue] ?? 0) \($0.rawValue)" }.joined(separator: ", ") + ".")
        out.append("")
        out.append("| row or claim | verdict | cells agreeing / disagreeing | counterexample (fewest steps) |")
        out.append("|---|---|---|---|")
        for c in s.claims {
            let ce = c.counterexample.map { "`\(esc($0))`" } ?? (c.verdict == .untestable ? esc(String(c.method.prefix(120))) : "—")
            out.append("| `\(esc(c.id))` | **\(c.verdict.rawValue)** | \(c.agreeing) / \(c.disagreeing) | \(ce) |")
        }
        return out.joined(separator: "\n")
    }

    /// `readme` with the text between the markers replaced.
    public static func splice(_ section: String, into readme: String) throws -> String {
        guard let b = readme.range(of: begin), let e = readme.range(of: end, range: b.upperBound..<readme.endIndex) else {
            throw InputError(file: "README.md", line: 1, column: 1, message: "the generated-section markers are missing")
        }
        return String(readme[..<b.upperBound]) + "\n" + section + "\n" + String(readme[e.lowerBound...])
    }

    /// The text currently between the markers.
    public static func current(in readme: String) -> String? {
        guard let b = readme.range(of: begin), let e = readme.range(of: end, range: b.upperBound..<readme.endIndex) else { return nil }
        return readme[b.upperBound..<e.lowerBound].trimmingCharacters(in: .newlines)
    }
}
