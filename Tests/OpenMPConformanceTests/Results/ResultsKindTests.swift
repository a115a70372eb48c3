import Foundation
import Testing
@testable import OpenMPConformance

/// Results of different sources share `results/` and never break each other: `omp-matrix atlas`
/// writes its own kind there, and every command that defaults to "the newest results file" takes
/// the newest of its own kind, told by content. And `gate --update` makes its baselines folder.
@Suite("Results of different sources")
struct ResultsKindTests {
    static let atlasSnapshot = TestRuntimes.root + "/Matrices/atlas/debian12-x86_64-glibc2.36.json"

    /// A results folder with a matrix results file and, written after it, an atlas results file.
    static func mixedFolder() throws -> (dir: URL, matrix: URL) {
        let dir = try makeTemporaryDirectory("omp-kinds")
        let results = dir.appendingPathComponent("results", isDirectory: true)
        try FileManager.default.createDirectory(at: results, withIntermediateDirectories: true)
        let matrix = results.appendingPathComponent("host-20260101T000000Z-1.json")
        try ResultsCodec.write(ReportFixtures.results(), to: matrix)
        let atlas = results.appendingPathComponent("atlas-host-20260101T000001Z-2.json")
        try FileManager.default.copyItem(atPath: Self.atlasSnapshot, toPath: atlas.path)
        // The atlas file is the newest, as when `omp-matrix atlas` ran after `omp-matrix run`.
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: -60)], ofItemAtPath: matrix.path)
        try FileManager.default.setAttributes([.modificationDate: Date()], ofItemAtPath: atlas.path)
        return (dir, matrix)
    }

    @Test("each kind is told by content, not by name")
    func kinds() throws {
        let (dir, matrix) = try Self.mixedFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(ResultsKind.of(file: matrix.path) == .matrix)
        #expect(ResultsKind.of(file: Self.atlasSnapshot) == .atlas)
        #expect(ResultsKind.of(file: TestRuntimes.root + "/Matrices/baselines/debian12-x86_64-glibc2.36.json") == nil)
        let results = dir.appendingPathComponent("results").path
        #expect(try ResultsKind.matrix.newest(in: results) == matrix.path)
        #expect(try ResultsKind.atlas.newest(in: results)?.hasSuffix("atlas-host-20260101T000001Z-2.json") == true)
    }

    @Test("report, gate and readme take the newest matrix results file, with a newer atlas file beside it")
    func commandsReadTheirOwnKind() async throws {
        let cli = try #require(TestProducts.ompMatrix, "omp-matrix not built beside the tests")
        let (dir, matrix) = try Self.mixedFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let latest = try await TestProcess.run([cli, "report", "--print-latest"], in: dir)
        #expect(latest.terminationStatus == 0, "\(latest.errors)")
        #expect(latest.output.trimmingCharacters(in: .whitespacesAndNewlines) == "results/" + matrix.lastPathComponent)
        let summary = try await TestProcess.run([cli, "report", "--format", "summary"], in: dir)
        #expect(summary.terminationStatus == 0, "\(summary.errors)")
        #expect(!summary.errors.contains("missing key"), "\(summary.errors)")
        // The gate, recording then comparing, with its baseline folder not made yet.
        let baseline = "Matrices/baselines/fresh.json"
        let update = try await TestProcess.run([cli, "gate", "--update", "--baseline", baseline], in: dir)
        #expect(update.terminationStatus == 0, "gate --update: \(update.output) \(update.errors)")
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent(baseline).path))
        let gate = try await TestProcess.run([cli, "gate", "--baseline", baseline], in: dir)
        #expect(gate.terminationStatus == 0, "gate: \(gate.output) \(gate.errors)")
    }

    @Test("only atlas results: no matrix results file there, said so, exit 2")
    func onlyAtlas() async throws {
        let cli = try #require(TestProducts.ompMatrix, "omp-matrix not built beside the tests")
        let (dir, matrix) = try Self.mixedFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.removeItem(at: matrix)
        let r = try await TestProcess.run([cli, "report", "--print-latest"], in: dir)
        #expect(r.terminationStatus == 2)
        #expect(r.errors.contains("no results file of `omp-matrix run` in 'results'"), "\(r.errors)")
    }

    @Test("gate takes an atlas file against an atlas baseline: itself passes; a changed cell fails with its repro line; --update and a matrix baseline are refused, exit 2")
    func gateAnAtlas() async throws {
        let cli = try #require(TestProducts.ompMatrix, "omp-matrix not built beside the tests")
        let dir = try makeTemporaryDirectory("omp-gate-atlas")
        defer { try? FileManager.default.removeItem(at: dir) }
        let same = try await TestProcess.run([cli, "gate", "--baseline", Self.atlasSnapshot, Self.atlasSnapshot], in: dir)
        #expect(same.terminationStatus == 0, "\(same.output) \(same.errors)")
        #expect(same.output.hasPrefix("gate: PASSED"), "\(same.output)")
        // One observation that aborted turned into a pass: an unexpected pass, named by pair and variant.
        var atlas = try AtlasCodec.read(URL(fileURLWithPath: Self.atlasSnapshot))
        let i = try #require(atlas.cells.firstIndex { $0.observation(.withoutVariable)?.outcomes == [.duplicateRuntimeAbort] })
        let j = atlas.cells[i].observations.firstIndex { $0.variant == .withoutVariable }!
        atlas.cells[i].observations[j].outcomes = [.pass]
        atlas.cells[i].observations[j].runs = [.pass]
        let changed = dir.appendingPathComponent("changed.json")
        try AtlasCodec.write(atlas, to: changed)
        let r = try await TestProcess.run([cli, "gate", "--baseline", Self.atlasSnapshot, changed.path], in: dir)
        #expect(r.terminationStatus == 1, "\(r.output) \(r.errors)")
        #expect(r.output.contains("\(atlas.cells[i].id)/\(AtlasVariant.withoutVariable.rawValue)"), "\(r.output)")
        #expect(r.output.contains("unexpected pass"), "\(r.output)")
        let update = try await TestProcess.run([cli, "gate", "--update", "--baseline", Self.atlasSnapshot, changed.path], in: dir)
        #expect(update.terminationStatus == 2 && update.errors.contains("--write-snapshot"), "\(update.errors)")
        let matrixBaseline = TestRuntimes.root + "/Matrices/baselines/debian12-x86_64-glibc2.36.json"
        let wrong = try await TestProcess.run([cli, "gate", "--baseline", matrixBaseline, changed.path], in: dir)
        #expect(wrong.terminationStatus == 2 && wrong.errors.contains("not an atlas file"), "\(wrong.errors)")
    }

    @Test("report renders an atlas file byte for byte as atlas --from does, in each format they share; junit is refused, exit 2",
          arguments: ["md", "html", "summary", "json"])
    func reportAnAtlas(format: String) async throws {
        let cli = try #require(TestProducts.ompMatrix, "omp-matrix not built beside the tests")
        let dir = try makeTemporaryDirectory("omp-report-atlas")
        defer { try? FileManager.default.removeItem(at: dir) }
        let viaReport = try await TestProcess.run([cli, "report", "--format", format, Self.atlasSnapshot], in: dir)
        let viaAtlas = try await TestProcess.run([cli, "atlas", "--from", Self.atlasSnapshot, "--format", format], in: dir)
        #expect(viaReport.terminationStatus == 0, "\(viaReport.errors)")
        #expect(viaAtlas.terminationStatus == 0, "\(viaAtlas.errors)")
        #expect(!viaReport.output.isEmpty)
        #expect(viaReport.output.trimmingCharacters(in: .newlines) == viaAtlas.output.trimmingCharacters(in: .newlines))
        let junit = try await TestProcess.run([cli, "report", "--format", "junit", Self.atlasSnapshot], in: dir)
        #expect(junit.terminationStatus == 2 && junit.errors.contains("is an atlas"), "\(junit.errors)")
    }
}
