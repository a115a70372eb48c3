import Foundation
import Testing
@testable import OpenMPConformance

@Suite("Atlas: JSON codec, validation, comparison and lookup")
struct AtlasCodecTests {
    func snapshotObject() throws -> [String: Any] {
        let (data, _) = try AtlasFixtures.anySnapshotData()
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    func decode(_ o: [String: Any]) throws -> AtlasResults {
        try AtlasCodec.decode(JSONSerialization.data(withJSONObject: o), file: "edited.json")
    }

    /// The document with cell `index` edited.
    func editingCell(_ index: (([[String: Any]]) -> Int?), _ edit: (inout [String: Any]) -> Void) throws -> [String: Any] {
        var o = try snapshotObject()
        var cells = try #require(o["cells"] as? [[String: Any]])
        let i = try #require(index(cells))
        edit(&cells[i])
        o["cells"] = cells
        return o
    }

    @Test("a snapshot decodes, encodes and decodes to an equal value")
    func roundTrip() throws {
        let (data, path) = try AtlasFixtures.anySnapshotData()
        let a = try AtlasCodec.decode(data, file: path)
        let b = try AtlasCodec.decode(ResultsCodec.encode(a), file: "re-encoded")
        #expect(a == b)
        #expect(!a.cells.isEmpty)
        #expect(a.cells.allSatisfy { $0.notRun != nil || $0.observations.allSatisfy { !$0.repro.isEmpty } }, "a repro line per cell")
    }

    @Test("another schema version is refused, naming both versions")
    func schemaVersion() throws {
        var o = try snapshotObject()
        o["schemaVersion"] = 99
        #expect { try decode(o) } throws: { "\($0)".contains("schema 99") && "\($0)".contains("edited.json") }
    }

    @Test("a cell naming a runtime that is not on the axes is refused")
    func unknownRuntimeInCell() throws {
        let o = try editingCell({ $0.isEmpty ? nil : 0 }) { $0["first"] = "nowhere" }
        #expect { try decode(o) } throws: { "\($0)".contains("not in runtimes") }
    }

    @Test("an outcome set that is not the set of its runs is refused")
    func outcomesMustMatchRuns() throws {
        let o = try editingCell({ cells in cells.firstIndex { (($0["observations"] as? [Any])?.count ?? 0) > 0 } }) { cell in
            var obs = cell["observations"] as! [[String: Any]]
            obs[0]["outcomes"] = ["crash"]
            cell["observations"] = obs
        }
        #expect { try decode(o) } throws: { "\($0)".contains("not the set of its runs") }
    }

    @Test("malformed JSON and duplicate keys are refused with line and column")
    func malformed() throws {
        #expect { try AtlasCodec.decode(Data("{\"schemaVersion\": 1,\n \"cells\": [}".utf8), file: "bad.json") } throws: {
            ($0 as? InputError)?.line == 2
        }
        #expect { try AtlasCodec.decode(Data("{\"schemaVersion\": 1, \"schemaVersion\": 1}".utf8), file: "dup.json") } throws: {
            "\($0)".contains("duplicate key")
        }
    }

    @Test("the gate fails an atlas on a changed cell, an unexpected pass included, and passes it on itself")
    func comparison() throws {
        let (data, path) = try AtlasFixtures.anySnapshotData()
        let base = try AtlasCodec.decode(data, file: path)
        #expect(Gate.compare(atlas: base, baseline: base).passed)
        var run = base
        let i = try #require(run.cells.firstIndex { $0.observation(.withoutVariable).map { $0.outcomes != [.pass] } ?? false },
                             "the snapshot has a cell that does not pass without the variable")
        let j = run.cells[i].observations.firstIndex { $0.variant == .withoutVariable }!
        run.cells[i].observations[j].outcomes = [.pass]
        run.cells[i].observations[j].runs = [.pass]
        let c = Gate.compare(atlas: run, baseline: base)
        #expect(!c.passed)
        #expect(c.findings.contains { $0.kind == .unexpected && $0.cellID == "\(run.cells[i].id)/\(AtlasVariant.withoutVariable.rawValue)"
            && $0.observed == .pass })
        var fewer = base
        fewer.cells.removeLast()
        #expect(!Gate.compare(atlas: fewer, baseline: base).passed, "a missing cell fails a full comparison")
        #expect(Gate.compare(atlas: fewer, baseline: base, onlyRun: true).passed, "a sampled subset is not missing cells")
        // A runtime file that changed fails, named.
        var other = base
        let k = try #require(other.runtimes.firstIndex { $0.identity != nil })
        other.runtimes[k].identity!.sha256 = String(repeating: "0", count: 64)
        let changed = Gate.compare(atlas: other, baseline: base)
        #expect(changed.findings.contains { $0.kind == .runtimeChanged && $0.detail.hasPrefix(other.runtimes[k].name) })
    }

    @Test("lookup by the identities of files read from disk finds the measured cell",
          .enabled(if: AtlasFixtures.hasSnapshot, "no atlas snapshot for this host in Matrices/atlas"))
    func lookup() throws {
        let snap = try #require(AtlasFixtures.snapshot)
        let catalog = try AtlasFixtures.catalog()
        let provisioned = snap.runtimes.filter { $0.identity != nil }
        let a = try #require(provisioned.first { $0.identity?.vendor == "intel" }), b = try #require(provisioned.first { $0.identity?.vendor == "llvm" })
        let pathA = try catalog.require(a.name).path, pathB = try catalog.require(b.name).path
        let ra = try #require(try RuntimeIdentity.identify(path: pathA))
        let rb = try #require(try RuntimeIdentity.identify(path: pathB))
        let hit = try #require(Atlas.lookup(first: ra, second: rb, in: snap))
        #expect(hit.exact && hit.cell.first == a.name && hit.cell.second == b.name)
        // Another build of the same release (other SHA-256) matches by release, not exactly.
        var other = try #require(b.identity)
        other.sha256 = String(repeating: "f", count: 64)
        let idA = try #require(a.identity)
        let near = try #require(Atlas.lookup(first: idA, second: other, in: snap))
        #expect(!near.exact && near.cell.second == b.name)
        // The same file twice finds the diagonal.
        #expect(Atlas.lookup(first: ra, second: ra, in: snap)?.cell.first == a.name)
    }
}
