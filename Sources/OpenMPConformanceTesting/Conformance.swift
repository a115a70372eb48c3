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
/// - **The baseline** (``BaselineStore``): what was observed on this kind of host. A deviation
///   is a test failure, including an unexpected pass. With no baseline for this host (or a
///   cell missing from it) the comparison is **skipped** (the test case is cancelled with the
///   reason and the command that records a baseline, and counted as a warning), never
///   passed; in strict mode
///   (``isStrict``) it fails. A baseline that is corrupt, unreadable, or for another host
///   fails in every mode.
/// - **The doc's prediction**: a refuted prediction is recorded as a known issue, in one line
///   with its evidence, so `swift test` stays green and the refutation stays visible.
///
/// With the ``ConformanceSummaryTrait`` trait (`.conformanceSummary`) on the test, untestable
/// cells, refuted predictions and skipped comparisons are not reported one per cell: the test
/// prints one summary at its end (counts per reason and per claim), and a skipped baseline
/// comparison is one warning for all the cells it concerns. Known issues and warnings then
/// mean something unexpected.
public enum Conformance {
    /// Set by the ``StrictBaselineTrait`` trait for the tests it scopes.
    @TaskLocal package static var strictOverride: Bool?

    /// Set by the ``ConformanceSummaryTrait`` trait for the test it scopes: what its cases
    /// skipped or found refuted, reported once at the end.
    @TaskLocal package static var summary: Summary?

    /// Strict mode: the ``StrictBaselineTrait`` trait, else `OMP_CONFORMANCE_STRICT=1`.
    public static var isStrict: Bool { strictOverride ?? BaselineStore.strictFromEnvironment() }

    /// What turned strict mode on, as a strict failure names it; nil when it is off.
    package static var strictCause: String? {
        if let strictOverride { return strictOverride ? "the .strictBaseline trait" : nil }
        return BaselineStore.strictSetting()
    }

    /// Runs one cell with a real probe and records the verdicts as described above.
    /// An untestable cell is skipped (a warning with its reason, then cancelled) — never a pass.
    public static func check(_ cell: Cell, baseline: BaselineStore.Lookup = BaselineStore.forThisHost,
                             sourceLocation: Testing.SourceLocation = #_sourceLocation) async throws {
        if let why = cell.untestableHere {
            if let summary {
                summary.add(untestable: why)
                try Test.cancel(Comment(rawValue: "untestable here: \(why)"), sourceLocation: sourceLocation)
            }
            try skip("untestable here: \(why)", sourceLocation: sourceLocation)
        }
        guard let config = cell.configuration() else {
            Issue.record(Comment(rawValue: "\(cell.id) is testable here but yields no probe configuration; nothing was run"),
                         sourceLocation: sourceLocation)
            return
        }
        // Under a summary, cells that share a probe (same plan, runtimes, environment, launcher) share one run,
        // as in `omp-matrix run`.
        // Through the one runner (CellRunner), one run; a hang at exit is rerun before it is believed (HangConfirmation).
        let once = { @Sendable in await CellRunner.run(config)[0] }
        let probe = if let summary { await summary.probe(cell.probeKey, once) } else { await once() }
        let runs = await HangConfirmation.confirm(probe, rerun: once)
        // A cancelled test (its probe was ended, see Probe.run) has nothing to judge.
        try Task.checkCancellation()
        var result = Verdicts.judge(cell, probe: probe)
        HangConfirmation.record(runs, in: &result)
        try judge(result, baseline: baseline, sourceLocation: sourceLocation)
    }

    /// Checks an already-judged result (used by ``check(_:baseline:sourceLocation:)`` and by
    /// downstream code that ran a cell's probe itself and judged it with `Verdicts.judge(_:probe:)`).
    ///
    /// - Throws: the cancellation of the current test case when the baseline comparison is
    ///   skipped (no baseline, or the cell is not in it, outside strict mode).
    public static func judge(_ result: CellResult, baseline: BaselineStore.Lookup, strict: Bool? = nil,
                             sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
        guard let outcome = result.outcome else {
            let why = result.reason.map { " (\($0))" } ?? ""
            Issue.record(Comment(rawValue: "\(result.id) has no outcome\(why); a cell that was run must have one"),
                         sourceLocation: sourceLocation)
            return
        }
        let evidence = Self.evidence(result, outcome)
        if outcome == .launchFailed {
            Issue.record(Comment(rawValue: "the probe could not start or load a runtime: \(evidence)"), sourceLocation: sourceLocation)
            return
        }
        // The doc's prediction: visible, not failing.
        if result.verdict == .refuted, let summary {
            summary.add(refuted: result)
        } else if result.verdict == .refuted {
            // Thrown, so that Swift Testing prints it on one line.
            withKnownIssue(sourceLocation: sourceLocation) {
                throw PredictionRefuted(description: "the doc's prediction is refuted here: predicted "
                                        + "\(result.allowed.map(\.rawValue).joined(separator: " or ")); \(evidence)")
            }
        }
        // The baseline: the hard expectation.
        let cause = strict.map { $0 ? "strict: true, passed to Conformance.judge" : nil } ?? strictCause
        switch baselineDecision(result, outcome: outcome, baseline: baseline, strictBecause: cause) {
        case .matches:
            if case .found(_, let file) = baseline { summary?.add(matched: file) }
        case .fails(let why): Issue.record(Comment(rawValue: why), sourceLocation: sourceLocation)
        case .skipped(let why):
            if let summary {
                summary.add(skippedComparison: why, cell: result.id)
                try Test.cancel(Comment(rawValue: why), sourceLocation: sourceLocation)
            }
            try skip(why, sourceLocation: sourceLocation)
        }
    }

