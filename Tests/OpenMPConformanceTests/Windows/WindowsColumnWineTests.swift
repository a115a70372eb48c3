import Foundation
import Testing
@testable import OpenMPConformance

extension WineTests {
    /// Matrix cells of the Windows column, run by the same ``MatrixRunner`` under one
    /// ``WineSession``, each outcome compared with what the checked-in Windows atlas observed for
    /// the same pair of DLLs (never a hard-coded outcome). CI-only lane, with the other Wine tests.
    @Suite("Windows column: matrix cells probed under Wine, as the Windows atlas observed")
    struct MatrixColumnTests {
        struct Case: CustomTestStringConvertible, Sendable {
            var cell: String
            var variant: AtlasVariant
            var testDescription: String { cell }
        }
        /// torch 2.15.0's libiomp5md.dll started first, then ctranslate2 4.8.5's: without the
        /// variable (the atlas's `without` probe) and with it exported (`with`).
        static let cases = [
            Case(cell: "macos-lvm-training@windows/win-torch+ctranslate2/unset/framework-first/load+init", variant: .withoutVariable),
            Case(cell: "macos-lvm-training@windows/win-torch+ctranslate2/exported/framework-first/load+init", variant: .withVariable),
        ]

        static var snapshot: URL? {
            WindowsAtlas.snapshotURL(hostKey: HostInfo.current().key, packageRoot: URL(fileURLWithPath: TestRuntimes.root))
        }

        @Test("A Windows cell's outcome is the one the Windows atlas observed for its pair, and nothing is left running",
              .enabled(if: snapshot.map { FileManager.default.fileExists(atPath: $0.path) } ?? false,
                       "no Windows atlas snapshot for this host (omp-matrix atlas --platform windows-x86_64 --write-snapshot)"),
              arguments: cases)
        func cellAsAtlas(_ c: Case) async throws {
            let setup = try WineFixtures.setup.get()
            let catalog = try RuntimeCatalog()
            let inputs = Matrix.WindowsInputs.provisioned(manifest: catalog.manifest, directory: catalog.manifestURL.deletingLastPathComponent(),
                                                          environment: [:])
            let m = try Matrix.load(directory: URL(fileURLWithPath: TestRuntimes.root + "/Matrices"), windows: inputs)
            var cell = try #require(m.windowsCells.first { $0.id == c.cell })
            #expect(cell.testability.isTestable, "\(cell.testability.reason ?? "")")
            let atlas = try AtlasCodec.read(try #require(Self.snapshot))
            let pair = try #require(atlas.cells.first { $0.first == "win-intel-2026" && $0.second == "win-ctranslate2-4.8.5" })
            let observed = try #require(pair.observations.first { $0.variant == c.variant })

            let session = try WineSession.start(setup.launch)
            cell.wine = setup.launch
            let results = await MatrixRunner(cells: [cell], timeout: .seconds(30), jobs: 1).run()
            session.stop()
            let r = try #require(results.first)
            #expect(r.status == .ran && r.platform == WineTools.platform)
            let outcome = try #require(r.outcome)
            #expect(observed.outcomes.contains(outcome), "atlas \(pair.id) \(c.variant.rawValue): \(observed.outcomes), matrix cell: \(outcome) (\(r.message))")
            #expect(r.verdict == Verdicts.verdict(outcome: outcome, allowed: cell.allowed))
            // Judged apart: the host's verdicts see no Windows cell.
            let host = Verdicts.claims(m, results: results)
            #expect(host.allSatisfy { $0.agreeing + $0.disagreeing == 0 })
            let column = Verdicts.windows(m, results: results)
            let row = try #require(column.claims.first { $0.id == "macos-lvm-training@windows" })
            #expect(row.evidence == [c.cell])
            #expect(WineSession.serverPIDs(prefix: setup.launch.prefix).isEmpty, "a wineserver of the kit's prefix is left running")
        }
    }
}
