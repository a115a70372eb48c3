import Foundation
import Yams

/// A YAML node with the file it came from: typed accessors that fail with a
/// ``MatrixError`` naming `file:line:column`. Internal to the matrix loader.
struct YAMLValue {
    let node: Node
    let file: String

    var location: SourceLocation {
        let m = node.mark
        return SourceLocation(file: file, line: m?.line ?? 1, column: m?.column ?? 1)
    }

    /// Parses one YAML document. Syntax errors (including a file cut off in the middle of a
    /// quoted string or a flow collection) carry libyaml's own position.
    ///
    /// Text nested deeper than ``YAMLDepth/limit`` levels is refused before the YAML library
    /// sees it (its composer recurses once per level).
    static func parse(_ text: String, file: String) throws(MatrixError) -> YAMLValue {
        if let x = YAMLDepth.firstExcess(in: text) {
            throw MatrixError(file: file, line: x.line, column: x.column,
                              message: "YAML nested more than \(YAMLDepth.limit) levels deep; the matrix reader allows at most \(YAMLDepth.limit)")
        }
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw Self.convert(error, file: file, text: text)
        } catch {
            throw MatrixError(file: file, line: 1, column: 1, message: "cannot read YAML: \(error)")
        }
        guard let root else {
            throw MatrixError(file: file, line: 1, column: 1, message: "the file is empty (expected a YAML mapping)")
        }
        return YAMLValue(node: root, file: file)
    }

    private static func convert(_ error: YamlError, file: String, text: String) -> MatrixError {
        func at(_ mark: Mark, _ kind: String, _ context: YamlError.Context?, _ problem: String) -> MatrixError {
            let ctx = context.map { "\($0.text) (at \($0.mark.line):\($0.mark.column)): " } ?? ""
            return MatrixError(file: file, line: mark.line, column: mark.column, message: "malformed YAML (\(kind)): \(ctx)\(problem)")
        }
        switch error {
        case let .scanner(context, problem, mark, _): return at(mark, "scanner", context, problem)
        case let .parser(context, problem, mark, _): return at(mark, "parser", context, problem)
        case let .composer(context, problem, mark, _): return at(mark, "composer", context, problem)
        case let .reader(problem, offset, _, _):
            var line = 1, column = 1
            if let offset {
                for ch in text.prefix(offset) {
                    if ch == "\n" { line += 1; column = 1 } else { column += ch.unicodeScalars.count }
                }
            }
            return MatrixError(file: file, line: line, column: column, message: "unreadable YAML input: \(problem)")
        default:
            return MatrixError(file: file, line: 1, column: 1, message: "cannot read YAML: \(error)")
        }
    }

    private var kindName: String {
        switch node {
        case .scalar: "a scalar"
        case .mapping: "a mapping"
        case .sequence: "a list"
        }
    }

    func fail(_ message: String) -> MatrixError { MatrixError(location, message) }

    /// This node as a mapping whose keys are all in `required` or `optional`; every required key present.
    func mapping(_ what: String, required: [String], optional: [String] = []) throws(MatrixError) -> YAMLMapping {
        guard case .mapping(let m) = node else { throw fail("\(what) must be a mapping, found \(kindName)") }
        var entries: [(String, SourceLocation, YAMLValue)] = []
        for (k, v) in m {
            let key = YAMLValue(node: k, file: file)
            guard case .scalar(let s) = k else { throw key.fail("keys of \(what) must be plain words, found \(key.kindName)") }
            if let first = entries.first(where: { $0.0 == s.string }) {
                throw key.fail("duplicate key '\(s.string)' in \(what) (first at line \(first.1.line), column \(first.1.column))")
            }
            guard required.contains(s.string) || optional.contains(s.string) else {
                let allowed = (required + optional).map { "'\($0)'" }.joined(separator: ", ")
                throw key.fail("unknown key '\(s.string)' in \(what) (allowed: \(allowed))")
            }
            entries.append((s.string, key.location, YAMLValue(node: v, file: file)))
        }
        for r in required where !entries.contains(where: { $0.0 == r }) {
            throw fail("\(what) is missing the key '\(r)'")
        }
        return YAMLMapping(location: location, entries: entries)
    }

    func sequence(_ what: String) throws(MatrixError) -> [YAMLValue] {
        guard case .sequence(let s) = node else { throw fail("\(what) must be a list, found \(kindName)") }
        return s.map { YAMLValue(node: $0, file: file) }
    }

    /// A non-empty scalar. A YAML null (`~`, `null`, or nothing after the colon) is not a string.
    func string(_ what: String) throws(MatrixError) -> String {
        guard case .scalar(let s) = node else { throw fail("\(what) must be a string, found \(kindName)") }
        if s.style == .plain || s.style == .any, s.string.isEmpty || s.string == "~" || s.string == "null" || s.string == "Null" || s.string == "NULL" {
            throw fail("\(what) must not be empty")
        }
        if s.string.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { throw fail("\(what) must not be empty") }
        return s.string
    }

    /// A scalar that may be empty (e.g. a workload of no steps: `workload: ""`).
    func text(_ what: String) throws(MatrixError) -> String {
        guard case .scalar(let s) = node else { throw fail("\(what) must be a string, found \(kindName)") }
        if (s.style == .plain || s.style == .any) && (s.string == "~" || s.string == "null") { return "" }
        return s.string
    }

    func int(_ what: String) throws(MatrixError) -> Int {
        guard case .scalar(let s) = node, s.style == .plain || s.style == .any, let v = Int(s.string) else {
            throw fail("\(what) must be a whole number, found \(kindNameOrText)")
        }
        return v
    }

    /// A lowercase identifier: letters, digits, `-`, `+`, `.`; it becomes part of cell ids, so no `/`, `@` or spaces.
    func identifier(_ what: String) throws(MatrixError) -> String {
        let s = try string(what)
        guard YAMLValue.isIdentifier(s) else {
            throw fail("\(what) '\(s)' must be lowercase letters, digits, '-', '+', '.' (it becomes part of cell ids)")
        }
        return s
    }

    static func isIdentifier(_ s: String) -> Bool {
        guard let f = s.unicodeScalars.first, ("a"..."z").contains(f) || ("0"..."9").contains(f) else { return false }
        return s.count <= 64 && s.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || "-+.".unicodeScalars.contains($0) }
    }

    /// A list of scalars, each checked by `each`; a single scalar is not accepted as a list.
    func list<T>(_ what: String, _ each: (YAMLValue) throws(MatrixError) -> T) throws(MatrixError) -> [T] {
        var out: [T] = []
        for item in try sequence(what) { out.append(try each(item)) }
        return out
    }

    /// One of the given words.
    func word(_ what: String, in words: [String]) throws(MatrixError) -> String {
        let s = try string(what)
        guard words.contains(s) else {
            throw fail("unknown \(what) '\(s)' (expected one of: \(words.joined(separator: ", ")))")
        }
        return s
    }

    private var kindNameOrText: String {
        if case .scalar(let s) = node { return "'\(s.string)'" }
        return kindName
    }

    /// The position of the `n`th (1-based) column inside this scalar's text, for errors that
    /// a nested parser (the plan language) reports by column. Exact for one-line plain and
    /// quoted scalars; block scalars point at the scalar's start.
    func location(ofColumn n: Int) -> SourceLocation {
        guard case .scalar(let s) = node, !s.string.contains("\n") else { return location }
        var loc = location
        switch s.style {
        case .plain, .any: loc.column += n - 1
        case .singleQuoted, .doubleQuoted: loc.column += n
        case .literal, .folded: break
        }
        return loc
    }
}

/// A checked YAML mapping: known keys only, no duplicates.
struct YAMLMapping {
    let location: SourceLocation
    let entries: [(key: String, keyLocation: SourceLocation, value: YAMLValue)]

    subscript(_ key: String) -> YAMLValue? { entries.first(where: { $0.key == key })?.value }

    /// A key the schema requires (checked when the mapping was read).
    func required(_ key: String) -> YAMLValue { self[key]! }
}
