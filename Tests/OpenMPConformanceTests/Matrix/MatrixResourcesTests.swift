import Foundation
import Testing
@testable import OpenMPConformance

/// The matrix travels with the library (the `Matrices.tar` resource the build plugin packs), so
/// it is found without the source tree.
@Suite("The matrix as a resource")
struct MatrixResourcesTests {
    static let products = TestProducts.directory
    static let sourceMatrices = URL(fileURLWithPath: TestRuntimes.root).appendingPathComponent("Matrices")

    static func files(under dir: URL) -> [String: Data] {
        var out: [String: Data] = [:]
        let walker = FileManager.default.enumerator(at: dir, includingPropertiesForKeys: nil, options: [.skipsHiddenFiles])
        while let url = walker?.nextObject() as? URL {
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDir), !isDir.boolValue {
                out[String(url.standardizedFileURL.path.dropFirst(dir.standardizedFileURL.path.count + 1))] = try? Data(contentsOf: url)
            }
        }
        return out
    }

    @Test("the library's copy holds exactly the files of the top-level Matrices/, and loads as the same matrix")
    func sameFiles() throws {
        let dir = try MatrixResources.directory()
        #expect(!dir.path.hasPrefix(Self.sourceMatrices.path), "the copy is not the source tree: \(dir.path)")
        let copy = Self.files(under: dir), source = Self.files(under: Self.sourceMatrices)
        #expect(copy.keys.sorted() == source.keys.sorted())
        for (path, data) in source { #expect(copy[path] == data, "\(path) differs: rebuild to re-pack the matrix") }
        #expect(try Matrix.load(directory: dir).cells.map(\.id) == Matrix.load(directory: Self.sourceMatrices).cells.map(\.id))
        #expect(Matrix.bundledDirectory() == dir, "the resource copy is the default")
    }

    /// A ustar header for one member.
    static func header(_ name: String, size: Int, type: Character = "0") -> [UInt8] {
        var h = [UInt8](repeating: 0, count: 512)
        func put(_ s: String, _ at: Int) { for (i, b) in s.utf8.enumerated() { h[at + i] = b } }
        put(name, 0); put("0000644", 100); put("0000000", 108); put("0000000", 116)
        put(String(format: "%011o", size), 124); put("00000000000", 136); put(String(type), 156)
        put("ustar", 257); put("00", 263)
        for i in 148..<156 { h[i] = 0x20 }
        put(String(format: "%06o", h.reduce(0) { $0 + Int($1) }) + "\0", 148)
        return h
    }

    static func archive(_ members: [(String, String, Character)]) -> [UInt8] {
        var out: [UInt8] = []
        for (name, text, type) in members {
            let body = Array(text.utf8)
            out += header(name, size: body.count, type: type) + body
            out += [UInt8](repeating: 0, count: (512 - body.count % 512) % 512)
        }
        return out + [UInt8](repeating: 0, count: 1024)
    }

    @Test("unpacking: once per content, and hostile members are refused", arguments: [
        ("Matrices/../../etc/x", "0"), ("/etc/passwd", "0"), ("elsewhere/x.yaml", "0"), ("Matrices/link", "2"),
    ] as [(String, Character)])
    func unpack(member: String, type: Character) throws {
        let dir = try RuntimeFixtures.temporaryDirectory("tar")
        defer { try? FileManager.default.removeItem(at: dir) }
        let good = dir.appendingPathComponent("good.tar")
        try Data(Self.archive([("Matrices/a.yaml", "a: 1\n", "0"), ("Matrices/baselines/b.json", "{}", "0")])).write(to: good)
        let first = try MatrixResources.unpack(good, base: dir.appendingPathComponent("cache"))
        #expect(Self.files(under: first) == ["a.yaml": Data("a: 1\n".utf8), "baselines/b.json": Data("{}".utf8)])
        #expect(try MatrixResources.unpack(good, base: dir.appendingPathComponent("cache")) == first)

        let bad = dir.appendingPathComponent("bad.tar")
        try Data(Self.archive([("Matrices/a.yaml", "a: 1\n", "0"), (member, "x", type)])).write(to: bad)
        #expect(throws: MatrixResources.Failure.self) { try MatrixResources.unpack(bad, base: dir.appendingPathComponent("cache")) }
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("etc").path))
    }

    @Test("a copy of the built products finds the matrix in its resources; --matrix DIR still wins",
          .enabled(if: TestProducts.ompMatrix != nil))
    func copiedProducts() async throws {
        let fm = FileManager.default
        let dir = try RuntimeFixtures.temporaryDirectory("products")
        defer { try? fm.removeItem(at: dir) }
        let catalog = try #require(RuntimeFixtures.catalog())
        let bundle = "openmp-conformance_OpenMPConformance.resources"
        try await copyExecutable(Self.products.appendingPathComponent("omp-matrix").path, to: dir.appendingPathComponent("omp-matrix").path)
        try fm.copyItem(at: Self.products.appendingPathComponent(bundle), to: dir.appendingPathComponent(bundle))
        func list(_ args: [String]) async throws -> String {
            var env = ProcessInfo.processInfo.environment
            env[RuntimeCatalog.directoryVariable] = catalog.directory.path
            env[RuntimeCatalog.cacheVariable] = dir.appendingPathComponent("cache").path
            let (status, out) = try await RuntimeFixtures.run(["env"] + env.map { "\($0)=\($1)" }
                                                        + [dir.appendingPathComponent("omp-matrix").path, "list"] + args)
            #expect(status == 0)
            return out.split(separator: "\n").last.map(String.init) ?? ""
        }
        let summary = try await list(["--row", "linux-cpu-training"])
        #expect(summary.contains("matrix \(dir.path)/cache/matrices/"), "\(summary)")
        let explicit = try await list(["--matrix", Self.sourceMatrices.path])
        #expect(explicit.hasSuffix("matrix \(Self.sourceMatrices.path)"), "\(explicit)")
    }
}
