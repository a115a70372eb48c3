import Foundation
import OMPPlan
import Testing
@testable import OpenMPConformance
import OpenMPConformanceTesting

/// Shared fixtures for the matrix tests.
enum MatrixFixtures {
    /// A manifest naming every runtime the bundled profiles use. The paths need not exist:
    /// a manifest entry is the runtimes helper's promise that they do.
    static let manifest: [String: RuntimeRecord] = Dictionary(uniqueKeysWithValues: [
        ("gnu", "/rt/libgomp.so.1", "gnu"), ("llvm14", "/rt/llvm14/libomp.so.5", "kmp"),
        ("llvm16", "/rt/llvm16/libomp.so.5", "kmp"), ("intel", "/rt/intel/libiomp5.so", "kmp"),
        ("llvm14-copy", "/rt/copy/libomp.so.5", "kmp"),
    ].map { ($0.0, RuntimeRecord(name: $0.0, path: $0.1, family: $0.2, version: "test", source: "test", sha256: "")) })

    static func bundled(host: Matrix.Platform = .linux, manifest: [String: RuntimeRecord] = manifest) throws -> Matrix {
        try Matrix.bundled(manifest: manifest, host: host)
    }

    /// The bundled matrix on Linux, loaded once per test process.
    static let linux: Matrix = try! bundled()

    /// The cells a `--row linux-cpu-training` run has: 32 own-handle and 30 in the other stack shapes (rule 6).
    static var linuxCPUTrainingCells: Int { linux.cells.filter { $0.row == "linux-cpu-training" }.count }

    /// A small selection for end-to-end runs that check what the run does with its files and
    /// processes rather than what its probes find: linux-cpu-training's GNU + LLVM cells, quick
    /// probes (no hang at exit to wait for, no consumer library to build).
    static let quickRun = ["--row", "linux-cpu-training", "--profile", "gnu+llvm"]

    /// The cells a ``quickRun`` run has.
    static var quickRunCells: Int { linux.cells.filter { $0.row == "linux-cpu-training" && $0.profile == "gnu+llvm" }.count }

    /// A fresh temporary directory holding the given files.
    static func directory(_ files: [String: String]) throws -> URL {
        let dir = try makeTemporaryDirectory("matrix-test")
        for (name, text) in files { try text.write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8) }
        return dir
    }

    /// A small valid matrix: two runtimes, two profiles, two rows, two claims.
    static let small: [String: String] = [
        "profiles.yaml": """
        schemaVersion: 1
        runtimes:
          - name: a
            family: kmp
            what: runtime a
          - name: b
            family: kmp
            what: runtime b
        profiles:
          - id: a+b
            framework: a
            index: b
            why: two runtimes
          - id: a+a
            framework: a
            index: a
            why: one runtime
        """,
        "applicability.yaml": """
        schemaVersion: 1
        predictions:
          yes: {withoutFix: [duplicate-runtime-abort], withFix: [pass], why: aborts}
          no: {withoutFix: [pass], withFix: [pass], why: fine}
          maybe: {withoutFix: [duplicate-runtime-abort, pass], withFix: [pass], why: depends}
        rows:
          - id: mac-train
            scenario: training
            device: cpu
            platform: macos
            fixNeeded: yes
            reason: r
            source: {section: S, quote: q}
            workload: add index; train framework; search index
          - id: linux-train
            scenario: training
            device: cpu
            platform: linux
            fixNeeded: no
            reason: r
            source: {section: S, quote: q}
            workload: train framework
        """,
        "claims.yaml": """
        schemaVersion: 1
        claims:
          - id: linux-fine
            statement: s
            source: {section: S, quote: q}
            method: m
            evidence:
              - rows: [linux-train]
          - id: own-probe
            statement: s
            source: {section: S, quote: q}
            method: m
            probe:
              workload: infer framework
              platform: any
              fixNeeded: no
              envModes: [unset]
        """,
    ]

    /// Loads `small` with one file replaced; returns the error it throws (nil if none).
    static func error(replacing name: String, with text: String) throws -> MatrixError? {
        var files = small
        files[name] = text
        let dir = try directory(files)
        defer { try? FileManager.default.removeItem(at: dir) }
        do {
            _ = try Matrix.load(directory: dir, manifest: [
                "a": RuntimeRecord(name: "a", path: "/rt/a.so", family: "kmp", version: "", source: "", sha256: ""),
                "b": RuntimeRecord(name: "b", path: "/rt/b.so", family: "kmp", version: "", source: "", sha256: ""),
            ], host: .linux)
            return nil
        } catch {
            return error
        }
    }

    /// Lines joined for YAML written inline in tests.
    static func lines(_ l: String...) -> String { l.joined(separator: "\n") + "\n" }
}
