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
    static func validate(_ documents: [Document]) throws -> [String: [SchemaError]] {
        let python = try #require(Python.withJSONSchema)
        let answers = try Python.oracle(python, script: "validate_schema.py", arguments: [schemaPath],
                                        batch: documents, as: [Answer].self)
        #expect(answers.map(\.name) == documents.map(\.name))
        return Dictionary(answers.map { ($0.name, $0.errors) }, uniquingKeysWith: { a, _ in a })
    }

    static func encodedText(_ r: ResultsFile = ReportFixtures.results()) throws -> String {
        String(decoding: try ResultsCodec.encode(r), as: UTF8.self)
    }

    static var cli: String? { TestProducts.ompMatrix }

    @Test func fixtureResultsConform() throws {
        // Every optional field is present somewhere in the fixture (finishedAt, analogueOf,
        // openblasGuess, exitWaitMilliseconds, killedBy, ...), so additionalProperties: false
        // proves the schema names every field the encoder writes.
        let r = ReportFixtures.results()
        #expect(r.results.contains { $0.analogueOf != nil && $0.probe == nil })
        #expect(r.results.contains { $0.probe?.exitWaitMilliseconds != nil && $0.probe?.ending.killedBy != nil })
        let errors = try Self.validate([
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
    @Test func realResultsFilesConform() throws {
        let cli = try #require(Self.cli, "omp-matrix not built beside the tests")
        let dir = try makeTemporaryDirectory("omp-schema")
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("run.json"), rendered = dir.appendingPathComponent("report.json")
        func omp(_ args: [String]) throws -> Int32 {
            try TestProcess.run([cli] + args, in: dir).terminationStatus
        }
        // 0, or 4 when runtimes are missing here: the file is written either way.
        let status = try omp(["run", "--plain", "--row", "linux-cpu-training", "--output", out.path])
        #expect(status == 0 || status == 4, "omp-matrix run exited \(status)")
        #expect(try omp(["report", out.path, "--format", "json", "--output", rendered.path]) == 0)
        let run = try ResultsCodec.read(out)
        #expect(run.results.count == MatrixFixtures.linuxCPUTrainingCells && run.results.allSatisfy { $0.row == "linux-cpu-training" })

        var documents = [
            Document(name: "run", text: try String(contentsOf: out, encoding: .utf8)),
            Document(name: "report", text: try String(contentsOf: rendered, encoding: .utf8)),
        ]
        let kept = TestRuntimes.root + "/results"
        // Only results of `omp-matrix run`, told by content: `omp-matrix atlas` writes its own kind there too.
        for f in ((try? FileManager.default.contentsOfDirectory(atPath: kept)) ?? []).sorted()
        where f.hasSuffix(".json") && ResultsKind.of(file: kept + "/" + f) == .matrix {
            documents.append(Document(name: "results/" + f, text: try String(contentsOfFile: kept + "/" + f, encoding: .utf8)))
        }
        let errors = try Self.validate(documents)
        for d in documents {
            #expect(errors[d.name]?.isEmpty == true, "\(d.name): \(errors[d.name] ?? [])")
        }
    }

    /// Doctored copies of a valid file, each with the one error jsonschema must report.
    struct Mutation: CustomTestStringConvertible, Sendable {
        var name: String
        var replace: String
        var with: String
        /// Expected (path, keyword) pairs; `/results/*/outcome` matches any outcome of any result.
        var expected: [(path: String, validator: String)]
        var testDescription: String { name }
    }

    static let mutations: [Mutation] = [
        Mutation(name: "unknown outcome", replace: "\"hang-at-exit\"", with: "\"exploded\"",
                 expected: [("/results/*/outcome", "enum")]),
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
        Mutation(name: "another schema version", replace: "\"schemaVersion\" : 3", with: "\"schemaVersion\" : 4",
                 expected: [("/schemaVersion", "enum")]),
        Mutation(name: "null where nullable", replace: "\"finishedAt\" : \"2026-11-27T10:04:31Z\"", with: "\"finishedAt\" : null",
                 expected: []),
    ]

    @Test func doctoredFilesFailWhereExpected() throws {
        let text = try Self.encodedText()
        let documents = try Self.mutations.map { m in
            let doctored = text.replacingOccurrences(of: m.replace, with: m.with)
            try #require(doctored != text, "\(m.name): the fixture holds no \(m.replace)")
            return Document(name: m.name, text: doctored)
        }
        let errors = try Self.validate(documents)
        for m in Self.mutations {
            let got = errors[m.name] ?? []
            func matches(_ e: SchemaError, _ x: (path: String, validator: String)) -> Bool {
                guard e.validator == x.validator else { return false }
                guard x.path == "/results/*/outcome" else { return e.path == x.path }
                return e.path.hasPrefix("/results/") && e.path.hasSuffix("/outcome")
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
    }
}
