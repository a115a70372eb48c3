import Foundation
import Testing
@testable import OpenMPConformance

/// The kit's strict JSON reader (``JSONDocument`` behind `ResultsCodec.parse`) against an
/// independent one: Python's `json`, made exactly as strict as the kit documents
/// (`Tests/Oracles/json_oracle.py` states each rule). A few thousand generated documents and
/// mutations of them, from a fixed seed, must get the same accept or reject decision and, when
/// accepted, the same values. One python3 process judges each batch. The two large comparisons
/// (4,500 generated documents; the kit's files and their mutations) run in the CI-only lane (``CILane``).
@Suite("JSON reader against Python's json", .enabled(if: Python.withJSON != nil, Comment(rawValue: Python.noPython)))
struct JSONDocumentOracleTests {
    struct Verdict: Codable { var accept: Bool; var canon: String?; var why: String }

    /// The same spelling of a value as the oracle's `canon`.
    static func canon(_ node: JSONDocument.Node) -> String {
        func string(_ s: String) -> String { "s" + s.utf8.map { String(format: "%02x", $0) }.joined() }
        switch node.value {
        case .null: return "n"
        case .bool(let b): return b ? "t" : "f"
        case .number(let d):
            let bits = (d == 0 ? 0.0 : d).bitPattern
            return "d" + String(repeating: "0", count: 16 - String(bits, radix: 16).count) + String(bits, radix: 16)
        case .string(let s): return string(s)
        case .array(let items): return "[" + items.map(canon).joined(separator: ",") + "]"
        case .object(let members): return "{" + members.map { string($0.key) + "=" + canon($0.value) }.joined(separator: ",") + "}"
        }
    }

    /// The kit's decision: the value's spelling, or nil when it refuses the document.
    static func ours(_ bytes: [UInt8]) -> String? {
        guard let document = try? ResultsCodec.parse(Data(bytes), file: "generated.json") else { return nil }
        return canon(document.root)
    }

    /// The oracle's decisions for a batch, in order.
    static func oracle(_ documents: [[UInt8]]) async throws -> [Verdict] {
        let python = try #require(Python.withJSON)
        let answers = try await Python.oracle(python, script: "json_oracle.py",
                                        batch: documents.map { Data($0).base64EncodedString() }, as: [Verdict].self)
        try #require(answers.count == documents.count)
        return answers
    }

    struct Tally: CustomStringConvertible {
        var compared = 0, accepted = 0, rejected = 0, duplicateKeys = 0
        var disagreements: [String] = []
        var description: String {
            "\(compared) documents compared: \(accepted) accepted, \(rejected) rejected (\(duplicateKeys) for a duplicate key), \(disagreements.count) disagreements"
        }
    }

    static func compare(_ documents: [[UInt8]]) async throws -> Tally {
        var tally = Tally()
        for start in stride(from: 0, to: documents.count, by: 1500) {
            let batch = Array(documents[start..<min(documents.count, start + 1500)])
            for (bytes, theirs) in zip(batch, try await oracle(batch)) {
                tally.compared += 1
                let mine = ours(bytes)
                if theirs.accept { tally.accepted += 1 } else { tally.rejected += 1 }
                if theirs.why.contains("duplicate key") { tally.duplicateKeys += 1 }
                if (mine != nil) != theirs.accept || (mine != nil && mine != theirs.canon) {
                    let shown = String(decoding: bytes.prefix(120), as: UTF8.self).debugDescription
                    tally.disagreements.append("\(shown): ours \(mine == nil ? "rejects" : "accepts"), python \(theirs.accept ? "accepts" : "rejects (\(theirs.why))")"
                        + (mine != nil && theirs.accept ? ", values differ" : ""))
                }
            }
        }
        return tally
    }

    @Test(.ciLane) func generatedDocumentsAndMutationsAgree() async throws {
        var g = Generator(seed: 0x5EED_0F_15)
        var documents: [[UInt8]] = []
        for _ in 0..<1500 { documents.append(g.document()) }
        let valid = documents
        for i in 0..<3000 { documents.append(g.mutate(valid[i % valid.count])) }
        let tally = try await Self.compare(documents)
        print("JSON oracle: \(tally)")
        #expect(tally.disagreements.isEmpty, "\(tally.disagreements.count) disagreements, first: \(tally.disagreements.prefix(10).joined(separator: "\n"))")
        // The generator must exercise both sides of the decision, duplicates included.
        #expect(tally.compared == 4500)
        #expect(tally.accepted > 1000 && tally.rejected > 1000, "\(tally)")
        #expect(tally.duplicateKeys > 50, "\(tally)")
    }

