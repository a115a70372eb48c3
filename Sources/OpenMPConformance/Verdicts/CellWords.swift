import OMPPlan

/// Cells and runtimes described in words, for readers who do not speak cell ids:
/// `LLVM 14 starts first, then LLVM 16; variable exported before start; both loaded first`.
///
/// Runtime names follow the catalog (`gnu`, `llvm14`, `intel`, `llvm14-copy`, …); the release
/// comes from the runtime's provenance (`apt:libomp5-16=1:16.0.6-15~deb12u1`,
/// `pypi:intel-openmp==2025.2.1`), never from its banner, which is the same in every LLVM release.
package struct CellWords: Sendable {
    /// The runtimes of the run, by catalog name.
    package var runtimes: [String: RuntimeRecord]

    package init(runtimes: [RuntimeRecord]) {
        self.runtimes = Dictionary(runtimes.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
    }

    /// `LLVM 14`, `LLVM 16`, `Intel 2025.2.1`, `GNU libgomp 12.2.0`, `a second file of LLVM 14`.
    package func runtime(_ name: String) -> String {
        if name.hasSuffix("-copy") {
            return "a second file of " + runtime(String(name.dropLast("-copy".count)))
        }
        let record = runtimes[name]
        let release = record.flatMap { Self.release(fromSource: $0.source) }
        if name.hasPrefix("llvm") {
            let digits = name.dropFirst(4).prefix { $0.isNumber }
            let major = digits.isEmpty ? release.map { String($0.prefix { $0 != "." }) } : String(digits)
            return major.map { "LLVM \($0)" } ?? "LLVM libomp"
        }
        if name.hasPrefix("intel") {
            if let release { return "Intel \(release)" }
            let rest = name.dropFirst("intel".count).drop { $0 == "-" }
            return rest.isEmpty ? "Intel libiomp5" : "Intel \(rest)"
        }
        if name == "gnu" || name.hasPrefix("gnu") { return release.map { "GNU libgomp \($0)" } ?? "GNU libgomp" }
        // A user path or another name: its last component.
        return String(name.split(separator: "/").last ?? Substring(name))
    }

    /// `1:14.0.6-12` → `14.0.6`; `intel-openmp==2025.2.1` → `2025.2.1`; `12.2.0-14+deb12u1` → `12.2.0`.
    static func release(fromSource source: String) -> String? {
        // A copy names its original in parentheses: read that one.
        var s = Substring(source)
        if let open = s.lastIndex(of: "("), let close = s.lastIndex(of: ")"), open < close { s = s[s.index(after: open)..<close] }
        guard let eq = s.lastIndex(of: "=") else { return nil }
        var v = s[s.index(after: eq)...]
        if let colon = v.firstIndex(of: ":") { v = v[v.index(after: colon)...] }
        if let dash = v.firstIndex(of: "-") { v = v[..<dash] }
        if let tilde = v.firstIndex(of: "~") { v = v[..<tilde] }
        guard let first = v.first, first.isNumber else { return nil }
        return String(v)
    }

    /// The cell in words: who starts first, how the variable is set, and the load order.
    package func describe(_ r: CellResult) -> String {
        var parts: [String] = []
        let roles = r.roleRuntimes ?? [:]
        let name = { (role: String) in roles[role].map(runtime) ?? role }
        let steps = Self.steps(r)
        let starts = Self.startOrder(steps)
        if r.profileKind == "control", let one = roles["framework"] ?? roles["index"] {
            parts.append("one \(runtime(one)) file serves both libraries")
        } else if starts.count >= 2 {
            parts.append("\(name(starts[0])) starts first, then \(name(starts[1]))")
        } else if starts.count == 1 {
            let other = ["framework", "index"].first { $0 != starts[0] }.map(name) ?? "the other"
            parts.append("only \(name(starts[0])) starts; \(other) is loaded and never called")
        } else if !steps.isEmpty {
            let loaded = ["framework", "index"].map(name)
            parts.append("\(loaded[0]) and \(loaded[1]) are loaded, neither is called")
        }
        parts.append(Self.envWords(r.envMode))
        if r.stack != .ownHandle {
            parts.append("stack shape \(r.stack.rawValue): \(r.stack.meaning)")
        } else if !steps.isEmpty, r.profileKind != "control" || starts.count >= 2 {
            parts.append(Self.loadWords(steps))
        }
        return parts.joined(separator: "; ")
    }

    /// The steps of a result's stored plan (none when the text does not parse).
    static func steps(_ r: CellResult) -> [Step] { (try? Plan.parse(r.plan))?.steps ?? [] }

    /// Roles in the order their runtimes start: the first `init` or parallel region of each.
    package static func startOrder(_ steps: [Step]) -> [String] {
        var out: [String] = []
        for s in steps where s.verb == "init" || s.opensParallelRegion {
            for r in s.runtimes where !out.contains(r) { out.append(r) }
        }
        return out
    }

    /// `both loaded first` when every load precedes every start, else `each started right after its load`.
    static func loadWords(_ steps: [Step]) -> String {
        let lastLoad = steps.lastIndex { $0.verb == "load" } ?? -1
        let firstStart = steps.firstIndex { $0.verb == "init" || $0.opensParallelRegion } ?? Int.max
        return lastLoad < firstStart ? "both loaded first" : "each started right after its load"
    }

    /// How `KMP_DUPLICATE_LIB_OK` is set in an environment mode, in words.
    package static func envWords(_ mode: String) -> String {
        switch mode {
        case "unset": "no variable"
        case "exported": "variable exported before start"
        case "set-before-imports": "variable set in the program before the loads"
        case "set-after-loads": "variable set after both loads, before either runtime starts"
        case "set-after-inits": "variable set after both runtimes started"
        case "false": "variable exported as FALSE"
        case "wrapper-exported": "variable exported in a parent shell that runs a script"
        case "wrapper-assigned": "variable assigned, not exported, in a parent shell that runs a script"
        case "wrapper-env-i": "variable exported, then dropped by env -i before the script"
        default: "variable mode \(mode)"
        }
    }

    /// What an import reading means, in words.
    package static func importWords(_ meaning: String) -> String {
        switch meaning {
        case "load": "an import that only loads the runtime (it starts at the first work)"
        case "load+init": "an import that also starts the runtime (its first OpenMP call)"
        default: "import reading \(meaning)"
        }
    }

    /// The pair of a profile in words: `Intel 2025.2.1 and LLVM 14`.
    package func pair(_ r: CellResult) -> String {
        guard let roles = r.roleRuntimes, let f = roles["framework"], let i = roles["index"] else { return r.profile }
        return f == i ? "one \(runtime(f)) file" : "\(runtime(f)) and \(runtime(i))"
    }
}
