import Foundation
import Testing
@testable import OpenMPConformance

/// A sampled subset of the atlas, measured now with real probes, compared with this host's
/// checked-in snapshot by the same rules as `atlas --baseline`.
@Suite("Atlas: a sampled subset agrees with the checked-in snapshot")
struct AtlasSnapshotTests {
    /// The sample, chosen from the snapshot's data (never from expected outcomes): for every
    /// ordered vendor combination the first pair of distinct runtimes and its reverse, every
    /// copy pair, and one cell (with its reverse) for every distinct outcome set, with the runtime
    /// count beside it, the snapshot records.
    static func sample(_ snap: AtlasResults) -> Set<String> {
        var ids = Set<String>()
        let vendors = ["gnu", "llvm", "intel"]
        for f in vendors {
            for s in vendors {
                let ran = snap.cells.filter { $0.notRun == nil && $0.firstIdentity?.vendor == f && $0.secondIdentity?.vendor == s }
                if let c = ran.first(where: { $0.diagonal == nil }) ?? ran.first {
                    ids.insert(c.id)
                    ids.insert("\(c.second)>\(c.first)")
                }
            }
        }
        for c in snap.cells where c.diagonal == .copy { ids.insert(c.id) }
        // Keyed by the outcome set and the runtime count beside it (one / two / two undetected).
        var seen = Set<String>()
        for c in snap.cells where c.notRun == nil {
            for o in c.observations where seen.insert("\(o.outcomes) \(o.runtimesRan ?? [])").inserted {
                ids.insert(c.id)
                ids.insert("\(c.second)>\(c.first)")
            }
        }
        return ids
    }

    @Test("sampled cells re-measured here match the snapshot, unexpected passes included",
          .enabled(if: AtlasFixtures.hasSnapshot, "no atlas snapshot for this host in Matrices/atlas"))
    func sampledSubsetMatchesSnapshot() async throws {
        let snap = try #require(AtlasFixtures.snapshot)
        let ids = Self.sample(snap)
        let sampled = snap.cells.filter { ids.contains($0.id) }
        // The sample covers what the issue asks: each vendor combination in both orders, and a copy pair.
        let combos = Set(sampled.compactMap { c in c.firstIdentity.flatMap { f in c.secondIdentity.map { "\(f.vendor)>\($0.vendor)" } } })
        let present = Set(snap.cells.compactMap { c in c.firstIdentity.flatMap { f in c.secondIdentity.map { "\(f.vendor)>\($0.vendor)" } } })
        #expect(combos == present, "vendor combinations sampled: \(combos.sorted()), in the snapshot: \(present.sorted())")
        #expect(sampled.contains { $0.diagonal == .copy }, "a copy pair is sampled")
        for c in sampled where c.diagonal == nil {
            #expect(ids.contains("\(c.second)>\(c.first)"), "\(c.id) is sampled in both orders")
        }

        let plan = try AtlasPlan.make(catalog: AtlasFixtures.catalog(), names: snap.runtimes.map(\.name)).selecting(ids)
        for r in plan.runtimes where r.notProvisioned != nil && snap.runtime(named: r.name)?.notProvisioned == nil {
            Issue.record("\(r.name) is in the snapshot but not provisioned here: \(r.notProvisioned!); run Scripts/provision-runtimes.sh")
        }
        let run = await AtlasRunner(plan: plan).run()
        #expect(!run.interrupted)
        let measured = AtlasResults(partial: run.interrupted, startedAt: "now", finishedAt: nil, host: .current(),
                                    environment: HostEnvironment.shared.probeEnvironment.record, runtimes: plan.runtimes,
                                    standIns: plan.standIns, cells: run.cells)
        let comparison = Gate.compare(atlas: measured, baseline: snap, onlyRun: true)
        #expect(comparison.passed, "\(comparison.text)")
        #expect(comparison.compared == sampled.filter { $0.notRun == nil }.count * AtlasVariant.allCases.count)
    }
}
