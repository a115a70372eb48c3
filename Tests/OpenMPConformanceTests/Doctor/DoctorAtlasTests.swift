import Foundation
import Testing
@testable import OpenMPConformance

extension DoctorTests {
    /// The doctor cites atlas cells (`Matrices/atlas/<host key>.json`) for the pairs it probes.
    @Suite("doctor cites the atlas", .enabled(if: !TestRuntimes.all.isEmpty, Comment(rawValue: TestRuntimes.missingReason)))
    struct AtlasTests {
        /// The committed snapshot the doctor cites from: the real measurements, read by the atlas's codec.
        static let committedPath = TestRuntimes.root + "/Matrices/atlas/debian12-x86_64-glibc2.36.json"

        /// The committed snapshot with every SHA-256 replaced, so that no file matches exactly and
        /// only the releases can: the case of another build or copy of a measured release.
        static func otherFiles(_ atlas: AtlasResults) -> AtlasResults {
            var a = atlas
            func other(_ id: AtlasIdentity?) -> AtlasIdentity? {
                id.map { AtlasIdentity(family: $0.family, vendor: $0.vendor, release: $0.release, sha256: String(repeating: "0", count: 64)) }
            }
            for i in a.cells.indices {
                a.cells[i].firstIdentity = other(a.cells[i].firstIdentity)
                a.cells[i].secondIdentity = other(a.cells[i].secondIdentity)
            }
            return a
        }

        /// What a citation says of a cell's observations, read from the cell itself.
        static func outcomes(_ c: AtlasCell) -> String {
            c.observations.map { "\($0.variant.rawValue): " + $0.outcomes.map(\.rawValue).joined(separator: " or ") }.joined(separator: ", ")
        }

        @Test("the committed atlas cites the cells of these very files in both start orders; other files of the same releases by their release")
        func citations() async throws {
            let atlas = try AtlasCodec.read(URL(fileURLWithPath: Self.committedPath))
            let v = try DoctorFixtures.venv()
            defer { try? FileManager.default.removeItem(atPath: v.root) }
            let intel = try #require(try RuntimeIdentity.identify(path: v.intel))
            let llvm = try #require(try RuntimeIdentity.identify(path: v.vendored))
            let forward = try #require(atlas.cell(first: "intel", second: "llvm16"))
            let backward = try #require(atlas.cell(first: "llvm16", second: "intel"))
            try #require(forward.firstIdentity?.sha256 == intel.sha256 && forward.secondIdentity?.sha256 == llvm.sha256,
                         "the provisioned intel and llvm16 files are not the ones the committed atlas measured")

            let r1 = try await Doctor.diagnose(paths: [v.root], options: .init(fixCheck: false, atlas: DoctorAtlas.snapshot(at: Self.committedPath)))
            let c1 = try #require(r1.pairs.first?.atlas)
            #expect(c1.count == 2, "\(c1)")
            for cell in [forward, backward] {
                #expect(c1.contains { $0.hasPrefix("atlas cell \(cell.id) (these very files;") && $0.hasSuffix("): " + Self.outcomes(cell)) }, "\(cell.id): \(c1)")
            }
            #expect(r1.answer.contains { $0.hasPrefix("Atlas:") && $0.contains("intel>llvm16") })
            #expect(r1.notes.contains("Atlas: \(Self.committedPath) (\(atlas.cells.count) cells)."), "\(r1.notes)")

            let r2 = try await Doctor.diagnose(paths: [v.root], options: .init(fixCheck: false, atlas: DoctorAtlas.citing(Self.otherFiles(atlas), source: "other files")))
            let c2 = try #require(r2.pairs.first?.atlas)
            #expect(c2.count == 2, "\(c2)")
            for cell in [forward, backward] {
                #expect(c2.contains { $0.hasPrefix("atlas cell \(cell.id) (the same releases, other files;") && $0.hasSuffix("): " + Self.outcomes(cell)) }, "\(cell.id): \(c2)")
            }
        }

        @Test("no snapshot, or one the atlas's codec refuses: nothing cited, and a note that says why")
        func noCitations() async throws {
            let dir = try DoctorFixtures.temporaryDirectory("atlas")
            defer { try? FileManager.default.removeItem(atPath: dir) }
            // Cases the committed snapshot cannot give: a missing file, a broken one, one of a future schema.
            try "{\"schemaVersion\": 1, \"cells\": [".write(toFile: dir + "/broken.json", atomically: true, encoding: .utf8)
            try "{\"schemaVersion\": 99, \"cells\": []}".write(toFile: dir + "/future.json", atomically: true, encoding: .utf8)
            let cases: [(String, String)] = [("/nonexistent/omp-doctor-atlas.json", "no snapshot"),
                                             (dir + "/broken.json", "is not a readable atlas snapshot"),
                                             (dir + "/future.json", "is not a readable atlas snapshot")]
            let v = try DoctorFixtures.venv()
            defer { try? FileManager.default.removeItem(atPath: v.root) }
            let intel = DoctorRuntime(identity: try #require(try RuntimeIdentity.identify(path: v.intel)), path: v.intel, foundBy: "scan",
                                      installedBy: "intel-openmp 2025.2.1")
            let llvm = DoctorRuntime(identity: try #require(try RuntimeIdentity.identify(path: v.vendored)), path: v.vendored, foundBy: "scan")
            #expect(!DoctorAtlas.snapshot(at: Self.committedPath).cite(intel, llvm).isEmpty, "the committed atlas cites this pair")
            for (path, words) in cases {
                let atlas = DoctorAtlas.snapshot(at: path)
                #expect(atlas.note?.contains(words) == true && atlas.note?.contains(path) == true, "\(path): \(atlas.note ?? "no note")")
                #expect(atlas.cite(intel, llvm).isEmpty, "\(path)")
            }
            let r = try await Doctor.diagnose(paths: [v.root], options: .init(fixCheck: false, atlas: DoctorAtlas.snapshot(at: cases[0].0)))
            #expect(!r.pairs.isEmpty && r.pairs.allSatisfy { $0.atlas.isEmpty })
            #expect(r.notes.contains { $0.contains("no snapshot") })
        }

        @Test("with this host's checked-in atlas, the venv's Intel + LLVM 16 pair is cited from it",
              .enabled(if: FileManager.default.fileExists(atPath: TestRuntimes.root + "/Matrices/atlas/\(HostInfo.current().key).json"),
                       "no atlas snapshot for this host in Matrices/atlas/"))
        func checkedInSnapshot() async throws {
            let v = try DoctorFixtures.venv()
            defer { try? FileManager.default.removeItem(atPath: v.root) }
            let r = try await Doctor.diagnose(paths: [v.root], options: .init(fixCheck: false))
            let cites = try #require(r.pairs.first?.atlas)
            #expect(!cites.isEmpty, "the provisioned intel and llvm16 files are in the atlas, so the copies' SHA-256 match")
        }
    }
}
