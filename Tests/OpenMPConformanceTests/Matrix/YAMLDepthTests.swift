import Foundation
import Testing
@testable import OpenMPConformance

/// Nesting deeper than the documented limit is refused at `file:line:column` before the
/// YAML library (which recurses per level) sees it; nesting at the limit parses.
@Suite("Matrix: YAML depth limit")
struct YAMLDepthTests {
    static let limit = YAMLDepth.limit

    /// `x:` at level 1, then `levels - 1` flow lists inside it.
    static func flow(levels: Int) -> String {
        "schemaVersion: 1\nx: " + String(repeating: "[", count: levels - 1) + String(repeating: "]", count: levels - 1) + "\n"
    }

    /// `levels` block mappings, each indented two more spaces.
    static func block(levels: Int) -> String {
        (0..<levels).map { String(repeating: "  ", count: $0) + "k\($0):" }.joined(separator: "\n") + " end\n"
    }

    /// `levels` compact sequence entries on one line: `- - - … x`.
    static func compact(levels: Int) -> String {
        String(repeating: "- ", count: levels - 1) + "x\n"
    }

    @Test("at the limit the text parses", arguments: ["flow", "block", "compact"])
    func atLimit(_ kind: String) throws {
        let text = kind == "flow" ? Self.flow(levels: Self.limit) : kind == "block" ? Self.block(levels: Self.limit) : Self.compact(levels: Self.limit)
        #expect(YAMLDepth.firstExcess(in: text) == nil)
        _ = try YAMLValue.parse(text, file: "deep.yaml")
    }

    @Test("one level above the limit is an error at file:line:column", arguments: ["flow", "block", "compact"])
    func aboveLimit(_ kind: String) throws {
        let text = kind == "flow" ? Self.flow(levels: Self.limit + 1) : kind == "block" ? Self.block(levels: Self.limit + 1) : Self.compact(levels: Self.limit + 1)
        let e = try #require(throws: MatrixError.self) { _ = try YAMLValue.parse(text, file: "deep.yaml") }
        #expect(e.message.contains("nested more than \(Self.limit) levels"), "\(e.message)")
        switch kind {
        case "flow": #expect(e.line == 2 && e.column == 4 + Self.limit - 1, "\(e.line):\(e.column)")
        case "block": #expect(e.line == Self.limit + 1 && e.column == 2 * Self.limit + 1, "\(e.line):\(e.column)")
        default: #expect(e.line == 1, "\(e.line):\(e.column)")
        }
    }

    @Test("block scalars, quotes and comments do not count as nesting")
    func notNesting() {
        let brackets = String(repeating: "[", count: 500)
        let text = "a: |\n" + (0..<300).map { String(repeating: " ", count: 2 + $0) + "line" }.joined(separator: "\n")
            + "\nb: \"\(brackets)\"\nc: '\(brackets)'\nd: x # \(brackets)\n"
        #expect(YAMLDepth.firstExcess(in: text) == nil)
    }

    @Test("a matrix nested 5,000 levels deep: omp-matrix exits 2 naming the file, no signal")
    func cli() async throws {
        let exe = try #require(TestProducts.ompMatrix, "omp-matrix not built beside the tests")
        let dir = try MatrixFixtures.directory(MatrixFixtures.small)
        defer { try? FileManager.default.removeItem(at: dir) }
        try Self.flow(levels: 5000).write(to: dir.appendingPathComponent("claims.yaml"), atomically: true, encoding: .utf8)
        let p = try await TestProcess.run([exe, "list", "--matrix", dir.path])
        let text = p.errors
        #expect(p.terminationReason == .exit && p.terminationStatus == 2, "status \(p.terminationStatus): \(text)")
        #expect(text.contains("claims.yaml:2:"), "\(text)")
    }
}
