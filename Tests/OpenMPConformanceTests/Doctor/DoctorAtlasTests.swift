import Foundation
import Testing
@testable import OpenMPConformance

extension DoctorTests {
    /// The doctor cites atlas cells (`Matrices/atlas/<host key>.json`) for the pairs it probes.
    @Suite("doctor cites the atlas", .enabled(if: !TestRuntimes.all.isEmpty, Comment(rawValue: TestRuntimes.missingReason)))
    struct AtlasTests {
        /// A snapshot in the atlas's JSON shape, holding one cell for `first` > `second`.
        static func snapshot(first: RuntimeIdentity, firstRelease: String, second: RuntimeIdentity, secondRelease: String,
                             secondSHA: String? = nil) throws -> String {
            func identity(_ id: RuntimeIdentity, _ release: String, _ sha: String) -> [String: Any] {
                ["family": id.family.rawValue, "vendor": id.vendor.rawValue, "release": release, "sha256": sha]
            }
            let cell: [String: Any] = [
                "first": "intel", "second": "llvm16",
                "firstIdentity": identity(first, firstRelease, first.sha256),
                "secondIdentity": identity(second, secondRelease, secondSHA ?? second.sha256),
                "observations": [["variant": "without", "outcomes": ["duplicate-runtime-abort"]],
                                 ["variant": "with", "outcomes": ["hang-at-exit"]]],
            ]
            let path = try DoctorFixtures.temporaryDirectory("atlas") + "/atlas.json"
            try JSONSerialization.data(withJSONObject: ["schemaVersion": 1, "cells": [cell]]).write(to: URL(fileURLWithPath: path))
            return path
        }

        @Test("a cell of these very files is cited exactly; another file of the same release by its release; none without a snapshot")
        func citations() async throws {
            let v = try DoctorFixtures.venv()
            defer { try? FileManager.default.removeItem(atPath: v.root) }
            let intel = try #require(try RuntimeIdentity.identify(path: v.intel))
            let llvm = try #require(try RuntimeIdentity.identify(path: v.vendored))
            let exact = try Self.snapshot(first: intel, firstRelease: "2025.2.1", second: llvm, secondRelease: "16.0.6")
            let sameRelease = try Self.snapshot(first: intel, firstRelease: "2025.2.1", second: llvm, secondRelease: "16.0.6",
                                                secondSHA: String(repeating: "0", count: 64))
            defer { for p in [exact, sameRelease] { try? FileManager.default.removeItem(atPath: (p as NSString).deletingLastPathComponent) } }

            let r1 = try await Doctor.diagnose(paths: [v.root], options: .init(fixCheck: false, atlas: DoctorAtlas.snapshot(at: exact)))
            let c1 = try #require(r1.pairs.first?.atlas.first)
            #expect(c1.contains("intel>llvm16") && c1.contains("these very files") && c1.contains("with: hang-at-exit"), "\(c1)")
            #expect(r1.answer.contains { $0.hasPrefix("Atlas:") && $0.contains("intel>llvm16") })

            let r2 = try await Doctor.diagnose(paths: [v.root], options: .init(fixCheck: false, atlas: DoctorAtlas.snapshot(at: sameRelease)))
            let c2 = try #require(r2.pairs.first?.atlas.first)
            #expect(c2.contains("the same releases, other files"), "\(c2)")

            let missing = DoctorAtlas.snapshot(at: "/nonexistent/omp-doctor-atlas.json")
            #expect(missing.note?.contains("no snapshot") == true)
            let r3 = try await Doctor.diagnose(paths: [v.root], options: .init(fixCheck: false, atlas: missing))
            #expect(r3.pairs.allSatisfy { $0.atlas.isEmpty })
            #expect(r3.notes.contains { $0.contains("no snapshot") })
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
