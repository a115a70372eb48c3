/// The answer section as titled parts of plain sentences, for every report to render with its
/// own escaping (Markdown, HTML, terminal, README). Nothing here is escaped: strings come from
/// results files and must go through the format's helpers.
enum AnswerText {
    struct Part {
        var title: String
        var headline: String
        var details: [String]
        /// The title as a run-in heading: a question keeps its mark, anything else ends with a full stop.
        var heading: String { title.hasSuffix("?") ? title : title + "." }
    }

    static func parts(_ a: Answer) -> [Part] {
        var out = questionParts(a)
        out.append(Part(title: "When the abort happens here", headline: a.abort.headline,
                        details: a.abort.byPair.map { "\($0.pair): \($0.count) of \($0.cells) test cases without the variable aborted." }))
        out.append(Part(title: "What the variable does here", headline: a.variable.headline,
                        details: a.variable.failures.map(\.sentence)))
        out.append(Part(title: "What to do instead", headline: a.instead.headline,
                        // The steps and the last resort are under "What to do instead?" when the questions are there.
                        details: a.questions == nil ? a.instead.steps + [a.instead.lastResort] : []))
        out.append(Part(title: "macOS", headline: a.macOS.headline, details: []))
        if let atlas = a.atlas {
            out.append(Part(title: "From the atlas (\(atlas.source))", headline: atlas.lines.first ?? "The atlas adds no failure with the variable.",
                            details: Array(atlas.lines.dropFirst())))
        }
        return out
    }

    /// The three questions, each answered per platform: the first platform's answer is the
    /// headline (labelled), the others follow it in the details, each labelled.
    static func questionParts(_ a: Answer) -> [Part] {
        (a.questions ?? []).map { q in
            var details: [String] = []
            for (i, p) in q.answers.enumerated() {
                if i > 0 { details.append("\(p.platform): \(p.answer)") }
                details += p.details
            }
            let first = q.answers.first
            return Part(title: q.question, headline: first.map { "\($0.platform): \($0.answer)" } ?? "Not answered here.", details: details)
        }
    }

    /// What the cells shown apart did, by outcome in name order: `duplicate-runtime-abort 3, pass 5`,
    /// or `none ran`.
    static func outcomes(_ g: ApartGroup) -> String {
        let o = g.outcomes.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        return o.isEmpty ? "none ran" : o
    }

    /// A claim's state as a short label: `holds`, `does not hold`, `holds only when …`, `untestable here`.
    static func stateLabel(_ c: ClaimVerdict) -> String {
        c.state?.words ?? "\(c.verdict.rawValue) (schema 1)"
    }
}
