/// A Python package version as PEP 440 defines it and pip (through `packaging`) orders it:
/// `[N!]N(.N)*[{a|b|rc}N][.postN][.devN][+local]`, with the spellings pip normalizes
/// (`1.0-alpha.1`, `1.0c1`, `1.0-1`, `v1.0`, `1.0.RC1`, `1.0.post`).
package struct PythonVersion: Sendable, Hashable, Comparable, CustomStringConvertible {
    package var epoch = 0
    package var release: [Int]
    /// `a`, `b` or `rc`, and its number.
    package var pre: (label: String, number: Int)?
    package var post: Int?
    package var dev: Int?
    /// The local label's segments (`+ubuntu.1` gives `["ubuntu", "1"]`), nil when none.
    package var local: [String]?

    /// Nil when `text` is not a PEP 440 version.
    package init?(_ text: String) {
        var s = Scanner(Array(text.lowercased().trimmingWhitespace))
        _ = s.take("v")
        guard let first = s.number() else { return nil }
        if s.take("!") {
            epoch = first
            guard let r = s.number() else { return nil }
            release = [r]
        } else {
            release = [first]
        }
        while s.peek == ".", let n = s.attempt({ s in s.take(".") ? s.number() : nil }) { release.append(n) }
        // pre-release: [sep] label [sep] [number]
        pre = s.attempt { s in
            _ = s.separator()
            guard let label = s.word(["alpha", "beta", "preview", "pre", "rc", "a", "b", "c"]) else { return nil }
            let normal = ["alpha": "a", "a": "a", "beta": "b", "b": "b"][label] ?? "rc"
            return (normal, s.attempt { s in _ = s.separator(); return s.number() } ?? 0)
        }
        // post-release: -N, or [sep] post|rev|r [sep] [number]
        post = s.attempt { s in s.take("-") ? s.number() : nil } ?? s.attempt { s in
            _ = s.separator()
            guard s.word(["post", "rev", "r"]) != nil else { return nil }
            return s.attempt { s in _ = s.separator(); return s.number() } ?? 0
        }
        dev = s.attempt { s in
            _ = s.separator()
            guard s.word(["dev"]) != nil else { return nil }
            return s.attempt { s in _ = s.separator(); return s.number() } ?? 0
        }
        if s.take("+") {
            var segments: [String] = [], current = ""
            while let c = s.peek, c.isASCII, c.isLetter || c.isNumber || c == "." || c == "-" || c == "_" {
                s.i += 1
                if c.isLetter || c.isNumber { current.append(c); continue }
                guard !current.isEmpty else { return nil }
                segments.append(current); current = ""
            }
            guard !current.isEmpty else { return nil }
            local = segments + [current]
        }
        guard s.atEnd else { return nil }
    }

    package var isPrerelease: Bool { pre != nil || dev != nil }
    package var isPostrelease: Bool { post != nil }
    /// The version without its local label.
    package var publicVersion: PythonVersion { var v = self; v.local = nil; return v }
    /// Epoch and release only.
    package var baseVersion: PythonVersion { PythonVersion(epoch: epoch, release: release) }

    init(epoch: Int, release: [Int]) { self.epoch = epoch; self.release = release }

    /// The normalized spelling (`1.0.0rc1.post2.dev3+ubuntu.1`).
    package var description: String {
        var s = (epoch == 0 ? "" : "\(epoch)!") + release.map(String.init).joined(separator: ".")
        if let p = pre { s += "\(p.label)\(p.number)" }
        if let p = post { s += ".post\(p)" }
        if let d = dev { s += ".dev\(d)" }
        if let l = local { s += "+" + l.joined(separator: ".") }
        return s
    }

    // MARK: ordering, as packaging's _cmpkey

    /// The release without trailing zeros (`1.0.0` orders and hashes as `1`).
    private var trimmedRelease: [Int] {
        var r = release
        while r.last == 0 { r.removeLast() }
        return r
    }

    /// The pre-release's place: a dev release of a final version (no pre, no post) sorts before
    /// every pre-release; a version without a pre-release after them.
    private var preKey: [Int] {
        if let p = pre { return [1, ["a": 0, "b": 1][p.label] ?? 2, p.number] }
        return post == nil && dev != nil ? [0] : [2]
    }
    /// No post-release sorts before any; no dev release after any.
    private var postKey: [Int] { post.map { [1, $0] } ?? [0] }
    private var devKey: [Int] { dev.map { [0, $0] } ?? [1] }

    package static func < (a: PythonVersion, b: PythonVersion) -> Bool { compare(a, b) < 0 }
    package static func == (a: PythonVersion, b: PythonVersion) -> Bool { compare(a, b) == 0 }
    package func hash(into h: inout Hasher) {
        h.combine(epoch); h.combine(trimmedRelease); h.combine(preKey); h.combine(postKey); h.combine(devKey); h.combine(local)
    }

    static func compare(_ a: PythonVersion, _ b: PythonVersion) -> Int {
        func lex(_ x: [Int], _ y: [Int]) -> Int {
            for (p, q) in zip(x, y) where p != q { return p < q ? -1 : 1 }
            return x.count == y.count ? 0 : x.count < y.count ? -1 : 1
        }
        if a.epoch != b.epoch { return a.epoch < b.epoch ? -1 : 1 }
        for k in [lex(a.trimmedRelease, b.trimmedRelease), lex(a.preKey, b.preKey), lex(a.postKey, b.postKey), lex(a.devKey, b.devKey)] where k != 0 {
            return k
        }
        // Local labels: none sorts first; segment by segment, numbers above words, words by their text.
        switch (a.local, b.local) {
        case (nil, nil): return 0
        case (nil, _): return -1
        case (_, nil): return 1
        case (let x?, let y?):
            for (p, q) in zip(x, y) {
                switch (Int(p), Int(q)) {
                case (let m?, let n?): if m != n { return m < n ? -1 : 1 }
                case (nil, .some): return -1
                case (.some, nil): return 1
                case (nil, nil): if p != q { return p < q ? -1 : 1 }
                }
            }
            return x.count == y.count ? 0 : x.count < y.count ? -1 : 1
        }
    }

    /// A cursor over the characters of a version or specifier.
    struct Scanner {
        var c: [Character]
        var i = 0
        init(_ c: [Character]) { self.c = c }
        var peek: Character? { i < c.count ? c[i] : nil }
        var atEnd: Bool { i == c.count }
        mutating func take(_ ch: Character) -> Bool {
            guard peek == ch else { return false }
            i += 1
            return true
        }
        mutating func number() -> Int? {
            let start = i
            while let ch = peek, ch.isASCII, ch.isNumber { i += 1 }
            guard i > start, let n = Int(String(c[start..<i])) else { i = start; return nil }
            return n
        }
        mutating func separator() -> Bool { take("-") || take("_") || take(".") }
        /// The first of `words` that follows (longest listed first), consumed.
        mutating func word(_ words: [String]) -> String? {
            for w in words {
                let chars = Array(w)
                if i + chars.count <= c.count, Array(c[i..<(i + chars.count)]) == chars { i += chars.count; return w }
            }
            return nil
        }
        /// Runs `body`; when it gives nil, the cursor goes back to where it was.
        mutating func attempt<T>(_ body: (inout Scanner) -> T?) -> T? {
            let start = i
            if let v = body(&self) { return v }
            i = start
            return nil
        }
    }
}
