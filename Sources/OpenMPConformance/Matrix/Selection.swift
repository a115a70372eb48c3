import Foundation

extension Matrix {
    /// A filter over cells. Within one dimension the values are alternatives; across
    /// dimensions all must match. An empty dimension matches everything.
    ///
    /// Its text form, also read from `OMP_CONFORMANCE_SELECT` (because `swift test` cannot
    /// filter parameterized cases by tag), is comma-separated `key=value` terms:
    ///
    /// ```
    /// OMP_CONFORMANCE_SELECT='row=linux-cpu-training,profile=intel+llvm,env=unset'
    /// ```
    ///
    /// Keys: `id`, `row`, `claim`, `profile`, `env`, `ordering`, `import`, `tag`. `id` and `row`
    /// values may use `*` as a wildcard (`row=*@linux`).
    package struct Selection: Sendable, Hashable {
        package var ids: [String] = []
        package var rows: [String] = []
        package var claims: [String] = []
        package var profiles: [String] = []
        package var envModes: [Cell.EnvMode] = []
        package var orderings: [Cell.Ordering] = []
        package var imports: [Cell.ImportMeaning] = []
        package var tags: [String] = []

        /// The environment variable read by ``Matrix/selectFromEnvironment(_:)``.
        package static let environmentVariable = "OMP_CONFORMANCE_SELECT"
        package static let keys = ["id", "row", "claim", "profile", "env", "ordering", "import", "tag"]

        package init(ids: [String] = [], rows: [String] = [], claims: [String] = [], profiles: [String] = [],
                    envModes: [Cell.EnvMode] = [], orderings: [Cell.Ordering] = [], imports: [Cell.ImportMeaning] = [],
                    tags: [String] = []) {
            self.ids = ids; self.rows = rows; self.claims = claims; self.profiles = profiles
            self.envModes = envModes; self.orderings = orderings; self.imports = imports; self.tags = tags
        }

        package var isEmpty: Bool { terms.isEmpty }

        package func matches(_ cell: Cell) -> Bool {
            (ids.isEmpty || ids.contains { Matrix.glob($0, matches: cell.id) })
                && (rows.isEmpty || rows.contains { Matrix.glob($0, matches: cell.row) })
                && (claims.isEmpty || claims.contains { cell.claims.contains($0) })
                && (profiles.isEmpty || profiles.contains(cell.profile))
                && (envModes.isEmpty || envModes.contains(cell.envMode))
                && (orderings.isEmpty || orderings.contains(cell.ordering))
                && (imports.isEmpty || imports.contains(cell.importMeaning))
                && (tags.isEmpty || tags.contains { cell.tags.contains($0) })
        }

        /// The `key=value` terms, for the results file's `selection`; `[]` when everything is selected.
        package var terms: [String] {
            ids.map { "id=\($0)" } + rows.map { "row=\($0)" } + claims.map { "claim=\($0)" } + profiles.map { "profile=\($0)" }
                + envModes.map { "env=\($0.rawValue)" } + orderings.map { "ordering=\($0.rawValue)" }
                + imports.map { "import=\($0.rawValue)" } + tags.map { "tag=\($0)" }
        }

        struct Term { let key: String; let value: String; let column: Int }

        static func scan(_ text: String, source: String) throws(MatrixError) -> (Selection, [Term]) {
            var sel = Selection()
            var terms: [Term] = []
            var column = 1
            for piece in text.split(separator: ",", omittingEmptySubsequences: false) {
                defer { column += piece.unicodeScalars.count + 1 }
                let lead = piece.prefix(while: { $0 == " " }).unicodeScalars.count
                let t = piece.trimmingCharacters(in: .whitespaces)
                if t.isEmpty { continue }
                let at = column + lead
                func fail(_ m: String, _ c: Int = at) -> MatrixError { MatrixError(file: source, line: 1, column: c, message: m) }
                let kv = t.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
                guard kv.count == 2 else { throw fail("expected key=value, got '\(t)' (keys: \(keys.joined(separator: ", ")))") }
                let (k, v) = (kv[0].trimmingCharacters(in: .whitespaces), kv[1].trimmingCharacters(in: .whitespaces))
                let vcol = at + kv[0].unicodeScalars.count + 1
                guard !v.isEmpty else { throw fail("'\(k)=' needs a value", vcol) }
                switch k {
                case "id": sel.ids.append(v)
                case "row": sel.rows.append(v)
                case "claim": sel.claims.append(v)
                case "profile": sel.profiles.append(v)
                case "tag": sel.tags.append(v)
                case "env":
                    guard let e = Cell.EnvMode(rawValue: v) else {
                        throw fail("unknown env mode '\(v)' (expected one of: \(Cell.EnvMode.allCases.map(\.rawValue).joined(separator: ", ")))", vcol)
                    }
                    sel.envModes.append(e)
                case "ordering":
                    guard let o = Cell.Ordering(rawValue: v) else {
                        throw fail("unknown ordering '\(v)' (expected one of: \(Cell.Ordering.allCases.map(\.rawValue).joined(separator: ", ")))", vcol)
                    }
                    sel.orderings.append(o)
                case "import":
                    guard let i = Cell.ImportMeaning(rawValue: v) else {
                        throw fail("unknown import meaning '\(v)' (expected one of: \(Cell.ImportMeaning.allCases.map(\.rawValue).joined(separator: ", ")))", vcol)
                    }
                    sel.imports.append(i)
                default:
                    throw fail("unknown selection key '\(k)' (keys: \(keys.joined(separator: ", ")))")
                }
                terms.append(Term(key: k, value: v, column: vcol))
            }
            return (sel, terms)
        }
    }

