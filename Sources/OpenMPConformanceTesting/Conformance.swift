import Foundation
import OMPPlan
import OpenMPConformance
import Testing

/// Checks matrix cells (or your own commands) inside Swift Testing.
///
/// This module declares no `@Test`: a test in a library would run in every test binary
/// that links it. You opt in with one parameterized test:
///
/// ```swift
/// import OpenMPConformanceTesting
/// import Testing
///
/// @Test(arguments: try Matrix.bundledForTesting())
/// func cell(_ c: Cell) async throws { try await Conformance.check(c) }
/// ```
///
/// Two layers of expectation:
/// - **The baseline** (`Matrices/baselines/<host key>.json`): what was observed on this kind of
///   host. A deviation is a test failure, including an unexpected pass. A host with no baseline
///   reports its observations as warnings and says that no baseline matched.
/// - **The doc's prediction**: a refuted prediction is recorded as a known issue with its
///   evidence, so `swift test` stays green and the refutation stays visible.
public enum Conformance {
    /// Runs one cell with a real probe and records the verdicts as described above.
    /// An untestable cell is cancelled (reported as skipped) with its reason — never a pass.
    public static func check(_ cell: Cell, baseline: Baseline? = BaselineStore.forThisHost,
                             sourceLocation: Testing.SourceLocation = #_sourceLocation) async throws {
        if let why = cell.testability.reason {
            print("◇ untestable here: \(cell.id) — \(why)")
            try Test.cancel(Comment(rawValue: "untestable here: \(why)"), sourceLocation: sourceLocation)
        }
        guard let config = cell.configuration() else { return }
        let probe = await Probe.run(config)
        let result = Verdicts.judge(cell, probe: probe)
        judge(result, baseline: baseline, sourceLocation: sourceLocation)
    }

    /// Checks an already-judged result (used by ``check(_:baseline:sourceLocation:)`` and by
    /// downstream code that ran cells itself, e.g. with `MatrixRunner`).
    public static func judge(_ result: CellResult, baseline: Baseline?, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        guard let outcome = result.outcome else { return }
        let evidence = "\(result.id): observed \(outcome.rawValue) — \(result.message)\nrepro: \(result.repro)"
        if outcome == .launchFailed {
            Issue.record(Comment(rawValue: "the probe could not start or load a runtime: \(evidence)"), sourceLocation: sourceLocation)
            return
        }
        // Layer 1: the baseline is the hard expectation.
        if let baseline {
            if let entry = baseline.cells[result.id] {
                if !entry.allowed.contains(outcome) {
                    Issue.record(Comment(rawValue: "deviates from baseline \(baseline.hostKey) (allowed \(entry.allowed.map(\.rawValue).joined(separator: ", "))): \(evidence)"),
                                 sourceLocation: sourceLocation)
                }
            } else {
                print("⚠︎ \(result.id): not in baseline \(baseline.hostKey); observed \(outcome.rawValue)")
            }
        } else {
            print("⚠︎ no baseline matched this host (\(BaselineStore.hostKey)); observation only: \(result.id) → \(outcome.rawValue)")
        }
        // Layer 2: the doc's prediction, visible but not failing.
        if result.verdict == .refuted {
            withKnownIssue(Comment(rawValue: "the doc's prediction is refuted here")) {
                Issue.record(Comment(rawValue: "predicted \(result.allowed.map(\.rawValue).joined(separator: " or ")); \(evidence)"),
                             sourceLocation: sourceLocation)
            }
        }
    }

    /// Runs your own command line (a training binary, `python3 -c 'import torch, faiss'`, ...)
    /// under an environment mode, classified by the same classifier. Returns the result so
    /// you can assert on it; records an issue when the outcome is not one of `expected`.
    /// Its `runtimesMapped` lists the OpenMP runtimes the command and its children loaded.
    @discardableResult
    public static func check(command: [String], environment: [String: String] = [:],
                             launcher: Probe.Configuration.Launcher = .direct, expected: Set<Outcome>,
                             timeout: Duration = .seconds(120), sourceLocation: Testing.SourceLocation = #_sourceLocation) async -> ProbeResult {
        // Observed as `omp-matrix doctor -- COMMAND` observes it, so runtimesMapped lists what the command loaded.
        let r: ProbeResult
        do {
            r = try await CommandObservation.run(command: command, environment: environment, launcher: launcher, timeout: timeout).result
        } catch {
            print("⚠︎ \(command.first ?? ""): runs unobserved, runtimesMapped stays empty: \(error)")
            r = await Probe.run(.init(command: .external(command), environment: environment, launcher: launcher, timeout: timeout))
        }
        if !expected.contains(r.outcome) {
            Issue.record(Comment(rawValue: "\(command.joined(separator: " ")): observed \(r.outcome.rawValue), expected \(expected.map(\.rawValue).sorted().joined(separator: " or ")) — \(r.message.text)\nrepro: \(r.repro)"),
                         sourceLocation: sourceLocation)
        }
        return r
    }
}
