import Foundation

/// The README's generated atlas section, rendered from the checked-in snapshot
/// (`Matrices/atlas/<host key>.json`), so the README never states an outcome by hand.
package enum AtlasReadmeSection {
    package static let begin = "<!-- BEGIN GENERATED: atlas (Scripts/update-readme.sh rewrites this section; a test fails when it is stale) -->"
    package static let end = "<!-- END GENERATED: atlas -->"

    package static func render(_ atlas: AtlasResults) -> String {
        "Atlas of `\(atlas.host.key)` (\(atlas.host.os)), from `Matrices/atlas/\(atlas.host.key).json`.\n\n"
            + AtlasMarkdownReport.grid(atlas).trimmingCharacters(in: .newlines)
    }

    /// `readme` with the text between the atlas markers replaced.
    /// - Throws: ``InputError`` when the markers are missing.
    package static func splice(_ section: String, into readme: String) throws -> String {
        guard let b = readme.range(of: begin), let e = readme.range(of: end, range: b.upperBound..<readme.endIndex) else {
            throw InputError(file: "README.md", line: 1, column: 1, message: "the atlas section markers are missing")
        }
        return String(readme[..<b.upperBound]) + "\n" + section + "\n" + String(readme[e.lowerBound...])
    }

    /// The text between the markers, or nil.
    package static func current(in readme: String) -> String? {
        guard let b = readme.range(of: begin), let e = readme.range(of: end, range: b.upperBound..<readme.endIndex) else { return nil }
        return readme[b.upperBound..<e.lowerBound].trimmingCharacters(in: .newlines)
    }
}
