import Foundation
import Testing
@testable import OpenMPConformance

extension RuntimesTests {
    /// The zip reader and zlib's inflate on real wheels and on archives Python's zipfile wrote,
    /// some damaged on purpose (Tests/Oracles/zip_fixtures.py says how each one is).
    @Suite("zip archives: real wheels, damaged members, Zip64")
    struct ZipArchiveTests {
        // MARK: real wheels

        /// The kept wheels, by name, from the runtime cache's manifest.
        static let keptWheels: [String: (path: String, record: RuntimeManifest.WheelRecord)] = {
            guard let catalog = try? RuntimeCatalog() else { return [:] }
            var out: [String: (String, RuntimeManifest.WheelRecord)] = [:]
            for w in catalog.manifest.wheels {
                let path = w.path.hasPrefix("/") ? w.path : catalog.directory.appendingPathComponent(w.path).path
                if FileManager.default.fileExists(atPath: path) { out[w.name] = (path, w) }
            }
            return out
        }()
        static let wheelNames = ["faiss-cpu", "torch-macos-arm64", "faiss-cpu-macos-arm64"]
        static let wheelsProvisioned = wheelNames.allSatisfy { keptWheels[$0] != nil }

        /// Each member's (size, CRC-32) as Python's zipfile reads the central directory.
        static func zipfileListing(_ wheel: String) async throws -> [String: [UInt32]] {
            let python = try #require(Python.withJSON, "\(Python.noPython)")
            let script = """
            import json, sys, zipfile
            print(json.dumps({i.filename: [i.file_size, i.CRC] for i in zipfile.ZipFile(sys.argv[1]).infolist()}))
            """
            let r = try await Python.run(python, ["-c", script, wheel], input: Data())
            try #require(r.status == 0, "zipfile could not list \(wheel): \(r.stderr)")
            return try JSONDecoder().decode([String: [UInt32]].self, from: r.stdout)
        }

        @Test("every member of the kept wheels inflates, passes its CRC-32, and matches zipfile's listing; the vendored runtimes match their pinned SHA-256",
              .enabled(if: wheelsProvisioned, "the kept wheels (faiss-cpu, torch-macos-arm64, faiss-cpu-macos-arm64) are not all provisioned here (omp-matrix provision)"),
              .enabled(if: Python.withJSON != nil, Comment(rawValue: Python.noPython)),
              arguments: wheelNames)
        func realWheel(_ name: String) async throws {
            let (path, record) = try #require(Self.keptWheels[name])
            let zip = try ZipArchive(path: path)
            let listing = try await Self.zipfileListing(path)
            #expect(zip.members.count == listing.count)
            #expect(zip.members.contains { $0.method == 8 }, "the wheel has deflated members")
            var inflated = 0
            for m in zip.members {
                #expect(listing[m.name] == [UInt32(m.uncompressedSize), m.crc32], "\(m.name)")
                let bytes = try zip.contents(of: m)
                #expect(bytes.count == m.uncompressedSize)
                inflated += bytes.count
            }
            #expect(inflated > 0)
            #expect(!record.vendors.isEmpty, "the manifest lists the runtime \(name) vendors")
            for v in record.vendors {
                let m = try #require(zip.members.first { $0.name == v.member }, "\(v.member) is not in \(path)")
                let bytes = try zip.contents(of: m)
                #expect(Self.sha256(bytes) == v.sha256, "\(v.member)")
            }
        }

        /// `raw` points into memory that `bytes` owns: it must stay alive while the hash reads it.
        static func sha256(_ bytes: FileBytes) -> String {
            withExtendedLifetime(bytes) { SHA256.hex(of: bytes.raw) }
        }

        // MARK: archives written by zipfile

        struct Fixtures: Decodable {
            struct Member: Decodable { var size: Int; var crc: UInt32; var sha256: String }
            var members: [String: Member]
            var archives: [String]
            var directory = ""
            enum CodingKeys: String, CodingKey { case members, archives }
            func path(_ name: String) -> String { directory + "/" + name }
            func remove() { try? FileManager.default.removeItem(atPath: directory) }
        }

        /// Writes the archives into a fresh temporary directory; the caller removes it (`remove`).
        static func fixtures() async throws -> Fixtures {
            let python = try #require(Python.withJSON, "\(Python.noPython)")
            let dir = try RuntimeFixtures.temporaryDirectory("zip-fixtures")
            let r = try await Python.run(python, [Python.oracles + "/zip_fixtures.py", dir.path], input: Data())
            guard r.status == 0 else {
                try? FileManager.default.removeItem(at: dir)
                throw Python.Failure(description: "zip_fixtures.py exited \(r.status): \(r.stderr)")
            }
            var f = try JSONDecoder().decode(Fixtures.self, from: r.stdout)
            f.directory = dir.path
            return f
        }

        static func member(_ zip: ZipArchive, _ name: String) throws -> ZipArchive.Member {
            try #require(zip.members.first { $0.name == name }, "\(name) is not in \(zip.path)")
        }

        @Test("archives zipfile reads, classic and Zip64, give every member back byte for byte",
              .enabled(if: Python.withJSON != nil, Comment(rawValue: Python.noPython)),
              arguments: ["good.zip", "zip64.zip", "zip64-masked.zip"])
        func readable(_ archive: String) async throws {
            let f = try await Self.fixtures()
            defer { f.remove() }
            let zip = try ZipArchive(path: f.path(archive))
            #expect(Set(zip.members.map(\.name)) == Set(f.members.keys))
            for m in zip.members {
                let want = try #require(f.members[m.name])
                let bytes = try zip.contents(of: m)
                #expect(bytes.count == want.size && m.crc32 == want.crc, "\(m.name)")
                #expect(Self.sha256(bytes) == want.sha256, "\(m.name)")
            }
        }

