import Foundation
import Testing
@testable import OpenMPConformance

/// Results files of the versions before 4, made from files of version 4 by undoing what the later
/// versions added. For the atlas this gives the real old files back byte for byte: the checked-in
/// snapshots were rewritten into version 4 by adding the `kind` line and changing `schemaVersion`
/// (2 for the Linux snapshot of commit fcf6049, 1 for the Windows one of commit 57e005c), and
/// ``realOldSnapshots`` checks the inverse against git history where it is there. The old snapshots
/// themselves (842 KB and 218 KB) are too large to keep as fixtures.
enum OlderResults {
    /// The text as written before 4: the top-level `kind` line removed, `schemaVersion` set.
    static func withoutKind(_ text: String, version: Int) throws -> String {
        var lines = text.components(separatedBy: "\n")
        let kind = try #require(lines.firstIndex { $0.hasPrefix("  \"kind\" : ") }, "no top-level kind line")
        lines.remove(at: kind)
        let v = try #require(lines.firstIndex { $0.hasPrefix("  \"schemaVersion\" : ") }, "no top-level schemaVersion line")
        lines[v] = "  \"schemaVersion\" : \(version)" + (lines[v].hasSuffix(",") ? "," : "")
        return lines.joined(separator: "\n")
    }

    /// One file of an older version.
    struct Version: CustomTestStringConvertible, Sendable {
        var kind: ResultsKind
        var version: Int
        /// What the file is made from.
        var from: String
        var testDescription: String { "\(kind.rawValue) \(version) (\(from))" }
    }

    static let linuxSnapshot = TestRuntimes.root + "/Matrices/atlas/debian12-x86_64-glibc2.36.json"
    static let windowsSnapshot = TestRuntimes.root + "/Matrices/atlas/windows-x86_64/debian12-x86_64-glibc2.36.json"

    /// Every version before 4 this tool reads.
    static let versions: [Version] = [
        Version(kind: .matrix, version: 1, from: "the report fixture without answer, words or claim states"),
        Version(kind: .matrix, version: 2, from: "the report fixture with answer and words, no probe observations"),
        Version(kind: .matrix, version: 3, from: "the report fixture with answer and words"),
        Version(kind: .atlas, version: 1, from: "the Windows snapshot as written at 57e005c"),
        Version(kind: .atlas, version: 2, from: "the Linux snapshot as written at fcf6049"),
    ]

    /// The version-4 text and the older text made from it.
    static func texts(_ v: Version) throws -> (current: String, old: String) {
        let current: String
        switch (v.kind, v.version) {
        case (.matrix, 1):
            current = String(decoding: try ResultsCodec.encode(ReportFixtures.results()), as: UTF8.self)
        case (.matrix, _):
            var r = ReportFixtures.results().annotated()
            // What version 3 added: what ran in each probe (absent in the fixture too, removed to be sure).
            if v.version < 3 {
                for i in r.results.indices { r.results[i].probe?.runtimesStarted = nil; r.results[i].probe?.teamThreads = nil; r.results[i].probe?.osThreads = nil }
            }
            current = String(decoding: try ResultsCodec.encode(r), as: UTF8.self)
        case (.atlas, _):
            current = try String(contentsOfFile: v.version == 1 ? windowsSnapshot : linuxSnapshot, encoding: .utf8)
        }
        return (current, try withoutKind(current, version: v.version))
    }
}

