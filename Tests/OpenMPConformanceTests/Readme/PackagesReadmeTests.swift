import Foundation
import Testing
@testable import OpenMPConformance

@Suite("Packages: the README's package-pairs table is generated, not typed")
struct PackagesReadmeTests {
    @Test("the README's package-pairs section equals the rendering from the wheel catalog and the atlas snapshot")
    func notStale() throws {
        let readme = try String(contentsOfFile: TestRuntimes.root + "/README.md", encoding: .utf8)
        let catalog = try WheelCatalog.load(WheelCatalogTests.url)
        let (atlas, source) = PackageDoctor.linuxAtlas(root: URL(fileURLWithPath: TestRuntimes.root))
        let (windows, windowsSource) = PackageDoctor.windowsAtlas(root: URL(fileURLWithPath: TestRuntimes.root))
        let section = try #require(PackagesReadmeSection.current(in: readme), "README.md lacks the package-pairs section markers")
        #expect(section == PackagesReadmeSection.render(catalog: catalog, atlas: atlas, atlasSource: source,
                                                            windowsAtlas: windows, windowsAtlasSource: windowsSource),
                "README package-pairs section is stale: run Scripts/update-readme.sh")
    }

    @Test("every pair of the table has a wheel in the catalog for each package, and one row per pair and platform")
    func rows() throws {
        let catalog = try WheelCatalog.load(WheelCatalogTests.url)
        let root = URL(fileURLWithPath: TestRuntimes.root)
        let text = PackagesReadmeSection.render(catalog: catalog, atlas: PackageDoctor.linuxAtlas(root: root).0, atlasSource: "x.json",
                                                windowsAtlas: PackageDoctor.windowsAtlas(root: root).0, windowsAtlasSource: "w.json")
        for (platform, packages) in PackagesReadmeSection.pairs {
            for p in packages { #expect(catalog.wheel(package: p, platform: platform) != nil, "\(p) on \(platform.rawValue)") }
        }
        #expect(text.components(separatedBy: "\n| ").count - 1 == PackagesReadmeSection.pairs.count + WheelCatalog.Platform.allCases.count)
        for p in WheelCatalog.Platform.allCases { #expect(text.contains(MarkdownText.text(PackageDoctor.label(p)))) }
    }
}
