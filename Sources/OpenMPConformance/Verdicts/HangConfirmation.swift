/// A hang at exit seen once is not taken on trust: the same probe runs again, and the cell
/// records every run's outcome. All hangs: confirmed. Not all: the cell is varying ("n of m"),
/// never a pass, and the gate matches it only against a baseline that records the same set of
/// outcomes (a cell a person declared flaky).
package enum HangConfirmation {
    /// Runs after the first: three runs in all.
    package static let reruns = 2

    /// The runs' outcomes folded into the cell's result: `runs` set, the outcome kept as the first
    /// run's (the hang at exit), and the message saying in how many runs it was seen.
    package static func record(_ runs: [ProbeResult], in result: inout CellResult) {
        guard runs.count > 1 else { return }
        let outcomes = runs.map(\.outcome)
        result.runs = outcomes
        let hangs = outcomes.filter { $0 == .hangAtExit }.count
        if Set(outcomes).count > 1 {
            let others = Set(outcomes).subtracting([.hangAtExit]).sorted().map(\.rawValue).joined(separator: ", ")
            result.message += " [varying: hang at exit in \(hangs) of \(outcomes.count) runs; the others \(others)]"
        } else {
            result.message += " [hang at exit in \(hangs) of \(outcomes.count) runs]"
        }
    }

    /// Whether a baseline entry's allowed outcomes accept this result: a varying cell only when the
    /// entry records the same set of outcomes; any other cell when its outcome is allowed.
    package static func matches(_ result: CellResult, outcome: Outcome, allowed: [Outcome]) -> Bool {
        if let varying = result.varying { return Set(allowed) == varying }
        return allowed.contains(outcome)
    }

    /// Runs `probe` again until three runs are in when the first ended in a hang at exit.
    package static func confirm(_ first: ProbeResult, rerun: () async -> ProbeResult) async -> [ProbeResult] {
        guard first.outcome == .hangAtExit else { return [first] }
        var runs = [first]
        for _ in 0..<reruns {
            if Task.isCancelled { break }
            runs.append(await rerun())
        }
        return runs
    }
}
