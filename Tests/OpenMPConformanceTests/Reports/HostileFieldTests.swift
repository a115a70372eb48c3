import Foundation
import Testing
@testable import OpenMPConformance

/// Every string field of a results file and of an atlas file, poisoned with ESC sequences, a bidi
/// override, a C1 control, a NUL and `<script>`, through every renderer: nothing comes out live.
enum HostileFields {
    /// What each string field gets appended.
    static let poison = "\u{1B}]0;pwned\u{7}\u{1B}[31m<script>alert(1)</script>\u{202E}evil\u{0}\u{9B}2J"

    /// The JSON `data` with `poison` appended to every string value that the decoder still accepts
    /// (enum-typed fields refuse it and keep their value), one field at a time.
    /// Fields are tried by their place in the schema (array indexes ignored): one field of each
    /// place is poisoned on trial, and when the decoder accepts it, every field of that place is;
    /// the document with all of those poisoned must then decode as a whole. `trial`, when given,
    /// stands in for `decode` on trial: a cheaper check that refuses no less (what it lets through
    /// and `decode` would refuse makes the final decode throw).
    static func poisoned<T>(_ data: Data, trial: ((Data) throws -> Void)? = nil, decode: (Data) throws -> T) throws -> (value: T, fields: Int) {
        let tree = try JSONSerialization.jsonObject(with: data)
        var paths: [[PathStep]] = []
        collect(tree, [], &paths)
        var byPlace: [String: [[PathStep]]] = [:]
        for p in paths { byPlace[place(p), default: []].append(p) }
        let places = byPlace.keys.sorted()
        let trials = try Trials(tree, fields: places.map { byPlace[$0]![0] })
        func check(_ d: Data) throws { if let trial { try trial(d) } else { _ = try decode(d) } }
        let accepted = places.indices.filter { (try? check(trials.document(poisoning: $0))) != nil }.map { places[$0] }
        let all = poisonAll(tree, places: Set(accepted))
        return (try decode(try JSONSerialization.data(withJSONObject: all)), accepted.count)
    }

    /// The trial documents, from one serialization: the text is cut where the fields on trial are,
    /// and each trial joins the pieces with those fields' values, one of them poisoned. (A
    /// serialization per trial took most of a minute for an atlas snapshot in a debug build.)
    struct Trials {
        /// The text between the fields, in text order; `order[k]` is the field that follows `pieces[k]`.
        var pieces: [Data] = []
        var order: [Int] = []
        var clean: [Data] = [], poisoned: [Data] = []

        init(_ tree: Any, fields: [[PathStep]]) throws {
            var marked = tree
            var values: [String] = []
            for (i, path) in fields.enumerated() {
                marked = set(marked, path[...]) { values.append($0); return Trials.marker(i) }
            }
            let text = try JSONSerialization.data(withJSONObject: marked)
            var at: [(range: Range<Data.Index>, field: Int)] = []
            for i in fields.indices {
                let m = try Trials.encoded(Trials.marker(i))
                let r = try #require(text.range(of: m), "the marker of field \(i) in the text")
                try #require(text[r.upperBound...].range(of: m) == nil, "the marker of field \(i) once in the text")
                at.append((r, i))
            }
            var from = text.startIndex
            for (r, i) in at.sorted(by: { $0.range.lowerBound < $1.range.lowerBound }) {
                pieces.append(Data(text[from..<r.lowerBound]))
                order.append(i)
                from = r.upperBound
            }
            pieces.append(Data(text[from...]))
            clean = try values.map(Trials.encoded)
            poisoned = try values.map { try Trials.encoded($0 + poison) }
        }

        /// A string no document holds (checked: each marker is found once).
        static func marker(_ i: Int) -> String { "@@hostile-field-trial-\(i)@@" }

        static func encoded(_ s: String) throws -> Data {
            try JSONSerialization.data(withJSONObject: s, options: .fragmentsAllowed)
        }

        /// The document with field `i` poisoned and every other field as it was.
        func document(poisoning i: Int) -> Data {
            var out = Data(capacity: pieces.reduce(0) { $0 + $1.count } + 4096)
            for (k, field) in order.enumerated() {
                out.append(pieces[k])
                out.append(field == i ? poisoned[field] : clean[field])
            }
            out.append(pieces[order.count])
            return out
        }
    }

    /// `results.*.ordering`: a field's place in the schema.
    static func place(_ path: [PathStep]) -> String {
        path.map { step in
            switch step { case .key(let k): k; case .index: "*" }
        }.joined(separator: ".")
    }

