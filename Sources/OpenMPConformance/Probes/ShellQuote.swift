/// Quoting for repro lines. Everything the kit launches is an argv array; these strings
/// are only ever shown to people (and run by `sh` in a test that checks they reproduce).
package enum ShellQuote {
    package static func quote(_ s: String) -> String {
        if !s.isEmpty && s.unicodeScalars.allSatisfy({ safe.contains($0) }) { return s }
        return "'" + s.replacingAll("'", with: "'\\''") + "'"
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