    /// The kit's own JSON files (every `*.json` under `Matrices/`: baselines, verdict snapshots,
    /// atlas snapshots) and a results file, as they are and mutated.
    @Test(.ciLane) func realFilesAndTheirMutationsAgree() async throws {
        var seeds: [[UInt8]] = [Array(try ResultsCodec.encode(ReportFixtures.results()))]
        let matrices = TestRuntimes.root + "/Matrices"
        let files = (FileManager.default.enumerator(atPath: matrices)?.allObjects as? [String] ?? [])
            .filter { $0.hasSuffix(".json") }.sorted()
        try #require(!files.isEmpty, "no JSON file under \(matrices)")
        for f in files { seeds.append(Array(try Data(contentsOf: URL(fileURLWithPath: matrices + "/" + f)))) }
        var g = Generator(seed: 0xF11E5)
        var documents = seeds
        for seed in seeds { for _ in 0..<(seed.count > 100_000 ? 10 : 40) { documents.append(g.mutate(seed)) } }
        let tally = try await Self.compare(documents)
        print("JSON oracle, the kit's files (\(files.joined(separator: ", "))): \(tally)")
        #expect(tally.disagreements.isEmpty, "\(tally.disagreements.prefix(10).joined(separator: "\n"))")
        // The files themselves are valid.
        let own = try await Self.oracle(seeds)
        #expect(own.allSatisfy { $0.accept }, "\(own.map(\.why))")
    }

    /// Hand-picked edges the generator may miss, each compared the same way.
    @Test func edgeCasesAgree() async throws {
        let texts = [
            "0", "-0", "-0.0", "0e0", "1E+2", "1e-400", "1e400", "-1e400", "123456789012345678901234567890",
            "0.1", "2.2250738585072014e-308", "4.9e-324", "1.7976931348623157e308", "1.7976931348623159e308",
            "01", "1.", ".5", "+1", "1e", "1e+", "--1", "0x10", "NaN", "Infinity", "-Infinity",
            "\"\\u0000\"", "\"\\ud83d\\ude00\"", "\"\\ud83d\"", "\"\\ude00\"", "\"\\ud83d\\u0041\"", "\"\\u00e9\"",
            "\"\\/\"", "\"\\a\"", "\"\t\"", "\"\u{7F}\"", "\"\u{2028}\"", "\"é\"", "\"e\u{301}\"",
            "{\"é\":1,\"e\u{301}\":2}", "{\"a\":1,\"A\":2}", "{\"a\":{\"b\":1,\"b\":2}}", "[{\"x\":1},{\"x\":1}]",
            "{}", "[]", "[,]", "[1,]", "{\"a\":1,}", "{,}", "{\"a\"}", "{\"a\":}", "{1:2}", "[1 2]",
            "[\"\u{FEFF}a\"]", "{\"\u{FEFF}k\":\"\u{FEFF}\"}", " \r\n\t[1]\r\n", "\u{FEFF}[1]", "\u{FEFF}\u{FEFF}[1]", "", " ", "[1]x", "true", "tru", "nul", "null null",
        ]
        var documents = texts.map { Array($0.utf8) }
        documents += [[0xFF], [0x22, 0xC3, 0x28, 0x22], [0x22, 0xED, 0xA0, 0x80, 0x22], [0x22, 0xC0, 0xAF, 0x22],
                      [0x22, 0xF4, 0x90, 0x80, 0x80, 0x22], [0x22, 0xE2, 0x82, 0x22], [0xEF, 0xBB]]
        let tally = try await Self.compare(documents)
        print("JSON oracle, edge cases: \(tally)")
        #expect(tally.disagreements.isEmpty, "\(tally.disagreements.joined(separator: "\n"))")
    }

    /// A U+FEFF that starts a string is content, not a byte-order mark (the oracle found it dropped).
    @Test func leadingFEFFInAStringIsKept() async throws {
        let document = try ResultsCodec.parse(Data("{\"\u{FEFF}k\":\"\u{FEFF}v\"}".utf8), file: "feff.json")
        guard case .object(let members) = document.root.value, let m = members.first, case .string(let v) = m.value.value else {
            Issue.record("expected one string member"); return
        }
        #expect(Array(m.key.unicodeScalars) == ["\u{FEFF}", "k"])
        #expect(Array(v.unicodeScalars) == ["\u{FEFF}", "v"])
    }

    /// Nesting is bounded on purpose (a hostile file cannot exhaust the stack); Python's own bound
    /// is its recursion limit. The kit's bound is checked directly, not against the oracle.
    @Test func nestingBound() async throws {
        let ok = String(repeating: "[", count: 512) + String(repeating: "]", count: 512)
        let deep = String(repeating: "[", count: 513) + String(repeating: "]", count: 513)
        #expect(Self.ours(Array(ok.utf8)) != nil)
        let error = try #require(throws: InputError.self) { try ResultsCodec.parse(Data(deep.utf8), file: "deep.json") }
        #expect(error.message.contains("nesting deeper than 512 levels"))
        #expect(try await Self.oracle([Array(ok.utf8)]).first?.canon == Self.ours(Array(ok.utf8)))
    }
}

