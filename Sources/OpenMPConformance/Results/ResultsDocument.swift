import Foundation

/// Any results file this tool reads, as the body its `kind` names: the matrix results of
/// `omp-matrix run` (``ResultsFile``) or an atlas of `omp-matrix atlas` (``AtlasResults``).
///
/// Both kinds are one format. One envelope (`kind`, `schemaVersion`, `tool`, `partial`,
/// `startedAt`, `finishedAt`, `host`, `environment`) opens every file, and one schema version
/// numbers both kinds: ``currentSchemaVersion``. `Resources/results.schema.json` describes both,
/// told apart by `kind`.
///
/// Version history (what ``decode(_:file:expecting:)`` reads):
/// - matrix 1; 2 adds the answer, wheels and the claims' states; 3 adds what ran in each probe.
/// - atlas 1; 2 adds how many runtimes ran in each observation.
/// - 4, both kinds: the `kind` field (`"matrix"` or `"atlas"`), required from this version on.
///   The bodies are those of matrix 3 and atlas 2.
///
/// Files older than 4 carry no `kind`; their kind is told from their content (`results` and
/// `selection` arrays: matrix; `cells` and `runtimes` arrays: atlas), as before. A file of a newer
/// version fails naming its version and the ones read here; a file whose `kind` contradicts its
/// body fails at its `kind` (file:line:column).
package enum ResultsDocument: Sendable, Hashable {
    case matrix(ResultsFile)
    case atlas(AtlasResults)

    /// The version both kinds are written with.
    package static let currentSchemaVersion = 4

    /// The versions read for a kind: those from before `kind` (matrix 1 to 3, atlas 1 and 2), then 4.
    package static func readableVersions(_ kind: ResultsKind) -> [Int] {
        switch kind {
        case .matrix: [1, 2, 3, 4]
        case .atlas: [1, 2, 4]
        }
    }

    /// "1 to 4 (matrix results 1 to 4, atlas 1, 2 and 4)": what this tool reads, in error messages.
    package static var readableWords: String {
        "1 to \(currentSchemaVersion) (matrix results \(words(readableVersions(.matrix))), atlas \(words(readableVersions(.atlas))))"
    }

    /// "1 to 4" for a run of versions, "1, 2 and 4" otherwise.
    static func words(_ versions: [Int]) -> String {
        guard let first = versions.first, let last = versions.last else { return "none" }
        if versions == Array(first...last) { return versions.count == 1 ? "\(first)" : "\(first) to \(last)" }
        return versions.dropLast().map(String.init).joined(separator: ", ") + " and \(last)"
    }

    /// The kind of the body.
    package var kind: ResultsKind {
        switch self {
        case .matrix: .matrix
        case .atlas: .atlas
        }
    }

    // MARK: Reading

    /// Reads any results file.
    /// - Parameter expecting: The kind the caller reads; used only for a file older than 4 whose
    ///   content names no kind, so that its errors say which field of that kind is missing.
    /// - Throws: ``InputError`` naming the file (and line:column where the JSON says it).
    package static func read(_ url: URL, expecting: ResultsKind? = nil) throws -> ResultsDocument {
        try decode(try ResultsCodec.readData(url), file: url.path, expecting: expecting)
    }

    /// Decodes any results file: the JSON is parsed (syntax errors and duplicate keys refused with
    /// their line and column), its version and kind checked before anything else, then its body
    /// decoded (an atlas also validated, ``AtlasCodec/validate(_:file:)``). The body's `kind` is
    /// set, also for a file older than 4.
    /// - Throws: ``InputError``.
    package static func decode(_ data: Data, file: String, expecting: ResultsKind? = nil) throws -> ResultsDocument {
        let document = try ResultsCodec.parse(data, file: file)
        switch try kind(of: document, file: file, expecting: expecting) {
        case .matrix:
            var r = try ResultsCodec.decodeChecked(ResultsFile.self, document: document, data: data, file: file)
            r.kind = .matrix
            return .matrix(r)
        case .atlas:
            var a = try ResultsCodec.decodeChecked(AtlasResults.self, document: document, data: data, file: file)
            try AtlasCodec.validate(a, file: file)
            a.kind = .atlas
            return .atlas(a)
        }
    }

    /// The kind of a parsed results file, after checking its envelope's `schemaVersion` and `kind`.
    /// - Throws: ``InputError`` located at the offending value.
    static func kind(of document: JSONDocument, file: String, expecting: ResultsKind?) throws -> ResultsKind {
        let root = document.root
        guard case .object = root.value else {
            throw document.error(file: file, at: root.offset, "expected a JSON object at the top level, found \(root.typeName)")
        }
        guard let versionMember = root.member("schemaVersion") else {
            throw document.error(file: file, at: root.offset, "missing \"schemaVersion\"; this tool reads results files of schema \(readableWords)")
        }
        let versionNode = versionMember.value
        guard case .number(let v) = versionNode.value, v.rounded() == v, abs(v) < 1e15 else {
            throw document.error(file: file, at: versionNode.offset, "\"schemaVersion\" must be an integer, found \(versionNode.typeName)")
        }
        let version = Int(v)
        guard (1...currentSchemaVersion).contains(version) else {
            throw document.error(file: file, at: versionNode.offset, "written by schema \(version), this tool reads \(readableWords)")
        }
        let body = contentKind(root)
        let kind: ResultsKind
        if let member = root.member("kind") {
            guard case .string(let s) = member.value.value, let declared = ResultsKind(rawValue: s) else {
                let found = if case .string(let s) = member.value.value { "\"\(s)\"" } else { member.value.typeName }
                throw document.error(file: file, at: member.value.offset, "\"kind\" must be \"matrix\" or \"atlas\", found \(found)")
            }
            if let body, body != declared {
                throw document.error(file: file, at: member.value.offset,
                                     "\"kind\" says \(declared.rawValue), but the file holds \(body.contents)")
            }
            kind = declared
        } else {
            if version >= currentSchemaVersion {
                throw document.error(file: file, at: root.offset,
                                     "missing \"kind\" (\"matrix\" or \"atlas\"): results files of schema \(currentSchemaVersion) name their kind")
            }
            guard let told = body ?? expecting else {
                throw document.error(file: file, at: root.offset,
                                     "not a results file: no \"kind\", and neither \(ResultsKind.matrix.contents) nor \(ResultsKind.atlas.contents)")
            }
            kind = told
        }
        guard readableVersions(kind).contains(version) else {
            throw document.error(file: file, at: versionNode.offset,
                                 "\(kind.noun) of schema \(version) do not exist: this tool reads \(kind.noun) of schema \(words(readableVersions(kind)))")
        }
        return kind
    }

    /// The kind a file's top level shows: `results` and `selection` arrays (matrix), `cells` and
    /// `runtimes` arrays (atlas), or nil.
    static func contentKind(_ root: JSONDocument.Node) -> ResultsKind? {
        func isArray(_ key: String) -> Bool {
            if case .array? = root.member(key)?.value.value { return true }
            return false
        }
        if isArray("results") && isArray("selection") { return .matrix }
        if isArray("cells") && isArray("runtimes") { return .atlas }
        return nil
    }

    // MARK: One kind

    /// The matrix results, or an ``InputError`` naming the file when it is an atlas.
    /// - Parameter use: Who reads it and what it takes, to end the message with.
    package func matrix(file: String, use: String = "this command reads matrix results files (of `omp-matrix run`)") throws -> ResultsFile {
        switch self {
        case .matrix(let r): return r
        case .atlas: throw InputError(file: file, message: "an atlas results file (kind \"atlas\", of `omp-matrix atlas`); \(use)")
        }
    }

    /// The atlas, or an ``InputError`` naming the file when it is matrix results.
    /// - Parameter use: Who reads it and what it takes, to end the message with.
    package func atlas(file: String, use: String = "this reads atlas files (of `omp-matrix atlas`, or Matrices/atlas/<host key>.json)") throws -> AtlasResults {
        switch self {
        case .atlas(let a): return a
        case .matrix: throw InputError(file: file, message: "a matrix results file (kind \"matrix\", of `omp-matrix run`), not an atlas; \(use)")
        }
    }

    // MARK: Writing

    /// The body as this tool writes it: the current schema version and its kind.
    package var current: ResultsDocument {
        switch self {
        case .matrix(var r): r.schemaVersion = Self.currentSchemaVersion; r.kind = .matrix; return .matrix(r)
        case .atlas(var a): a.schemaVersion = Self.currentSchemaVersion; a.kind = .atlas; return .atlas(a)
        }
    }

    /// The JSON text of the body (``ResultsCodec/encode(_:)``).
    /// - Throws: ``ResultsCodec/EncodeError``.
    package func encoded() throws -> Data {
        switch self {
        case .matrix(let r): try ResultsCodec.encode(r)
        case .atlas(let a): try ResultsCodec.encode(a)
        }
    }
}

extension ResultsKind {
    /// What the content of this kind holds, in messages.
    var contents: String {
        switch self {
        case .matrix: "matrix results (\"results\" and \"selection\" arrays)"
        case .atlas: "an atlas (\"cells\" and \"runtimes\" arrays)"
        }
    }

    /// "matrix results files", "atlas files".
    var noun: String {
        switch self {
        case .matrix: "matrix results files"
        case .atlas: "atlas files"
        }
    }
}
