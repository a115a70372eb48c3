import Foundation

/// Reads and writes the kit's versioned JSON documents (results files, baselines, merged
/// matrices): pretty-printed with sorted keys, decoded with errors that say `file:line:column`,
/// written atomically.
///
/// Nothing here knows what a results file contains beyond its top-level `schemaVersion`; the
/// ``ResultsFile`` conveniences only fix the type and the version.
package enum ResultsCodec {
    /// A value that cannot be written as JSON (for example a NaN duration), with where it sits.
    package struct EncodeError: Error, Sendable, Hashable, CustomStringConvertible {
        /// The coding path of the value, e.g. `results[2].durationSeconds`.
        package var path: String
        package var message: String
        package init(path: String, message: String) { self.path = path; self.message = message }
        package var description: String { "cannot encode the value at \(path): \(message)" }
    }

    // MARK: Encoding

    /// Pretty JSON, keys sorted, slashes unescaped, ending with a newline. Deterministic for
    /// equal values.
    /// - Throws: ``EncodeError`` when a value has no JSON form (non-finite numbers).
    package static func encode<T: Encodable>(_ value: T) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        do {
            var data = try encoder.encode(value)
            data.append(0x0A)
            return data
        } catch let error as EncodingError {
            switch error {
            case .invalidValue(let value, let context):
                throw EncodeError(path: JSONDocument.describe(context.codingPath),
                                  message: "\(value) has no JSON form (\(context.debugDescription))")
            @unknown default:
                throw EncodeError(path: "(unknown)", message: "\(error)")
            }
        }
    }

    // MARK: Decoding

    /// Decodes a matrix results file of a schema version this tool reads (through
    /// ``ResultsDocument/decode(_:file:expecting:)``, the one reader of results files).
    /// - Parameters:
    ///   - data: The file's bytes.
    ///   - file: The path or label used in error messages.
    /// - Throws: ``InputError`` for malformed JSON (with line:column), duplicate keys, another
    ///   schema version (naming both versions), a `kind` that contradicts the body, an atlas file,
    ///   or a wrong shape (with the coding path).
    package static func decode(_ data: Data, file: String) throws -> ResultsFile {
        try ResultsDocument.decode(data, file: file, expecting: .matrix).matrix(file: file)
    }

    /// Decodes any versioned document. The top level must be an object whose `schemaVersion`
    /// equals `schemaVersion` (skip the check with `nil`); it is checked before the rest, so a
    /// file from another version reports its version rather than the first field that moved.
    /// - Throws: ``InputError``.
    package static func decode<T: Decodable>(_ type: T.Type, from data: Data, file: String,
                                            schemaVersion expected: Int?) throws -> T {
        let document = try parse(data, file: file)
        if let expected { try checkVersion(document, file: file, expected: expected) }
        return try decodeChecked(type, document: document, data: data, file: file)
    }

    /// Reads and decodes a matrix results file; see ``decode(_:file:)``.
    /// - Throws: ``InputError`` (including when the file cannot be read).
    package static func read(_ url: URL) throws -> ResultsFile {
        try decode(try readData(url), file: url.path)
    }

    /// Reads and decodes any versioned document; see ``decode(_:from:file:schemaVersion:)``.
    /// - Throws: ``InputError``.
    package static func read<T: Decodable>(_ type: T.Type, from url: URL, schemaVersion: Int?) throws -> T {
        let data = try readData(url)
        return try decode(type, from: data, file: url.path, schemaVersion: schemaVersion)
    }

    /// The bytes of a file, or an ``InputError`` naming it.
    static func readData(_ url: URL) throws -> Data {
        let path = url.path
        var isDirectory: ObjCBool = false
        if !FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            throw InputError(file: path, message: "cannot read the file: no such file")
        }
        if isDirectory.boolValue {
            throw InputError(file: path, message: "cannot read the file: it is a directory")
        }
        // Read to the end with read(2): a FIFO, /dev/stdin or a pipe is read like a file (piped JSON),
        // and an error is the system's own (not Foundation's "permission" for anything it cannot map).
        do {
            return Data(try FileBytes.readAll(path: path, limit: 1 << 30, streams: true))
        } catch {
            throw InputError(file: path, message: "cannot read the file: \(error.reason)")
        }
    }

    /// Parses the JSON text with locations, refusing syntax errors and duplicate keys.
    /// `duplicateMessage` words the duplicate-key error (default: the generic message).
    static func parse(_ data: Data, file: String,
                      duplicateMessage: ((JSONDocument.DuplicateKey, (line: Int, column: Int)) -> String)? = nil) throws -> JSONDocument {
        let document: JSONDocument
        do {
            document = try JSONDocument(data: data)
        } catch {
            let (line, column) = JSONDocument.lineColumn(at: error.offset, in: [UInt8](data))
            throw InputError(file: file, line: line, column: column, message: "malformed JSON: \(error.message)")
        }
        if let dup = document.firstDuplicateKey() {
            let first = document.lineColumn(at: dup.firstOffset)
            throw document.error(file: file, at: dup.secondOffset, duplicateMessage?(dup, first)
                ?? "duplicate key \"\(dup.key)\" in \(dup.objectPath) (first at line \(first.line), column \(first.column)); JSON readers would silently keep only one")
        }
        return document
    }

    static func checkVersion(_ document: JSONDocument, file: String, expected: Int) throws {
        try checkVersion(document, file: file, readable: expected...expected)
    }

    static func checkVersion(_ document: JSONDocument, file: String, readable: ClosedRange<Int>) throws {
        let expected = readable.count == 1 ? "\(readable.lowerBound)" : "\(readable.lowerBound) to \(readable.upperBound)"

        guard case .object = document.root.value else {
            throw document.error(file: file, at: document.root.offset,
                                 "expected a JSON object at the top level, found \(document.root.typeName)")
        }
        guard let member = document.root.member("schemaVersion") else {
            throw document.error(file: file, at: document.root.offset,
                                 "missing \"schemaVersion\"; this tool reads schema \(expected)")
        }
        guard case .number(let v) = member.value.value, v.rounded() == v, abs(v) < 1e15 else {
            throw document.error(file: file, at: member.value.offset,
                                 "\"schemaVersion\" must be an integer, found \(member.value.typeName)")
        }
        let version = Int(v)
        if !readable.contains(version) {
            throw document.error(file: file, at: member.value.offset,
                                 "written by schema \(version), this tool reads \(expected)")
        }
    }

    static func decodeChecked<T: Decodable>(_ type: T.Type, document: JSONDocument, data: Data, file: String) throws -> T {
        do {
            return try JSONDecoder().decode(type, from: data)
        } catch let error as DecodingError {
            throw inputError(for: error, document: document, file: file)
        }
    }

    /// Turns a `DecodingError` into a located ``InputError`` with the coding path.
    static func inputError(for error: DecodingError, document: JSONDocument, file: String) -> InputError {
        func located(_ path: [any CodingKey], _ message: String) -> InputError {
            let (node, _) = document.node(at: path)
            return document.error(file: file, at: node.offset, message)
        }
        switch error {
        case .keyNotFound(let key, let context):
            let container = JSONDocument.describe(context.codingPath)
            return located(context.codingPath, "missing key \"\(key.stringValue)\" in \(container)")
        case .typeMismatch(let type, let context):
            let (node, matched) = document.node(at: context.codingPath)
            let found = matched == context.codingPath.count ? ", found \(node.typeName)" : ""
            return document.error(file: file, at: node.offset,
                                  "at \(JSONDocument.describe(context.codingPath)): expected \(describe(type))\(found)")
        case .valueNotFound(let type, let context):
            return located(context.codingPath,
                           "at \(JSONDocument.describe(context.codingPath)): expected \(describe(type)), found null")
        case .dataCorrupted(let context):
            let (node, matched) = document.node(at: context.codingPath)
            var message = "at \(JSONDocument.describe(context.codingPath)): \(context.debugDescription)"
            if matched == context.codingPath.count, case .string(let s) = node.value {
                message += " (the file says \"\(s)\")"
            }
            if context.codingPath.isEmpty, let located = locateDecoderMessage(context, document: document, file: file) {
                return located
            }
            return document.error(file: file, at: node.offset, message)
        @unknown default:
            return InputError(file: file, message: "\(error)")
        }
    }

    /// If `JSONDecoder` rejected text our own parser accepted, take the location from its
    /// message: newer Foundation says `line N, column M`, older says `character N` (a byte offset).
    static func locateDecoderMessage(_ context: DecodingError.Context, document: JSONDocument, file: String) -> InputError? {
        var text = context.debugDescription
        if let underlying = context.underlyingError { text += " " + String(describing: underlying) }
        func number(after word: String) -> Int? {
            guard let r = text.range(of: word) else { return nil }
            let digits = text[r.upperBound...].drop { $0 == " " }.prefix { $0.isNumber }
            return Int(digits)
        }
        if let line = number(after: "line "), let column = number(after: "column ") {
            return InputError(file: file, line: line, column: column, message: "malformed JSON: \(context.debugDescription)")
        }
        if let offset = number(after: "character ") ?? number(after: "offset ") {
            let (line, column) = document.lineColumn(at: offset)
            return InputError(file: file, line: line, column: column, message: "malformed JSON: \(context.debugDescription)")
        }
        return nil
    }

    static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "a string"
        case is Bool.Type: return "a boolean"
        case is Int.Type, is Int32.Type, is Int64.Type, is UInt.Type: return "an integer"
        case is Double.Type, is Float.Type: return "a number"
        default:
            let name = String(describing: type)
            if name.hasPrefix("Array<") { return "an array" }
            if name.hasPrefix("Dictionary<") { return "an object" }
            return name
        }
    }

    // MARK: Writing

    /// Encodes and writes a value atomically (see `AtomicFile/write(_:to:)`).
    /// - Throws: ``FileWriteError``; the earlier file at `url`, if any, is untouched.
    package static func write<T: Encodable>(_ value: T, to url: URL) throws {
        let data: Data
        do {
            data = try encode(value)
        } catch let error as EncodeError {
            throw FileWriteError(path: url.path, operation: "encode the document", reason: error.description)
        }
        try AtomicFile.write(data, to: url)
    }
}
