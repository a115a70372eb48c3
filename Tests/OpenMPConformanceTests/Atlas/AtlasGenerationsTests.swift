import Foundation
import Testing
@testable import OpenMPConformance

/// The registration generations (LLVM 9 and 11 register through an environment variable,
/// LLVM 13 and later through shared memory) and the runtime count the atlas records beside the
/// outcome. Live probes are compared with this host's checked-in snapshot: what the probe
/// observed, never an outcome typed here.
@Suite("Atlas: registration generations and how many runtimes ran")
struct AtlasGenerationsTests {
    static var generationsProvisioned: Bool {
        guard let catalog = try? AtlasFixtures.catalog() else { return false }
        return ["gnu", "llvm9", "llvm11", "llvm16"].allSatisfy { n in
            catalog.runtime(named: n).map { FileManager.default.fileExists(atPath: $0.path) } ?? false
        }
    }

    static var canCompare: Bool {
        generationsProvisioned && AtlasFixtures.snapshot?.cell(first: "llvm11", second: "llvm16")?.observation(.withoutVariable)?.runtimesRan != nil
    }

    /// Measures `cells` (ids `first>second`) with real probes.
    static func measure(_ cells: [String]) async throws -> [AtlasCell] {
        let names = Array(Set(cells.flatMap { $0.split(separator: ">").map(String.init) })).sorted()
        let plan = try AtlasPlan.make(catalog: AtlasFixtures.catalog(), names: names).selecting(Set(cells))
        let run = await AtlasRunner(plan: plan).run()
        #expect(!run.interrupted)
        return run.cells
    }

