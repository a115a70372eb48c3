/// Counts over one results file, shared by the reports: cells by status, verdict and outcome;
/// claims by verdict; and one line per applicability row.
package struct ResultsSummary: Sendable, Hashable {
    package var cells: Int
    package var ran: Int
    package var skipped: Int
    package var verdicts: [Verdict: Int]
    /// Outcomes of cells that ran.
    package var outcomes: [Outcome: Int]
    package var claimVerdicts: [Verdict: Int]
    /// One entry per distinct `row`, in the order rows first appear in the results.
    package var rows: [Row]

    /// An applicability row: how its cells fared.
    package struct Row: Sendable, Hashable {
        package var id: String
        package var cells: Int
        package var ran: Int
        package var skipped: Int
        package var verdicts: [Verdict: Int]
        package var outcomes: [Outcome: Int]
        /// `refuted` if any cell is refuted, else `confirmed` if any is confirmed, else `untestable`.
        package var verdict: Verdict
    }

    /// - Parameter platform: whose cells and claims to count: nil the host's (the Windows column's
    ///   cells are never among them), ``WineTools/platform`` the Windows column's.
    package init(_ results: ResultsFile, platform: String? = nil) {
        let cellsCounted = results.results(platform: platform)
        let claimsCounted = platform == nil ? results.claims : results.windows?.claims ?? []
        var verdicts: [Verdict: Int] = [:]
        var outcomes: [Outcome: Int] = [:]
        var ran = 0
        var rowOrder: [String] = []
        var rows: [String: Row] = [:]
        for cell in cellsCounted {
            verdicts[cell.verdict, default: 0] += 1
            if cell.status == .ran { ran += 1 }
            if cell.status == .ran, let o = cell.outcome { outcomes[o, default: 0] += 1 }
            if rows[cell.row] == nil {
                rowOrder.append(cell.row)
                rows[cell.row] = Row(id: cell.row, cells: 0, ran: 0, skipped: 0, verdicts: [:], outcomes: [:], verdict: .untestable)
            }
            rows[cell.row]!.cells += 1
            if cell.status == .ran { rows[cell.row]!.ran += 1 } else { rows[cell.row]!.skipped += 1 }
            rows[cell.row]!.verdicts[cell.verdict, default: 0] += 1
            if cell.status == .ran, let o = cell.outcome { rows[cell.row]!.outcomes[o, default: 0] += 1 }
        }
        self.rows = rowOrder.map { id in
            var row = rows[id]!
            row.verdict = row.verdicts[.refuted, default: 0] > 0 ? .refuted
                : row.verdicts[.confirmed, default: 0] > 0 ? .confirmed : .untestable
            return row
        }
        var claimVerdicts: [Verdict: Int] = [:]
        for claim in claimsCounted { claimVerdicts[claim.verdict, default: 0] += 1 }
        self.cells = cellsCounted.count
        self.ran = ran
        self.skipped = cellsCounted.count - ran
        self.verdicts = verdicts
        self.outcomes = outcomes
        self.claimVerdicts = claimVerdicts
    }
}
