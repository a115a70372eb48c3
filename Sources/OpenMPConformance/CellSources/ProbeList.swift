/// The simplest source of cells: a fixed list of probes, tallied by key. The doctor's pairs and
/// fixes, the command form's runs, `omp-matrix probe` and downstream `Conformance` checks use it.
package struct ProbeList: CellSource {
    package var cells: [ProbeCell]

    package init(_ cells: [ProbeCell]) { self.cells = cells }

    /// Probes `configurations` once each, keyed by their index.
    package init(_ configurations: [Probe.Configuration], policy: RunPolicy = .once) {
        cells = configurations.enumerated().map { ProbeCell(key: String($0.offset), configuration: $0.element, policy: policy) }
    }

    package func probeCells() -> [ProbeCell] { cells }
    package func emptyTally() -> [String: [ProbeResult]] { [:] }
    package func record(_ cell: ProbeCell, runs: [ProbeResult], into tally: inout [String: [ProbeResult]]) { tally[cell.key] = runs }

    /// Runs `configurations` concurrently, each once; their runs in order (a run ended by a
    /// cancellation included, its ending saying so).
    package static func runAll(_ configurations: [Probe.Configuration], parallel: Int? = nil) async -> [ProbeResult] {
        let (tally, _) = await CellRunner(parallel: parallel ?? configurations.count, keepsCancelledRuns: true).run(ProbeList(configurations))
        return configurations.indices.compactMap { tally[String($0)]?.first }
    }
}