    @Test("LLVM 11 with LLVM 16 (both orders), LLVM 9 with LLVM 11, a control and GNU: the probe sees what the snapshot records",
          .enabled(if: canCompare, "needs llvm9, llvm11, llvm16 provisioned (Scripts/provision-runtimes.sh) and a schema-2 snapshot for this host"))
    func generationsAgainstSnapshot() async throws {
        let snap = try #require(AtlasFixtures.snapshot)
        let ids = ["llvm11>llvm16", "llvm16>llvm11", "llvm9>llvm11", "llvm11>llvm11", "gnu>llvm11"]
        for cell in try await Self.measure(ids) {
            let base = try #require(snap.cell(first: cell.first, second: cell.second), "\(cell.id) is in the snapshot")
            for v in AtlasVariant.allCases {
                let live = try #require(cell.observation(v), "\(cell.id) \(v.rawValue) ran")
                let recorded = try #require(base.observation(v))
                #expect(live.outcomes == recorded.outcomes, "\(cell.id) \(v.rawValue): \(AtlasWords.observation(live)), snapshot \(AtlasWords.observation(recorded))")
                #expect(live.runtimesRan == recorded.runtimesRan, "\(cell.id) \(v.rawValue): \(AtlasWords.observation(live)), snapshot \(AtlasWords.observation(recorded))")
                // What the words rest on, from this probe: a pass that ran two KMP runtimes without
                // the variable had no Error #15; an abort names Error #15 and recorded no count.
                if live.ran == .twoUndetected { #expect(v == .withoutVariable && live.outcome == .pass) }
                if live.outcome == .duplicateRuntimeAbort {
                    #expect(live.runtimesRan == nil && live.message.contains("#15"), "\(cell.id): \(live.message)")
                }
                if cell.diagonal == .control, live.outcome == .pass { #expect(live.ran == .one, "one file is one runtime") }
            }
        }
    }

    @Test("the checked-in snapshot holds no machine path: cache files relative, repro lines through the kit's variables",
          .enabled(if: AtlasFixtures.hasSnapshot, "no atlas snapshot for this host in Matrices/atlas"))
    func snapshotPaths() throws {
        let text = try String(contentsOfFile: AtlasFixtures.snapshotPath, encoding: .utf8)
        for bad in ["/work/", "/root/", "/home/", "/tmp/", "/.cache/", "/.build/"] {
            #expect(!text.contains(bad), "\(AtlasFixtures.snapshotPath) names \(bad)")
        }
        let snap = try #require(AtlasFixtures.snapshot)
        let paths = snap.runtimes.map(\.path) + snap.cells.compactMap { $0.secondFile?.path } + snap.host.runtimes.map(\.path)
        for p in paths where p.hasPrefix("/") { #expect(p.hasPrefix("/usr/"), "a system file or a cache-relative path: \(p)") }
        // `$OMP_PROBE` (or the executable shape's linked copy of it in the runtime cache), then the probe's
        // OMPT tool from the runtime cache when it was used, then the runtimes.
        let probeThenRuntimes = #/(\$OMP_PROBE|\$OMP_CONFORMANCE_RUNTIMES/\S*/omp-probe) (--ompt-tool \$OMP_CONFORMANCE_RUNTIMES/\S+ )?--runtime /#
        let repros = snap.cells.flatMap(\.observations).map(\.repro) + (snap.concurrency ?? []).map(\.repro)
            + (snap.shapes ?? []).filter { $0.skipped == nil }.map(\.repro)
        for r in repros {
            #expect(r.contains(probeThenRuntimes), "\(r)")
        }
    }

    @Test("portable(): cache paths become relative, repro lines use $OMP_CONFORMANCE_RUNTIMES and $OMP_PROBE; system files stay")
    func portable() throws {
        let (data, path) = try AtlasFixtures.anySnapshotData()
        var atlas = try AtlasCodec.decode(data, file: path)
        let cache = "/home/someone/.cache/openmp-conformance/runtimes"
        atlas.runtimes = atlas.runtimes.map { r in
            var r = r
            if !r.path.hasPrefix("/") { r.path = cache + "/" + r.path }
            return r
        }
        atlas.cells[0].observations[0].repro = "env -i X=1 /home/someone/src/kit/.build/release/omp-probe --runtime a=\(cache)/llvm16/libomp.so.5 "
            + "--runtime b=/usr/lib/x86_64-linux-gnu/libgomp.so.1 --steps 'load a'"
        let out = atlas.portable(runtimesDirectories: [cache])
        #expect(out.runtimes.allSatisfy { !$0.path.hasPrefix(cache) })
        #expect(out.cells[0].observations[0].repro == "env -i X=1 $OMP_PROBE --runtime a=$OMP_CONFORMANCE_RUNTIMES/llvm16/libomp.so.5 "
                + "--runtime b=/usr/lib/x86_64-linux-gnu/libgomp.so.1 --steps 'load a'")
    }

    @Test("a schema-1 atlas still reads: nothing observed about runtimes, and a pass reads 'runs'")
    func schemaOne() throws {
        let (data, _) = try AtlasFixtures.anySnapshotData()
        var o = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        o["schemaVersion"] = 1
        o["kind"] = nil  // written from schema 4 on
        var cells = try #require(o["cells"] as? [[String: Any]])
        for i in cells.indices {
            cells[i]["observations"] = (cells[i]["observations"] as? [[String: Any]] ?? []).map { ob in
                var ob = ob
                ob["runtimesRan"] = nil
                return ob
            }
        }
        o["cells"] = cells
        let atlas = try AtlasCodec.decode(JSONSerialization.data(withJSONObject: o), file: "schema1.json")
        let passes = atlas.cells.flatMap(\.observations).filter { $0.outcome == .pass }
        #expect(!passes.isEmpty)
        #expect(passes.allSatisfy { $0.runtimesRan == nil && AtlasWords.observation($0) == "runs" })
        #expect(AtlasResults.currentSchemaVersion == 4 && atlas.schemaVersion == 1 && atlas.kind == .atlas)
    }

    @Test("the words: a pass says how many runtimes ran; the terminal code carries it")
    func words() throws {
        func pass(_ ran: [AtlasRuntimesRan]?) -> AtlasObservation {
            AtlasObservation(variant: .withoutVariable, plan: "", outcomes: [.pass], runs: [.pass], repro: "r", message: "",
                             durationSeconds: 0, runtimesRan: ran)
        }
        #expect(AtlasWords.observation(pass([.twoUndetected])) == "runs, two runtimes undetected")
        #expect(AtlasWords.observation(pass([.two])) == "runs, two runtimes")
        #expect(AtlasWords.observation(pass([.one])) == "runs, one runtime")
        #expect(AtlasSummaryReport.code(pass([.twoUndetected])) == "Ru")
        #expect(AtlasWords.passesByRuntimes([pass([.one]), pass([.twoUndetected]), pass([.twoUndetected])])
                == "1 with one runtime and 2 with two runtimes undetected")
    }
}
