/// One pair in one stack shape (``StackShape``), on a sample of pairs: the outcome and how many
/// runtimes started, beside the grid's own-handle cells. No variable is set.
package struct AtlasShapeCell: Codable, Sendable, Hashable, Identifiable {
    /// The sample: which shape the loader picks depends on SONAMEs and binding scope, not on the
    /// release, so one pair per vendor combination (LLVM + LLVM, Intel + LLVM, LLVM + Intel,
    /// Intel + Intel) shows each shape; own-handle runs for every pair in the grid itself.
    package static let samplePairs: [(String, String)] = [
        ("llvm14", "llvm16"), ("intel", "llvm14"), ("llvm16", "intel"), ("intel-2021", "intel"),
    ]

    package var shape: StackShape
    package var first: String
    package var second: String
    /// Nil when the shape cannot run here (`skipped` says why).
    package var outcome: Outcome?
    package var skipped: String?
    package var message: String
    package var repro: String
    package var ran: AtlasObservation.WhatRan?
    package var durationSeconds: Double

    package var id: String { "\(shape.rawValue) \(first)>\(second)" }

    package init(shape: StackShape, first: String, second: String, outcome: Outcome?, skipped: String?, message: String,
                 repro: String, ran: AtlasObservation.WhatRan?, durationSeconds: Double) {
        self.shape = shape; self.first = first; self.second = second; self.outcome = outcome; self.skipped = skipped
        self.message = message; self.repro = repro; self.ran = ran; self.durationSeconds = durationSeconds
    }

    /// E.g. "pass, one runtime" or "duplicate-runtime-abort" or "skipped: …".
    package var words: String {
        guard let outcome else { return "skipped: " + (skipped ?? "") }
        guard let started = ran?.runtimesStarted else { return outcome.rawValue }
        return "\(outcome.rawValue), \(WhatRanText.runtimes(started)) ran"
    }

    /// Short code for the terminal: the grid's outcome letters, a pass with how many runtimes
    /// started (`R1`, `R2`; `R` when not observed), `s` skipped.
    package var code: String {
        guard let outcome else { return "s" }
        guard outcome == .pass else { return AtlasSummaryReport.code(outcome) }
        return "R" + (ran?.runtimesStarted.map(String.init) ?? "")
    }

    /// The sampled pairs of a plan in every shape: a configuration, or why the shape cannot run.
    static func jobs(_ plan: AtlasPlan, consumers: StackConsumers, timeout: Duration, executable: String?)
        -> [(StackShape, String, String, Result<Probe.Configuration, StackConsumers.Unavailable>)] {
        var out: [(StackShape, String, String, Result<Probe.Configuration, StackConsumers.Unavailable>)] = []
        for (f, s) in samplePairs {
            guard let a = plan.runtimes.first(where: { $0.name == f }), let b = plan.runtimes.first(where: { $0.name == s }),
                  a.notProvisioned == nil, b.notProvisioned == nil,
                  plan.pairs.contains(where: { $0.first == f && $0.second == s }) else { continue }
            for shape in StackShape.allCases {
                out.append((shape, f, s, shape.configuration(a: a, b: b, consumers: consumers, timeout: timeout, executable: executable)))
            }
        }
        return out
    }
}
