import OMPPlan

/// Two runtimes used at the same time rather than one after the other, on a sample of pairs:
/// their first OpenMP calls from two threads at once (`race`, run ``Kind/runs`` times, since an
/// exit hang there is a race), and one runtime's region inside the other's (`nest`, with the
/// threads it produced). Both with `KMP_DUPLICATE_LIB_OK=TRUE`: without it the second start aborts.
package struct AtlasConcurrencyCell: Codable, Sendable, Hashable, Identifiable {
    package enum Kind: String, Codable, Sendable, Hashable, CaseIterable {
        case race, nest

        /// Runs of each cell: a race shows only over repeats; nesting does not vary.
        package var runs: Int { self == .race ? 10 : 1 }

        package var planText: String {
            switch self {
            case .race: "load a; load b; race a b; train a; index b"
            case .nest: "load a; load b; nest a b"
            }
        }

        package var plan: Plan { .fixed(planText) }

        package var meaning: String {
            switch self {
            case .race: "first OpenMP calls of A and B from two threads at once, then the workload; the variable exported"
            case .nest: "a region of A, inside which each of A's threads opens a region of B; the variable exported"
            }
        }
    }

    /// The sample, in this order where both runtimes are on the atlas's axes and provisioned:
    /// the two orders users reported hanging at exit under concurrent first use (Intel then
    /// LLVM 16; LLVM 14 then LLVM 16), their reverse, and nesting across two LLVM releases and
    /// across vendors. Every pair's sequential cells stay in the grid; this adds what order alone cannot show.
    package static let sample: [(Kind, String, String)] = [
        (.race, "intel", "llvm16"), (.race, "llvm14", "llvm16"), (.race, "llvm16", "llvm14"),
        (.nest, "llvm16", "llvm14"), (.nest, "llvm14", "intel"),
    ]

    package var kind: Kind
    package var first: String
    package var second: String
    package var plan: String
    /// Every run's outcome, in the order they finished.
    package var runs: [Outcome]
    package var repro: String
    package var message: String
    /// What ran in the first run.
    package var ran: AtlasObservation.WhatRan?
    package var durationSeconds: Double

    package var id: String { "\(kind.rawValue) \(first)>\(second)" }

    package init(kind: Kind, first: String, second: String, plan: String, runs: [Outcome], repro: String,
                 message: String, ran: AtlasObservation.WhatRan?, durationSeconds: Double) {
        self.kind = kind; self.first = first; self.second = second; self.plan = plan; self.runs = runs
        self.repro = repro; self.message = message; self.ran = ran; self.durationSeconds = durationSeconds
    }

    /// E.g. "hang-at-exit in 5 of 10, pass in 5 of 10"; one outcome of one run: its name.
    package var outcomeWords: String {
        let n = runs.count
        let counts = Dictionary(runs.map { ($0, 1) }, uniquingKeysWith: +)
        if counts.count == 1, n == 1 { return runs[0].rawValue }
        return counts.sorted { $0.key < $1.key }.map { "\($0.key.rawValue) in \($0.value) of \(n)" }.joined(separator: ", ")
    }

    /// The sampled pairs of a plan, with their probe configurations.
    static func jobs(_ plan: AtlasPlan, timeout: Duration, executable: String?) -> [(Kind, AtlasPlan.Pair, Probe.Configuration)] {
        plan.pairs.isEmpty ? [] : sample.compactMap { kind, f, s in
            guard let p = plan.pairs.first(where: { $0.first == f && $0.second == s }), p.notRun == nil,
                  let a = p.a, let b = p.b else { return nil }
            return (kind, p, Probe.Configuration(runtimes: [a, b], plan: kind.plan, environment: ["KMP_DUPLICATE_LIB_OK": "TRUE"],
                                                 timeout: timeout, executable: executable))
        }
    }
}
