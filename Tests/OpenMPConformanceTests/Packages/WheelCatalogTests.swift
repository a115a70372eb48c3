import Foundation
import Testing
@testable import OpenMPConformance

/// The wheel catalog (`Matrices/wheels/catalog.yaml`): it reads and validates, a damaged one
/// fails at file:line, and its entries agree with the real wheels in the runtime cache.
@Suite("Wheel catalog")
struct WheelCatalogTests {
    static let url = URL(fileURLWithPath: TestRuntimes.root).appendingPathComponent("Matrices/wheels/catalog.yaml")

    @Test("the checked-in catalog reads, and every pinned package is there or listed missing on each platform")
    func checkedIn() throws {
        let catalog = try WheelCatalog.load(Self.url)
        #expect(Set(catalog.wheels.map(\.package)).count >= 20)
        for pin in WheelCatalogBuilder.pinned {
            for p in WheelCatalog.Platform.allCases {
                let name = WheelCatalog.normalize(pin.package)
                let found = catalog.wheel(package: name, version: pin.version, platform: p) != nil
                    || catalog.missing.contains { $0.package == name && $0.version == pin.version && $0.platform == p }
                #expect(found, "\(name) \(pin.version) \(p.rawValue) is neither catalogued nor listed missing")
            }
        }
        // A runtime in the wheel has its hash; one from the system has none.
        for w in catalog.wheels {
            for r in w.runtimes { #expect((r.linkage == .system) == (r.sha256 == nil), "\(w.file) \(r.path)") }
        }
    }

    /// The wheels provisioned into the runtime cache (`omp-matrix provision`), read again here and
    /// compared with their catalog entries: a sample checked against real downloads, no network.
    static var cachedWheels: [URL] {
        guard let dir = try? RuntimeCatalog.directory().appendingPathComponent("wheels"),
              let names = try? FileManager.default.contentsOfDirectory(atPath: dir.path) else { return [] }
        // The small ones (faiss-cpu for macOS), so that the default suite stays fast: a debug build hashes slowly.
        return names.filter { $0.hasSuffix(".whl") }.sorted().map { dir.appendingPathComponent($0) }
            .filter { ((try? FileManager.default.attributesOfItem(atPath: $0.path)[.size] as? Int) ?? .max) <= 8 << 20 }
    }

    @Test("entries agree with the provisioned wheels read again", .enabled(if: !cachedWheels.isEmpty, "no wheels provisioned in the runtime cache"))
    func sample() throws {
        let catalog = try WheelCatalog.load(Self.url)
        var compared = 0
        for wheel in Self.cachedWheels {
            guard let entry = catalog.wheels.first(where: { $0.file == wheel.lastPathComponent }) else { continue }
            let bytes = try FileBytes(mapping: wheel.path)
            #expect(SHA256.hex(of: bytes.raw) == entry.sha256, "\(entry.file)")
            #expect(bytes.count == entry.size)
            let (runtimes, _) = try WheelCatalogBuilder.readWheel(path: wheel.path, platform: entry.platform)
            #expect(runtimes == entry.runtimes, "\(entry.file)")
            compared += 1
        }
        #expect(compared > 0, "none of the provisioned wheels is in the catalog")
    }

    static let valid = """
        schemaVersion: 1
        wheels:
          - package: torch
            version: "2.15.0"
            python: cp312
            platform: macos-arm64
            file: "torch-2.15.0-cp312-cp312-macosx_14_0_arm64.whl"
            sha256: 0000000000000000000000000000000000000000000000000000000000000000
            size: 10
            read: whole
            runtimes:
              - path: "torch/lib/libomp.dylib"
                family: kmp
                vendor: llvm
                release: "19.1"
                sha256: 1111111111111111111111111111111111111111111111111111111111111111
                linkage: vendored-own-path
              - path: "@rpath/libomp.dylib"
                family: kmp
                vendor: llvm
                release: "unknown"
                linkage: system
                neededBy: ["lib_lightgbm.dylib"]

        """

    @Test("a valid catalog reads and the key finds its wheel")
    func reads() throws {
        let dir = try RuntimeFixtures.temporaryDirectory("wheelcat")
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("catalog.yaml")
        try Self.valid.write(to: file, atomically: true, encoding: .utf8)
        let c = try WheelCatalog.load(file)
        let w = try #require(c.wheel(package: "Torch", platform: .macos))
        #expect(w.runtimes.map(\.linkage) == [.vendoredOwnPath, .system])
        // What it writes, it reads back the same.
        try c.yaml(header: ["test"]).write(to: file, atomically: true, encoding: .utf8)
        #expect(try WheelCatalog.load(file) == c)
    }

    @Test("a damaged catalog fails at file:line", arguments: [
        ("schemaVersion: 1", "schemaVersion: 2", 1, "not supported"),
        ("platform: macos-arm64", "platform: macos", 6, "unknown platform"),
        ("sha256: 0000000000000000000000000000000000000000000000000000000000000000", "sha256: 00zz", 8, "64 lowercase hex"),
        ("linkage: vendored-own-path", "linkage: bundled", 17, "unknown linkage"),
        ("linkage: system", "sha256: 1111111111111111111111111111111111111111111111111111111111111111\n        linkage: system", 22, "no sha256"),
        ("    size: 10", "    size: ten", 9, "whole number"),
        ("release: \"19.1\"", "release: [19.1", 16, "YAML"),
    ])
    func damaged(original: String, replacement: String, line: Int, message: String) throws {
        let dir = try RuntimeFixtures.temporaryDirectory("wheelcat-bad")
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("catalog.yaml")
        #expect(Self.valid.contains(original))
        try Self.valid.replacingOccurrences(of: original, with: replacement).write(to: file, atomically: true, encoding: .utf8)
        #expect {
            _ = try WheelCatalog.load(file)
        } throws: { error in
            guard let e = error as? MatrixError else { return false }
            return e.file == file.path && e.line == line && e.message.contains(message)
        }
    }

