import Foundation

/// A JSON Schema (draft 2020-12) validator for the subset the kit's schemas use: `type` (a name
/// or an array of names, so `["string", "null"]` makes a field nullable), `required`,
/// `properties`, `additionalProperties` (boolean or schema), `items`, `enum`, `minimum`, and
/// `$ref` to `#/$defs/<name>`. `$schema`, `$id`, `title`, `description` and `$comment` are
/// annotations. Any other keyword is refused when the schema is loaded, so a schema can never
/// ask for a check this validator would silently skip.
public struct SchemaValidator: Sendable {
    /// One way an instance fails the schema.
    public struct Violation: Sendable, Hashable, CustomStringConvertible {
        /// JSON Pointer to the failing value, e.g. `/results/0/outcome` (empty for the root).
        public var instancePath: String
        /// Where the failing keyword sits in the schema, e.g. `#/$defs/CellResult/properties/outcome/enum`.
        public var schemaPath: String
        public var message: String
        /// 1-based position of the failing value in the instance text.
        public var line: Int
        public var column: Int

        /// `line:column: /pointer: message (schema: path)`.
        public var description: String {
            "\(line):\(column): \(instancePath.isEmpty ? "(root)" : instancePath): \(message) (schema: \(schemaPath))"
        }
    }

    private let root: Schema
    private let definitions: [String: Schema]

    /// Loads a schema.
    /// - Throws: ``InputError`` for malformed JSON, an unsupported keyword, a `$ref` that is not
    ///   `#/$defs/<name>` or names no definition, or a keyword with a value of the wrong type.
    public init(schema data: Data, file: String = "schema") throws {
        let document = try ResultsCodec.parse(data, file: file)
        var compiler = Compiler(document: document, file: file)
        let root = try compiler.compile(document.root, path: "#", isRoot: true)
        var definitions: [String: Schema] = [:]
        if let defs = document.root.member("$defs") {
            guard case .object(let members) = defs.value.value else {
                throw document.error(file: file, at: defs.value.offset, "\"$defs\" must be an object")
            }
            for member in members {
                definitions[member.key] = try compiler.compile(member.value, path: "#/$defs/\(member.key)", isRoot: false)
            }
        }
        for (ref, offset) in compiler.references {
            let name = String(ref.dropFirst("#/$defs/".count))
            if definitions[name] == nil {
                throw document.error(file: file, at: offset, "$ref \"\(ref)\" names no definition in $defs")
            }
        }
        self.root = root
        self.definitions = definitions
    }

    /// The results-file schema shipped with the library (`Resources/results.schema.json`).
    /// - Throws: ``InputError`` if the resource is missing or unreadable.
    public static func resultsSchema() throws -> SchemaValidator {
        guard let url = resultsSchemaURL else {
            throw InputError(file: "results.schema.json", message: "the schema resource is missing from the bundle")
        }
        return try SchemaValidator(schema: try ResultsCodec.readData(url), file: url.path)
    }

    /// Where the shipped results schema lives in the resource bundle.
    public static var resultsSchemaURL: URL? {
        Bundle.module.url(forResource: "results.schema", withExtension: "json")
    }

    /// Validates a JSON text. An empty array means it conforms.
    /// - Throws: ``InputError`` if the text is not JSON (or has duplicate keys).
    public func validate(_ data: Data, file: String = "instance") throws -> [Violation] {
        let document = try ResultsCodec.parse(data, file: file)
        var out: [Violation] = []
        check(document.root, against: root, pointer: "", document: document, into: &out)
        return out
    }

    // MARK: Checking

