import Foundation
import Testing
@testable import OpenMPConformance

@Suite("ResultsCodec")
struct ResultsCodecTests {
    /// A fresh directory under the system temporary directory.
    static func temporaryDirectory() throws -> URL {
        let url = try makeTemporaryDirectory("omp-codec")
        return url
    }

    @Test func roundTripIsLosslessAndDeterministic() throws {
        let original = ReportFixtures.results()
        let data = try ResultsCodec.encode(original)
        let decoded = try ResultsCodec.decode(data, file: "mem.json")
        #expect(decoded == original)
        #expect(try ResultsCodec.encode(decoded) == data)
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.hasSuffix("}\n"))
        #expect(text.contains("\n  \"claims\" : ["))  // pretty-printed
        // Sorted keys: the top-level keys appear alphabetically.
        let top = ["claims", "environment", "finishedAt", "host", "kind", "partial", "results", "schemaVersion", "selection", "startedAt", "tool"]
        let positions = top.map { text.range(of: "\n  \"\($0)\" :")!.lowerBound }
        #expect(positions == positions.sorted())
    }

    @Test func roundTripThroughAFile() throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("results.json")
        let original = ReportFixtures.hostileResults()
        try ResultsCodec.write(original, to: url)
        #expect(try ResultsCodec.read(url) == original)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir.path)
        #expect(leftovers == ["results.json"])
    }

    @Test func otherSchemaVersionNamesFileAndBothVersions() throws {
        var text = String(decoding: try ResultsCodec.encode(ReportFixtures.results()), as: UTF8.self)
        text = text.replacingOccurrences(of: "\"schemaVersion\" : 4", with: "\"schemaVersion\" : 5")
        do {
            _ = try ResultsCodec.decode(Data(text.utf8), file: "results/debian.json")
            Issue.record("decoding a schema-5 file should fail")
        } catch let error as InputError {
            #expect(error.file == "results/debian.json")
            #expect(error.message.contains("written by schema 5, this tool reads 1 to 4"))
            #expect(error.description.hasPrefix("results/debian.json:"))
            // The location points at the version number itself.
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            let line = try #require(error.line)
            let column = try #require(error.column)
            let lineText = Array(lines[line - 1])
            #expect(String(lineText[(column - 1)...]).hasPrefix("5"))
        }
    }

    @Test func truncatedFileReportsLineAndColumnOfTheEnd() throws {
        let data = try ResultsCodec.encode(ReportFixtures.results())
        let cut = data.prefix(data.count / 2)
        let text = String(decoding: cut, as: UTF8.self)
        do {
            _ = try ResultsCodec.decode(Data(cut), file: "half.json")
            Issue.record("a truncated file should not decode")
        } catch let error as InputError {
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            #expect(error.file == "half.json")
            #expect(error.line == lines.count)
            #expect(error.column == lines.last!.unicodeScalars.count + 1)
            #expect(error.message.contains("truncated"))
            #expect(error.description == "half.json:\(lines.count):\(lines.last!.unicodeScalars.count + 1): \(error.message)")
        }
    }

    @Test func malformedCharacterIsLocated() throws {
        let text = "{\n  \"schemaVersion\": 1,\n  \"tool\": {\"name\": \"x\", \"version\": \"1\"},\n  \"partial\": fals\n}\n"
        let error = try #require(throws: InputError.self) { try ResultsCodec.decode(Data(text.utf8), file: "bad.json") }
        #expect(error.line == 4)
        #expect(error.column == 18)  // the character after "fals"
        #expect(error.message.contains("expected 'false'"))
    }

    @Test func columnsCountCharactersNotBytes() throws {
        // "é" and "ü" are two bytes each in UTF-8; the stray "x" is the 11th character.
        let text = "{\"é\": \"ü\" x}"
        let error = try #require(throws: InputError.self) {
            _ = try ResultsCodec.decode([String: String].self, from: Data(text.utf8), file: "u.json", schemaVersion: nil)
        }
        #expect(error.line == 1)
        #expect(error.column == 11)
        let bytes = Array("aé\nb".utf8)  // a, é (2 bytes), newline, b
        let atNewline = JSONDocument.lineColumn(at: 3, in: bytes)
        #expect(atNewline.line == 1 && atNewline.column == 3)
        let atB = JSONDocument.lineColumn(at: 4, in: bytes)
        #expect(atB.line == 2 && atB.column == 1)
    }

    @Test func wrongShapeNamesTheCodingPath() throws {
        var text = String(decoding: try ResultsCodec.encode(ReportFixtures.results()), as: UTF8.self)
        text = text.replacingOccurrences(of: "\"outcome\" : \"hang-at-exit\"", with: "\"outcome\" : \"exploded\"")
        let bad = try #require(throws: InputError.self) { try ResultsCodec.decode(Data(text.utf8), file: "r.json") }
        #expect(bad.message.contains("results["))
        #expect(bad.message.contains("exploded"))
        let line = try #require(bad.line)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines[line - 1].contains("exploded"))

        let typed = text.replacingOccurrences(of: "\"cores\" : 2", with: "\"cores\" : \"two\"")
        let typeError = try #require(throws: InputError.self) { try ResultsCodec.decode(Data(typed.utf8), file: "r.json") }
        #expect(typeError.message.contains("host.cores"))
        #expect(typeError.message.contains("expected an integer, found string"))

        let missing = text.replacingOccurrences(of: "\"startedAt\" : \"2026-11-27T10:00:00Z\",", with: "")
        let missingError = try #require(throws: InputError.self) { try ResultsCodec.decode(Data(missing.utf8), file: "r.json") }
        #expect(missingError.message.contains("missing key \"startedAt\""))
    }

    @Test func duplicateKeysAreRefused() throws {
        let text = "{\"schemaVersion\": 1, \"partial\": true,\n \"partial\": false}"
        let error = try #require(throws: InputError.self) { try ResultsCodec.decode(Data(text.utf8), file: "d.json") }
        #expect(error.line == 2)
        #expect(error.column == 2)
        #expect(error.message.contains("duplicate key \"partial\""))
    }

    @Test func missingOrNonIntegerVersion() throws {
        let none = try #require(throws: InputError.self) { try ResultsCodec.decode(Data("{}".utf8), file: "e.json") }
        #expect(none.message.contains("missing \"schemaVersion\""))
        let text = try #require(throws: InputError.self) {
            try ResultsCodec.decode(Data("{\"schemaVersion\": \"1\"}".utf8), file: "e.json")
        }
        #expect(text.message.contains("must be an integer"))
        let empty = try #require(throws: InputError.self) { try ResultsCodec.decode(Data(), file: "e.json") }
        #expect(empty.message.contains("empty"))
    }

    @Test func unreadableFileIsNamed() throws {
        let error = try #require(throws: InputError.self) {
            try ResultsCodec.read(URL(fileURLWithPath: "/nonexistent/dir/results.json"))
        }
        #expect(error.description == "/nonexistent/dir/results.json: cannot read the file: no such file")
    }

    // MARK: Atomic writes

    @Test func writeFailsWhenParentIsARegularFile() throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let blocker = dir.appendingPathComponent("not-a-dir")
        try Data("old contents\n".utf8).write(to: blocker)
        let target = blocker.appendingPathComponent("results.json")
        let error = try #require(throws: FileWriteError.self) { try ResultsCodec.write(ReportFixtures.results(), to: target) }
        #expect(error.path == target.path)
        #expect(error.errorNumber == ENOTDIR)
        #expect(error.description.contains("could not create a temporary file"))
        #expect(error.description.contains("Not a directory"))
        #expect(try Data(contentsOf: blocker) == Data("old contents\n".utf8))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["not-a-dir"])
    }

    @Test func failedRenameKeepsTheOldContentsAndLeavesNoTemporaryFile() throws {
        // The destination is a non-empty directory: every step succeeds up to the rename, which fails.
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let target = dir.appendingPathComponent("results.json")
        try FileManager.default.createDirectory(at: target, withIntermediateDirectories: false)
        let inner = target.appendingPathComponent("keep.txt")
        try Data("keep me".utf8).write(to: inner)
        let error = try #require(throws: FileWriteError.self) { try ResultsCodec.write(ReportFixtures.results(), to: target) }
        #expect(error.operation.hasPrefix("rename"))
        #expect(error.errorNumber == EISDIR || error.errorNumber == ENOTEMPTY || error.errorNumber == EEXIST)
        #expect(try Data(contentsOf: inner) == Data("keep me".utf8))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["results.json"])
    }

    @Test func unencodableValueLeavesTheEarlierFileIntact() throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("results.json")
        let good = ReportFixtures.results()
        try ResultsCodec.write(good, to: url)
        let before = try Data(contentsOf: url)
        var bad = good
        bad.results[1].durationSeconds = .nan
        let error = try #require(throws: FileWriteError.self) { try ResultsCodec.write(bad, to: url) }
        #expect(error.reason.contains("results[1].durationSeconds"))
        #expect(try Data(contentsOf: url) == before)
        #expect(try ResultsCodec.read(url) == good)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["results.json"])
    }

    @Test("a write beneath a regular file fails with its errno (on every platform)")
    func writingBeneathAFileFails() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("omp-wf-\(UUID().uuidString)")
        try Data("x".utf8).write(to: dir)
        defer { try? FileManager.default.removeItem(at: dir) }
        let target = dir.appendingPathComponent("omp-conformance-test.json")
        let error = try #require(throws: FileWriteError.self) {
            try AtomicFile.write(Data("x".utf8), to: target)
        }
        #expect(error.errorNumber != nil)
        #expect(!FileManager.default.fileExists(atPath: target.path))
    }

    @Test func overwriteKeepsPermissionBits() throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("b.json")
        try AtomicFile.write(Data("1\n".utf8), to: url)
        func mode() -> mode_t {
            var st = stat()
            return stat(url.path, &st) == 0 ? st.st_mode & 0o777 : 0
        }
        #expect(mode() == 0o644)
        #expect(chmod(url.path, 0o600) == 0)
        try AtomicFile.write(Data("2\n".utf8), to: url)
        #expect(mode() == 0o600)
        #expect(try Data(contentsOf: url) == Data("2\n".utf8))
    }
}
