import Foundation
import Testing
@testable import OpenMPConformance
import OpenMPConformanceTesting

/// The Swift Testing gate never passes in silence: where the baseline comes from, and what a
/// missing, corrupt, or foreign one does, in default and strict mode.
@Suite("Swift Testing gate: baselines")
struct ConformanceGateTests {
    static let key = "testhost-x86_64-libc1"

    static func baseline(hostKey: String, cells: [String: [Outcome]]) -> Baseline {
        Baseline(hostKey: hostKey, cells: cells.mapValues { Baseline.Entry(allowed: $0) })
    }

    static func write(_ b: Baseline, to url: URL) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try b.write(to: url)
    }

    static var result: CellResult {
        ReportFixtures.results().results.first { $0.outcome == .duplicateRuntimeAbort }!
    }

    @Test("a baseline found by the host key, in the directory named by OMP_CONFORMANCE_BASELINES")
    func found() throws {
        let dir = try RuntimeFixtures.temporaryDirectory("baselines")
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("\(Self.key).json")
        try Self.write(Self.baseline(hostKey: Self.key, cells: [:]), to: file)
        let lookup = BaselineStore.lookup(hostKey: Self.key, environment: [BaselineStore.directoryVariable: dir.path])
        #expect(lookup == .found(Self.baseline(hostKey: Self.key, cells: [:]), file: file.path))
    }

    @Test("no baseline: the reason names the host key and where it looked; skipped, or a failure in strict mode")
    func none() throws {
        let dir = try RuntimeFixtures.temporaryDirectory("baselines-empty")
        defer { try? FileManager.default.removeItem(at: dir) }
        let lookup = BaselineStore.lookup(hostKey: Self.key, environment: [BaselineStore.directoryVariable: dir.path])
        guard case .none(let reason) = lookup else { Issue.record("expected no baseline, got \(lookup)"); return }
        #expect(reason.contains(Self.key) && reason.contains(dir.path))
        let r = Self.result
        let outcome = try #require(r.outcome)
        guard case .skipped(let why) = Conformance.baselineDecision(r, outcome: outcome, baseline: lookup, strictBecause: nil) else {
            Issue.record("without a baseline the comparison must be skipped"); return
        }
        #expect(why.contains("skipped") && why.contains("omp-matrix gate --update"), "names the command: \(why)")
        guard case .fails(let strictWhy) = Conformance.baselineDecision(r, outcome: outcome, baseline: lookup, strictBecause: "OMP_CONFORMANCE_STRICT=1") else {
            Issue.record("strict mode must fail without a baseline"); return
        }
        #expect(strictWhy.contains(Self.key) && strictWhy.contains("strict") && strictWhy.contains("omp-matrix gate --update"))
    }

    @Test("a cell missing from the baseline is skipped, or fails in strict mode; a deviation fails; a match passes")
    func cells() throws {
        let r = Self.result
        let outcome = try #require(r.outcome)
        let missing = BaselineStore.Lookup.found(Self.baseline(hostKey: Self.key, cells: [:]), file: "/b.json")
        guard case .skipped(let why) = Conformance.baselineDecision(r, outcome: outcome, baseline: missing, strictBecause: nil) else {
            Issue.record("a cell missing from the baseline must be skipped"); return
        }
        #expect(why.contains(r.id) && why.contains("/b.json"))
        guard case .fails = Conformance.baselineDecision(r, outcome: outcome, baseline: missing, strictBecause: "OMP_CONFORMANCE_STRICT=1") else {
            Issue.record("strict mode must fail a cell missing from the baseline"); return
        }
        let other: Outcome = outcome == .pass ? .hangAtExit : .pass
        let deviating = BaselineStore.Lookup.found(Self.baseline(hostKey: Self.key, cells: [r.id: [other]]), file: "/b.json")
        guard case .fails(let dev) = Conformance.baselineDecision(r, outcome: outcome, baseline: deviating, strictBecause: nil) else {
            Issue.record("a deviation must fail"); return
        }
        #expect(dev.contains("deviates") && dev.contains(r.repro))
        let matching = BaselineStore.Lookup.found(Self.baseline(hostKey: Self.key, cells: [r.id: [outcome]]), file: "/b.json")
        #expect(Conformance.baselineDecision(r, outcome: outcome, baseline: matching, strictBecause: "OMP_CONFORMANCE_STRICT=1") == .matches)
    }

    @Test("a corrupt baseline found by the host key fails in either mode, naming the file and the reason",
          arguments: ["{ \"schemaVersion\": 1, \"hostKey\": ", "{\"schemaVersion\": 1, \"hostKey\": \"testhost-x86_64-libc1\", \"cells\": {\"x\": {\"allowed\": [\"exploded\"]}}}"])
    func corrupt(text: String) throws {
        let dir = try RuntimeFixtures.temporaryDirectory("baselines-corrupt")
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("\(Self.key).json")
        try text.write(to: file, atomically: true, encoding: .utf8)
        let lookup = BaselineStore.lookup(hostKey: Self.key, environment: [BaselineStore.directoryVariable: dir.path])
        guard case .unusable(let f, let reason) = lookup else { Issue.record("a corrupt baseline was accepted: \(lookup)"); return }
        #expect(f == file.path && !reason.isEmpty)
        let r = Self.result
        for strict in [false, true] {
            guard case .fails(let why) = Conformance.baselineDecision(r, outcome: r.outcome!, baseline: lookup, strictBecause: strict ? "OMP_CONFORMANCE_STRICT=1" : nil) else {
                Issue.record("a corrupt baseline must fail (strict: \(strict))"); continue
            }
            #expect(why.contains(file.path))
        }
    }

    @Test("a baseline named explicitly must exist and be for this host")
    func explicit() throws {
        let dir = try RuntimeFixtures.temporaryDirectory("baselines-explicit")
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("other.json")
        try Self.write(Self.baseline(hostKey: "macos15-arm64", cells: [:]), to: file)
        let foreign = BaselineStore.lookup(hostKey: Self.key, environment: [BaselineStore.fileVariable: file.path])
        guard case .unusable(let f, let reason) = foreign else { Issue.record("another host's baseline was used: \(foreign)"); return }
        #expect(f == file.path && reason.contains("macos15-arm64") && reason.contains(Self.key) && reason.contains(BaselineStore.fileVariable))
        let absent = BaselineStore.lookup(hostKey: Self.key, environment: [BaselineStore.fileVariable: dir.path + "/nope.json"])
        guard case .unusable(_, let why) = absent else { Issue.record("a missing named baseline was ignored: \(absent)"); return }
        #expect(why.contains("no such file"))
        // Found by key, but holding another host's baseline: unusable too.
        let misnamed = dir.appendingPathComponent("\(Self.key).json")
        try Self.write(Self.baseline(hostKey: "macos15-arm64", cells: [:]), to: misnamed)
        guard case .unusable = BaselineStore.lookup(hostKey: Self.key, environment: [BaselineStore.directoryVariable: dir.path]) else {
            Issue.record("a file named for this host holding another host's baseline was used"); return
        }
    }

    @Test("strict mode: the environment variable, and the trait", .strictBaseline)
    func strictMode() {
        #expect(BaselineStore.strictFromEnvironment([BaselineStore.strictVariable: "1"]))
        #expect(BaselineStore.strictFromEnvironment([BaselineStore.strictVariable: "true"]))
        #expect(!BaselineStore.strictFromEnvironment([BaselineStore.strictVariable: "0"]))
        #expect(!BaselineStore.strictFromEnvironment([:]))
        #expect(Conformance.isStrict, "the .strictBaseline trait turns strict mode on")
        // The failure names what turned strict mode on: here the trait, not the variable.
        #expect(Conformance.strictCause == "the .strictBaseline trait")
        #expect(BaselineStore.strictSetting([BaselineStore.strictVariable: "yes"]) == "OMP_CONFORMANCE_STRICT=yes")
        let r = Self.result
        let none = BaselineStore.Lookup.none(reason: "no baseline for host key \(Self.key)")
        guard case .fails(let why) = Conformance.baselineDecision(r, outcome: r.outcome!, baseline: none,
                                                                  strictBecause: Conformance.strictCause) else {
            Issue.record("strict mode must fail without a baseline"); return
        }
        #expect(why.hasPrefix("strict mode (the .strictBaseline trait): no baseline for host key \(Self.key)"), "\(why)")
    }

    @Test("a baselines folder named by OMP_CONFORMANCE_BASELINES that does not exist: named in the reason; skipped, or a failure in strict mode")
    func missingFolder() throws {
        let dir = try RuntimeFixtures.temporaryDirectory("baselines-gone")
        try FileManager.default.removeItem(at: dir)
        let lookup = BaselineStore.lookup(hostKey: Self.key, environment: [BaselineStore.directoryVariable: dir.path])
        guard case .none(let reason) = lookup else { Issue.record("expected no baseline, got \(lookup)"); return }
        #expect(reason.contains("the baselines folder \(dir.path) named by OMP_CONFORMANCE_BASELINES does not exist"), "\(reason)")
        let r = Self.result
        guard case .skipped(let why) = Conformance.baselineDecision(r, outcome: r.outcome!, baseline: lookup, strictBecause: nil),
              case .fails(let strictWhy) = Conformance.baselineDecision(r, outcome: r.outcome!, baseline: lookup,
                                                                        strictBecause: "OMP_CONFORMANCE_STRICT=1") else {
            Issue.record("a missing folder must be skipped (a warning), and fail in strict mode"); return
        }
        #expect(why.contains("does not exist") && strictWhy.contains("does not exist"))
    }

    @Test("the default search: this package's Matrices/baselines, then the kit's")
    func defaults() {
        let dirs = BaselineStore.defaultDirectories().map(\.path)
        #expect(dirs.first == FileManager.default.currentDirectoryPath + "/Matrices/baselines")
        #expect(dirs.allSatisfy { $0.hasSuffix("Matrices/baselines") })
    }
}
