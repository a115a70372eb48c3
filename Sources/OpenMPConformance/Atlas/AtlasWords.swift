/// Outcomes in words for the grid and the sentences ("aborts", "hangs at exit").
package enum AtlasWords {
    /// Third person singular: the cell "aborts".
    package static func singular(_ o: Outcome) -> String {
        switch o {
        case .pass: "runs"
        case .duplicateRuntimeAbort: "aborts"
        case .hangAtExit: "hangs at exit"
        case .hang: "hangs"
        case .runtimeError: "stops on another OMP error"
        case .wrongResult: "computes a wrong result"
        case .crash: "crashes"
        case .exitNonzero: "exits non-zero"
        case .launchFailed: "cannot load"
        }
    }

    /// Plural: "8 run".
    package static func plural(_ o: Outcome) -> String {
        switch o {
        case .pass: "run"
        case .duplicateRuntimeAbort: "abort"
        case .hangAtExit: "hang at exit"
        case .hang: "hang"
        case .runtimeError: "stop on another OMP error"
        case .wrongResult: "compute a wrong result"
        case .crash: "crash"
        case .exitNonzero: "exit non-zero"
        case .launchFailed: "cannot load"
        }
    }

    /// One observation: "aborts", "runs, two runtimes undetected", or "varies: runs, hangs at
    /// exit"; "—" when it did not run. A pass says how many runtimes ran when that was observed.
    package static func observation(_ o: AtlasObservation?) -> String {
        guard let o else { return "—" }
        if let single = o.outcome {
            guard single == .pass, let ran = o.runtimesRan else { return singular(single) }
            return "runs, " + ran.map(\.words).joined(separator: " or ")
        }
        return "varies: " + o.outcomes.map(singular).joined(separator: ", ")
    }

    /// The passes among `observations` by runtime count, for the pairing sentences: "2 with one
    /// runtime and 12 with two runtimes undetected"; nil when no pass recorded a count.
    package static func passesByRuntimes(_ observations: [AtlasObservation]) -> String? {
        var byRan: [AtlasRuntimesRan: Int] = [:]
        for o in observations where o.outcome == .pass {
            if let ran = o.ran { byRan[ran, default: 0] += 1 }
        }
        guard !byRan.isEmpty else { return nil }
        return list(AtlasRuntimesRan.allCases.compactMap { r in byRan[r].map { "\($0) with \(r.words)" } })
    }

    /// "n of m" counts by outcome: "8 run and 2 hang at exit".
    package static func counts(_ outcomes: [Outcome]) -> String {
        var byOutcome: [Outcome: Int] = [:]
        for o in outcomes { byOutcome[o, default: 0] += 1 }
        let parts = byOutcome.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
            .map { "\($0.value) \($0.value == 1 ? singular($0.key) : plural($0.key))" }
        return list(parts)
    }

    /// "a", "a and b", "a, b and c".
    package static func list(_ items: [String]) -> String {
        switch items.count {
        case 0: ""
        case 1: items[0]
        default: items.dropLast().joined(separator: ", ") + " and " + items.last!
        }
    }
}