    enum PathStep { case key(String), index(Int) }

    /// Every string at one of `places` poisoned, in one walk of the tree (one ``set(_:_:_:)`` per
    /// path copied the tree's arrays once per path: minutes for an atlas snapshot in a debug build).
    static func poisonAll(_ node: Any, places: Set<String>, here: String = "") -> Any {
        if let s = node as? String { return places.contains(here) ? s + poison : s }
        guard here.isEmpty || places.contains(where: { $0 == here || $0.hasPrefix(here + ".") }) else { return node }
        if var d = node as? [String: Any] {
            for (k, v) in d { d[k] = poisonAll(v, places: places, here: here.isEmpty ? k : here + "." + k) }
            return d
        }
        if let a = node as? [Any] {
            let h = here.isEmpty ? "*" : here + ".*"
            return a.map { poisonAll($0, places: places, here: h) }
        }
        return node
    }

    static func collect(_ node: Any, _ path: [PathStep], _ out: inout [[PathStep]]) {
        if node is String { out.append(path) }
        if let d = node as? [String: Any] { for (k, v) in d { collect(v, path + [.key(k)], &out) } }
        if let a = node as? [Any] { for (i, v) in a.enumerated() { collect(v, path + [.index(i)], &out) } }
    }

    static func set(_ node: Any, _ path: ArraySlice<PathStep>, _ f: (String) -> String) -> Any {
        guard let step = path.first else { return (node as? String).map(f) ?? node }
        switch step {
        case .key(let k):
            var d = node as! [String: Any]
            d[k] = set(d[k]!, path.dropFirst(), f)
            return d
        case .index(let i):
            var a = node as! [Any]
            a[i] = set(a[i], path.dropFirst(), f)
            return a
        }
    }

    /// Raw characters that must never reach a rendering (in JSON they are escaped by the encoder).
    static func live(_ text: String) -> [String] {
        var out: [String] = []
        for u in text.unicodeScalars {
            switch u.value {
            case 0x1B: out.append("ESC")
            case 0x00: out.append("NUL")
            case 0x07: out.append("BEL")
            case 0x202E: out.append("U+202E")
            case 0x9B: out.append("CSI (C1)")
            default: break
            }
        }
        return Array(Set(out)).sorted()
    }
}

