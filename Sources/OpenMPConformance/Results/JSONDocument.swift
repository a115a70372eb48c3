import Foundation

/// A parsed JSON text that remembers where every value and key sits, so that errors can say
/// `line:column` and so that things `JSONDecoder` hides (duplicate keys, integer vs. number)
/// can be checked. Used by ``ResultsCodec`` and the baseline reader.
///
/// Strict RFC 8259: no comments, no trailing commas, no control characters in strings, valid
/// UTF-8, no lone surrogates. An optional UTF-8 byte-order mark is skipped.
struct JSONDocument: Sendable {
    /// A value and the byte offset where it starts.
    struct Node: Sendable {
        enum Value: Sendable {
            /// Members in file order; duplicates are kept (see ``JSONDocument/firstDuplicateKey()``).
            case object([Member])
            case array([Node])
            case string(String)
            case number(Double)
            case bool(Bool)
            case null
        }
        var value: Value
        var offset: Int

        /// The last member with this key (what `JSONDecoder` would see), if any.
        func member(_ key: String) -> Member? {
            guard case .object(let members) = value else { return nil }
            return members.last { $0.key == key }
        }

        /// The JSON type name, as JSON Schema spells it.
        var typeName: String {
            switch value {
            case .object: "object"
            case .array: "array"
            case .string: "string"
            case .number(let d): d.rounded() == d && d.isFinite ? "integer" : "number"
            case .bool: "boolean"
            case .null: "null"
            }
        }
    }

    struct Member: Sendable {
        var key: String
        var keyOffset: Int
        var value: Node
    }

    /// A syntax error at a byte offset.
    struct SyntaxError: Error, Sendable {
        var offset: Int
        var message: String
    }

    let bytes: [UInt8]
    let root: Node

    init(data: Data) throws(SyntaxError) {
        let bytes = [UInt8](data)
        self.bytes = bytes
        var parser = Parser(bytes: bytes)
        self.root = try parser.parseDocument()
    }

    // MARK: Locations

    /// 1-based line and column (in Unicode scalars) of a byte offset. Offsets past the end
    /// point just after the last character.
    func lineColumn(at offset: Int) -> (line: Int, column: Int) {
        JSONDocument.lineColumn(at: offset, in: bytes)
    }

    /// 1-based line and column (in Unicode scalars) of a byte offset in UTF-8 text.
    static func lineColumn(at offset: Int, in bytes: [UInt8]) -> (line: Int, column: Int) {
        var line = 1, column = 1
        let end = min(max(offset, 0), bytes.count)
        var i = 0
        while i < end {
            let b = bytes[i]
            if b == UInt8(ascii: "\n") {
                line += 1; column = 1
            } else if b & 0xC0 != 0x80 {  // not a UTF-8 continuation byte
                column += 1
            }
            i += 1
        }
        return (line, column)
    }

    /// An ``InputError`` for a byte offset in this document.
    func error(file: String, at offset: Int, _ message: String) -> InputError {
        let (line, column) = lineColumn(at: offset)
        return InputError(file: file, line: line, column: column, message: message)
    }

    // MARK: Coding paths

    /// The deepest node reached by following a `Codable` coding path, and how many keys of the
    /// path were matched.
    func node(at path: [any CodingKey]) -> (node: Node, matched: Int) {
        var current = root
        var matched = 0
        for key in path {
            switch current.value {
            case .object:
                guard let m = current.member(key.stringValue) else { return (current, matched) }
                current = m.value
            case .array(let items):
                guard let i = key.intValue, items.indices.contains(i) else { return (current, matched) }
                current = items[i]
            default:
                return (current, matched)
            }
            matched += 1
        }
        return (current, matched)
    }

    /// A coding path written the way a person would: `results[3].probe.outcome`.
    static func describe(_ path: [any CodingKey]) -> String {
        var out = ""
        for key in path {
            if let i = key.intValue, key.stringValue == "Index \(i)" || key.stringValue == "\(i)" {
                out += "[\(i)]"
            } else {
                if !out.isEmpty { out += "." }
                out += key.stringValue
            }
        }
        return out.isEmpty ? "(top level)" : out
    }

