/// Escaping for XML 1.0 (JUnit) and HTML. Terminal escapes and every character XML 1.0 forbids
/// (C0 controls other than tab/LF/CR, U+FFFE, U+FFFF) are removed first.
enum XMLText {
    /// Character data: `&`, `<`, `>`, `"` and `'` escaped; line breaks kept.
    static func text(_ raw: String) -> String {
        escape(ReportText.stripControls(ReportText.cap(raw)), newlines: false)
    }

    /// An attribute value: as ``text(_:)``, and line breaks and tabs as character references so
    /// that parsers do not fold them into spaces.
    static func attribute(_ raw: String, limit: Int = 2000) -> String {
        escape(ReportText.truncate(ReportText.stripControls(ReportText.cap(raw)), limit), newlines: true)
    }

    private static func escape(_ s: String, newlines: Bool) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count + 16)
        for scalar in s.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\n" where newlines: out += "&#10;"
            case "\t" where newlines: out += "&#9;"
            default:
                // Belt and braces: stripControls already removed these.
                if isLegalXML(scalar) { out.unicodeScalars.append(scalar) }
            }
        }
        return out
    }

    /// XML 1.0 `Char`: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF].
    static func isLegalXML(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x9, 0xA, 0xD, 0x20...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: true
        default: false
        }
    }
}