    /// Parses a selection and checks every name against this matrix, so a typo fails loudly
    /// instead of selecting nothing.
    ///
    /// - Throws: ``MatrixError`` with `file` = `source`, line 1 and the column of the bad term.
    package func selection(parsing text: String, source: String = Selection.environmentVariable) throws(MatrixError) -> Selection {
        let (sel, terms) = try Selection.scan(text, source: source)
        let rowNames = Set(cells.map(\.row)), tagNames = Set(cells.flatMap(\.tags))
        for t in terms {
            func unknown(_ what: String, _ known: some Sequence<String>) -> MatrixError {
                MatrixError(file: source, line: 1, column: t.column,
                            message: "unknown \(what) '\(t.value)' (known: \(known.sorted().joined(separator: ", ")))")
            }
            switch t.key {
            case "id" where !cells.contains(where: { Matrix.glob(t.value, matches: $0.id) }):
                throw MatrixError(file: source, line: 1, column: t.column, message: "no cell id matches '\(t.value)'")
            case "row" where !rowNames.contains(where: { Matrix.glob(t.value, matches: $0) }): throw unknown("row", rowNames)
            case "claim" where !claims.contains(where: { $0.id == t.value }): throw unknown("claim", claims.map(\.id))
            case "profile" where !profiles.contains(where: { $0.id == t.value }): throw unknown("profile", profiles.map(\.id))
            case "tag" where !tagNames.contains(t.value): throw unknown("tag", tagNames)
            default: break
            }
        }
        return sel
    }

    /// The cells a selection picks, in matrix order.
    package func select(_ selection: Selection) -> [Cell] {
        cells.filter(selection.matches)
    }

    /// The cells matching every given dimension (an empty list matches anything).
    package func select(rows: [String] = [], claims: [String] = [], profiles: [String] = [],
                       envModes: [Cell.EnvMode] = [], tags: [String] = []) -> [Cell] {
        select(Selection(rows: rows, claims: claims, profiles: profiles, envModes: envModes, tags: tags))
    }

    /// The selection in `OMP_CONFORMANCE_SELECT` (everything when it is unset or empty).
    package func selectionFromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws(MatrixError) -> Selection {
        guard let text = environment[Selection.environmentVariable] else { return Selection() }
        return try selection(parsing: text)
    }

    /// The cells `OMP_CONFORMANCE_SELECT` picks (all cells when it is unset or empty).
    package func selectFromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws(MatrixError) -> [Cell] {
        select(try selectionFromEnvironment(environment))
    }
}