    private func check(_ node: JSONDocument.Node, against schema: Schema, pointer: String,
                       document: JSONDocument, into out: inout [Violation]) {
        func fail(_ keyword: String, _ message: String, at offset: Int? = nil) {
            let (line, column) = document.lineColumn(at: offset ?? node.offset)
            out.append(Violation(instancePath: pointer, schemaPath: schema.path + "/" + keyword,
                                 message: message, line: line, column: column))
        }

        if let ref = schema.ref, let target = definitions[String(ref.dropFirst("#/$defs/".count))] {
            check(node, against: target, pointer: pointer, document: document, into: &out)
        }
        if let types = schema.types {
            let actual = node.typeName
            let ok = types.contains(actual) || (actual == "integer" && types.contains("number"))
            if !ok {
                fail("type", "expected \(types.sorted().joined(separator: " or ")), found \(actual)")
                return  // the other keywords would only repeat the same problem
            }
        }
        if let allowed = schema.enumValues, !allowed.contains(where: { Self.equal($0, node) }) {
            let list = allowed.map(Self.render).joined(separator: ", ")
            fail("enum", "\(Self.render(node)) is not one of: \(list)")
        }
        if let minimum = schema.minimum, case .number(let v) = node.value, v < minimum {
            fail("minimum", "\(Self.render(node)) is less than the minimum \(Self.format(minimum))")
        }
        switch node.value {
        case .object(let members):
            let present = Set(members.map(\.key))
            for name in schema.required where !present.contains(name) {
                fail("required", "missing required property \"\(name)\"")
            }
            for member in members {
                let childPointer = pointer + "/" + Self.escapePointer(member.key)
                if let property = schema.properties[member.key] {
                    check(member.value, against: property, pointer: childPointer, document: document, into: &out)
                    continue
                }
                switch schema.additionalProperties {
                case .allowed:
                    break
                case .forbidden:
                    let (line, column) = document.lineColumn(at: member.keyOffset)
                    out.append(Violation(instancePath: childPointer, schemaPath: schema.path + "/additionalProperties",
                                         message: "unexpected property \"\(member.key)\"", line: line, column: column))
                case .schema(let extra):
                    check(member.value, against: extra, pointer: childPointer, document: document, into: &out)
                }
            }
        case .array(let items):
            if let itemSchema = schema.items {
                for (i, item) in items.enumerated() {
                    check(item, against: itemSchema, pointer: pointer + "/\(i)", document: document, into: &out)
                }
            }
        default:
            break
        }
    }

    static func escapePointer(_ s: String) -> String {
        s.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
    }

    static func equal(_ a: JSONDocument.Node, _ b: JSONDocument.Node) -> Bool {
        switch (a.value, b.value) {
        case (.null, .null): return true
        case (.bool(let x), .bool(let y)): return x == y
        case (.number(let x), .number(let y)): return x == y
        case (.string(let x), .string(let y)): return x == y
        case (.array(let x), .array(let y)):
            return x.count == y.count && zip(x, y).allSatisfy { equal($0, $1) }
        case (.object(let x), .object(let y)):
            guard x.count == y.count else { return false }
            return x.allSatisfy { m in y.contains { $0.key == m.key && equal($0.value, m.value) } }
        default: return false
        }
    }

    static func format(_ d: Double) -> String {
        d.rounded() == d && abs(d) < 1e15 ? String(Int64(d)) : String(d)
    }

    /// A short rendering of a value for messages.
    static func render(_ node: JSONDocument.Node) -> String {
        switch node.value {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .number(let d): return format(d)
        case .string(let s):
            let short = s.count > 60 ? String(s.prefix(60)) + "…" : s
            return "\"" + short.replacingOccurrences(of: "\"", with: "\\\"") + "\""
        case .array(let items): return "an array of \(items.count)"
        case .object(let members): return "an object with \(members.count) properties"
        }
    }
}

// MARK: - Compiled schema

extension SchemaValidator {
    fileprivate enum Additional: Sendable {
        case allowed, forbidden
        case schema(Schema)
    }

    fileprivate final class Schema: Sendable {
        let path: String
        let types: Set<String>?
        let required: [String]
        let properties: [String: Schema]
        let additionalProperties: Additional
        let items: Schema?
        let enumValues: [JSONDocument.Node]?
        let minimum: Double?
        let ref: String?

        init(path: String, types: Set<String>?, required: [String], properties: [String: Schema],
             additionalProperties: Additional, items: Schema?, enumValues: [JSONDocument.Node]?,
             minimum: Double?, ref: String?) {
            self.path = path; self.types = types; self.required = required; self.properties = properties
            self.additionalProperties = additionalProperties; self.items = items; self.enumValues = enumValues
            self.minimum = minimum; self.ref = ref
        }
    }

