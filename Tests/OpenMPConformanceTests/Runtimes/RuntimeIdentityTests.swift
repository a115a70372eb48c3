import Foundation
import Testing
@testable import OpenMPConformance

extension RuntimesTests {
    @Suite("Runtime identity from file contents")
    struct RuntimeIdentityTests {
        @Test("family, vendor and version of each provisioned runtime", arguments: [
            ("llvm14", RuntimeIdentity.Family.kmp, RuntimeIdentity.Vendor.llvm, "14.0"),
            ("llvm16", .kmp, .llvm, "16.0"),
            ("intel", .kmp, .intel, "5.0.20250422"),
            ("llvm14-copy", .kmp, .llvm, "14.0"),
            ("gnu", .gnu, .gnu, "GOMP_5.1"),
        ])
        func provisioned(name: String, family: RuntimeIdentity.Family, vendor: RuntimeIdentity.Vendor,
                         version: String) throws {
            guard let r = RuntimeFixtures.runtime(name) else { return }
            let id = try #require(try RuntimeIdentity.identify(path: r.path), "\(r.path) not identified as a runtime")
            #expect(id.family == family)
            #expect(id.vendor == vendor)
            #expect(id.version == version)
            #expect(id.format == .elf)
            #expect(id.architecture == "x86_64")
            // The manifest was written by the provisioning script's own reader and sha256sum:
            // the two implementations must agree.
            #expect(id.family.rawValue == r.family)
            #expect(id.version == r.version)
            #expect(id.sha256 == r.sha256)
            #expect(id.size > 100_000)
        }

        @Test("banner details: LLVM's library version is shared, the build compiler differs")
        func banners() throws {
            guard let l14 = RuntimeFixtures.runtime("llvm14"), let l16 = RuntimeFixtures.runtime("llvm16"),
                  let intel = RuntimeFixtures.runtime("intel") else { return }
            let a = try #require(try RuntimeIdentity.identify(path: l14.path))
            let b = try #require(try RuntimeIdentity.identify(path: l16.path))
            let i = try #require(try RuntimeIdentity.identify(path: intel.path))
            #expect(a.libraryVersion == b.libraryVersion)
            #expect(a.buildCompiler == "Clang 14.0")
            #expect(b.buildCompiler == "Clang 16.0")
            #expect(a.versionSource == "build-compiler")
            #expect(i.versionSource == "library-banner")
            #expect(i.buildCompiler?.contains("Intel(R)") == true)
            #expect(i.banner.contains { $0.hasPrefix("Intel(R) OMP version: ") })
        }

        @Test("Debian's libiomp5.so is LLVM libomp 14 behind a symlink, whatever its name says")
        func debianIOMP5() throws {
            guard let link = RuntimeFixtures.systemFile(RuntimeFixtures.debianIOMP5),
                  let l14 = RuntimeFixtures.runtime("llvm14") else { return }
            let id = try #require(try RuntimeIdentity.identify(path: link))
            let target = try #require(try RuntimeIdentity.identify(path: l14.path))
            #expect(id.vendor == .llvm)
            #expect(id.version == "14.0")
            #expect(id.path == link)
            #expect(id.realPath != link)
            #expect(id.isSameFile(as: target), "a symlink is the same runtime")
        }

        @Test("a copy has the same bytes but its own inode")
        func copy() throws {
            guard let l14 = RuntimeFixtures.runtime("llvm14"), let copy = RuntimeFixtures.runtime("llvm14-copy") else { return }
            let a = try #require(try RuntimeIdentity.identify(path: l14.path))
            let b = try #require(try RuntimeIdentity.identify(path: copy.path))
            #expect(a.sha256 == b.sha256)
            #expect(!a.isSameFile(as: b))
            #expect(a.fileKey != nil && b.fileKey != nil)
        }

        @Test("libraries that are not OpenMP runtimes give nil", arguments: [
            RuntimeFixtures.libc, RuntimeFixtures.libm, RuntimeFixtures.openblas,
        ])
        func notRuntimes(path: String) throws {
            guard let p = RuntimeFixtures.systemFile(path) else { return }
            #expect(try RuntimeIdentity.identify(path: p) == nil)
            #expect(try RuntimeIdentity.family(path: p) == nil)
        }

        @Test("a missing file throws, a text file is not a runtime")
        func errors() throws {
            #expect(throws: BinaryFileError.notFound(path: "/nonexistent/libomp.so")) {
                try RuntimeIdentity.identify(path: "/nonexistent/libomp.so")
            }
            let dir = try RuntimeFixtures.temporaryDirectory("identity")
            defer { try? FileManager.default.removeItem(at: dir) }
            let text = dir.appendingPathComponent("libomp.so")
            try "not a library".write(to: text, atomically: true, encoding: .utf8)
            #expect(try RuntimeIdentity.identify(path: text.path) == nil, "the name alone does not make a runtime")
        }

        @Test("the newest GOMP version node wins, plugin nodes ignored")
        func gompNodes() {
            #expect(RuntimeIdentity.newestGOMPNode(["GOMP_1.0", "GOMP_4.0.1", "GOMP_5.1", "GOMP_5.0.1", "GOMP_PLUGIN_1.3"]) == "GOMP_5.1")
            #expect(RuntimeIdentity.newestGOMPNode(["GOMP_4.5", "GOMP_4.0.1"]) == "GOMP_4.5")
            #expect(RuntimeIdentity.newestGOMPNode(["OMP_1.0"]) == nil)
        }
    }

    @Suite("SHA-256")
    struct SHA256Tests {
        @Test("known answers (FIPS 180-2 examples)")
        func knownAnswers() {
            #expect(SHA256.hex(of: []) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
            #expect(SHA256.hex(of: Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
            #expect(SHA256.hex(of: Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
                    == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
            #expect(SHA256.hex(of: [UInt8](repeating: 0x61, count: 1_000_000))
                    == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
        }

        @Test("feeding in uneven pieces gives the one-shot digest")
        func incremental() {
            let data = (0..<10_000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
            var h = SHA256()
            var i = 0
            for size in [1, 63, 64, 65, 127, 3, 1000, 4096] where i < data.count {
                let end = min(i + size, data.count)
                h.update(Array(data[i..<end])); i = end
            }
            h.update(Array(data[i...]))
            #expect(h.finalizeHex() == SHA256.hex(of: data))
        }

        @Test("agrees with sha256sum on a real runtime")
        func agreesWithTool() async throws {
            guard let r = RuntimeFixtures.runtime("llvm16") else { return }
            let tool = try await RuntimeFixtures.run(["sha256sum", r.path])
            try #require(tool.status == 0, "sha256sum failed")
            let data = try [UInt8](Data(contentsOf: URL(fileURLWithPath: r.path)))
            #expect(tool.output.hasPrefix(SHA256.hex(of: data) + " "))
        }
    }
}
