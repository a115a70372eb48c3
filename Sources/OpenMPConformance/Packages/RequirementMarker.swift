/// A requirement's environment marker (`; sys_platform == "win32" and python_version < "3.13"`),
/// read with the grammar pip uses (PEP 508 through `packaging`) and evaluated for a target
/// platform and Python instead of the machine running the kit.
///
/// Variables fixed by the target (`sys_platform`, `platform_system`, `os_name`, `platform_machine`,
/// `python_version`, `implementation_name`, `platform_python_implementation`, and
/// `python_full_version` when the patch release is given or does not change the result) are
/// answered; those that depend on the installing machine (`platform_release`, `platform_version`)
/// or on a context a requirements line lacks (`extra`) make the marker's value unknown, never guessed.
package indirect enum RequirementMarker: Sendable, Hashable {
    case and(RequirementMarker, RequirementMarker)
    case or(RequirementMarker, RequirementMarker)
    case compare(Operand, String, Operand)

    package enum Operand: Sendable, Hashable {
        case variable(String)
        case literal(String)
    }

    package struct MarkerError: Error, Sendable, Hashable { package var message: String }

    /// The variable names pip reads, with the spellings it takes for them (`os.name`, `python_implementation`).
    static let variables: [String: String] = {
        var v: [String: String] = [:]
        for name in ["python_version", "python_full_version", "os_name", "sys_platform", "platform_release", "platform_system", "platform_version",
                     "platform_machine", "platform_python_implementation", "implementation_name", "implementation_version", "extra"] {
            v[name] = name
        }
        for (alias, name) in ["os.name": "os_name", "sys.platform": "sys_platform", "platform.version": "platform_version",
                              "platform.machine": "platform_machine", "platform.python_implementation": "platform_python_implementation",
                              "python_implementation": "platform_python_implementation"] {
            v[alias] = name
        }
        return v
    }()

    // MARK: reading

    /// Reads a marker; the reason pip would give when it is not one.
    package static func parse(_ text: String) -> Result<RequirementMarker, MarkerError> {
        var p = Parser(text: Array(text))
        do {
            let m = try p.or()
            p.skipSpace()
            guard p.atEnd else { throw MarkerError(message: "unexpected '\(p.rest)' in the marker '\(text.trimmingWhitespace)' (expected 'and', 'or' or the end)") }
            return .success(m)
        } catch let e as MarkerError {
            return .failure(e)
        } catch {
            return .failure(MarkerError(message: "\(error)"))
        }
    }

    private struct Parser {
        var text: [Character]
        var i = 0
        var atEnd: Bool { i >= text.count }
        var rest: String { String(text[min(i, text.count)...].prefix(30)) }
        mutating func skipSpace() { while i < text.count, text[i] == " " || text[i] == "\t" { i += 1 } }
        func fail(_ m: String) -> MarkerError { MarkerError(message: m) }

        /// A keyword (`and`, `or`, `in`, `not`) as a whole word.
        mutating func keyword(_ w: String) -> Bool {
            skipSpace()
            let chars = Array(w)
            guard i + chars.count <= text.count, Array(text[i..<(i + chars.count)]) == chars else { return false }
            let after = i + chars.count
            if after < text.count, text[after].isLetter || text[after].isNumber || text[after] == "_" || text[after] == "." { return false }
            i = after
            return true
        }

        mutating func or() throws -> RequirementMarker {
            var m = try and()
            while keyword("or") { m = .or(m, try and()) }
            return m
        }

        mutating func and() throws -> RequirementMarker {
            var m = try atom()
            while keyword("and") { m = .and(m, try atom()) }
            return m
        }

        mutating func atom() throws -> RequirementMarker {
            skipSpace()
            if i < text.count, text[i] == "(" {
                i += 1
                let m = try or()
                skipSpace()
                guard i < text.count, text[i] == ")" else { throw fail("a '(' in the marker is not closed with ')'") }
                i += 1
                return m
            }
            let lhs = try operand()
            let op = try comparison()
            let rhs = try operand()
            if case .literal = lhs, case .literal = rhs { throw fail("the marker compares two quoted strings (\(op)); one side must be a marker variable") }
            if op == "~=" {
                // pip reads `~=` as a version comparison only: a literal that is not a version is an error at install time.
                for case .literal(let s) in [lhs, rhs] where PythonVersion(s) == nil || VersionSpecifier.parse("~=" + s).isFailure {
                    throw fail("'~=' in a marker needs a version of at least two numbers, not \"\(s)\"")
                }
            }
            return .compare(lhs, op, rhs)
        }

        mutating func operand() throws -> Operand {
            skipSpace()
            guard i < text.count else { throw fail("the marker ends where a marker variable or quoted string is expected") }
            if text[i] == "'" || text[i] == "\"" {
                let q = text[i]
                guard let close = text[(i + 1)...].firstIndex(of: q) else { throw fail("a quoted string in the marker is not closed") }
                let s = String(text[(i + 1)..<close])
                i = close + 1
                return .literal(s)
            }
            let start = i
            while i < text.count, text[i].isLetter || text[i].isNumber || text[i] == "_" || text[i] == "." { i += 1 }
            let word = String(text[start..<i])
            guard let name = RequirementMarker.variables[word] else {
                i = start
                throw fail(word.isEmpty ? "expected a marker variable or quoted string at '\(rest)'"
                                        : "'\(word)' is not a marker variable (python_version, sys_platform, platform_system, os_name, platform_machine, …)")
            }
            return .variable(name)
        }

        mutating func comparison() throws -> String {
            skipSpace()
            for op in ["===", "==", "~=", "!=", "<=", ">=", "<", ">"] {
                let chars = Array(op)
                if i + chars.count <= text.count, Array(text[i..<(i + chars.count)]) == chars { i += chars.count; return op }
            }
            if keyword("in") { return "in" }
            if keyword("not") {
                guard keyword("in") else { throw fail("'not' in a marker must be followed by 'in'") }
                return "not in"
            }
            throw fail("expected a marker operator (==, !=, <, <=, >, >=, ~=, ===, in, not in) at '\(rest)'")
        }
    }

    // MARK: evaluating

    /// The values a target gives the marker variables.
    package struct Environment: Sendable, Hashable {
        package var values: [String: String]
        /// The Python asked for (`3.12`, or `3.12.4`).
        package var python: String

        /// `platform` as pip on it would see it, for `python` (`3.12` or `3.12.4`), CPython.
        package init(platform: WheelCatalog.Platform, python: String) {
            self.python = python
            let minor = python.split(separator: ".").prefix(2).joined(separator: ".")
            var v = ["python_version": minor, "implementation_name": "cpython", "platform_python_implementation": "CPython"]
            switch platform {
            case .linux: v.merge(["sys_platform": "linux", "platform_system": "Linux", "os_name": "posix", "platform_machine": "x86_64"]) { $1 }
            case .macos: v.merge(["sys_platform": "darwin", "platform_system": "Darwin", "os_name": "posix", "platform_machine": "arm64"]) { $1 }
            case .windows: v.merge(["sys_platform": "win32", "platform_system": "Windows", "os_name": "nt", "platform_machine": "AMD64"]) { $1 }
            }
            if python.split(separator: ".").count >= 3 {
                v["python_full_version"] = python
                v["implementation_version"] = python
            }
            values = v
        }
    }

    /// True or false for `env`; nil when a variable the target does not fix decides it, with those variables named.
    package func evaluate(_ env: Environment) -> (value: Bool?, unknown: [String]) {
        switch self {
        case .and(let a, let b):
            let x = a.evaluate(env), y = b.evaluate(env)
            if x.value == false || y.value == false { return (false, []) }
            return x.value == true && y.value == true ? (true, []) : (nil, x.unknown + y.unknown)
        case .or(let a, let b):
            let x = a.evaluate(env), y = b.evaluate(env)
            if x.value == true || y.value == true { return (true, []) }
            return x.value == false && y.value == false ? (false, []) : (nil, x.unknown + y.unknown)
        case .compare(let lhs, let op, let rhs):
            let names = [lhs, rhs].compactMap { o -> String? in if case .variable(let n) = o { return n } else { return nil } }
            func value(_ o: Operand, _ env: [String: String]) -> String? {
                switch o { case .literal(let s): return s; case .variable(let n): return env[n] }
            }
            if let l = value(lhs, env.values), let r = value(rhs, env.values) { return (Self.compare(l, op, r), []) }
            // The patch release of the Python asked for as X.Y is open: the result stands when every patch release gives it.
            let open = names.filter { env.values[$0] == nil }
            if open.allSatisfy({ $0 == "python_full_version" || $0 == "implementation_version" }) {
                let results = Set((0...40).compactMap { patch -> Bool? in
                    var values = env.values
                    for n in open { values[n] = "\(env.python).\(patch)" }
                    return value(lhs, values).flatMap { l in value(rhs, values).map { Self.compare(l, op, $0) } }
                })
                if results.count == 1 { return (results.first, []) }
                return (nil, open.map { "\($0) (give --python with its patch release, e.g. \(env.python).4)" })
            }
            return (nil, open)
        }
    }

    /// One comparison as pip makes it: a version comparison when the right side and the operator
    /// form a valid specifier and the left side is a version; otherwise a string comparison.
    static func compare(_ l: String, _ op: String, _ r: String) -> Bool {
        switch op {
        case "in": return r.contains(l)
        case "not in": return !r.contains(l)
        case "===": return l.lowercased() == r.lowercased()
        default: break
        }
        if case .success(let spec) = VersionSpecifier.parse(op + r), let c = spec.clauses.first, let v = PythonVersion(l) {
            return VersionSpecifier.matches(v, c)
        }
        switch op {
        case "==": return l == r
        case "!=": return l != r
        case "<": return l < r
        case "<=": return l <= r
        case ">": return l > r
        case ">=": return l >= r
        default: return false
        }
    }
}

fileprivate extension Result {
    var isFailure: Bool { if case .failure = self { return true } else { return false } }
}
