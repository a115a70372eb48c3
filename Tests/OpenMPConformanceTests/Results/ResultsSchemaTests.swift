import Foundation
import Testing
@testable import OpenMPConformance

/// The results files, checked against `Resources/results.schema.json` by an independent validator:
/// Python's `jsonschema` (draft 2020-12), which also checks the schema against the draft's
/// meta-schema. One python3 process validates a whole batch.
@Suite("Results schema, validated by Python's jsonschema", .enabled(if: Python.withJSONSchema != nil, Comment(rawValue: Python.noJSONSchema)))
struct ResultsSchemaTests {
    static let schemaPath = TestRuntimes.root + "/Sources/OpenMPConformance/Resources/results.schema.json"

    struct Document: Codable { var name: String; var text: String }
    struct SchemaError: Codable, CustomStringConvertible {
        var path: String
        var validator: String
        var message: String
        var description: String { "\(path.isEmpty ? "(root)" : path): \(validator): \(message)" }
    }
    struct Answer: Codable { var name: String; var errors: [SchemaError] }

    /// Validates every document in one python3 run; the errors of each, by name.
    static func validate(_ documents: [Document]) async throws -> [String: [SchemaError]] {
        let python = try #require(Python.withJSONSchema)
        let answers = try await Python.oracle(python, script: "validate_schema.py", arguments: [schemaPath],
                                        batch: documents, as: [Answer].self)
        #expect(answers.map(\.name) == documents.map(\.name))
        return Dictionary(answers.map { ($0.name, $0.errors) }, uniquingKeysWith: { a, _ in a })
    }

    static func encodedText(_ r: ResultsFile = ReportFixtures.results()) throws -> String {
        String(decoding: try ResultsCodec.encode(r), as: UTF8.self)
    }

    static var cli: String? { TestProducts.ompMatrix }

    @Test func fixtureResultsConform() async throws {
        // Every optional field is present somewhere in the fixture (finishedAt, analogueOf,
        // openblasGuess, exitWaitMilliseconds, killedBy, ...), so additionalProperties: false
        // proves the schema names every field the encoder writes.
        let r = ReportFixtures.results()
        #expect(r.results.contains { $0.analogueOf != nil && $0.probe == nil })
        #expect(r.results.contains { $0.probe?.exitWaitMilliseconds != nil && $0.probe?.ending.killedBy != nil })
        let errors = try await Self.validate([
            Document(name: "fixture", text: try Self.encodedText(r)),
            Document(name: "hostile", text: try Self.encodedText(ReportFixtures.hostileResults())),
            // With the Windows column: cells with `platform`, the `windows` section with its claims.
            Document(name: "windows", text: try Self.encodedText(WindowsColumnTests.withWindows(r, skipped: "wine64 not found"))),
        ])
        #expect(errors["fixture"]?.isEmpty == true, "\(errors["fixture"] ?? [])")
        #expect(errors["hostile"]?.isEmpty == true, "\(errors["hostile"] ?? [])")
        #expect(errors["windows"]?.isEmpty == true, "\(errors["windows"] ?? [])")
    }

    /// A real run of one row by `omp-matrix run`, its `report --format json` rendering, and every
    /// matrix results file the main job left in `results/`, all conform.
    @Test func realResultsFilesConform() async throws {
        let cli = try #require(Self.cli, "omp-matrix not built beside the tests")
        let dir = try makeTemporaryDirectory("omp-schema")
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("run.json"), rendered = dir.appendingPathComponent("report.json")
        func omp(_ args: [String]) async throws -> Int32 {
            try await TestProcess.run([cli] + args, in: dir).terminationStatus
        }
        // 0, or 4 when runtimes are missing here: the file is written either way.
        let status = try await omp(["run", "--plain", "--row", "linux-cpu-training", "--output", out.path])
        #expect(status == 0 || status == 4, "omp-matrix run exited \(status)")
        #expect(try await omp(["report", out.path, "--format", "json", "--output", rendered.path]) == 0)
        let run = try ResultsCodec.read(out)
        #expect(run.results.count == MatrixFixtures.linuxCPUTrainingCells && run.results.allSatisfy { $0.row == "linux-cpu-training" })

        var documents = [
            Document(name: "run", text: try String(contentsOf: out, encoding: .utf8)),
            Document(name: "report", text: try String(contentsOf: rendered, encoding: .utf8)),
        ]
        let kept = TestRuntimes.root + "/results"
        // Every results file there, of either kind (`omp-matrix atlas` writes its own kind there too).
        for f in ((try? FileManager.default.contentsOfDirectory(atPath: kept)) ?? []).sorted()
        where f.hasSuffix(".json") && ResultsKind.of(file: kept + "/" + f) != nil {
            documents.append(Document(name: "results/" + f, text: try String(contentsOfFile: kept + "/" + f, encoding: .utf8)))
        }
        let errors = try await Self.validate(documents)
        for d in documents {
            #expect(errors[d.name]?.isEmpty == true, "\(d.name): \(errors[d.name] ?? [])")
        }
    }

