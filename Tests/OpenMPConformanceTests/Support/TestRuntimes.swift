import Foundation
import Testing
@testable import OpenMPConformance

/// The real runtimes provisioned by `Scripts/provision-runtimes.sh` (runtimes/manifest.json).
enum TestRuntimes {
    static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url = url.deletingLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url.path }
        }
        return FileManager.default.currentDirectoryPath
    }()

    static let all: [RuntimeRecord] = {
        guard let catalog = try? RuntimeCatalog(packageRoot: URL(fileURLWithPath: root)) else { return [] }
        return catalog.runtimes.filter { FileManager.default.fileExists(atPath: $0.path) }
    }()

    static var missingReason: String {
        "runtimes/manifest.json is missing or lists no runtime present on disk: run Scripts/provision-runtimes.sh"
    }

    static func named(_ n: String) -> RuntimeRecord? { all.first { $0.name == n } }
    static var kmp: [RuntimeRecord] { all.filter { $0.family == "kmp" } }
    static var gnu: [RuntimeRecord] { all.filter { $0.family == "gnu" } }

    /// Ordered pairs of distinct KMP-family runtimes (distinct files, not symlinks of one).
    static var kmpPairs: [Pair] {
        kmp.flatMap { a in kmp.filter { b in b.name != a.name && realpath(b.path) != realpath(a.path) }.map { Pair(a: a, b: $0) } }
    }

    static func realpath(_ p: String) -> String { URL(fileURLWithPath: p).resolvingSymlinksInPath().path }

    struct Pair: CustomTestStringConvertible, Sendable {
        var a: RuntimeRecord, b: RuntimeRecord
        var testDescription: String { "\(a.name) then \(b.name)" }
    }

    /// The test fault fixture, built beside the test bundle.
    static var fixture: String? {
        let candidates = [
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("omp-fixture").path,
            root + "/.build/debug/omp-fixture",
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    static func bindings(_ rs: [RuntimeRecord], names: [String] = ["a", "b", "c"]) -> [RuntimeBinding] {
        zip(names, rs).map { RuntimeBinding(name: $0, path: $1.path) }
    }
}

extension RuntimeRecord: CustomTestStringConvertible {
    public var testDescription: String { name }
}

/// Every process of a probe's session and its descendants is gone, zombies included.
/// False (with the reason recorded as an issue) where the platform cannot list processes:
/// not seeing a process is not evidence that it is gone.
func sessionIsGone(_ sid: Int32?, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> Bool {
    guard let sid else { return true }
    do {
        return try ProcessTree.members(session: sid, extra: [sid]).isEmpty
    } catch {
        Issue.record("cannot tell whether session \(sid) is gone: \(error)", sourceLocation: sourceLocation)
        return false
    }
}
