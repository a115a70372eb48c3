/// The matrix as a source of cells: one probe cell per distinct probe (cells that share a plan,
/// runtimes, environment and launcher share one run, each judged against its own prediction),
/// a hang at exit confirmed by reruns (``HangConfirmation``).
package struct MatrixSource: CellSource {
    /// The testable cells, grouped by probe key, and the keys in first-seen order.
    package var groups: [String: [Cell]]
    package var order: [String]
    package var timeout: Duration

    package init(cells: [Cell], timeout: Duration) {
        var byKey: [String: [Cell]] = [:]
        var order: [String] = []
        for c in cells where c.testability.isTestable {
            if byKey[c.probeKey] == nil { order.append(c.probeKey) }
            byKey[c.probeKey, default: []].append(c)
        }
        groups = byKey
        self.order = order
        self.timeout = timeout
    }

    package func probeCells() -> [ProbeCell] {
        order.compactMap { key in
            let first = groups[key]![0]
            guard let config = first.configuration(timeout: timeout) else { return nil }
            return ProbeCell(key: key, configuration: config, cost: Self.expectedCost(first), policy: .confirmHangAtExit)
        }
    }

    package func emptyTally() -> [CellResult] { [] }

    package func record(_ cell: ProbeCell, runs: [ProbeResult], into tally: inout [CellResult]) {
        for c in groups[cell.key] ?? [] {
            var r = Verdicts.judge(c, probe: runs[0])
            HangConfirmation.record(runs, in: &r)
            tally.append(r)
        }
    }

    /// Cells that may hang at exit (two KMP runtimes with the variable set) cost a grace
    /// period; start them first so they overlap with the quick ones.
    static func expectedCost(_ c: Cell) -> Int {
        var cost = c.plan.steps.count
        let setsVariable = c.environment["KMP_DUPLICATE_LIB_OK"] == "TRUE" || c.launcher == .wrapperExported
            || c.plan.steps.contains { if case .setenv("KMP_DUPLICATE_LIB_OK", "TRUE") = $0 { true } else { false } }
        if setsVariable && Set(c.runtimes.map(\.path)).count > 1 { cost += 100 }
        if c.plan.steps.contains(where: { if case .serve = $0 { true } else { false } }) { cost += 20 }
        return cost
    }
}
