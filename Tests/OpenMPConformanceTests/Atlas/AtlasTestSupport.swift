import Foundation
import Synchronization
import Testing
@testable import OpenMPConformance

/// Namespace for the atlas suites (`swift test --filter Atlas`).
enum AtlasFixtures {
    /// This host's checked-in atlas, or nil when there is none for this host.
    static let snapshot: AtlasResults? = try? committed(HostInfo.current().key)

    private static let decoded = Mutex<[String: Result<AtlasResults?, any Error>]>([:])

    /// The checked-in atlas `Matrices/atlas/<hostKey>.json` (nil when there is none), as
    /// `Atlas.snapshot` reads it, decoded once per test process: the tests that build their atlas
    /// evidence on it decoded its 800 KB again each time (about 0.4 s in a debug build). Each
    /// caller gets its own copy (a value) to change.
    static func committed(_ hostKey: String) throws -> AtlasResults? {
        if let known = decoded.withLock({ $0[hostKey] }) { return try known.get() }
        let result = Result { try Atlas.snapshot(hostKey: hostKey, packageRoot: URL(fileURLWithPath: TestRuntimes.root)) }
        decoded.withLock { $0[hostKey] = result }
        return try result.get()
    }

    static var hasSnapshot: Bool { snapshot != nil }

    /// The snapshot file's path for this host.
    static var snapshotPath: String {
        Atlas.snapshotURL(hostKey: HostInfo.current().key, packageRoot: URL(fileURLWithPath: TestRuntimes.root))!.path
    }

    /// Any checked-in atlas (for codec tests that do not depend on the host).
    static func anySnapshotData() throws -> (Data, String) {
        let dir = TestRuntimes.root + "/Matrices/atlas"
        let files = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".json") }.sorted()
        let name = try #require(files.first, "no atlas snapshot in Matrices/atlas: run omp-matrix atlas --write-snapshot")
        let path = dir + "/" + name
        return (try Data(contentsOf: URL(fileURLWithPath: path)), path)
    }

    /// The real catalog where the kit keeps it (honours OMP_CONFORMANCE_RUNTIMES), no discovery.
    static func catalog() throws -> RuntimeCatalog {
        var env = ProcessInfo.processInfo.environment
        env[RuntimeCatalog.discoverVariable] = nil
        return try RuntimeCatalog(environment: env)
    }

    /// A runtimes directory holding a manifest with only `records` (real files, absolute paths).
    static func manifestDirectory(_ records: [RuntimeRecord]) throws -> URL {
        let dir = try makeTemporaryDirectory("omp-atlas")
        try RuntimeManifest(runtimes: records).write(to: dir.appendingPathComponent(RuntimeManifest.fileName))
        return dir
    }

    /// Runs `omp-matrix` to completion; returns status, stdout, stderr.
    static func runCLI(_ args: [String], environment: [String: String] = [:]) async throws -> (status: Int32, out: String, err: String) {
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        let p = try await TestProcess.run([try #require(TestProducts.ompMatrix, "omp-matrix not built beside the tests")] + args, environment: env)
        return (p.terminationStatus, p.output, p.errors)
    }
}
