/// The atlas as a source of cells: for every ordered pair of an ``AtlasPlan`` (the Linux catalog,
/// or the Windows DLLs under Wine), a probe per ``AtlasVariant`` that settles in up to three runs;
/// when asked, the sampled concurrent and nested cells (ten runs each, so a race shows in counts)
/// and the sampled pairs in every stack shape (one run each).
///
/// Its tally keeps only what the atlas records (the first run's repro line and message, every
/// run's outcome, time and runtimes that ran), never the captured output, so memory stays flat.
package struct AtlasSource: CellSource {
    package var plan: AtlasPlan
    package var timeout: Duration
    package var executable: String?
    /// The sampled concurrent and nested cells, by index (empty unless asked for).
    var sampled: [(AtlasConcurrencyCell.Kind, AtlasPlan.Pair, Probe.Configuration)]
    /// The stack-shape cells, by index (empty unless asked for).
    var shapes: [(StackShape, String, String, Result<Probe.Configuration, StackConsumers.Unavailable>)]

    package init(plan: AtlasPlan, timeout: Duration, executable: String?, concurrency: Bool, consumers: StackConsumers?) {
        self.plan = plan; self.timeout = timeout; self.executable = executable
        sampled = concurrency ? AtlasConcurrencyCell.jobs(plan, timeout: timeout, executable: executable) : []
        shapes = consumers.map { AtlasShapeCell.jobs(plan, consumers: $0, timeout: timeout, executable: executable) } ?? []
    }

    /// What a cell's key names.
    enum Key {
        case pair(Int, AtlasVariant)
        case concurrency(Int)
        case shape(Int)

        var text: String {
            switch self {
            case .pair(let i, let v): "\(i)|\(v.rawValue)"
            case .concurrency(let i): "c\(i)"
            case .shape(let i): "s\(i)"
            }
        }

        init?(_ text: String) {
            if text.hasPrefix("c"), let i = Int(text.dropFirst()) { self = .concurrency(i); return }
            if text.hasPrefix("s"), let i = Int(text.dropFirst()) { self = .shape(i); return }
            let parts = text.split(separator: "|")
            guard parts.count == 2, let i = Int(parts[0]), let v = AtlasVariant(rawValue: String(parts[1])) else { return nil }
            self = .pair(i, v)
        }
    }

    package func probeCells() -> [ProbeCell] {
        var out: [ProbeCell] = []
        for (i, p) in plan.pairs.enumerated() {
            for v in AtlasVariant.allCases {
                guard let config = p.configuration(v, timeout: timeout, executable: executable, wine: plan.wine) else { continue }
                // Two distinct files with the variable set may cost an exit grace: start those first.
                let cost = (v == .withoutVariable || p.diagonal == .control) ? 6 : 106
                out.append(ProbeCell(key: Key.pair(i, v).text, configuration: config, cost: cost,
                                     policy: .settle(runs: AtlasRunner.runsWhenUnsettled)))
            }
        }
        for (i, (kind, _, config)) in sampled.enumerated() {
            // Each run is its own probe, so the repeats spread over the slots; the hangs cost a grace each.
            out.append(ProbeCell(key: Key.concurrency(i).text, configuration: config, cost: 106, policy: .times(kind.runs)))
        }
        for (i, job) in shapes.enumerated() {
            guard case .success(let config) = job.3 else { continue }
            out.append(ProbeCell(key: Key.shape(i).text, configuration: config, cost: 6))
        }
        return out
    }

    package func emptyTally() -> [String: AtlasRunner.Tally] { [:] }

    package func record(_ cell: ProbeCell, runs: [ProbeResult], into tally: inout [String: AtlasRunner.Tally]) {
        var t = AtlasRunner.Tally(bothKMP: bothKMP(cell.key))
        for r in runs { t.add(r, cell.configuration) }
        t.expected = runs.count
        tally[cell.key] = t
    }

    /// Both runtimes of a pair cell are of the KMP family (they could detect each other).
    func bothKMP(_ key: String) -> Bool {
        guard case .pair(let i, _)? = Key(key) else { return false }
        let p = plan.pairs[i]
        return plan.runtimes.filter { $0.name == p.first || $0.name == p.second }
            .allSatisfy { $0.identity?.family == RuntimeIdentity.Family.kmp.rawValue }
    }
}
