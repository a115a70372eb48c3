/// Escaping for text that reaches a terminal. Host fields, file and member names, runtime
/// banners and values read from results or matrix files are untrusted: an ESC can retitle the
/// window or repaint lines, BEL rings, NUL truncates, U+202E reverses what follows, and a
/// newline fakes a line of output. Every text output of the kit passes through here.
///
/// Escaped characters are shown, not dropped, so that what the file says stays visible:
/// `\e`, `\a`, `\0`, `\n`, `\r`, `\t` for the common ones, `\u{XXXX}` for the rest (other C0
/// and C1 controls, DEL, bidirectional embeddings, overrides, isolates and marks, line and
/// paragraph separators, and the noncharacters U+FFFE/U+FFFF).
package enum TerminalText {
    /// One field (a path, a name, a message): every control character is escaped, newlines
    /// and tabs included, so the field stays on its line.
    package static func field(_ s: String) -> String {
        escape(ReportText.cap(s), keepLayout: false)
    }

    /// A whole block of the kit's own lines: newlines and tabs are kept, everything else above
    /// is escaped. Used at every print to the terminal, after fields were escaped.
    package static func block(_ s: String) -> String {
        escape(s, keepLayout: true)
    }

    static func needsEscape(_ v: UInt32) -> Bool {
        switch v {
        case 0x00...0x1F, 0x7F...0x9F, 0x200E, 0x200F, 0x2028, 0x2029, 0x202A...0x202E, 0x2066...0x2069, 0x061C,
             0xFFFE, 0xFFFF:
            return true
        default:
            return false
        }
    }

    private static func escape(_ s: String, keepLayout: Bool) -> String {
        guard s.unicodeScalars.contains(where: { needsEscape($0.value) }) else { return s }
        var out = ""
        for u in s.unicodeScalars {
            let v = u.value
            guard needsEscape(v) else { out.unicodeScalars.append(u); continue }
            switch v {
            case 0x0A where keepLayout, 0x09 where keepLayout: out.unicodeScalars.append(u)
            case 0x0A: out += "\\n"
            case 0x09: out += "\\t"
            case 0x0D: out += "\\r"
            case 0x1B: out += "\\e"
            case 0x07: out += "\\a"
            case 0x00: out += "\\0"
            default: out += "\\u{" + String(v, radix: 16, uppercase: true) + "}"
            }
        }
        return out
    }
}