    // MARK: Duplicate keys

    /// A key that appears twice in one object.
    struct DuplicateKey: Sendable {
        var key: String
        /// Path of the object holding the key, e.g. `cells`.
        var objectPath: String
        var firstOffset: Int
        var secondOffset: Int
    }

    /// The first duplicate key in document order, if any. `JSONDecoder` keeps one of the two
    /// silently; we refuse instead.
    func firstDuplicateKey() -> DuplicateKey? {
        func walk(_ node: Node, _ path: String) -> DuplicateKey? {
            switch node.value {
            case .object(let members):
                var seen: [String: Int] = [:]
                for m in members {
                    if let first = seen[m.key] {
                        return DuplicateKey(key: m.key, objectPath: path.isEmpty ? "(top level)" : path,
                                            firstOffset: first, secondOffset: m.keyOffset)
                    }
                    seen[m.key] = m.keyOffset
                }
                for m in members {
                    if let d = walk(m.value, path.isEmpty ? m.key : path + "." + m.key) { return d }
                }
            case .array(let items):
                for (i, item) in items.enumerated() {
                    if let d = walk(item, path + "[\(i)]") { return d }
                }
            default:
                break
            }
            return nil
        }
        return walk(root, "")
    }
}

// MARK: - Parser

extension JSONDocument {
    fileprivate struct Parser {
        let bytes: [UInt8]
        var i = 0
        var depth = 0
        static let maxDepth = 512

        init(bytes: [UInt8]) { self.bytes = bytes }

        mutating func parseDocument() throws(SyntaxError) -> Node {
            if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { i = 3 }
            skipWhitespace()
            if i >= bytes.count {
                throw SyntaxError(offset: i, message: "the file is empty: expected a JSON value")
            }
            let node = try parseValue()
            skipWhitespace()
            if i < bytes.count {
                throw SyntaxError(offset: i, message: "unexpected \(describeByte(at: i)) after the end of the JSON value")
            }
            return node
        }

        mutating func skipWhitespace() {
            while i < bytes.count {
                switch bytes[i] {
                case 0x20, 0x09, 0x0A, 0x0D: i += 1
                default: return
                }
            }
        }

        func describeByte(at offset: Int) -> String {
            guard offset < bytes.count else { return "end of file" }
            let b = bytes[offset]
            if b >= 0x21 && b < 0x7F { return "character '\(Character(UnicodeScalar(b)))'" }
            if b == 0x0A || b == 0x0D { return "line break" }
            if b == 0x09 { return "tab" }
            if b < 0x20 || b == 0x7F { return String(format: "control character 0x%02X", b) }
            if b == 0x20 { return "space" }
            // Decode the scalar for a readable message.
            var end = offset + 1
            while end < bytes.count, bytes[end] & 0xC0 == 0x80, end - offset < 4 { end += 1 }
            if let s = String(bytes: bytes[offset..<end], encoding: .utf8) { return "character '\(s)'" }
            return String(format: "byte 0x%02X (not UTF-8)", b)
        }

        func truncated(_ what: String) -> SyntaxError {
            SyntaxError(offset: bytes.count, message: "unexpected end of file \(what) (the file looks truncated)")
        }

        mutating func parseValue() throws(SyntaxError) -> Node {
            guard i < bytes.count else { throw truncated("where a value was expected") }
            let start = i
            switch bytes[i] {
            case UInt8(ascii: "{"): return try parseObject()
            case UInt8(ascii: "["): return try parseArray()
            case UInt8(ascii: "\""): return Node(value: .string(try parseString()), offset: start)
            case UInt8(ascii: "t"): try literal("true"); return Node(value: .bool(true), offset: start)
            case UInt8(ascii: "f"): try literal("false"); return Node(value: .bool(false), offset: start)
            case UInt8(ascii: "n"): try literal("null"); return Node(value: .null, offset: start)
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
            default:
                throw SyntaxError(offset: i, message: "unexpected \(describeByte(at: i)): expected a JSON value")
            }
        }

        mutating func literal(_ word: String) throws(SyntaxError) {
            for (k, b) in word.utf8.enumerated() {
                guard i + k < bytes.count else { throw truncated("inside '\(word)'") }
                guard bytes[i + k] == b else {
                    throw SyntaxError(offset: i + k, message: "unexpected \(describeByte(at: i + k)): expected '\(word)'")
                }
            }
            i += word.utf8.count
        }

        mutating func enter() throws(SyntaxError) {
            depth += 1
            if depth > Parser.maxDepth {
                throw SyntaxError(offset: i, message: "nesting deeper than \(Parser.maxDepth) levels")
            }
        }

        mutating func parseObject() throws(SyntaxError) -> Node {
            let start = i
            try enter()
            i += 1
            var members: [Member] = []
            skipWhitespace()
            guard i < bytes.count else { throw truncated("inside an object") }
            if bytes[i] == UInt8(ascii: "}") {
                i += 1; depth -= 1
                return Node(value: .object(members), offset: start)
            }
            while true {
                skipWhitespace()
                guard i < bytes.count else { throw truncated("inside an object") }
                guard bytes[i] == UInt8(ascii: "\"") else {
                    throw SyntaxError(offset: i, message: "unexpected \(describeByte(at: i)): expected a quoted key")
                }
                let keyOffset = i
                let key = try parseString()
                skipWhitespace()
                guard i < bytes.count else { throw truncated("after the key \"\(key)\"") }
                guard bytes[i] == UInt8(ascii: ":") else {
                    throw SyntaxError(offset: i, message: "unexpected \(describeByte(at: i)): expected ':' after the key \"\(key)\"")
                }
                i += 1
                skipWhitespace()
                let value = try parseValue()
                members.append(Member(key: key, keyOffset: keyOffset, value: value))
                skipWhitespace()
                guard i < bytes.count else { throw truncated("inside an object") }
                if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                if bytes[i] == UInt8(ascii: "}") { i += 1; break }
                throw SyntaxError(offset: i, message: "unexpected \(describeByte(at: i)): expected ',' or '}' in an object")
            }
            depth -= 1
            return Node(value: .object(members), offset: start)
        }

        mutating func parseArray() throws(SyntaxError) -> Node {
            let start = i
            try enter()
            i += 1
            var items: [Node] = []
            skipWhitespace()
            guard i < bytes.count else { throw truncated("inside an array") }
            if bytes[i] == UInt8(ascii: "]") {
                i += 1; depth -= 1
                return Node(value: .array(items), offset: start)
            }
            while true {
                skipWhitespace()
                items.append(try parseValue())
                skipWhitespace()
                guard i < bytes.count else { throw truncated("inside an array") }
                if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                if bytes[i] == UInt8(ascii: "]") { i += 1; break }
                throw SyntaxError(offset: i, message: "unexpected \(describeByte(at: i)): expected ',' or ']' in an array")
            }
            depth -= 1
            return Node(value: .array(items), offset: start)
        }

        mutating func hex4() throws(SyntaxError) -> UInt32 {
            var v: UInt32 = 0
            for _ in 0..<4 {
                guard i < bytes.count else { throw truncated("inside a \\u escape") }
                let b = bytes[i]
                let d: UInt32
                switch b {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): d = UInt32(b - UInt8(ascii: "0"))
                case UInt8(ascii: "a")...UInt8(ascii: "f"): d = UInt32(b - UInt8(ascii: "a") + 10)
                case UInt8(ascii: "A")...UInt8(ascii: "F"): d = UInt32(b - UInt8(ascii: "A") + 10)
                default: throw SyntaxError(offset: i, message: "unexpected \(describeByte(at: i)): expected a hex digit in a \\u escape")
                }
                v = v << 4 | d
                i += 1
            }
            return v
        }