    /// The checked-in atlas snapshots (real atlas files of `omp-matrix atlas`), and every older
    /// version this tool reads, conform: one schema for both kinds.
    @Test func realAtlasFilesAndOlderVersionsConform() async throws {
        var documents = try [OlderResults.linuxSnapshot, OlderResults.windowsSnapshot].map {
            Document(name: $0, text: try String(contentsOfFile: $0, encoding: .utf8))
        }
        #expect(documents.allSatisfy { $0.text.contains("\n  \"kind\" : \"atlas\",") })
        for v in OlderResults.versions {
            documents.append(Document(name: v.testDescription, text: try OlderResults.texts(v).old))
        }
        let errors = try await Self.validate(documents)
        for d in documents {
            #expect(errors[d.name]?.isEmpty == true, "\(d.name): \(errors[d.name] ?? [])")
        }
    }

    /// Doctored copies of a valid file, each with the one error jsonschema must report.
    struct Mutation: CustomTestStringConvertible, Sendable {
        var name: String
        var replace: String
        var with: String
        /// Expected (path, keyword) pairs; `*` in a path matches any one step (`/results/*/outcome`: any result's outcome).
        var expected: [(path: String, validator: String)]
        /// Doctor the Windows atlas snapshot instead of the matrix fixture.
        var atlas = false
        var testDescription: String { name }
    }

    static let mutations: [Mutation] = [
        Mutation(name: "unknown outcome", replace: "\"hang-at-exit\"", with: "\"exploded\"",
                 expected: [("/results/*/outcome", "enum"), ("/results/*/probe/outcome", "enum")]),
        Mutation(name: "missing required field", replace: "\"partial\" : false,", with: "",
                 expected: [("", "required")]),
        Mutation(name: "extra field", replace: "\"cores\" : 2,", with: "\"cores\" : 2, \"gpu\" : \"none\",",
                 expected: [("/host", "additionalProperties")]),
        Mutation(name: "integer written as a fraction", replace: "\"cores\" : 2", with: "\"cores\" : 2.5",
                 expected: [("/host/cores", "type")]),
        Mutation(name: "below the minimum", replace: "\"cores\" : 2", with: "\"cores\" : -1",
                 expected: [("/host/cores", "minimum")]),
        Mutation(name: "boolean written as a string", replace: "\"partial\" : false", with: "\"partial\" : \"false\"",
                 expected: [("/partial", "type")]),
        Mutation(name: "null where not nullable", replace: "\"startedAt\" : \"2026-11-27T10:00:00Z\"", with: "\"startedAt\" : null",
                 expected: [("/startedAt", "type")]),
        Mutation(name: "another schema version", replace: "\"schemaVersion\" : 4", with: "\"schemaVersion\" : 5",
                 expected: [("/schemaVersion", "enum")]),
        Mutation(name: "version 4 without its kind", replace: "\n  \"kind\" : \"matrix\",", with: "",
                 expected: [("", "required")]),
        Mutation(name: "a matrix body labelled atlas", replace: "\"kind\" : \"matrix\"", with: "\"kind\" : \"atlas\"",
                 expected: [("", "required"), ("", "unevaluatedProperties")]),
        Mutation(name: "an atlas body labelled matrix", replace: "\n  \"kind\" : \"atlas\"", with: "\n  \"kind\" : \"matrix\"",
                 expected: [("", "required"), ("", "unevaluatedProperties")], atlas: true),
        Mutation(name: "an unknown kind", replace: "\n  \"kind\" : \"atlas\"", with: "\n  \"kind\" : \"table\"",
                 expected: [("/kind", "enum"), ("/kind", "const"), ("", "required"), ("", "unevaluatedProperties")], atlas: true),
        Mutation(name: "an atlas of schema 3 (there was none)", replace: "\n  \"kind\" : \"atlas\",\n", with: "\n",
                 expected: [("/schemaVersion", "enum")], atlas: true),
        Mutation(name: "an unknown atlas variant", replace: "\"variant\" : \"with-second-loaded-first\"", with: "\"variant\" : \"sideways\"",
                 expected: [("/cells/*/observations/*/variant", "enum")], atlas: true),
        Mutation(name: "an extra field in an atlas cell", replace: "\"first\" : ", with: "\"gpu\" : \"none\", \"first\" : ",
                 expected: [("/cells/*", "additionalProperties")], atlas: true),
        Mutation(name: "an atlas observation without runs", replace: "\"runs\" : [", with: "\"ruins\" : [",
                 expected: [("/cells/*/observations/*", "required"), ("/cells/*/observations/*", "additionalProperties")], atlas: true),
        Mutation(name: "null where nullable", replace: "\"finishedAt\" : \"2026-11-27T10:04:31Z\"", with: "\"finishedAt\" : null",
                 expected: []),
    ]