    @Test("a wheel listed twice is refused, naming the first")
    func duplicate() throws {
        let dir = try RuntimeFixtures.temporaryDirectory("wheelcat-dup")
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("catalog.yaml")
        let entry = Self.valid.split(separator: "\n", omittingEmptySubsequences: false).dropFirst(2).joined(separator: "\n")
        try (Self.valid + entry).write(to: file, atomically: true, encoding: .utf8)
        #expect {
            _ = try WheelCatalog.load(file)
        } throws: { error in
            (error as? MatrixError).map { $0.line == 24 && $0.message.contains("duplicate wheel torch 2.15.0 cp312 macos-arm64 (first at line 3)") } ?? false
        }
    }

    @Test("renamed by a repair tool, or at its own name", arguments: [
        ("libgomp-e985bcbb.so.1.0.0", true), ("libgomp.so.1", false), ("libomp.dylib", false),
        ("vcomp140-0123456789abcdef0123456789abcdef.dll", true), ("libiomp5md.dll", false), ("libgomp-1.dll", false),
        ("libgomp-1-b6996347b907936334bd23861b593db4.dll", true),
    ])
    func renamed(name: String, expected: Bool) {
        #expect(WheelCatalogBuilder.isRenamed(name) == expected)
    }

    @Test("the wheel pip would take: exact cp312 before abi3, the newest compatible macOS tag, never another platform")
    func selection() {
        func f(_ name: String) -> WheelCatalogBuilder.IndexFile { .init(filename: name, url: "", sha256: "", size: 1) }
        let files = [f("x-1.0-cp310-abi3-macosx_11_0_arm64.whl"), f("x-1.0-cp312-cp312-macosx_11_0_arm64.whl"),
                     f("x-1.0-cp312-cp312-macosx_14_0_arm64.whl"), f("x-1.0-cp312-cp312-macosx_27_0_arm64.whl"),
                     f("x-1.0-cp312-cp312-win_amd64.whl"), f("x-1.0-cp313-cp313-manylinux_2_28_x86_64.whl"),
                     f("x-1.0-cp310-abi3-manylinux_2_17_x86_64.manylinux2014_x86_64.whl"), f("x-0.9-cp312-cp312-manylinux_2_28_x86_64.whl")]
        let b = WheelCatalogBuilder(downloads: URL(fileURLWithPath: "/nonexistent"))
        #expect(b.select(files, package: "x", version: "1.0", platform: .macos)?.filename == "x-1.0-cp312-cp312-macosx_14_0_arm64.whl")
        #expect(b.select(files, package: "x", version: "1.0", platform: .windows)?.filename == "x-1.0-cp312-cp312-win_amd64.whl")
        #expect(b.select(files, package: "x", version: "1.0", platform: .linux)?.filename == "x-1.0-cp310-abi3-manylinux_2_17_x86_64.manylinux2014_x86_64.whl")
        #expect(b.select(files, package: "x", version: "2.0", platform: .linux) == nil)
    }
}