    /// Skips the current test case visibly: a warning (which Swift Testing counts in its
    /// closing line, "with N warnings") with the reason, then the case is cancelled, so it is
    /// never reported as a pass.
    package static func skip(_ why: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> Never {
        Issue.record(Comment(rawValue: why), severity: .warning, sourceLocation: sourceLocation)
        try Test.cancel(Comment(rawValue: why), sourceLocation: sourceLocation)
    }

    /// A refuted prediction of the doc, as the error a known issue catches.
    struct PredictionRefuted: Error, CustomStringConvertible {
        var description: String
    }

    /// What the baseline says about one observed outcome.
    package enum BaselineDecision: Sendable, Hashable {
        /// The outcome is one the baseline allows.
        case matches
        /// A failure, with its message: a deviation, an unusable baseline, or a missing one in
        /// strict mode.
        case fails(String)
        /// No comparison was possible (no baseline, or the cell is not in it), with the reason
        /// and the command that records a baseline.
        case skipped(String)
    }

    /// The baseline layer of ``judge(_:baseline:strict:sourceLocation:)``, without recording anything.
    /// `strictBecause` is what turned strict mode on (nil: not strict); a strict failure names it.
    package static func baselineDecision(_ result: CellResult, outcome: Outcome, baseline: BaselineStore.Lookup,
                                        strictBecause: String?) -> BaselineDecision {
        let missing: String
        switch baseline {
        case .found(let b, let file):
            guard let entry = b.cells[result.id] else {
                missing = "\(result.id) is not in baseline \(file) (host \(b.hostKey))"
                break
            }
            if HangConfirmation.matches(result, outcome: outcome, allowed: entry.allowed) { return .matches }
            let varying = result.varying.map { " varying (\($0.sorted().map(\.rawValue).joined(separator: ", ")))," } ?? ""
            return .fails("deviates from baseline \(file) (allowed \(entry.allowed.map(\.rawValue).joined(separator: ", "))):\(varying) "
                          + evidence(result, outcome))
        case .none(let reason):
            missing = reason
        case .unusable(let file, let reason):
            return .fails("baseline \(file) \(reason)")
        }
        let record = "record one with: \(BaselineStore.recordCommand(hostKey: BaselineStore.hostKey)), then commit it"
        if let strictBecause { return .fails("strict mode (\(strictBecause)): \(missing); \(record)") }
        return .skipped("baseline comparison skipped: \(missing); \(record)")
    }

    /// `<cell>: observed <outcome> — <message> (repro: <line>)`: what every issue about a cell quotes.
    static func evidence(_ result: CellResult, _ outcome: Outcome) -> String {
        "\(result.id): observed \(outcome.rawValue) — \(oneLine(result.message)) (repro: \(result.repro))"
    }

    static func oneLine(_ s: String) -> String {
        s.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " / ")
    }

    /// Runs your own command line (a training binary, `python3 -c 'import torch, faiss'`, ...)
    /// under an environment mode, classified by the same classifier. Returns the result so
    /// you can assert on it; records an issue when the outcome is not one of `expected`.
    /// Its `runtimesMapped` lists the OpenMP runtimes the command and its children loaded.
    @discardableResult
    public static func check(command: [String], environment: [String: String] = [:], expected: Set<Outcome>,
                             timeout: Duration = .seconds(120), sourceLocation: Testing.SourceLocation = #_sourceLocation) async -> ProbeResult {
        // Observed as `omp-matrix doctor -- COMMAND` observes it, so runtimesMapped lists what the command loaded.
        let r: ProbeResult
        do {
            r = try await CommandObservation.run(command: command, environment: environment, launcher: .direct, timeout: timeout).result
        } catch {
            print("⚠︎ \(command.first ?? ""): runs unobserved, runtimesMapped stays empty: \(error)")
            r = await CellRunner.run(.init(command: .external(command), environment: environment, timeout: timeout))[0]
        }
        if !expected.contains(r.outcome) {
            Issue.record(Comment(rawValue: "\(command.joined(separator: " ")): observed \(r.outcome.rawValue), expected \(expected.map(\.rawValue).sorted().joined(separator: " or ")) — \(r.message.text)\nrepro: \(r.repro)"),
                         sourceLocation: sourceLocation)
        }
        return r
    }
}

/// Strict baseline mode for the tests it is applied to: a missing baseline fails them instead
/// of being skipped, the same as `OMP_CONFORMANCE_STRICT=1`.
///
/// ```swift
/// @Test(.strictBaseline, arguments: try Matrix.bundledForTesting())
/// func cell(_ c: Cell) async throws { try await Conformance.check(c) }
/// ```
public struct StrictBaselineTrait: TestTrait, SuiteTrait, TestScoping {
    public var isRecursive: Bool { true }
    public func provideScope(for test: Test, testCase: Test.Case?,
                             performing function: @Sendable () async throws -> Void) async throws {
        try await Conformance.$strictOverride.withValue(true) { try await function() }
    }
}

extension Trait where Self == StrictBaselineTrait {
    /// Strict baseline mode: see ``StrictBaselineTrait``.
    public static var strictBaseline: Self { StrictBaselineTrait() }
}
