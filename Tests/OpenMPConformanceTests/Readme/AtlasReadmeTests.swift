import Foundation
import Testing
@testable import OpenMPConformance

@Suite("Atlas: the README's atlas section is generated, not typed")
struct AtlasReadmeTests {
    @Test("the README's atlas section equals the rendering of the checked-in snapshot")
    func notStale() throws {
        let readme = try String(contentsOfFile: TestRuntimes.root + "/README.md", encoding: .utf8)
        let (data, path) = try AtlasFixtures.anySnapshotData()
        let snap = try AtlasCodec.decode(data, file: path)
        let section = try #require(AtlasReadmeSection.current(in: readme), "README.md lacks the atlas section markers")
        #expect(section == AtlasReadmeSection.render(snap), "README atlas section is stale: run Scripts/update-readme.sh")
        #expect(!snap.partial && snap.cells.count == snap.runtimes.count * snap.runtimes.count)
    }

    @Test("HTML fits 1400 px (fixed table layout inside a bounded body) and says its legend in words")
    func htmlShape() throws {
        let (data, path) = try AtlasFixtures.anySnapshotData()
        let html = AtlasHTMLReport.render(try AtlasCodec.decode(data, file: path))
        #expect(html.contains("table-layout:fixed") && html.contains("max-width:1368px"))
        for o in Outcome.allCases { #expect(html.contains(XMLText.text(AtlasWords.singular(o)))) }
        #expect(!html.contains("<script"))
    }
}