    @Test func doctoredFilesFailWhereExpected() async throws {
        let matrix = try Self.encodedText()
        let atlas = try String(contentsOfFile: OlderResults.windowsSnapshot, encoding: .utf8)
        let documents = try Self.mutations.map { m in
            let text = m.atlas ? atlas : matrix
            var doctored = text.replacingOccurrences(of: m.replace, with: m.with)
            if m.name.hasPrefix("an atlas of schema 3") { doctored = doctored.replacingOccurrences(of: "\"schemaVersion\" : 4", with: "\"schemaVersion\" : 3") }
            try #require(doctored != text, "\(m.name): the fixture holds no \(m.replace)")
            return Document(name: m.name, text: doctored)
        }
        let errors = try await Self.validate(documents)
        for m in Self.mutations {
            let got = errors[m.name] ?? []
            func matches(_ e: SchemaError, _ x: (path: String, validator: String)) -> Bool {
                guard e.validator == x.validator else { return false }
                let got = e.path.split(separator: "/", omittingEmptySubsequences: false), want = x.path.split(separator: "/", omittingEmptySubsequences: false)
                return got.count == want.count && zip(got, want).allSatisfy { $1 == "*" || $0 == $1 }
            }
            if m.expected.isEmpty {
                #expect(got.isEmpty, "\(m.name): \(got)")
            } else {
                #expect(!got.isEmpty && got.allSatisfy { e in m.expected.contains { matches(e, $0) } }, "\(m.name): \(got)")
                for x in m.expected {
                    #expect(got.contains { matches($0, x) }, "\(m.name): no \(x.validator) error at \(x.path): \(got)")
                }
            }
        }
        #expect(errors["extra field"]?.first?.message.contains("'gpu'") == true)
    }

    /// The schema's enums are the Swift enums' raw values, in the same order.
    @Test func schemaEnumsMatchTheModel() throws {
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: Self.schemaPath))) as! [String: Any]
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
        // The envelope's kind, and the atlas's enums.
        #expect(enumOf(["Envelope", "properties", "kind"], in: defs) == [ResultsKind.matrix, .atlas].map(\.rawValue))
        #expect(enumOf(["AtlasVariant"], in: defs) == AtlasVariant.allCases.map(\.rawValue))
        #expect(enumOf(["AtlasRuntimesRan"], in: defs) == AtlasRuntimesRan.allCases.map(\.rawValue))
        #expect(enumOf(["AtlasShapeCell", "properties", "shape"], in: defs) == StackShape.allCases.map(\.rawValue))
        #expect(enumOf(["AtlasConcurrencyCell", "properties", "kind"], in: defs) == AtlasConcurrencyCell.Kind.allCases.map(\.rawValue))
        #expect(enumOf(["AtlasCell", "properties", "diagonal"], in: defs) == [AtlasCell.Diagonal.copy, .control].map(\.rawValue))
        func versions(_ def: String) -> [Int] {
            (((defs[def] as! [String: Any])["properties"] as! [String: Any])["schemaVersion"] as! [String: Any])["enum"] as! [Int]
        }
        #expect(versions("MatrixResults") == ResultsDocument.readableVersions(.matrix))
        #expect(versions("AtlasResults") == ResultsDocument.readableVersions(.atlas))
    }
}
