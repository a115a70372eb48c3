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
        try ReadmeSection.splice(section, into: readme, begin: begin, end: end, missing: "the atlas section markers are missing")
    }

    /// The text between the markers, or nil.
    package static func current(in readme: String) -> String? {
        ReadmeSection.current(in: readme, begin: begin, end: end)
    }
}
