import Foundation
import Testing

/// Every use of a Linux-only interface in Swift must sit in a Linux-only place, so that the
/// macOS build never reaches one: in `Sources`, a `+Linux.swift` file (or a file wholly inside
/// `#if os(Linux)`); in `Tests`, such a file or an `#if os(Linux)` region around the tests.
/// Comments do not count. The list of uses elsewhere must be empty.
@Suite("Linux-only interfaces stay in Linux-only files")
struct LinuxOnlyAPITests {
    /// What only Linux has: procfs, POSIX shm's directory, prctl, pidfds, os-release.
    static let patterns: [(name: String, regex: String)] = [
        ("/proc", #"/proc(/|"|\\)"#),
        ("/dev/shm", #"/dev/shm"#),
        ("prctl", #"\bprctl\b|PR_SET_"#),
        ("pidfd", #"pidfd_[a-z_]+|SYS_pidfd"#),
        ("/etc/os-release", #"/etc/os-release"#),
    ]

    struct Use: CustomStringConvertible, Equatable {
        var file: String, line: Int, api: String, text: String
        var description: String { "\(file):\(line): \(api): \(text)" }
    }

    /// The code of a line without its `//` comment (string literals holding `//` are rare here
    /// and would only hide a use after them, never invent one).
    static func code(_ line: Substring) -> Substring {
        let t = line.drop { $0 == " " || $0 == "\t" }
        if t.hasPrefix("//") { return "" }
        if let r = t.range(of: " //") { return t[..<r.lowerBound] }
        return t
    }

    /// Uses of Linux-only interfaces in `text` that are outside a Linux-only place.
    static func uses(in text: String, file: String, allowLinuxRegions: Bool) -> [Use] {
        let name = (file as NSString).lastPathComponent
        if name.contains("+Linux") { return [] }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let regexes = patterns.map { ($0.name, try! NSRegularExpression(pattern: $0.regex)) }
        // A stack of "this region is Linux-only" flags, one per open #if.
        var stack: [Bool] = []
        var out: [Use] = []
        let codeLines = lines.map { code($0) }
        let firstCode = codeLines.firstIndex { !$0.isEmpty && !$0.hasPrefix("import ") }
        let lastCode = codeLines.lastIndex { !$0.isEmpty }
        let wholeFileLinux = firstCode.map { codeLines[$0] == "#if os(Linux)" } == true
            && lastCode.map { codeLines[$0] == "#endif" } == true
        if wholeFileLinux && !(codeLines.contains { $0.hasPrefix("#else") || $0.hasPrefix("#elseif") }) { return [] }
        for (i, c) in codeLines.enumerated() {
            if c.hasPrefix("#if ") { stack.append(c == "#if os(Linux)"); continue }
            if c.hasPrefix("#elseif") || c.hasPrefix("#else") {
                if !stack.isEmpty { stack[stack.count - 1] = c == "#elseif os(Linux)" }
                continue
            }
            if c.hasPrefix("#endif") { _ = stack.popLast(); continue }
            if allowLinuxRegions && stack.contains(true) { continue }
            let s = String(c)
            for (api, re) in regexes where re.firstMatch(in: s, range: NSRange(s.startIndex..., in: s)) != nil {
                out.append(Use(file: file, line: i + 1, api: api, text: s))
            }
        }
        return out
    }

    static func swiftFiles(under dir: String) -> [String] {
        let root = URL(fileURLWithPath: TestRuntimes.root).appendingPathComponent(dir)
        guard let e = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) else { return [] }
        // This file names the patterns it looks for.
        return e.compactMap { ($0 as? URL)?.path }
            .filter { $0.hasSuffix(".swift") && !$0.contains("/.build") && !$0.hasSuffix("/LinuxOnlyAPITests.swift") }
    }

    @Test("no Linux-only interface is used outside a Linux-only file")
    func none() throws {
        var found: [Use] = []
        var scanned = 0
        for (dir, regions) in [("Sources", false), ("Tests", true), ("Bench", false), ("Examples", true)] {
            for path in Self.swiftFiles(under: dir) {
                let text = try String(contentsOfFile: path, encoding: .utf8)
                scanned += 1
                let rel = String(path.dropFirst(TestRuntimes.root.count + 1))
                found += Self.uses(in: text, file: rel, allowLinuxRegions: regions)
            }
        }
        #expect(scanned > 100, "too few Swift files found under \(TestRuntimes.root)")
        #expect(found.isEmpty, "Linux-only interfaces outside Linux-only files:\n\(found.map(\.description).joined(separator: "\n"))")
    }

    @Test("the scan finds a use in shared code and ignores Linux files, Linux regions of tests and comments")
    func scanner() {
        let shared = """
        import Foundation
        /// Reads /proc/self/maps.
        let a = "/proc/self/maps" // here
        #if os(Linux)
        let b = "/dev/shm/x"
        #else
        let c = prctl
        #endif
        """
        let inShared = Self.uses(in: shared, file: "Sources/X/Thing.swift", allowLinuxRegions: false)
        #expect(inShared.map(\.line) == [3, 5, 7])
        let inTests = Self.uses(in: shared, file: "Tests/X/ThingTests.swift", allowLinuxRegions: true)
        #expect(inTests.map(\.api) == ["/proc", "prctl"])
        #expect(Self.uses(in: shared, file: "Sources/X/Thing+Linux.swift", allowLinuxRegions: false).isEmpty)
        let whole = "import Glibc\n#if os(Linux)\nlet fd = open(\"/proc/self/stat\", 0)\n#endif\n"
        #expect(Self.uses(in: whole, file: "Sources/X/Other.swift", allowLinuxRegions: false).isEmpty)
        #expect(Self.uses(in: "let x = pidfd_open(1)", file: "Sources/Y.swift", allowLinuxRegions: false).count == 1)
        #expect(Self.uses(in: "let x = \"/etc/os-release\"", file: "Sources/Y.swift", allowLinuxRegions: false).count == 1)
    }
}
