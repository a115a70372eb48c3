import Foundation
import Testing

/// The DocC Getting Started article shows the same lines as the README's downstream block, which
/// `.ci/downstream.sh` builds into a fresh package and runs; so the article's steps are tested too.
@Suite("Getting Started shows the README's tested lines")
struct GettingStartedTests {
    static let root = TestRuntimes.root

    /// The fenced blocks of a Markdown text, as (language, lines).
    static func fences(_ text: String) -> [(language: String, lines: [String])] {
        var out: [(String, [String])] = []
        var current: (String, [String])?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("```") {
                if let c = current { out.append(c); current = nil } else { current = (String(trimmed.dropFirst(3)), []) }
            } else if current != nil {
                current!.1.append(line)
            }
        }
        return out
    }

    /// Non-blank lines, trimmed, with shell comments removed.
    static func code(_ lines: [String]) -> [String] {
        lines.map { line -> String in
            var l = line
            if let hash = l.range(of: "  #") { l = String(l[..<hash.lowerBound]) }
            return l.trimmingCharacters(in: .whitespaces)
        }.filter { !$0.isEmpty }
    }

    /// True when `needle`'s lines appear in `haystack` in the same order (other lines may come between).
    static func inOrder(_ needle: [String], in haystack: [String]) -> Bool {
        var i = haystack.startIndex
        for line in needle {
            guard let found = haystack[i...].firstIndex(of: line) else { return false }
            i = haystack.index(after: found)
        }
        return true
    }

    @Test("each code block of the article is in the README, the Swift ones in the downstream block CI builds")
    func sameLines() throws {
        let article = try String(contentsOfFile: Self.root + "/Sources/OpenMPConformance/Documentation.docc/GettingStarted.md", encoding: .utf8)
        let readme = try String(contentsOfFile: Self.root + "/README.md", encoding: .utf8)
        let begin = try #require(readme.range(of: "<!-- BEGIN downstream-package"), "README.md lacks the downstream-package block")
        let end = try #require(readme.range(of: "<!-- END downstream-package -->"), "README.md lacks the end of the downstream-package block")
        let downstream = Self.fences(String(readme[begin.upperBound..<end.lowerBound]))
        let allReadme = Self.fences(readme)
        let blocks = Self.fences(article)
        try #require(blocks.count >= 4, "the article has \(blocks.count) code blocks")
        for block in blocks {
            let lines = Self.code(block.lines)
            if block.language == "swift" {
                #expect(downstream.contains { $0.language == "swift" && Self.inOrder(lines, in: Self.code($0.lines)) },
                        "not in the README's downstream block (so not built by CI): \(lines.joined(separator: "\n"))")
            } else {
                for line in lines {
                    // In a README code block, or as inline code (`…`) in its text.
                    #expect(allReadme.contains { Self.code($0.lines).contains(line) } || readme.contains("`\(line)`"),
                            "not a command the README shows: \(line)")
                }
            }
        }
    }
}
