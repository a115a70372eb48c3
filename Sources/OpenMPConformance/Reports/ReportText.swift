/// Text clean-up shared by every report: strings in results files come from runtimes, paths and
/// child processes, so they may hold terminal escape sequences, NUL bytes or bidi overrides.
/// Reports never pass those through.
enum ReportText {
    /// Removes ANSI/VT escape sequences (CSI `ESC [ … final`, OSC `ESC ] … BEL|ST`, two-byte
    /// `ESC x`, and the 8-bit CSI/OSC forms), C0/C1 control characters except line feed and tab,
    /// DEL, the noncharacters U+FFFE/U+FFFF, and bidirectional override/isolate characters.
    /// Carriage returns become line feeds (`\r\n` becomes one).
    static func stripControls(_ s: String) -> String {
        var out = String.UnicodeScalarView()
        let scalars = Array(s.unicodeScalars)
        var i = 0
        let n = scalars.count
        while i < n {
            let v = scalars[i].value
            switch v {
            case 0x1B:  // ESC
                i += 1
                guard i < n else { break }
                let next = scalars[i].value
                if next == 0x5B {  // '[' CSI
                    i = skipCSI(scalars, from: i + 1)
                } else if next == 0x5D || next == 0x50 || next == 0x5F || next == 0x5E {  // OSC, DCS, APC, PM
                    i = skipString(scalars, from: i + 1)
                } else {
                    i += 1  // two-byte escape (ESC x)
                }
                continue
            case 0x9B:  // 8-bit CSI
                i = skipCSI(scalars, from: i + 1)
                continue
            case 0x9D, 0x90, 0x9F, 0x9E:  // 8-bit OSC, DCS, APC, PM
                i = skipString(scalars, from: i + 1)
                continue
            case 0x0D:
                out.append("\n")
                if i + 1 < n, scalars[i + 1].value == 0x0A { i += 1 }
            case 0x0A, 0x09:
                out.append(scalars[i])
            case 0x00...0x1F, 0x7F, 0x80...0x9F, 0xFFFE, 0xFFFF,
                 0x202A...0x202E, 0x2066...0x2069, 0x200E, 0x200F:
                break
            default:
                out.append(scalars[i])
            }
            i += 1
        }
        return String(out)
    }

    /// Skips CSI parameter (0x30–0x3F), intermediate (0x20–0x2F) bytes and the final byte (0x40–0x7E).
    private static func skipCSI(_ s: [Unicode.Scalar], from start: Int) -> Int {
        var i = start
        while i < s.count, (0x20...0x3F).contains(s[i].value) { i += 1 }
        if i < s.count, (0x40...0x7E).contains(s[i].value) { i += 1 }
        return i
    }

    /// Skips an OSC/DCS/APC/PM string up to and including BEL, ST (`ESC \`) or 8-bit ST.
    private static func skipString(_ s: [Unicode.Scalar], from start: Int) -> Int {
        var i = start
        while i < s.count {
            let v = s[i].value
            if v == 0x07 || v == 0x9C { return i + 1 }
            if v == 0x1B { return i + 1 < s.count && s[i + 1].value == 0x5C ? i + 2 : i + 1 }
            i += 1
        }
        return i
    }

    /// Most UTF-8 bytes of one field that any renderer shows (64 KiB). Strings in results and
    /// atlas files have no length limit; rendering a longer one in full would cost time and
    /// memory in proportion (a 100 MB message took 30 s and more), so every escaping function
    /// cuts its input here first, and says so.
    static let fieldLimit = 64 << 10

    /// `s` when it fits in `maxBytes` UTF-8 bytes; else its first `maxBytes` bytes (whole
    /// characters) and ` … [cut: N bytes in all]`. Costs O(maxBytes), whatever the length of `s`.
    static func cap(_ s: String, maxBytes: Int = fieldLimit) -> String {
        let utf8 = s.utf8
        guard utf8.count > maxBytes else { return s }
        var end = utf8.index(utf8.startIndex, offsetBy: maxBytes)
        // Back to the start of a scalar: never inside a UTF-8 sequence (continuation bytes are 10xxxxxx).
        while end > utf8.startIndex, utf8[end] & 0xC0 == 0x80 { end = utf8.index(before: end) }
        return String(String.UnicodeScalarView(s.unicodeScalars[..<end])) + " … [cut: \(utf8.count) bytes in all]"
    }

    /// Clean text on one line (cut at ``fieldLimit`` first): controls stripped, line breaks and tabs turned into single spaces,
    /// ends trimmed.
    static func oneLine(_ s: String) -> String {
        var out = ""
        var lastWasSpace = false
        for ch in stripControls(cap(s)) {
            if ch == "\n" || ch == "\t" || ch == " " {
                if !lastWasSpace && !out.isEmpty { out.append(" ") }
                lastWasSpace = true
            } else {
                out.append(ch)
                lastWasSpace = false
            }
        }
        if out.hasSuffix(" ") { out.removeLast() }
        return out
    }

    /// At most `limit` characters, with `…` when cut; cut at the last word boundary when one is
    /// in the last third, so words stay whole.
    static func truncate(_ s: String, _ limit: Int) -> String {
        guard s.count > limit else { return s }
        let head = s.prefix(max(0, limit - 1))
        if let space = head.lastIndex(of: " "), head.distance(from: head.startIndex, to: space) >= (limit * 2) / 3 {
            return String(head[..<space]) + " …"
        }
        return String(head) + "…"
    }

    /// The last `maxLines` lines (and at most `maxCharacters` characters) of a text, cleaned.
    static func tail(_ s: String, maxLines: Int = 20, maxCharacters: Int = 4000) -> String {
        let clean = stripControls(s)
        var lines = clean.split(separator: "\n", omittingEmptySubsequences: false)
        while let last = lines.last, last.allSatisfy({ $0 == " " }) { lines.removeLast() }
        var text = lines.suffix(maxLines).joined(separator: "\n")
        if text.count > maxCharacters { text = "…" + String(text.suffix(maxCharacters - 1)) }
        return text
    }

    /// The first path component of an ISO-8601 timestamp (`2025-06-01`), or the whole string.
    static func datePart(_ timestamp: String) -> String {
        if let t = timestamp.firstIndex(of: "T") { return String(timestamp[..<t]) }
        return timestamp
    }

    /// Outcome counts as `pass 12 · hang 1`, in rule order.
    static func outcomeCounts(_ counts: [Outcome: Int]) -> String {
        let parts = Outcome.allCases.compactMap { o in counts[o].map { "\(o.rawValue) \($0)" } }
        return parts.isEmpty ? "none" : parts.joined(separator: " · ")
    }

    /// Verdict counts as `confirmed 3 · refuted 1 · untestable 0`.
    static func verdictCounts(_ counts: [Verdict: Int]) -> String {
        Verdict.allCases.map { "\($0.rawValue) \(counts[$0, default: 0])" }.joined(separator: " · ")
    }

    /// Seconds with at most two decimals.
    static func seconds(_ d: Double) -> String {
        guard d.isFinite, abs(d) < 1e12 else { return d.isFinite ? String(d) : "?" }
        if d < 0 { return "-" + seconds(-d) }
        let centis = Int((d * 100).rounded())
        let frac = centis % 100
        return "\(centis / 100).\(frac < 10 ? "0" : "")\(frac)"
    }
}