@Suite("Hostile strings in every field, through every renderer")
struct HostileFieldTests {
    @Test("a results file with every string field poisoned: md, html, junit, json and the summary are inert")
    func resultsFile() throws {
        let clean = try ResultsCodec.encode(ReportFixtures.results())
        let (r, fields) = try HostileFields.poisoned(clean) { try ResultsCodec.decode($0, file: "poisoned.json") }
        #expect(fields > 30, "only \(fields) kinds of string field took the poison")
        #expect(r.results.contains { $0.ordering.hasSuffix(HostileFields.poison) }, "the ordering field is among them")
        let renderings: [(String, String)] = [
            ("md", MarkdownReport.render(r)), ("html", HTMLReport.render(r)), ("junit", JUnitReport.render(r)),
            ("summary", TerminalSummary.render(r)), ("json", String(decoding: try ResultsCodec.encode(r), as: UTF8.self)),
        ]
        for (format, text) in renderings {
            // JSON is data: the encoder escapes C0 controls; other characters are the file's own, as they were.
            let live = HostileFields.live(text).filter { format != "json" || ($0 != "U+202E" && $0 != "CSI (C1)") }
            #expect(live.isEmpty, "\(format) carries \(live)")
            if format == "html" || format == "junit" { #expect(!text.contains("<script"), "\(format) carries a live <script>") }
        }
    }

    @Test("an atlas file with every string field poisoned: summary, md, html and json are inert",
          .enabled(if: AtlasFixtures.hasSnapshot, "needs the committed atlas snapshot"))
    func atlasFile() throws {
        let (data, file) = try AtlasFixtures.anySnapshotData()
        // On trial, the decoder and the atlas's own checks without the located-error parse (a debug
        // build spent most of the trials' time there); the whole poisoned file then takes the full decode.
        let (atlas, fields) = try HostileFields.poisoned(data, trial: { try AtlasCodec.validate(JSONDecoder().decode(AtlasResults.self, from: $0), file: file) }) {
            try AtlasCodec.decode($0, file: file)
        }
        #expect(fields > 20, "only \(fields) kinds of string field took the poison")
        #expect(atlas.runtimes.contains { $0.label.contains("pwned") }, "a runtime's release or label took the poison")
        let renderings: [(String, String)] = [
            ("summary", AtlasSummaryReport.render(atlas)), ("md", AtlasMarkdownReport.render(atlas)),
            ("html", AtlasHTMLReport.render(atlas)), ("json", String(decoding: try ResultsCodec.encode(atlas), as: UTF8.self)),
        ]
        for (format, text) in renderings {
            // JSON is data: the encoder escapes C0 controls; other characters are the file's own, as they were.
            let live = HostileFields.live(text).filter { format != "json" || ($0 != "U+202E" && $0 != "CSI (C1)") }
            #expect(live.isEmpty, "\(format) carries \(live)")
            if format == "html" { #expect(!text.contains("<script"), "html carries a live <script>") }
        }
    }

    @Test("a 100 MB string in a results file renders in bounded time and size, and says it was cut")
    func hugeString() throws {
        var r = ReportFixtures.results()
        r.results[0].message = String(repeating: "x", count: 100_000_000)
        r.results[0].reason = r.results[0].message
        let start = ContinuousClock.now
        let renderings = [MarkdownReport.render(r), HTMLReport.render(r), JUnitReport.render(r), TerminalSummary.render(r)]
        let elapsed = ContinuousClock.now - start
        // Liveness bound with a wide margin (a linear rendering takes well under a second; the
        // quadratic one took 30 s and more).
        #expect(elapsed < .seconds(10), "rendering took \(elapsed)")
        for text in renderings { #expect(text.utf8.count < 8_000_000, "a rendering of \(text.utf8.count) bytes") }
        #expect(renderings[1].contains("[cut: 100000000 bytes in all]"))
    }

    @Test("clean-shm prints a registration file's name escaped",
          .enabled(if: ShmRegistry.platformNote == nil, "no registration files on this platform"))
    func cleanShmNames() async throws {
        let cli = try #require(DoctorCLI.path, "omp-matrix not built beside the tests")
        let (run, _) = try await StaleRegistration.attempt(
            name: { "\(ShmRegistry.directories[0])/\(ShmRegistry.prefix)\($0)_\u{1B}]0;pwned\u{7}\u{202E}" }, contents: Data("x".utf8),
            { _ in try await DoctorCLI.run(cli, ["clean-shm", "--dry-run"]) },
            reported: { run, _ in run.stdout.contains("\\e]0;pwned\\a") })
        #expect(run.stdout.contains("\\e]0;pwned\\a"), "\(run.stdout)")
        #expect(HostileFields.live(run.stdout).isEmpty, "clean-shm printed \(HostileFields.live(run.stdout))")
    }

    @Test("a runtime under a folder named with escapes and a bidi override: the answer shows it escaped, and its mv command names the real file",
          .enabled(if: !TestRuntimes.all.isEmpty, Comment(rawValue: TestRuntimes.missingReason)))
    func hostilePathInTheAnswer() async throws {
        let root = try DoctorFixtures.temporaryDirectory("hostile-path")
        defer { try? FileManager.default.removeItem(atPath: root) }
        let odd = root + "/pkg\u{1B}[31m\u{202E}.libs/libomp-4f2a91c0.so.5"
        try DoctorFixtures.copy(try DoctorFixtures.runtimePath("llvm16"), to: odd)
        try DoctorFixtures.copy(try DoctorFixtures.runtimePath("intel"), to: root + "/lib/libiomp5.so")
        let report = try await Doctor.diagnose(paths: [root], options: .init(fixCheck: false))
        let link = try #require(report.pairs.first?.fixes.first { $0.kind == .link })
        let command = try #require(link.command)
        #expect(HostileFields.live(command).isEmpty, "\(command)")
        // The shell word for the path, as the command writes it, names the file itself.
        let word = ShellQuote.quote(odd)
        #expect(command.contains(word))
        let echoed = try await TestProcess.run(["/bin/bash", "-c", "printf %s " + word])
        #expect(echoed.output == odd)
        for (format, text) in [("text", report.text), ("md", report.markdown)] {
            #expect(HostileFields.live(text).isEmpty, "\(format) carries \(HostileFields.live(text))")
        }
        #expect(report.text.contains("pkg\\e[31m\\u{202E}.libs"))
        let json = String(decoding: try ResultsCodec.encode(report), as: UTF8.self)
        #expect(HostileFields.live(json).filter { $0 != "U+202E" && $0 != "CSI (C1)" }.isEmpty)
    }
}