        @Test("a damaged member fails with its own problem, naming the archive and the member", .enabled(if: Python.withJSON != nil, Comment(rawValue: Python.noPython)),
              arguments: [
                  ("corrupt-stream.zip", "corrupt deflate stream"),
                  ("crc-mismatch.zip", "fails its CRC-32 check"),
                  ("truncated-stream.zip", "the deflate stream is cut off"),
                  ("longer.zip", "inflates to more than the 299999 bytes"),
                  ("shorter.zip", "inflated 300000 bytes, the directory records 300001"),
                  ("encrypted.zip", "is encrypted, which is not supported"),
              ])
        func damaged(_ archive: String, _ says: String) async throws {
            let f = try await Self.fixtures()
            defer { f.remove() }
            let zip = try ZipArchive(path: f.path(archive))
            let lib = try Self.member(zip, "lib/libdata.so")
            let error = try #require(throws: ZipArchive.EntryError.self) { try zip.contents(of: lib) }
            #expect(error.archive == zip.path && error.member == "lib/libdata.so")
            #expect(error.description.hasPrefix("\(zip.path)!lib/libdata.so: "), "\(error)")
            #expect(error.description.contains(says), "\(error)")
            switch (archive, error.problem) {
            case ("corrupt-stream.zip", .corruptStream(let msg, inflated: 0)): #expect(msg == "invalid block type")
            case ("crc-mismatch.zip", .crcMismatch(let recorded, let computed)): #expect(recorded == computed ^ 1)
            case ("truncated-stream.zip", .truncatedStream(let n)): #expect(n > 0 && n < 300_000)
            case ("longer.zip", .longerThanRecorded(299_999)), ("shorter.zip", .shorterThanRecorded(300_000, 300_001)),
                 ("encrypted.zip", .encrypted): break
            default: Issue.record("\(archive): unexpected problem \(error.problem)")
            }
            // The other members of the same archive still read.
            #expect(try zip.contents(of: try Self.member(zip, "README")).count == 16)
        }

        @Test("a cut-off archive, and Zip64 end records without their locator or record, are refused naming the file",
              .enabled(if: Python.withJSON != nil, Comment(rawValue: Python.noPython)),
              arguments: [("truncated-archive.zip", "not a zip archive"), ("zip64-no-locator.zip", "Zip64 record or its locator"),
                          ("zip64-bad-record.zip", "the Zip64 locator points at no Zip64 end-of-central-directory record")])
        func unreadableDirectory(_ archive: String, _ says: String) async throws {
            let f = try await Self.fixtures()
            defer { f.remove() }
            let path = f.path(archive)
            let error = try #require(throws: BinaryFileError.self) { _ = try ZipArchive(path: path) }
            #expect(error.description.hasPrefix(path + ": ") && error.description.contains(says), "\(error)")
        }

        @Test("the scanner lists a damaged member as skipped with its problem, once, under its own path",
              .enabled(if: Python.withJSON != nil, Comment(rawValue: Python.noPython)))
        func scannerSkips() async throws {
            let f = try await Self.fixtures()
            defer { f.remove() }
            let path = f.path("crc-mismatch.zip")
            let dir = try RuntimeFixtures.temporaryDirectory("zip-scan")
            defer { try? FileManager.default.removeItem(at: dir) }
            let wheel = dir.appendingPathComponent("damaged-1.0-py3-none-any.whl").path
            try FileManager.default.copyItem(atPath: path, toPath: wheel)
            let report = try RuntimeScanner().scan(paths: [wheel])
            let skipped = report.skipped.filter { $0.path == wheel + "!lib/libdata.so" }
            #expect(skipped.count == 1 && skipped.first?.reason.hasPrefix("fails its CRC-32 check") == true, "\(report.skipped)")
        }

        // MARK: the decoder itself

        @Test("a recorded size deflate cannot reach from the compressed bytes is refused before allocating",
              arguments: [(2, 1 << 40), (100, 1032 * 102 + 1), (0, -1)])
        func implausibleSize(_ compressed: Int, _ recorded: Int) throws {
            let source = FileBytes(bytes: [UInt8](repeating: 0, count: compressed))
            let error = try #require(throws: ZipArchive.Problem.self) {
                _ = try withExtendedLifetime(source) { () throws(ZipArchive.Problem) in try Inflate.decompress(source.raw, expectedSize: recorded) }
            }
            #expect(error == .implausibleSize(recorded: recorded, compressed: compressed))
        }

        @Test("an empty member: zlib's empty stream inflates to no bytes, and no bytes at all is a cut-off stream",
              arguments: [([0x03, 0x00] as [UInt8], true), ([], false)])
        func emptyStreams(_ stream: [UInt8], _ ok: Bool) throws {
            let source = FileBytes(bytes: stream)
            do {
                let bytes = try withExtendedLifetime(source) { () throws(ZipArchive.Problem) in try Inflate.decompress(source.raw, expectedSize: 0) }
                #expect(ok && bytes.count == 0)
            } catch {
                #expect(!ok && error == .truncatedStream(inflated: 0), "\(error)")
            }
        }

        @Test("CRC-32 check values", arguments: [("", 0 as UInt32), ("123456789", 0xcbf4_3926), ("The quick brown fox jumps over the lazy dog", 0x414f_a339)])
        func crc32(_ text: String, _ crc: UInt32) {
            #expect(Array(text.utf8).withUnsafeBytes { Inflate.crc32($0) } == crc)
        }
    }
}
