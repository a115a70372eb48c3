/// An atlas run against a baseline atlas (the checked-in snapshot), with `gate`'s rules: any
/// cell whose outcome set changed fails (or, where both recorded it, how many runtimes ran), an unexpected pass included; a cell the baseline has
/// and a complete run lacks fails; a runtime whose file changed (other SHA-256) fails; another
/// host fails; a partial run fails. A cell the baseline lacks is listed, not failed.
package struct AtlasComparison: Sendable, Hashable {
    package struct Finding: Sendable, Hashable {
        package enum Kind: String, Sendable, Hashable {
            case changed, missing, new, runtimeChanged = "runtime-changed", hostMismatch = "host-mismatch"
            case partialRun = "partial-run", notRun = "not-run"
        }
        package var kind: Kind
        package var cell: String?
        package var detail: String
        package var repro: String?
        package var isFailure: Bool
    }

    package var findings: [Finding]
    package var compared: Int
    package var passed: Bool { !findings.contains(where: \.isFailure) }

    /// Compares `run` with `baseline`. `onlyRun`: compare only the cells present in the run
    /// (a sampled subset), so cells it did not select are not missing.
    package init(run: AtlasResults, baseline: AtlasResults, onlyRun: Bool = false) {
        var out: [Finding] = []
        if run.host.key != baseline.host.key {
            out.append(.init(kind: .hostMismatch, detail: "the run is from \(run.host.key), the baseline from \(baseline.host.key)", isFailure: true))
        }
        if run.partial { out.append(.init(kind: .partialRun, detail: "the run was interrupted before every cell ran", isFailure: true)) }
        for r in run.runtimes {
            guard let b = baseline.runtime(named: r.name), let bi = b.identity, let ri = r.identity else { continue }
            if bi.sha256 != ri.sha256 {
                out.append(.init(kind: .runtimeChanged, cell: nil,
                                 detail: "\(r.name) is \(ri.label) (\(ri.sha256.prefix(12))) here, the baseline measured \(bi.label) (\(bi.sha256.prefix(12)))",
                                 isFailure: true))
            }
        }
        var compared = 0
        let runCells = Dictionary(run.cells.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        for b in baseline.cells where b.notRun == nil {
            guard let c = runCells[b.id] else {
                if !onlyRun {
                    out.append(.init(kind: .missing, cell: b.id, detail: "in the baseline, absent from this run", isFailure: !run.partial))
                }
                continue
            }
            if let why = c.notRun {
                out.append(.init(kind: .notRun, cell: c.id, detail: why, isFailure: false))
                continue
            }
            for bo in b.observations {
                guard let o = c.observation(bo.variant) else { continue }
                compared += 1
                // How many runtimes ran is compared where both recorded it (schema 2 and later).
                let ranChanged = o.runtimesRan.map { ran in bo.runtimesRan.map { !Set(ran).isSubset(of: Set($0)) } ?? false } ?? false
                if !Set(o.outcomes).isSubset(of: Set(bo.outcomes)) || ranChanged {
                    out.append(.init(kind: .changed, cell: c.id,
                                     detail: "\(bo.variant.rawValue): \(AtlasWords.observation(o)), the baseline saw \(AtlasWords.observation(bo))",
                                     repro: o.repro, isFailure: true))
                }
            }
        }
        let baseIDs = Set(baseline.cells.map(\.id))
        for c in run.cells where c.notRun == nil && !baseIDs.contains(c.id) {
            out.append(.init(kind: .new, cell: c.id, detail: "ran, and the baseline has no such cell", isFailure: false))
        }
        findings = out
        self.compared = compared
    }

    /// The report, one line per finding, failures first.
    package var text: String {
        var lines = ["atlas gate: \(passed ? "passed" : "FAILED"): \(compared) observations compared, "
                     + "\(findings.filter(\.isFailure).count) failing, \(findings.filter { !$0.isFailure }.count) listed"]
        for f in findings.sorted(by: { $0.isFailure && !$1.isFailure }) {
            lines.append("  \(f.isFailure ? "FAIL" : "note") \(f.kind.rawValue)\(f.cell.map { " \($0)" } ?? ""): \(f.detail)")
            if let r = f.repro, f.isFailure { lines.append("       repro: \(r)") }
        }
        return lines.joined(separator: "\n")
    }
}