/// One reader for every results file (``ResultsDocument``): older versions by content, the
/// current one by its `kind`; what it refuses, it refuses at file:line:column, naming versions.
@Suite("One results file format")
struct ResultsDocumentTests {
    @Test("an older results file reads as its kind and renders, gates and merges as its version-4 rewrite does",
          arguments: OlderResults.versions)
    func olderVersionReads(_ v: OlderResults.Version) throws {
        let (current, old) = try OlderResults.texts(v)
        #expect(!old.contains("\"kind\" : \"\(v.kind.rawValue)\""))
        let read = try ResultsDocument.decode(Data(old.utf8), file: "old.json")
        let now = try ResultsDocument.decode(Data(current.utf8), file: "new.json")
        #expect(read.kind == v.kind && now.kind == v.kind)
        switch (read, now) {
        case (.matrix(let r), .matrix(let n)):
            #expect(r.schemaVersion == v.version && r.kind == .matrix)
            var same = r; same.schemaVersion = n.schemaVersion
            #expect(same == n, "the body reads as written")
            // The reports name the version of a file without a wheel scan; nothing else differs.
            func named(_ text: String) -> String {
                text.replacingOccurrences(of: "written by schema \(v.version)", with: "written by schema \(n.schemaVersion)")
            }
            #expect(named(MarkdownReport.render(r)) == MarkdownReport.render(n))
            #expect(named(HTMLReport.render(r)) == HTMLReport.render(n))
            #expect(JUnitReport.render(r) == JUnitReport.render(n))
            #expect(named(TerminalSummary.render(r)) == TerminalSummary.render(n))
            #expect(try Merge.merge(named: [("old.json", r)]) == Merge.merge(named: [("old.json", n)]))
            #expect(GateSubject(r) == GateSubject(n))
            // Rewritten by this tool: the version-4 text, byte for byte.
            #expect(String(decoding: try read.current.encoded(), as: UTF8.self) == current)
            #expect(try ResultsCodec.decode(Data(old.utf8), file: "old.json") == r)
        case (.atlas(let a), .atlas(let n)):
            #expect(a.schemaVersion == v.version && a.kind == .atlas)
            var same = a; same.schemaVersion = n.schemaVersion
            #expect(same == n, "the body reads as written")
            #expect(AtlasMarkdownReport.render(a) == AtlasMarkdownReport.render(n))
            #expect(AtlasHTMLReport.render(a) == AtlasHTMLReport.render(n))
            #expect(AtlasSummaryReport.render(a) == AtlasSummaryReport.render(n))
            #expect(GateSubject(a) == GateSubject(n))
            #expect(String(decoding: try read.current.encoded(), as: UTF8.self) == current)
            #expect(try AtlasCodec.decode(Data(old.utf8), file: "old.json") == a)
        default:
            Issue.record("read as \(read.kind), the version-4 file as \(now.kind)")
        }
    }

