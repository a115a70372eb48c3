import Foundation
import Testing
@testable import OpenMPConformance

/// Each bad input must fail with a MatrixError at the file, line and column of the problem.
@Suite("Matrix: validation errors")
struct MatrixValidationTests {
    typealias F = MatrixFixtures

    /// Replaces `name` in the small matrix and expects an error at `line`:`column` of that file.
    func expectError(_ name: String, _ text: String, line: Int, column: Int, containing words: String,
                     sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
        let e = try #require(try F.error(replacing: name, with: text), "no error for \(name)", sourceLocation: sourceLocation)
        #expect(e.file.hasSuffix("/\(name)"), "file: \(e.file)", sourceLocation: sourceLocation)
        #expect(e.line == line && e.column == column, "at \(e.line):\(e.column), expected \(line):\(column): \(e.message)", sourceLocation: sourceLocation)
        #expect(e.message.contains(words), "message: \(e.message)", sourceLocation: sourceLocation)
        #expect(e.description.contains("/\(name):\(e.line):\(e.column): "), sourceLocation: sourceLocation)
    }

    static let rowHead = F.lines(
        "schemaVersion: 1",
        "predictions:",
        "  yes: {withoutFix: [duplicate-runtime-abort], withFix: [pass], why: aborts}",
        "  no: {withoutFix: [pass], withFix: [pass], why: fine}",
        "  maybe: {withoutFix: [duplicate-runtime-abort, pass], withFix: [pass], why: depends}",
        "rows:")  // the first row starts on line 7

    static func row(id: String = "linux-train", extra: String = "", workload: String = "train framework") -> String {
        F.lines(
            "  - id: \(id)",
            "    scenario: training",
            "    device: cpu",
            "    platform: linux",
            "    fixNeeded: no",
            "    reason: r",
            "    source: {section: S, quote: q}",
            "    workload: \(workload)") + extra
    }

    @Test func theSmallMatrixIsValid() throws {
        #expect(try F.error(replacing: "claims.yaml", with: F.small["claims.yaml"]!) == nil)
        let dir = try F.directory(F.small)
        defer { try? FileManager.default.removeItem(at: dir) }
        let m = try Matrix.load(directory: dir, manifest: [:], host: .linux)
        #expect(m.rows.count == 2 && m.claims.count == 2 && m.profiles.count == 2)
    }

    @Test func malformedYAML() throws {
        // A second colon in a plain scalar: libyaml stops at it.
        try expectError("applicability.yaml", Self.rowHead + Self.row().replacingOccurrences(of: "reason: r", with: "reason: r: s"),
                        line: 12, column: 14, containing: "malformed YAML")
        // An unclosed flow list: the parser stops at the first ':' it meets inside it (line 3's key).
        try expectError("profiles.yaml", F.lines("schemaVersion: 1", "runtimes: [a, b", "profiles: []"),
                        line: 3, column: 9, containing: "did not find expected ',' or ']'")
    }

    @Test func truncatedFiles() throws {
        // Cut inside a quoted string.
        try expectError("claims.yaml", F.lines("schemaVersion: 1", "claims:", "  - id: c", "    statement: \"half a sen"),
                        line: 5, column: 1, containing: "malformed YAML")
        // Cut at a line boundary: the row mapping lacks its remaining keys; the error points at the row.
        try expectError("applicability.yaml", Self.rowHead + F.lines("  - id: linux-train", "    scenario: training", "    device: cpu"),
                        line: 7, column: 5, containing: "missing the key 'platform'")
        // Cut to nothing.
        try expectError("profiles.yaml", "", line: 1, column: 1, containing: "empty")
    }

    @Test func wrongSchema() throws {
        // Unknown key, at the key.
        try expectError("applicability.yaml", Self.rowHead + Self.row(extra: "    colour: red\n"),
                        line: 15, column: 5, containing: "unknown key 'colour'")
        // Missing top-level key, at the document's mapping.
        try expectError("claims.yaml", F.lines("schemaVersion: 1"), line: 1, column: 1, containing: "missing the key 'claims'")
        // Wrong types.
        try expectError("claims.yaml", F.lines("schemaVersion: one", "claims: []"), line: 1, column: 16, containing: "whole number")
        try expectError("applicability.yaml", Self.rowHead + Self.row(extra: "    tags: training\n"),
                        line: 15, column: 11, containing: "tags must be a list")
        try expectError("applicability.yaml", Self.rowHead + Self.row().replacingOccurrences(of: "source: {section: S, quote: q}", with: "source: the doc"),
                        line: 13, column: 13, containing: "source must be a mapping")
        try expectError("applicability.yaml", Self.rowHead + Self.row().replacingOccurrences(of: "fixNeeded: no", with: "fixNeeded: perhaps"),
                        line: 11, column: 16, containing: "unknown fixNeeded 'perhaps'")
        try expectError("claims.yaml", F.lines("schemaVersion: 2", "claims: []"), line: 1, column: 16, containing: "schemaVersion 2 is not supported")
        // A key twice in one mapping.
        try expectError("applicability.yaml", Self.rowHead + Self.row(extra: "    device: gpu\n"),
                        line: 15, column: 5, containing: "duplicate key 'device'")
    }

