/// Markdown (GitHub-flavoured) escaping for interpolated strings. Every string that came from a
/// results file goes through ``text(_:limit:)`` or ``code(_:limit:)``.
enum MarkdownText {
    /// ASCII punctuation that can start emphasis, code, links, HTML, entities, tables,
    /// strikethrough or images anywhere in a line.
    private static let special: Set<Character> = ["\\", "`", "*", "_", "[", "]", "<", ">", "|", "~", "&", "!", "#", "{", "}", "(", ")", "$"]

    /// Plain text: controls stripped, one line, cut to `limit` characters, Markdown punctuation
    /// backslash-escaped, and a leading list/heading/quote marker neutralised. Safe in table cells.
    static func text(_ raw: String, limit: Int = 300) -> String {
        let clean = ReportText.truncate(ReportText.oneLine(ReportText.cap(raw)), limit)
        var out = ""
        out.reserveCapacity(clean.count + 8)
        for ch in clean {
            if special.contains(ch) { out.append("\\") }
            out.append(ch)
        }
        // A leading "-", "+", "=" or "1." would start a list or an underline in some positions.
        if let first = out.first, first == "-" || first == "+" || first == "=" {
            out.insert("\\", at: out.startIndex)
        } else if let dot = out.firstIndex(where: { !$0.isASCII || !$0.isNumber }), dot != out.startIndex,
                  out[dot] == ".", out.index(after: dot) == out.endIndex || out[out.index(after: dot)] == " " {
            out.insert("\\", at: dot)  // "1. x" would start an ordered list
        }
        return out
    }

    /// A code span: controls stripped, one line, cut to `limit`, fenced with more backticks than
    /// the longest run inside. In a table (`inTable`), `|` is escaped, which GFM honours inside
    /// code spans too. An empty string becomes an escaped `(empty)`.
    static func code(_ raw: String, limit: Int = 300, inTable: Bool = false) -> String {
        var clean = ReportText.truncate(ReportText.oneLine(ReportText.cap(raw)), limit)
        if clean.isEmpty { return "\\(empty\\)" }
        var longest = 0, run = 0
        for ch in clean {
            if ch == "`" { run += 1; longest = max(longest, run) } else { run = 0 }
        }
        if inTable { clean = clean.replacingOccurrences(of: "|", with: "\\|") }
        let fence = String(repeating: "`", count: longest + 1)
        let pad = clean.hasPrefix("`") || clean.hasSuffix("`") || clean.hasPrefix(" ") || clean.hasSuffix(" ") ? " " : ""
        return fence + pad + clean + pad + fence
    }

    /// A table row from already-escaped cells.
    static func row(_ cells: [String]) -> String {
        "| " + cells.joined(separator: " | ") + " |\n"
    }

    /// A table header and its delimiter row.
    static func header(_ titles: [String]) -> String {
        row(titles) + "|" + String(repeating: "---|", count: titles.count) + "\n"
    }
}