/// Deterministic JSON text and byte mutations (SplitMix64).
struct Generator {
    var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func int(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    mutating func chance(_ percent: Int) -> Bool { int(100) < percent }
    mutating func pick<T>(_ xs: [T]) -> T { xs[int(xs.count)] }

    mutating func whitespace() -> String {
        chance(70) ? "" : String((0..<(1 + int(3))).map { _ in pick([" ", "\n", "\t", "\r"]) as Character })
    }

    static let characters: [String] = [
        "a", "b", "z", "K", "0", "9", " ", "_", "-", "/", "é", "e\u{301}", "ß", "Ω", "中", "😀", "\u{2028}",
        "\u{7F}", "\u{FEFF}", "\u{10FFFF}", "~",
    ]

    mutating func stringLiteral(key: Bool = false) -> String {
        var out = "\""
        for _ in 0..<int(key ? 4 : 10) {
            switch int(10) {
            case 0:
                out += pick(["\\\"", "\\\\", "\\/", "\\b", "\\f", "\\n", "\\r", "\\t"])
            case 1:
                let scalar = pick([0x00, 0x1F, 0x41, 0xE9, 0x2028, 0xFFFF, 0x4E2D])
                out += String(format: chance(50) ? "\\u%04x" : "\\u%04X", scalar)
            case 2:
                out += pick(["\\ud83d\\ude00", "\\uD834\\uDD1E", "\\udbff\\udfff"])
            default:
                out += pick(Self.characters)
            }
        }
        return out + "\""
    }

    mutating func numberLiteral() -> String {
        var s = chance(30) ? "-" : ""
        s += chance(15) ? "0" : String(1 + int(9)) + String((0..<int(chance(10) ? 25 : 6)).map { _ in Character(String(int(10))) })
        if chance(35) { s += "." + String((0..<(1 + int(8))).map { _ in Character(String(int(10))) }) }
        if chance(25) {
            s += pick(["e", "E"]) + pick(["", "+", "-"]) + String(int(chance(10) ? 400 : 30))
        }
        return s
    }

    mutating func value(depth: Int) -> String {
        let leaf = depth >= 5 || chance(35)
        switch leaf ? int(4) : 4 + int(2) {
        case 0: return pick(["true", "false", "null"])
        case 1, 2: return numberLiteral()
        case 3: return stringLiteral()
        case 4:
            let items = (0..<int(6)).map { _ in whitespace() + value(depth: depth + 1) + whitespace() }
            return "[" + (items.isEmpty ? whitespace() : items.joined(separator: ",")) + "]"
        default:
            var keys: [String] = []
            for _ in 0..<int(6) {
                // A repeated key, sometimes: the duplicate check must find it.
                keys.append(!keys.isEmpty && chance(8) ? pick(keys) : stringLiteral(key: true))
            }
            let members = keys.map { k in whitespace() + k + whitespace() + ":" + whitespace() + value(depth: depth + 1) + whitespace() }
            return "{" + (members.isEmpty ? whitespace() : members.joined(separator: ",")) + "}"
        }
    }

    mutating func document() -> [UInt8] {
        Array((whitespace() + value(depth: chance(20) ? 4 : 0) + whitespace()).utf8)
    }

    static let interesting: [[UInt8]] = [
        "{", "}", "[", "]", ",", ":", "\"", "\\", " ", "0", "1", "-", "+", ".", "e", "E", "t", "n", "u",
        "\\u", "\\ud800", "\\udc00", "\\x", ",,", ",]", ",}", "00", "NaN", "Infinity", "true", "null", "//", "/*",
    ].map { Array($0.utf8) } + [[0x00], [0x09], [0x0A], [0x1F], [0x7F], [0x80], [0xC3], [0xC3, 0xA9], [0xED, 0xA0, 0x80],
                               [0xF0, 0x9F, 0x98], [0xFF], [0xEF, 0xBB, 0xBF]]

    mutating func mutate(_ doc: [UInt8]) -> [UInt8] {
        var d = doc
        for _ in 0..<(1 + int(2)) {
            let at = d.isEmpty ? 0 : int(d.count + 1)
            switch int(7) {
            case 0 where !d.isEmpty: d.remove(at: min(at, d.count - 1))
            case 1: d.insert(contentsOf: pick(Self.interesting), at: at)
            case 2 where !d.isEmpty: d[min(at, d.count - 1)] = pick(Self.interesting).first!
            case 3: d = Array(d.prefix(at))
            case 4 where !d.isEmpty:
                // Copy a slice elsewhere: repeats members, keys and brackets.
                let a = int(d.count), b = min(d.count, a + 1 + int(12))
                d.insert(contentsOf: d[a..<b], at: at)
            case 5 where at > 0 && at < d.count: d.swapAt(at - 1, at)
            default: d.insert(contentsOf: Array(numberLiteral().utf8), at: at)
            }
        }
        return d
    }
}
