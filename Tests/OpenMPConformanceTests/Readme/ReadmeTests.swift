import Foundation
import Testing
@testable import OpenMPConformance

@Suite("The README is generated, not typed")
struct ReadmeTests {
    @Test("the README's results section equals the rendering of the checked-in snapshot of a real run")
    func notStale() throws {
        let root = TestRuntimes.root
        let readme = try String(contentsOfFile: root + "/README.md", encoding: .utf8)
        let dir = root + "/Matrices/baselines"
        let snaps = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".verdicts.json") }.sorted()
        let name = try #require(snaps.first, "no verdict snapshot in Matrices/baselines: run Scripts/update-readme.sh")
        let snap = try JSONDecoder().decode(ReadmeSection.Snapshot.self, from: Data(contentsOf: URL(fileURLWithPath: dir + "/" + name)))
        let section = try #require(ReadmeSection.current(in: readme), "README.md lacks the generated-section markers")
        #expect(section == ReadmeSection.render(snap), "README results section is stale: run Scripts/update-readme.sh")
        #expect(snap.claims.count >= 20, "the nine rows, their analogues and every claim")
    }
}