    fileprivate struct Compiler {
        let document: JSONDocument
        let file: String
        var references: [(String, Int)] = []

        static let annotations: Set<String> = ["$schema", "$id", "title", "description", "$comment"]
        static let typeNames: Set<String> = ["object", "array", "string", "number", "integer", "boolean", "null"]

        init(document: JSONDocument, file: String) { self.document = document; self.file = file }

        func error(_ node: JSONDocument.Node, _ message: String) -> InputError {
            document.error(file: file, at: node.offset, message)
        }

        mutating func compile(_ node: JSONDocument.Node, path: String, isRoot: Bool) throws -> Schema {
            guard case .object(let members) = node.value else {
                throw error(node, "schema at \(path) must be an object")
            }
            var types: Set<String>?
            var required: [String] = []
            var properties: [String: Schema] = [:]
            var additional = Additional.allowed
            var items: Schema?
            var enumValues: [JSONDocument.Node]?
            var minimum: Double?
            var ref: String?

            for member in members {
                let value = member.value
                let here = path + "/" + member.key
                switch member.key {
                case _ where Self.annotations.contains(member.key):
                    continue
                case "$defs":
                    guard isRoot else { throw error(value, "$defs is only supported at the root (found at \(path))") }
                case "type":
                    var names: [String] = []
                    switch value.value {
                    case .string(let s): names = [s]
                    case .array(let list):
                        for item in list {
                            guard case .string(let s) = item.value else { throw error(item, "\(here) must list type names") }
                            names.append(s)
                        }
                    default: throw error(value, "\(here) must be a type name or an array of them")
                    }
                    for name in names where !Self.typeNames.contains(name) {
                        throw error(value, "unknown type \"\(name)\" at \(here)")
                    }
                    types = Set(names)
                case "required":
                    guard case .array(let list) = value.value else { throw error(value, "\(here) must be an array") }
                    for item in list {
                        guard case .string(let s) = item.value else { throw error(item, "\(here) must list property names") }
                        required.append(s)
                    }
                case "properties":
                    guard case .object(let props) = value.value else { throw error(value, "\(here) must be an object") }
                    for prop in props {
                        properties[prop.key] = try compile(prop.value, path: here + "/" + prop.key, isRoot: false)
                    }
                case "additionalProperties":
                    switch value.value {
                    case .bool(let b): additional = b ? .allowed : .forbidden
                    case .object: additional = .schema(try compile(value, path: here, isRoot: false))
                    default: throw error(value, "\(here) must be a boolean or a schema")
                    }
                case "items":
                    items = try compile(value, path: here, isRoot: false)
                case "enum":
                    guard case .array(let list) = value.value, !list.isEmpty else {
                        throw error(value, "\(here) must be a non-empty array")
                    }
                    enumValues = list
                case "minimum":
                    guard case .number(let d) = value.value else { throw error(value, "\(here) must be a number") }
                    minimum = d
                case "$ref":
                    guard case .string(let s) = value.value else { throw error(value, "\(here) must be a string") }
                    let prefix = "#/$defs/"
                    guard s.hasPrefix(prefix), s.count > prefix.count, !s.dropFirst(prefix.count).contains("/") else {
                        throw error(value, "unsupported $ref \"\(s)\" at \(path): only #/$defs/<name> is supported")
                    }
                    references.append((s, value.offset))
                    ref = s
                default:
                    throw document.error(file: file, at: member.keyOffset,
                                         "unsupported keyword \"\(member.key)\" at \(path); this validator supports type, required, properties, additionalProperties, items, enum, minimum, $ref and $defs")
                }
            }
            return Schema(path: path, types: types, required: required, properties: properties,
                          additionalProperties: additional, items: items, enumValues: enumValues,
                          minimum: minimum, ref: ref)
        }
    }
}
