import Foundation

/// The README's generated table of well-known package pairs per platform, each answered by
/// ``PackageDoctor`` from the checked-in wheel catalog and atlas snapshot (what
/// `omp-matrix doctor --packages A B --platform ID` says), so the README never states one by hand.
package enum PackagesReadmeSection {
    package static let begin = "<!-- BEGIN GENERATED: package-pairs (Scripts/update-readme.sh rewrites this section; a test fails when it is stale) -->"
    package static let end = "<!-- END GENERATED: package-pairs -->"

    /// The pairs shown: the ones users meet (issue "Packages"), per platform.
    package static let pairs: [(platform: WheelCatalog.Platform, packages: [String])] = [
        (.linux, ["torch", "faiss-cpu"]), (.linux, ["torch", "scikit-learn"]), (.linux, ["torch", "lightgbm"]),
        (.linux, ["paddlepaddle", "intel-openmp"]),
        (.macos, ["torch", "faiss-cpu"]), (.macos, ["torch", "scikit-learn"]), (.macos, ["faiss-cpu", "scikit-learn"]),
        (.macos, ["torch", "pymeshlab"]), (.macos, ["torch", "lightgbm"]),
        (.windows, ["torch", "ctranslate2"]), (.windows, ["torch", "paddlepaddle"]), (.windows, ["ctranslate2", "paddlepaddle"]),
        (.windows, ["torch", "faiss-cpu"]), (.windows, ["faiss-cpu", "scikit-learn"]),
    ]

    /// The section: per platform (with its label), one row per pair: the runtimes the packages
    /// bring, the doctor's answer and exit status, and the atlas cells cited.
    /// Windows pairs cite `windowsAtlas` (measured under Wine) for the DLLs it has.
    package static func render(catalog: WheelCatalog, atlas: AtlasResults?, atlasSource: String,
                               windowsAtlas: AtlasResults?, windowsAtlasSource: String) -> String {
        var out = "Computed from `Matrices/wheels/catalog.yaml` and the atlas snapshot "
            + (atlas == nil ? "(none checked in: nothing cited)" : MarkdownText.code("Matrices/atlas/" + atlasSource, limit: 200))
            + (windowsAtlas == nil ? "" : " (Windows pairs: the Windows atlas " + MarkdownText.code("Matrices/atlas/" + windowsAtlasSource, limit: 200)
                + " for the DLLs it measured under Wine)")
            + " by the same code as `omp-matrix doctor --packages A B --platform ID`. Exit: 1 a pair aborts or hangs at exit, "
            + "0 no pair fails, 4 not answered (a release not measured, or a runtime expected from the system).\n"
        for platform in WheelCatalog.Platform.allCases {
            let rows = pairs.filter { $0.platform == platform }
            guard !rows.isEmpty else { continue }
            out += "\n**\(MarkdownText.text(PackageDoctor.label(platform)))** (`\(platform.rawValue)`)\n\n"
            out += MarkdownText.header(["packages", "runtimes they bring", "answer", "exit", "atlas cells"])
            for row in rows {
                let requests = row.packages.map { PackageDoctor.Request(name: $0) }
                let a = PackageDoctor.answer(requests, platform: platform, catalog: catalog, atlas: atlas, atlasSource: atlasSource,
                                             windowsAtlas: windowsAtlas, windowsAtlasSource: windowsAtlasSource)
                let brings = row.packages.map { name -> String in
                    let version = catalog.wheel(package: name, platform: platform)?.version
                    let mine = a.brought.filter { $0.package == WheelCatalog.normalize(name) }
                    let what = version == nil ? "no wheel in the catalog"
                        : mine.isEmpty ? "no OpenMP runtime"
                        : mine.map { b in b.runtime.linkage == .system ? "\(WheelCatalog.fileName(b.runtime.path)) expected from the system" : "\(b.words) (\(b.runtime.path))" }
                            .joined(separator: ", ")
                    return "\(name)\(version.map { " \($0)" } ?? ""): \(what)"
                }
                // Same-named files the loader maps once are said so (the answer's loader line, after "Here: ").
                let merged = a.lines.first { $0.hasPrefix("Loader rule: ") }.flatMap { line in line.range(of: " Here: ").map { String(line[$0.upperBound...]) } }
                let answer = (a.pairs.isEmpty ? (a.lines.first ?? "") : a.pairs.map(\.findings).joined(separator: " ")) + (merged.map { " " + $0 } ?? "")
                let cells = a.pairs.flatMap(\.cells)
                out += MarkdownText.row([
                    MarkdownText.text(row.packages.joined(separator: " + ")),
                    MarkdownText.text(brings.joined(separator: "; "), limit: 600),
                    MarkdownText.text(answer, limit: 2000),
                    "\(a.exitCode)",
                    cells.isEmpty ? "—" : cells.map { MarkdownText.code($0, limit: 80, inTable: true) }.joined(separator: ", "),
                ])
            }
        }
        return out.trimmingCharacters(in: .newlines)
    }

    /// `readme` with the text between the package-pairs markers replaced.
    /// - Throws: ``InputError`` when the markers are missing.
    package static func splice(_ section: String, into readme: String) throws -> String {
        try ReadmeSection.splice(section, into: readme, begin: begin, end: end, missing: "the package-pairs section markers are missing")
    }

    /// The text between the markers, or nil.
    package static func current(in readme: String) -> String? {
        ReadmeSection.current(in: readme, begin: begin, end: end)
    }
}
