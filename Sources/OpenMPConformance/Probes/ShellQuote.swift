/// Quoting for repro lines. Everything the kit launches is an argv array; these strings
/// are only ever shown to people (and run by `sh` in a test that checks they reproduce).
package enum ShellQuote {
    /// A word for the shell. A string with control, bidi or other invisible characters (see
    /// ``TerminalText/needsEscape(_:)``) is written in ANSI-C quoting (`$'…'`, bash, zsh, ksh), every
    /// such character as an escape, so the word names the same bytes and shows no raw control
    /// character on a terminal; any other string is single-quoted when it needs quoting.
    package static func quote(_ s: String) -> String {
        if !s.isEmpty && s.unicodeScalars.allSatisfy({ safe.contains($0) }) { return s }
        if s.unicodeScalars.contains(where: { TerminalText.needsEscape($0.value) }) { return ansiC(s) }
        return "'" + s.replacingAll("'", with: "'\\''") + "'"
    }

    /// `$'…'` with `\\`, `\'`, `\e`, `\n`, `\t`, `\r`, `\a`, `\xHH` and `\uHHHH` escapes.
    static func ansiC(_ s: String) -> String {
        var out = "$'"
        for u in s.unicodeScalars {
            switch u.value {
            case 0x5C: out += "\\\\"
            case 0x27: out += "\\'"
            case 0x1B: out += "\\e"
            case 0x0A: out += "\\n"
            case 0x09: out += "\\t"
            case 0x0D: out += "\\r"
            case 0x07: out += "\\a"
            case let v where v < 0x80 && TerminalText.needsEscape(v):
                out += "\\x" + (v < 0x10 ? "0" : "") + String(v, radix: 16, uppercase: true)
            case let v where TerminalText.needsEscape(v):
                let hex = String(v, radix: 16, uppercase: true)
                out += "\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
            default: out.unicodeScalars.append(u)
            }
        }
        return out + "'"
    }

    private static let safe = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789@%_-+=:,./".unicodeScalars)

    /// `env -i K=V ... argv...`: the exact environment that decides the outcome, and the command.
    package static func repro(env: [(String, String)], argv: [String]) -> String {
        (["env", "-i"] + env.map { quote("\($0.0)=\($0.1)") } + argv.map(quote)).joined(separator: " ")
    }

    /// The changes to the caller's own environment, then the command: `K=V ... argv...`, or
    /// `env -u NAME ... K=V ... argv...` when something was removed; run in the caller's shell,
    /// it reproduces the run. Never `env -i`: the rest of the environment is the caller's.
    package static func repro(setting: [(String, String)], unsetting: [String], argv: [String]) -> String {
        // NAME='value': the name unquoted, so that the shell takes the word as an assignment.
        let set = setting.map { "\($0.0)=" + quote($0.1) }
        let words = unsetting.isEmpty ? set + argv.map(quote)
            : ["env"] + unsetting.flatMap { ["-u", quote($0)] } + set + argv.map(quote)
        return words.joined(separator: " ")
    }

    static func which(_ name: String, path: String?) -> String? {
        for dir in (path ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":") {
            let p = "\(dir)/\(name)"
            if access(p, X_OK) == 0 { return p }
        }
        return nil
    }
}

extension String {
    func replacingAll(_ a: String, with b: String) -> String {
        split(separator: a, omittingEmptySubsequences: false).joined(separator: b)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
