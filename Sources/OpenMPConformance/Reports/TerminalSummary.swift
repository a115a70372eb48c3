import Foundation

/// The terminal summary a run prints once: the answer in a few lines first, then each claim's
/// state, then the counts. Colour only on a terminal, and never when `NO_COLOR` is set (or
/// `TERM=dumb`); every state is a word too, so nothing depends on colour. Every string from the
/// results goes through `TerminalText/field(_:)` (controls shown as escapes, on one line), each
/// line through `TerminalText/block(_:)`, and only then are the kit's own colour codes added:
/// the text is ready to print as it is.
package enum TerminalSummary {
    /// Whether to colour: a terminal, `NO_COLOR` unset or empty, `TERM` not `dumb`.
    package static func useColor(isTerminal: Bool, environment: [String: String]) -> Bool {
        guard isTerminal else { return false }
        if let v = environment["NO_COLOR"], !v.isEmpty { return false }
        return environment["TERM"] != "dumb"
    }

    /// For standard output of this process.
    package static func useColorOnStandardOutput() -> Bool {
        useColor(isTerminal: isatty(1) == 1, environment: ProcessInfo.processInfo.environment)
    }

    package static func render(_ r: ResultsFile, color: Bool = false, width: Int = 100, atlas: AtlasEvidence? = nil) -> String {
        let t = { (s: String) in TerminalText.field(s) }
        func paint(_ s: String, _ code: String) -> String {
            let safe = TerminalText.block(s)
            return color ? "\u{1B}[\(code)m\(safe)\u{1B}[0m" : safe
        }
        func plain(_ s: String) -> String { TerminalText.block(s) }
        var lines: [String] = []
        lines.append(paint("The answer on \(t(r.host.key))", "1") + (r.partial ? " (PARTIAL run: counts cover what ran)" : ""))
        let answer = r.resolvedAnswer(atlas: atlas)
        // The three questions first, each answered for every platform the run covers.
        for q in answer.questions ?? [] {
            lines.append(paint(t(q.question), "1"))
            for p in q.answers {
                lines += wrap("  " + paint(t(p.platform) + ":", "1") + " " + plain(t(p.answer)), width: width, indent: "    ", visibleOffset: color ? 8 : 0)
            }
        }
        lines.append("")
        lines.append(paint("The evidence", "1"))
        for part in AnswerText.parts(answer).dropFirst(answer.questions?.count ?? 0) {
            lines += wrap(paint(t(part.title) + ":", "1") + " " + plain(t(part.headline)), width: width, indent: "  ", visibleOffset: color ? 8 : 0)
        }
        lines.append("")
        if !r.claims.isEmpty {
            lines.append(paint("The doc's claims", "1") + " (holds: the doc is right here; does not hold: the doc is wrong here; holds only when …: right only under the"
                         + " condition named; untestable here). A claim id ending in @linux is the same test on Linux, standing in for a macOS row.")
            lines += claimLines(r.claims, paint: paint, plain: plain)
            lines.append("")
        }
        let s = ResultsSummary(r)
        lines.append(plain("host \(t(r.host.key)) (\(t(r.host.os)), kernel \(t(r.host.kernel)), BLAS \(t(r.host.blas.corename)) via \(t(r.host.blas.source)))"))
        lines.append("cells: \(s.cells) (ran \(s.ran), skipped \(s.skipped)); cell verdicts: "
                     + Verdict.allCases.map { "\(s.verdicts[$0] ?? 0) \($0.rawValue)" }.joined(separator: ", "))
        lines.append("outcomes: " + Outcome.allCases.compactMap { o in s.outcomes[o].map { "\($0) \(o.rawValue)" } }.joined(separator: ", "))
        if let w = r.windows {
            // The Windows column: its own claims and counts, never added to the host's above.
            lines.append("")
            lines.append(paint(t(w.platform.label), "1") + " (\(t(w.platform.id)); the doc's rows and claims with the OpenMP DLLs Windows wheels ship;"
                         + " a claim id ending in @windows is a table row's Windows analogue; counted apart from the host's cells)")
            if let why = w.skipped { lines += wrap("  not run here: " + plain(t(why)), width: width, indent: "    ", visibleOffset: 0) }
            lines += claimLines(w.claims, paint: paint, plain: plain)
            let ws = ResultsSummary(r, platform: w.platform.id)
            lines.append("cells: \(ws.cells) (ran \(ws.ran), skipped \(ws.skipped)); cell verdicts: "
                         + Verdict.allCases.map { "\(ws.verdicts[$0] ?? 0) \($0.rawValue)" }.joined(separator: ", "))
            lines.append("outcomes: " + Outcome.allCases.compactMap { o in ws.outcomes[o].map { "\($0) \(o.rawValue)" } }.joined(separator: ", "))
        }
        return lines.joined(separator: "\n")
    }

    /// One line per claim or row: its state (coloured), id, the doc's words, the conditions.
    static func claimLines(_ claims: [ClaimVerdict], paint: (String, String) -> String, plain: (String) -> String) -> [String] {
        let t = { (s: String) in TerminalText.field(s) }
        var lines: [String] = []
        for c in claims {
            let state = c.stateOrVerdictState
            let code = switch state {
            case .holds: "32"
            case .doesNotHold: "33"
            case .holdsOnlyWhen: "36"
            case .untestable: "2"
            }
            let word = state.words.replacingOccurrences(of: " …", with: "")
            // The doc's own words beside the id, so "does not hold" reads as the doc being wrong, not as "unaffected".
            let quote = c.quote.map { " \u{201C}" + ReportText.truncate($0, 50) + "\u{201D}" } ?? ""
            lines.append("  " + paint(word.padding(toLength: 16, withPad: " ", startingAt: 0), code) + " " + plain(t(c.id) + t(quote))
                         + (state == .holdsOnlyWhen ? ": " + plain(t(ReportText.truncate((c.conditions ?? []).joined(separator: "; "), 70))) : ""))
        }
        return lines
    }

    /// Word-wraps one paragraph; continuation lines get `indent`.
    static func wrap(_ text: String, width: Int, indent: String, visibleOffset: Int) -> [String] {
        var out: [String] = []
        var line = ""
        var budget = width + visibleOffset
        for word in text.split(separator: " ", omittingEmptySubsequences: true) {
            if !line.isEmpty, line.count + 1 + word.count > budget {
                out.append(line)
                line = indent
                budget = width
            }
            line += (line.isEmpty || line == indent ? "" : " ") + word
        }
        if !line.isEmpty { out.append(line) }
        return out
    }
}