    @Test func duplicateIDs() throws {
        try expectError("applicability.yaml", Self.rowHead + Self.row() + Self.row(),
                        line: 15, column: 9, containing: "duplicate row id 'linux-train' (first defined at")
        let claim = F.lines("  - id: c1", "    statement: s", "    source: {section: S, quote: q}", "    method: m", "    untestable: why")
        try expectError("claims.yaml", "schemaVersion: 1\nclaims:\n" + claim + claim,
                        line: 8, column: 9, containing: "duplicate claim id 'c1'")
        let profiles = F.small["profiles.yaml"]!.replacingOccurrences(of: "  - id: a+a", with: "  - id: a+b")
        try expectError("profiles.yaml", profiles, line: 14, column: 9, containing: "duplicate profile id 'a+b'")
        let runtimes = F.small["profiles.yaml"]!.replacingOccurrences(of: "  - name: b", with: "  - name: a")
        try expectError("profiles.yaml", runtimes, line: 6, column: 11, containing: "duplicate runtime name 'a'")
    }

    @Test func duplicateCellIDs() throws {
        // A claim probe named like a row produces that row's cell ids a second time.
        let claims = F.lines("schemaVersion: 1", "claims:",
                             "  - id: linux-train", "    statement: s", "    source: {section: S, quote: q}", "    method: m",
                             "    probe: {workload: train framework, platform: linux, fixNeeded: no}")
        try expectError("claims.yaml", claims, line: 3, column: 9, containing: "cell id 'linux-train/a+b/unset/framework-first/load' is produced twice")
    }

    @Test func unknownOutcomeWord() throws {
        let text = Self.rowHead.replacingOccurrences(of: "no: {withoutFix: [pass]", with: "no: {withoutFix: [passed]") + Self.row()
        try expectError("applicability.yaml", text, line: 4, column: 21, containing: "unknown outcome 'passed'")
    }

    @Test func unknownRuntimeInAProfile() throws {
        let text = F.small["profiles.yaml"]!.replacingOccurrences(of: "    index: b", with: "    index: c")
        try expectError("profiles.yaml", text, line: 12, column: 12, containing: "unknown runtime 'c' for the index role")
        // A path must be absolute.
        let rel = F.small["profiles.yaml"]!.replacingOccurrences(of: "    index: b", with: "    index: {path: lib/libomp.so}")
        try expectError("profiles.yaml", rel, line: 12, column: 19, containing: "must be absolute")
    }

    @Test func workloadsThatDoNotValidate() throws {
        // An unknown role.
        try expectError("applicability.yaml", Self.rowHead + Self.row(workload: "train model"),
                        line: 14, column: 15, containing: "'model' is not a role")
        // Loads belong to the expansion, not the workload.
        try expectError("applicability.yaml", Self.rowHead + Self.row(workload: "load framework; train framework"),
                        line: 14, column: 15, containing: "only work steps belong here")
        // Plan.validate: search with no index built before it.
        try expectError("applicability.yaml", Self.rowHead + Self.row(workload: "search index"),
                        line: 14, column: 15, containing: "'search' needs an index")
        // A parse error points at the step's own column inside the scalar.
        try expectError("applicability.yaml", Self.rowHead + Self.row(workload: "train framework; fly index"),
                        line: 14, column: 32, containing: "unknown step 'fly'")
        try expectError("applicability.yaml", Self.rowHead + Self.row(workload: "\"train framework; fly index\""),
                        line: 14, column: 33, containing: "unknown step 'fly'")
    }

    @Test func evidenceMustNameSomething() throws {
        let claims = F.lines("schemaVersion: 1", "claims:",
                             "  - id: c", "    statement: s", "    source: {section: S, quote: q}", "    method: m",
                             "    evidence:", "      - rows: [linux-train, nope]")
        try expectError("claims.yaml", claims, line: 8, column: 29, containing: "matches 'nope'")
        let empty = F.lines("schemaVersion: 1", "claims:",
                            "  - id: c", "    statement: s", "    source: {section: S, quote: q}", "    method: m",
                            "    evidence:", "      - rows: [mac-train]", "        envModes: [set-after-inits]", "        imports: [load]")
        try expectError("claims.yaml", empty, line: 8, column: 9, containing: "selects no cell")
        let none = F.lines("schemaVersion: 1", "claims:", "  - id: c", "    statement: s", "    source: {section: S, quote: q}", "    method: m")
        try expectError("claims.yaml", none, line: 3, column: 5, containing: "needs evidence, a probe, wheels, or an untestable reason")
    }
}