    /// The old snapshots from git history, where the clone has it: the test's older files are them.
    @Test("the older atlas files made here are the real old snapshots, byte for byte",
          .enabled(if: GitHistory.has("fcf6049") && GitHistory.has("57e005c"), "the clone lacks commits fcf6049 and 57e005c (shallow)"),
          arguments: [("fcf6049", 2), ("57e005c", 1)])
    func realOldSnapshots(commit: String, version: Int) throws {
        let path = version == 1 ? "Matrices/atlas/windows-x86_64/debian12-x86_64-glibc2.36.json" : "Matrices/atlas/debian12-x86_64-glibc2.36.json"
        let real = try GitHistory.show(commit, path)
        let made = try OlderResults.texts(try #require(OlderResults.versions.first { $0.kind == .atlas && $0.version == version })).old
        #expect(made == real)
    }

    /// A body of one kind labelled as the other, or as no kind this tool knows.
    struct Contradiction: CustomTestStringConvertible, Sendable {
        var body: ResultsKind
        var says: String
        var message: String
        var testDescription: String { "a \(body.rawValue) body with kind \"\(says)\"" }
    }

    @Test("a kind that contradicts the body, or is unknown, fails at the kind's line and column",
          arguments: [
            Contradiction(body: .matrix, says: "atlas", message: "\"kind\" says atlas, but the file holds matrix results"),
            Contradiction(body: .atlas, says: "matrix", message: "\"kind\" says matrix, but the file holds an atlas"),
            Contradiction(body: .atlas, says: "table", message: "\"kind\" must be \"matrix\" or \"atlas\", found \"table\""),
          ])
    func contradictingKind(_ c: Contradiction) throws {
        let text = try Self.currentText(c.body)
            .replacingOccurrences(of: "\n  \"kind\" : \"\(c.body.rawValue)\",", with: "\n  \"kind\" : \"\(c.says)\",")
        let lines = text.components(separatedBy: "\n")
        let kindLine = try #require(lines.firstIndex { $0.hasPrefix("  \"kind\" : \"\(c.says)\"") }) + 1
        for read in Self.readers {
            let error = try #require(throws: InputError.self) { try read(Data(text.utf8), "results/x.json") }
            #expect(error.file == "results/x.json" && error.line == kindLine && error.column == 12, "\(error)")
            #expect(error.message.hasPrefix(c.message), "\(error)")
            #expect(error.description.hasPrefix("results/x.json:\(kindLine):12: "))
        }
    }

    /// Versions this tool does not read: newer ones, an atlas 3 (there was none), a 4 without its kind.
    struct Unreadable: CustomTestStringConvertible, Sendable {
        var kind: ResultsKind
        var version: Int
        var keepKind: Bool
        var message: String
        var testDescription: String { "\(kind.rawValue) \(version)\(keepKind ? "" : " without kind")" }
    }

    @Test("a version this tool does not read fails at schemaVersion, naming it and the versions read",
          arguments: [
            Unreadable(kind: .matrix, version: 5, keepKind: true, message: "written by schema 5, this tool reads 1 to 4 (matrix results 1 to 4, atlas 1, 2 and 4)"),
            Unreadable(kind: .atlas, version: 5, keepKind: true, message: "written by schema 5, this tool reads 1 to 4 (matrix results 1 to 4, atlas 1, 2 and 4)"),
            Unreadable(kind: .atlas, version: 99, keepKind: false, message: "written by schema 99, this tool reads 1 to 4"),
            Unreadable(kind: .atlas, version: 3, keepKind: false, message: "atlas files of schema 3 do not exist: this tool reads atlas files of schema 1, 2 and 4"),
            Unreadable(kind: .matrix, version: 4, keepKind: false, message: "missing \"kind\" (\"matrix\" or \"atlas\"): results files of schema 4 name their kind"),
          ])
    func unreadableVersion(_ u: Unreadable) throws {
        var text = try Self.currentText(u.kind)
        if !u.keepKind { text = try OlderResults.withoutKind(text, version: u.version) }
        text = text.replacingOccurrences(of: "\n  \"schemaVersion\" : 4", with: "\n  \"schemaVersion\" : \(u.version)")
        let lines = text.components(separatedBy: "\n")
        let versionLine = try #require(lines.firstIndex { $0.hasPrefix("  \"schemaVersion\" : ") }) + 1
        for read in Self.readers {
            let error = try #require(throws: InputError.self) { try read(Data(text.utf8), "r.json") }
            #expect(error.message.hasPrefix(u.message), "\(error)")
            // At the version, or (a missing kind) at the top-level object.
            #expect(u.keepKind || u.version != 4 ? error.line == versionLine : error.line == 1, "\(error)")
        }
    }

    @Test("a file of neither kind, with no kind, is not a results file; each kind's reader names the field it lacks")
    func neitherKind() throws {
        let text = "{\n  \"schemaVersion\" : 2,\n  \"partial\" : false\n}\n"
        let any = try #require(throws: InputError.self) { try ResultsDocument.decode(Data(text.utf8), file: "n.json") }
        #expect(any.message.hasPrefix("not a results file: no \"kind\", and neither matrix results"), "\(any)")
        let matrix = try #require(throws: InputError.self) { try ResultsCodec.decode(Data(text.utf8), file: "n.json") }
        #expect(matrix.message.contains("missing key"), "\(matrix)")
        let atlas = try #require(throws: InputError.self) { try AtlasCodec.decode(Data(text.utf8), file: "n.json") }
        #expect(atlas.message.contains("missing key"), "\(atlas)")
    }

    @Test("each kind's reader refuses the other kind, naming the file and what it is")
    func otherKindRefused() throws {
        let atlas = Data(try Self.currentText(.atlas).utf8), matrix = Data(try Self.currentText(.matrix).utf8)
        let a = try #require(throws: InputError.self) { try ResultsCodec.decode(atlas, file: "a.json") }
        #expect(a.description.hasPrefix("a.json: an atlas results file (kind \"atlas\""), "\(a)")
        let m = try #require(throws: InputError.self) { try AtlasCodec.decode(matrix, file: "m.json") }
        #expect(m.description.hasPrefix("m.json: a matrix results file (kind \"matrix\""), "\(m)")
    }

    @Test("the CLI: merge refuses an atlas file, naming it (exit 2); report and gate refuse a contradicting kind at file:line (exit 2)")
    func cliRefusals() throws {
        let cli = try #require(TestProducts.ompMatrix, "omp-matrix not built beside the tests")
        let dir = try makeTemporaryDirectory("omp-one-format")
        defer { try? FileManager.default.removeItem(at: dir) }
        let matrix = dir.appendingPathComponent("run.json")
        try ResultsCodec.write(ReportFixtures.results(), to: matrix)
        let merge = try TestProcess.run([cli, "merge", matrix.path, OlderResults.linuxSnapshot], in: dir)
        #expect(merge.terminationStatus == 2, "\(merge.output) \(merge.errors)")
        #expect(merge.errors.contains("\(OlderResults.linuxSnapshot): an atlas results file"), "\(merge.errors)")
        #expect(merge.errors.contains("merge takes matrix results files"), "\(merge.errors)")
        #expect(merge.output.isEmpty, "nothing merged: \(merge.output)")

        let bad = dir.appendingPathComponent("bad.json")
        let text = try String(contentsOf: matrix, encoding: .utf8).replacingOccurrences(of: "\n  \"kind\" : \"matrix\",", with: "\n  \"kind\" : \"atlas\",")
        try text.write(to: bad, atomically: true, encoding: .utf8)
        let line = try #require(text.components(separatedBy: "\n").firstIndex { $0.hasPrefix("  \"kind\" : ") }) + 1
        for args in [["report", bad.path], ["gate", "--baseline", bad.path, bad.path], ["merge", bad.path]] {
            let r = try TestProcess.run([cli] + args, in: dir)
            #expect(r.terminationStatus == 2, "\(args): \(r.output) \(r.errors)")
            #expect(r.errors.contains("\(bad.path):\(line):12: \"kind\" says atlas"), "\(args): \(r.errors)")
        }
    }

    // MARK: Helpers

    /// The readers that take a results file: the one reader, and each kind's (which go through it).
    static let readers: [@Sendable (Data, String) throws -> Any] = [
        { try ResultsDocument.decode($0, file: $1) },
        { try ResultsCodec.decode($0, file: $1) },
        { try AtlasCodec.decode($0, file: $1) },
    ]

    /// A version-4 file of a kind: the report fixture, or the Windows atlas snapshot (the smaller one).
    static func currentText(_ kind: ResultsKind) throws -> String {
        switch kind {
        case .matrix: String(decoding: try ResultsCodec.encode(ReportFixtures.results()), as: UTF8.self)
        case .atlas: try String(contentsOfFile: OlderResults.windowsSnapshot, encoding: .utf8)
        }
    }
}

/// The package's git history, when the clone has it.
enum GitHistory {
    static func has(_ commit: String) -> Bool {
        (try? TestProcess.run(["/usr/bin/env", "git", "-C", TestRuntimes.root, "cat-file", "-e", commit + "^{commit}"]).terminationStatus) == 0
    }

    static func show(_ commit: String, _ path: String) throws -> String {
        let r = try TestProcess.run(["/usr/bin/env", "git", "-C", TestRuntimes.root, "show", "\(commit):\(path)"])
        try #require(r.terminationStatus == 0, "git show \(commit):\(path): \(r.errors)")
        return r.output
    }
}
