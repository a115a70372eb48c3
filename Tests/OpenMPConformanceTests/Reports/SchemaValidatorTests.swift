import Foundation
import Testing
@testable import OpenMPConformance

@Suite("Results schema and validator")
struct SchemaValidatorTests {
    static func encodedText(_ r: ResultsFile = ReportFixtures.results()) throws -> String {
        String(decoding: try ResultsCodec.encode(r), as: UTF8.self)
    }

    static func violations(_ text: String) throws -> [SchemaValidator.Violation] {
        try SchemaValidator.resultsSchema().validate(Data(text.utf8), file: "doctored.json")
    }

    @Test func realResultsFileConforms() throws {
        let validator = try SchemaValidator.resultsSchema()
        // Every optional field is present somewhere in the fixture (finishedAt, analogueOf,
        // openblasGuess, exitWaitMilliseconds, killedBy, ...), so additionalProperties: false
        // proves the schema names every field the encoder writes.
        let r = ReportFixtures.results()
        #expect(r.results.contains { $0.analogueOf != nil && $0.probe == nil })
        #expect(r.results.contains { $0.probe?.exitWaitMilliseconds != nil && $0.probe?.ending.killedBy != nil })
        let violations = try validator.validate(try ResultsCodec.encode(r))
        #expect(violations.isEmpty, "\(violations)")
        let hostile = try validator.validate(try ResultsCodec.encode(ReportFixtures.hostileResults()))
        #expect(hostile.isEmpty, "\(hostile)")
    }

    @Test func unknownOutcomeFails() throws {
        let text = try Self.encodedText().replacingOccurrences(of: "\"hang-at-exit\"", with: "\"exploded\"")
        let v = try Self.violations(text)
        #expect(!v.isEmpty)
        #expect(v.allSatisfy { $0.message.contains("\"exploded\" is not one of") })
        #expect(v.contains { $0.instancePath.hasPrefix("/results/") && $0.instancePath.hasSuffix("/outcome") })
        let line = v[0].line
        #expect(text.split(separator: "\n", omittingEmptySubsequences: false)[line - 1].contains("exploded"))
    }

    @Test func missingRequiredFieldFails() throws {
        let text = try Self.encodedText().replacingOccurrences(of: "\"partial\" : false,", with: "")
        let v = try Self.violations(text)
        #expect(v.count == 1)
        #expect(v.first?.message == "missing required property \"partial\"")
        #expect(v.first?.instancePath == "")
        #expect(v.first?.schemaPath == "#/required")
    }

    @Test func extraFieldFails() throws {
        let text = try Self.encodedText().replacingOccurrences(of: "\"cores\" : 2,", with: "\"cores\" : 2, \"gpu\" : \"none\",")
        let v = try Self.violations(text)
        #expect(v.map(\.instancePath) == ["/host/gpu"])
        #expect(v.first?.message == "unexpected property \"gpu\"")
    }

    @Test func wrongTypeAndMinimumFail() throws {
        let typed = try Self.encodedText().replacingOccurrences(of: "\"cores\" : 2", with: "\"cores\" : 2.5")
        #expect(try Self.violations(typed).map(\.message) == ["expected integer, found number"])
        let negative = try Self.encodedText().replacingOccurrences(of: "\"cores\" : 2", with: "\"cores\" : -1")
        #expect(try Self.violations(negative).map(\.message) == ["-1 is less than the minimum 0"])
        let stringly = try Self.encodedText().replacingOccurrences(of: "\"partial\" : false", with: "\"partial\" : \"false\"")
        #expect(try Self.violations(stringly).map(\.message) == ["expected boolean, found string"])
    }

    @Test func nullableFieldsAcceptNullOnlyWhereDeclared() throws {
        let nullFinished = try Self.encodedText()
            .replacingOccurrences(of: "\"finishedAt\" : \"2026-11-27T10:04:31Z\"", with: "\"finishedAt\" : null")
        #expect(try Self.violations(nullFinished).isEmpty)
        let nullStarted = try Self.encodedText()
            .replacingOccurrences(of: "\"startedAt\" : \"2026-11-27T10:00:00Z\"", with: "\"startedAt\" : null")
        #expect(try Self.violations(nullStarted).map(\.message) == ["expected string, found null"])
    }

    @Test func wrongSchemaVersionFails() throws {
        let text = try Self.encodedText().replacingOccurrences(of: "\"schemaVersion\" : 1", with: "\"schemaVersion\" : 2")
        #expect(try Self.violations(text).map(\.instancePath) == ["/schemaVersion"])
    }

    /// The schema's enums are the Swift enums' raw values, in the same order.
    @Test func schemaEnumsMatchTheModel() throws {
        let url = try #require(SchemaValidator.resultsSchemaURL)
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
        let defs = json["$defs"] as! [String: Any]
        func enumOf(_ path: [String], in root: [String: Any]) -> [String] {
            var node: Any = root
            for key in path { node = (node as! [String: Any])[key]! }
            return ((node as! [String: Any])["enum"] as! [Any]).compactMap { $0 as? String }
        }
        #expect(enumOf(["Outcome"], in: defs) == Outcome.allCases.map(\.rawValue))
        #expect(enumOf(["CellResult", "properties", "outcome"], in: defs) == Outcome.allCases.map(\.rawValue))
        #expect(enumOf(["Verdict"], in: defs) == Verdict.allCases.map(\.rawValue))
        #expect(enumOf(["CellResult", "properties", "status"], in: defs) == ["ran", "skipped"])
        #expect(enumOf(["Ending", "properties", "kind"], in: defs) == ["exited", "signaled", "killed", "not-started"])
        #expect(CellResult.Status(rawValue: "ran") != nil && CellResult.Status(rawValue: "skipped") != nil)
        for kind in ["exited", "signaled", "killed", "not-started"] {
            #expect(ProbeResult.Ending.Kind(rawValue: kind) != nil)
        }
    }

    @Test func unsupportedKeywordsAreRefused() throws {
        let schema = "{\"type\": \"object\",\n \"patternProperties\": {}}"
        let error = try #require(throws: InputError.self) { try SchemaValidator(schema: Data(schema.utf8), file: "s.json") }
        #expect(error.line == 2 && error.column == 2)
        #expect(error.message.contains("unsupported keyword \"patternProperties\""))
        let badRef = "{\"$ref\": \"#/$defs/Nope\", \"$defs\": {}}"
        let refError = try #require(throws: InputError.self) { try SchemaValidator(schema: Data(badRef.utf8)) }
        #expect(refError.message.contains("names no definition"))
    }

    @Test func smallSchemaSemantics() throws {
        let schema = """
        {"type": "object", "required": ["a"], "additionalProperties": {"type": "integer"},
         "properties": {"a": {"type": "array", "items": {"$ref": "#/$defs/N"}}},
         "$defs": {"N": {"type": ["number", "null"], "minimum": 1}}}
        """
        let v = try SchemaValidator(schema: Data(schema.utf8))
        #expect(try v.validate(Data("{\"a\": [1, 2.5, null], \"b\": 3}".utf8)).isEmpty)
        let bad = try v.validate(Data("{\"a\": [0, \"x\"], \"b\": 1.5}".utf8))
        #expect(Set(bad.map(\.instancePath)) == ["/a/0", "/a/1", "/b"])
        #expect(try v.validate(Data("{}".utf8)).map(\.message) == ["missing required property \"a\""])
    }
}
