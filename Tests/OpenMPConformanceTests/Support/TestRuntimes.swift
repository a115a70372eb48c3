import Foundation
import Testing
@testable import OpenMPConformance
import OpenMPConformanceTesting

/// The real runtimes the probe tests use, from the provisioned catalog (`omp-matrix provision`):
/// the matrix's five (the atlas covers the whole catalog). When they are missing, the test
/// "the provisioned runtimes are present" fails once, naming the command, and the tests that
/// need them are skipped with `.enabled(if: TestRuntimes.available)`; nothing turns into
/// "no test cases" in silence.
enum TestRuntimes {
    static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url = url.deletingLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url.path }
        }
        return FileManager.default.currentDirectoryPath
    }()

    /// The names the probe tests run.
    static let names = ["gnu", "llvm14", "llvm16", "intel", "llvm14-copy"]

    /// The runtimes, or why they are not all there.
    static let loaded: Result<[RuntimeRecord], RuntimesNotProvisioned> = {
        let catalog: RuntimeCatalog
        do { catalog = try RuntimeCatalog() } catch { return .failure(RuntimesNotProvisioned(error)) }
        var found: [RuntimeRecord] = [], missing: [String] = []
        for name in names {
            if let r = catalog.runtime(named: name), FileManager.default.fileExists(atPath: r.path) {
                found.append(r)
            } else {
                missing.append(name)
            }
        }
        if !missing.isEmpty {
            return .failure(RuntimesNotProvisioned(detail: "\(catalog.manifestURL.path) lacks \(missing.joined(separator: ", "))"))
        }
        return .success(found)
    }()

    /// True when every runtime in ``names`` is provisioned.
    static var available: Bool { (try? loaded.get()) != nil }

    /// The runtimes (empty when not ``available``; tests using them are disabled then).
    static var all: [RuntimeRecord] {
        switch loaded {
        case .success(let rs): return rs
        case .failure: return []
        }
    }

    static var missingReason: String {
        switch loaded {
        case .success: return "all provisioned"
        case .failure(let e): return e.description
        }
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
            TestProducts.directory.appendingPathComponent("omp-fixture").path,
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
