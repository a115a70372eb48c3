/// What the gate compares, whatever the source of cells: the cells of one results file with their
/// outcomes, the host they ran on, and whether the run was whole. A matrix results file
/// (``ResultsFile``) and an atlas (``AtlasResults``: one gate cell per pair and variant,
/// `<first>><second>/<variant>`) both become one, so one gate (``Gate``) judges both.
package struct GateSubject: Sendable, Hashable {
    package var hostKey: String
    /// Interrupted before every selected cell ran.
    package var partial: Bool
    /// What the run selected (empty or `all`: everything, so a baseline cell it lacks is missing).
    package var selection: [String]
    package var cells: [Cell]
    /// Runtime files that differ from the baseline's (other SHA-256), one line each.
    package var runtimeChanges: [String] = []

    /// One cell as the gate sees it.
    package struct Cell: Sendable, Hashable {
        package var id: String
        /// False: skipped here, with `reason`.
        package var ran: Bool
        package var outcome: Outcome?
        /// Every outcome a cell with more than one run showed, when they differ (``HangConfirmation``).
        package var varying: Set<Outcome>?
        /// How many runtimes ran (the atlas), compared where both sides recorded it.
        package var runtimesRan: [AtlasRuntimesRan]?
        package var repro: String
        package var message: String
        package var reason: String?

        /// A varying cell matches only a baseline that records the same set; any other cell when its outcome is allowed.
        func matches(_ allowed: [Outcome]) -> Bool {
            if let varying { return Set(allowed) == varying }
            return outcome.map(allowed.contains) ?? false
        }
    }

    package var isFullRun: Bool { selection.isEmpty || selection == ["all"] }

    /// A matrix run.
    package init(_ results: ResultsFile) {
        hostKey = results.host.key
        partial = results.partial
        selection = results.selection
        cells = results.results.map {
            Cell(id: $0.id, ran: $0.status == .ran, outcome: $0.outcome, varying: $0.varying, runtimesRan: nil,
                 repro: $0.repro, message: $0.message, reason: $0.reason)
        }
    }

    /// An atlas run, compared with the atlas it is gated against (runtime files are compared by SHA-256).
    package init(_ atlas: AtlasResults, against baseline: AtlasResults? = nil) {
        hostKey = atlas.host.key
        partial = atlas.partial
        selection = []
        cells = atlas.cells.flatMap { c -> [Cell] in
            if let why = c.notRun {
                return AtlasVariant.allCases.map {
                    Cell(id: Self.atlasID(c, $0), ran: false, outcome: nil, varying: nil, runtimesRan: nil, repro: "", message: "", reason: why)
                }
            }
            return c.observations.map { o in
                Cell(id: Self.atlasID(c, o.variant), ran: true, outcome: o.runs.first ?? o.outcomes.first,
                     varying: Set(o.outcomes).count > 1 ? Set(o.outcomes) : nil, runtimesRan: o.runtimesRan,
                     repro: o.repro, message: o.message, reason: nil)
            }
        }
        if let baseline {
            for r in atlas.runtimes {
                guard let b = baseline.runtime(named: r.name), let bi = b.identity, let ri = r.identity, bi.sha256 != ri.sha256 else { continue }
                runtimeChanges.append("\(r.name) is \(ri.label) (\(ri.sha256.prefix(12))) here, the baseline measured \(bi.label) (\(bi.sha256.prefix(12)))")
            }
        }
    }

    /// `<first>><second>/<variant>`.
    static func atlasID(_ c: AtlasCell, _ v: AtlasVariant) -> String { "\(c.id)/\(v.rawValue)" }
}

extension Baseline {
    /// An atlas as a baseline: each observation's outcomes are what its cell may show again, and
    /// how many runtimes ran is kept for the comparison.
    package init(atlas: AtlasResults) {
        var cells: [String: Entry] = [:]
        for c in atlas.cells where c.notRun == nil {
            for o in c.observations where !o.outcomes.isEmpty {
                var e = Entry(allowed: Array(Set(o.outcomes)).sorted())
                e.runtimesRan = o.runtimesRan
                cells[GateSubject.atlasID(c, o.variant)] = e
            }
        }
        self.init(hostKey: atlas.host.key, cells: cells)
    }
}
