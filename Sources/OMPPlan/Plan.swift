/// An ordered list of steps (`load a; init a; train a`) over runtimes named in the plan.
public struct Plan: Sendable, Hashable {
    package var steps: [Step]

    package init(_ steps: [Step]) { self.steps = steps }

    /// The text form, steps joined by `; `.
    public var text: String { steps.map(\.text).joined(separator: "; ") }

    /// Runtime names in order of first `load`.
    package var loadedRuntimes: [String] {
        var seen: [String] = []
        for case .load(let r) in steps where !seen.contains(r) { seen.append(r) }
        return seen
    }

    /// Consumer library names in order of first `consumer` step.
    package var consumers: [String] {
        var seen: [String] = []
        for case .consumer(let r, _) in steps where !seen.contains(r) { seen.append(r) }
        return seen
    }

    /// A plan the kit writes itself (atlas variants, shapes): its text is fixed and parses, so a
    /// failure is a bug in the kit, not bad input.
    package static func fixed(_ text: String) -> Plan {
        do { return try parse(text) } catch { fatalError("the kit's own plan '\(text)' does not parse: \(error)") }
    }

    /// Parses the plan language. Steps are separated by `;` or newlines; `#` starts a comment.
    ///
    /// - Throws: ``PlanError`` naming the step (1-based) and column of the problem.
    public static func parse(_ text: String) throws(PlanError) -> Plan {
        var steps: [Step] = []
        var column = 1
        var index = 0
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = rawLine.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            for piece in line.split(separator: ";", omittingEmptySubsequences: false) {
                defer { column += piece.count + 1 }
                let words = piece.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" }).map(String.init)
                if words.isEmpty { continue }
                index += 1
                steps.append(try parseStep(words, index: index, column: column + leadingSpace(piece)))
            }
        }
        return Plan(steps)
    }

    private static func leadingSpace(_ s: Substring) -> Int {
        s.prefix(while: { $0 == " " || $0 == "\t" }).count
    }

    private static func parseStep(_ words: [String], index: Int, column: Int) throws(PlanError) -> Step {
        let verb = words[0]
        func fail(_ why: String) -> PlanError { PlanError(step: index, column: column, text: words.joined(separator: " "), reason: why) }
        func name(_ i: Int) throws(PlanError) -> String {
            guard i < words.count else { throw fail("'\(verb)' needs a runtime name") }
            let n = words[i]
            guard isName(n) else { throw fail("'\(n)' is not a runtime name (letters, digits, '-', '_', '.')") }
            return n
        }
        func sizes(from i: Int) throws(PlanError) -> Sizes {
            var s = Sizes()
            let allowed = Sizes.allowedKeys(for: verb)
            for w in words.dropFirst(i) {
                let kv = w.split(separator: "=", maxSplits: 1).map(String.init)
                guard kv.count == 2 else { throw fail("expected key=value, got '\(w)'") }
                guard allowed.contains(kv[0]) else {
                    throw fail("'\(verb)' takes no size '\(kv[0])' (allowed: \(allowed.joined(separator: ", ")))")
                }
                let most = Sizes.maximum(of: kv[0])
                guard let v = Int(kv[1]), v > 0, v <= most else {
                    throw fail("size '\(kv[0])' must be a whole number from 1 to \(most), got '\(kv[1])'")
                }
                s.values.append((kv[0], v))
            }
            return s
        }
        func exact(_ n: Int) throws(PlanError) {
            if words.count != n { throw fail("'\(verb)' takes \(n - 1) argument\(n == 2 ? "" : "s"), got \(words.count - 1)") }
        }
        switch verb {
        case "load": try exact(2); return .load(try name(1))
        case "init": try exact(2); return .initialize(try name(1))
        case "parallel": try exact(2); return .parallel(try name(1))
        case "setenv":
            try exact(2)
            let kv = words[1].split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            guard kv.count == 2, isEnvName(kv[0]) else { throw fail("setenv takes NAME=VALUE, got '\(words[1])'") }
            return .setenv(kv[0], kv[1])
        case "unsetenv":
            try exact(2)
            guard isEnvName(words[1]) else { throw fail("'\(words[1])' is not an environment variable name") }
            return .unsetenv(words[1])
        case "train": return .train(try name(1), try sizes(from: 2))
        case "index": return .index(try name(1), try sizes(from: 2))
        case "add": return .add(try name(1), try sizes(from: 2))
        case "search": return .search(try name(1), try sizes(from: 2))
        case "infer": return .infer(try name(1), try sizes(from: 2))
        case "serve": return .serve(try name(1), try name(2), try sizes(from: 3))
        case "race": try exact(3); return .race(try name(1), try name(2))
        case "nest": try exact(3); return .nest(try name(1), try name(2))
        case "consumer":
            guard words.count == 2 || (words.count == 3 && words[2] == "global") else {
                throw fail("'consumer' takes a library name and optionally 'global'")
            }
            return .consumer(try name(1), global: words.count == 3)
        default:
            throw fail("unknown step '\(verb)' (known: load, init, setenv, unsetenv, parallel, train, index, add, search, infer, serve, race, nest, consumer)")
        }
    }

    /// Checks that every runtime a step uses is declared and was loaded by an earlier step,
    /// and that `search` follows an `add` or `index`.
    package func validate(declared: [String]) throws(PlanError) {
        var loaded: Set<String> = []
        var haveIndex = false
        for (i, step) in steps.enumerated() {
            func fail(_ why: String) -> PlanError { PlanError(step: i + 1, column: nil, text: step.text, reason: why) }
            for r in step.runtimes where !declared.contains(r) {
                let known = declared.isEmpty ? "none declared" : "declared: \(declared.joined(separator: ", "))"
                throw fail("runtime '\(r)' is not declared with --runtime (\(known))")
            }
            if case .load(let r) = step { loaded.insert(r); continue }
            if case .consumer(let r, _) = step { loaded.insert(r); continue }
            for r in step.runtimes where !loaded.contains(r) {
                throw fail("runtime '\(r)' is used before any 'load \(r)'")
            }
            switch step {
            case .add, .index: haveIndex = true
            case .search:
                if !haveIndex { throw fail("'search' needs an index: put an 'add' or 'index' step before it") }
            default: break
            }
        }
    }

    static func isName(_ s: String) -> Bool {
        !s.isEmpty && s.utf8.count <= 64 && s.utf8.allSatisfy { c in
            (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c == 45 || c == 95 || c == 46
        }
    }

    static func isEnvName(_ s: String) -> Bool {
        guard let f = s.utf8.first, !(f >= 48 && f <= 57) else { return false }
        return s.utf8.count <= 256 && s.utf8.allSatisfy { c in
            (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c == 95
        }
    }
}

/// A plan that does not parse or does not validate.
public struct PlanError: Error, Sendable, Hashable, CustomStringConvertible {
    /// 1-based step number.
    package var step: Int
    /// 1-based column in the plan text, when known.
    package var column: Int?
    package var text: String
    package var reason: String

    package init(step: Int, column: Int?, text: String, reason: String) {
        self.step = step; self.column = column; self.text = text; self.reason = reason
    }

    public var description: String {
        let at = column.map { "step \(step) (column \($0))" } ?? "step \(step)"
        return "\(at) '\(text)': \(reason)"
    }
}