        mutating func parseString() throws(SyntaxError) -> String {
            let start = i
            i += 1  // opening quote
            var out: [UInt8] = []
            var runStart = i
            while true {
                guard i < bytes.count else { throw truncated("inside a string that starts here: \(preview(start))") }
                let b = bytes[i]
                if b == UInt8(ascii: "\"") {
                    out.append(contentsOf: bytes[runStart..<i])
                    i += 1
                    break
                }
                if b < 0x20 {
                    throw SyntaxError(offset: i, message: b == 0x0A
                        ? "line break inside a string (unterminated string, or a newline that should be \\n)"
                        : "\(describeByte(at: i)) inside a string (must be escaped)")
                }
                if b != UInt8(ascii: "\\") { i += 1; continue }
                out.append(contentsOf: bytes[runStart..<i])
                let escapeOffset = i
                i += 1
                guard i < bytes.count else { throw truncated("inside a string escape") }
                let e = bytes[i]
                i += 1
                switch e {
                case UInt8(ascii: "\""): out.append(0x22)
                case UInt8(ascii: "\\"): out.append(0x5C)
                case UInt8(ascii: "/"): out.append(0x2F)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = try hex4()
                    if (0xD800...0xDBFF).contains(scalar) {
                        guard i + 1 < bytes.count, bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u") else {
                            throw SyntaxError(offset: escapeOffset, message: "lone high surrogate in a \\u escape")
                        }
                        i += 2
                        let low = try hex4()
                        guard (0xDC00...0xDFFF).contains(low) else {
                            throw SyntaxError(offset: escapeOffset, message: "high surrogate not followed by a low surrogate")
                        }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    } else if (0xDC00...0xDFFF).contains(scalar) {
                        throw SyntaxError(offset: escapeOffset, message: "lone low surrogate in a \\u escape")
                    }
                    out.append(contentsOf: Array(String(Character(UnicodeScalar(scalar)!)).utf8))
                default:
                    throw SyntaxError(offset: escapeOffset, message: "invalid escape '\\\(Character(UnicodeScalar(e)))' in a string")
                }
                runStart = i
            }
            // Not String(bytes:encoding:): Foundation drops a leading U+FEFF, which is content here.
            guard let s = String(validating: out, as: UTF8.self) else {
                throw SyntaxError(offset: start, message: "string is not valid UTF-8")
            }
            return s
        }

        func preview(_ offset: Int) -> String {
            let end = min(bytes.count, offset + 24)
            return String(decoding: bytes[offset..<end], as: UTF8.self)
        }

        mutating func parseNumber() throws(SyntaxError) -> Node {
            let start = i
            func digits(_ p: inout Parser) -> Int {
                var n = 0
                while p.i < p.bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(p.bytes[p.i]) { p.i += 1; n += 1 }
                return n
            }
            if bytes[i] == UInt8(ascii: "-") { i += 1 }
            guard i < bytes.count else { throw truncated("inside a number") }
            if bytes[i] == UInt8(ascii: "0") {
                i += 1
                if i < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[i]) {
                    throw SyntaxError(offset: start, message: "number with a leading zero")
                }
            } else if digits(&self) == 0 {
                throw SyntaxError(offset: i, message: "unexpected \(describeByte(at: i)): expected a digit")
            }
            if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
                i += 1
                if digits(&self) == 0 {
                    if i >= bytes.count { throw truncated("inside a number") }
                    throw SyntaxError(offset: i, message: "unexpected \(describeByte(at: i)): expected a digit after '.'")
                }
            }
            if i < bytes.count, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
                i += 1
                if i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
                if digits(&self) == 0 {
                    if i >= bytes.count { throw truncated("inside a number") }
                    throw SyntaxError(offset: i, message: "unexpected \(describeByte(at: i)): expected a digit in the exponent")
                }
            }
            let text = String(decoding: bytes[start..<i], as: UTF8.self)
            guard let d = Double(text) else {
                throw SyntaxError(offset: start, message: "number '\(text)' cannot be read")
            }
            return Node(value: .number(d), offset: start)
        }
    }
}
