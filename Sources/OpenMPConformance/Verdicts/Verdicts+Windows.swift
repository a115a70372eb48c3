import Foundation

extension Verdicts {
    /// The Windows column's rows and claims: each judged by the same code as the host's, over the
    /// `windows-x86_64` cells only (the real DLLs under Wine), never over the host's. A row with no
    /// Windows cells is left out; a claim with none is untestable there, saying why.
    ///
    /// - Parameter skipped: why the column's cells did not run here (no Wine), if they did not.
    package static func windows(_ matrix: Matrix, results: [CellResult], skipped: String? = nil) -> ResultsFile.PlatformColumn {
        let platform = WineTools.platform
        let mine = results.filter { $0.platform == platform }
        var out: [ClaimVerdict] = []
        let judgement = ClaimJudgement(words: CellWords(runtimes: []))
        for r in matrix.rows {
            let rowID = r.id + WindowsExpander.rowSuffix
            let cells = mine.filter { $0.row == rowID }
            if cells.isEmpty { continue }
            let method = "The same plans with the OpenMP DLLs that Windows wheels ship, run by the Windows probe under Wine 8.0 and judged against the table's prediction: evidence about the DLLs, not about Windows' own loader."
            let v = rowVerdict(r, id: rowID, cells: cells, label: "Windows analogue of ", method: method, judgement: judgement) {
                rowFinding(r, analogue: true, $0, what: "Under Wine, with the real Windows DLLs, the plans standing in for \u{201C}\(r.scenario)\u{201D}")
                    .replacingOccurrences(of: "of the Intel/LLVM kind", with: "of the Intel kind (libiomp5md.dll)")
            }
            out.append(v)
        }
        for c in matrix.claims {
            if matrix.windowsCells.contains(where: { $0.claims.contains(c.id) }) {
                var cellsOnly = c
                cellsOnly.wheels = nil
                var v = claim(cellsOnly, results: mine, platform: platform)
                // What ran, from the column's own probes (no Windows atlas counts the runtimes that ran).
                ClaimAtlasWeighing.mechanism(&v, cells: mine, runtimeWords: "DLLs")
                out.append(v)
                continue
            }
            var v = ClaimVerdict(id: c.id, statement: c.statement, source: c.source.text, byProfile: [:], verdict: .untestable,
                                 method: c.method, counterexample: nil, counterexampleRepro: nil, agreeing: 0, disagreeing: 0, evidence: [])
            let why = windowsGap(c, rows: matrix.rows)
            v.state = .untestable
            v.verdict = .untestable
            v.conditions = [why]
            v.quote = c.source.quote
            v.finding = "Not tested under Wine: \(why)."
            out.append(v)
        }
        return ResultsFile.PlatformColumn(platform: .windows, skipped: skipped, claims: out)
    }

    /// Why a claim has no Windows cells.
    static func windowsGap(_ c: Matrix.Claim, rows: [Matrix.Row]) -> String {
        if let why = c.untestableReason { return trimmedStop(why) }
        if let w = c.wheels {
            return "it is about the \(w.platform == .macos ? "macOS" : w.platform.rawValue) wheels; which runtimes the Windows wheels ship is answered by `omp-matrix doctor --packages … --platform windows-x86_64` from the wheel catalog"
        }
        if let p = c.probe, p.platform == .macos {
            return "it is about macOS's loader; its probe's plans run under Wine as row \(c.id)@windows, which shows what the DLLs do, not what dyld does"
        }
        let named = rows.filter { r in c.evidence.contains { $0.rows.contains { Matrix.glob($0, matches: r.id) } } }
        if !named.isEmpty, named.allSatisfy({ $0.device == .mps || $0.device == .cuda }) {
            return "it is about GPU training (MPS, CUDA), whose device is the point; the Windows column runs OpenMP on the CPU"
        }
        if !named.isEmpty, named.allSatisfy({ $0.platform == .linux }) {
            return "it is about Linux's loader; the Windows column runs the Windows DLLs under Wine"
        }
        return "none of its evidence has a Windows analogue (rows about Linux's loader and MPS or CUDA rows are not run under Wine)"
    }
}
