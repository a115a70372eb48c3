import Foundation
import Testing
@testable import OpenMPConformance

/// The kept wheel-scan results: the same answer as reading the wheel, and a changed wheel or a
/// damaged kept file is read again.
@Suite("kept wheel scans")
struct WheelScanKeptTests {
    /// A real wheel with an OpenMP runtime inside: faiss-cpu's macOS wheel from the runtime cache.
    static let wheel: String? = {
        guard let catalog = try? RuntimeCatalog() else { return nil }
        let dir = catalog.directory.appendingPathComponent("wheels").path
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
        return names.first { $0.hasPrefix("faiss_cpu-") && $0.contains("macosx") }.map { dir + "/" + $0 }
    }()

    @Test("a kept result equals reading the wheel; a changed wheel and a damaged kept file are read again",
          .enabled(if: wheel != nil, "faiss-cpu's macOS wheel is not in the runtime cache (Scripts/run-matrix.sh provisions it)"))
    func keptMatchesAndFollowsChanges() throws {
        let dir = try makeTemporaryDirectory("omp-wheel-kept")
        defer { try? FileManager.default.removeItem(at: dir) }
        let wheel = try #require(Self.wheel)
        let copy = dir.appendingPathComponent(URL(fileURLWithPath: wheel).lastPathComponent)
        try FileManager.default.copyItem(atPath: wheel, toPath: copy.path)
        let kept = dir.appendingPathComponent("wheel-scans")

        let read = WheelScan.scan(wheel: copy)
        #expect(read.libraries.contains { $0.kind == .llvm }, "\(read)")
        #expect(WheelScan.scanKeepingResult(wheel: copy, in: kept) == read)
        let entries = try FileManager.default.contentsOfDirectory(atPath: kept.path)
        #expect(entries.count == 1)

        // A kept file that says something else is used while the wheel is unchanged (that is the
        // point of keeping it) ...
        var other = read
        other.libraries = []
        try ResultsCodec.encode(other).write(to: kept.appendingPathComponent(entries[0]))
        #expect(WheelScan.scanKeepingResult(wheel: copy, in: kept).libraries.isEmpty)
        // ... and never once the wheel changes: a new modification time is read again.
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: -3600)], ofItemAtPath: copy.path)
        #expect(WheelScan.scanKeepingResult(wheel: copy, in: kept) == read)
        // A damaged kept file is read over.
        let now = try FileManager.default.contentsOfDirectory(atPath: kept.path).filter { $0 != entries[0] }
        #expect(now.count == 1)
        try Data("{ not json".utf8).write(to: kept.appendingPathComponent(now[0]))
        #expect(WheelScan.scanKeepingResult(wheel: copy, in: kept) == read)
    }
}
