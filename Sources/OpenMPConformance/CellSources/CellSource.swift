/// Where cells come from: the one place a new source of cells plugs in.
///
/// The flow is the same for every source: a source lists the probes it needs (``ProbeCell``:
/// a plan over runtime files, how it is launched, how often it runs), ``CellRunner`` runs them
/// (concurrency under ``ProbeLimiter``, repeats, timeouts, cancellation, progress), and the
/// source folds each probe cell's finished runs into its own tally, which the verdicts and
/// reports read. Sources today:
///
/// - ``MatrixSource``: the matrix's cells (the doc's rows and claims × profiles × ways of
///   setting the variable × orders; on Linux and, under Wine, with the Windows DLLs);
/// - ``AtlasSource``: every ordered pair of a runtime catalog (Linux, or the Windows DLLs under
///   Wine), its concurrent and nested cells and its stack shapes;
/// - ``ProbeList``: a fixed list of probes (the doctor's pairs and fixes, the command form's
///   runs, `omp-matrix probe`, the `Conformance` checks of a downstream `swift test`).
///
/// A new platform or a new kind of cell conforms here; nothing else in the runner changes.
package protocol CellSource {
    /// What the source makes of its finished probe cells (judged cells, atlas tallies, results by key).
    associatedtype Tally

    /// Every probe the source needs, each under a key unique within the source.
    func probeCells() -> [ProbeCell]

    /// The tally before any probe finished.
    func emptyTally() -> Tally

    /// Folds every run of `cell` (its ``RunPolicy`` satisfied) into `tally`. Called once per
    /// probe cell, in completion order, on the runner's task; never for a cell whose runs were
    /// cut short by a cancellation.
    func record(_ cell: ProbeCell, runs: [ProbeResult], into tally: inout Tally)
}

/// One probe a source needs: its configuration, how expensive it is expected to be, and how
/// many times it runs.
package struct ProbeCell: Sendable {
    /// Unique within its source; the source routes the runs back by it.
    package var key: String
    package var configuration: Probe.Configuration
    /// Higher starts earlier: probes that may wait out an exit grace first, so they overlap
    /// with the quick ones.
    package var cost: Int
    package var policy: RunPolicy

    package init(key: String, configuration: Probe.Configuration, cost: Int = 0, policy: RunPolicy = .once) {
        self.key = key; self.configuration = configuration; self.cost = cost; self.policy = policy
    }
}

/// How many times a probe cell runs.
package enum RunPolicy: Sendable, Hashable {
    /// One run.
    case once
    /// One run; a hang at exit is rerun ``HangConfirmation/reruns`` times before it is believed
    /// (the matrix, the doctor, downstream checks).
    case confirmHangAtExit
    /// One run; a first outcome that is neither a pass nor a duplicate-runtime abort runs until
    /// `runs` runs are in (the atlas records every outcome seen).
    case settle(runs: Int)
    /// Exactly `runs` runs, spread over the slots (concurrent first use: a race shows in counts).
    case times(Int)

    /// Runs queued before any finished.
    var initialRuns: Int { if case .times(let n) = self { max(1, n) } else { 1 } }

    /// Runs to add after the first finished with `outcome`.
    func followUps(after outcome: Outcome) -> Int {
        switch self {
        case .once, .times: 0
        case .confirmHangAtExit: outcome == .hangAtExit ? HangConfirmation.reruns : 0
        case .settle(let runs): outcome == .pass || outcome == .duplicateRuntimeAbort ? 0 : max(0, runs - 1)
        }
    }
}
