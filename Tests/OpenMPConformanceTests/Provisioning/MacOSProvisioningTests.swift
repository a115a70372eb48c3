import Foundation
import Testing
@testable import OpenMPConformance

@Suite("Provisioning: the macOS side")
struct MacOSProvisioningTests {
    static func host(_ platform: HostFacts.Platform, _ arch: String) -> HostFacts {
        HostFacts(platform: platform, osName: "", osID: platform == .macos ? "macos" : "debian", osVersion: "15.1",
                  arch: arch, kernel: "", libc: platform == .macos ? "libSystem" : "glibc2.36", cpu: "")
    }
    static let linux = host(.linux, "x86_64"), macArm = host(.macos, "arm64"), macIntel = host(.macos, "x86_64")

    static func item(_ name: String) throws -> ProvisionItem {
        try #require(ProvisionCatalog.item(named: name), "\(name) is not in the catalog")
    }

    @Test("each host takes only what it can load", arguments: [
        // name, Linux x86_64, macOS arm64, macOS x86_64
        ("llvm16", true, false, false), ("intel", true, false, false), ("llvm14-copy", true, false, false),
        ("faiss-cpu", true, true, true), ("torch-macos-arm64", true, true, true),
        ("llvm-brew", false, true, true), ("llvm-brew-copy", false, true, true),
        ("llvm-torch", false, true, false), ("llvm-faiss", false, true, false), ("intel-macos", false, false, true),
    ])
    func hosts(_ name: String, _ onLinux: Bool, _ onMacArm: Bool, _ onMacIntel: Bool) throws {
        let item = try Self.item(name)
        #expect((Provisioner.unavailability(of: item, on: Self.linux) == nil) == onLinux)
        #expect((Provisioner.unavailability(of: item, on: Self.macArm) == nil) == onMacArm)
        #expect((Provisioner.unavailability(of: item, on: Self.macIntel) == nil) == onMacIntel)
        for host in [Self.linux, Self.macArm, Self.macIntel] {
            if let why = Provisioner.unavailability(of: item, on: host) {
                #expect(why.hasPrefix("not available on this platform"), "\(why)")
            }
        }
    }

    @Test("Intel's runtime on Apple silicon: not available, and why")
    func intelOnArm() throws {
        let why = try #require(Provisioner.unavailability(of: try Self.item("intel-macos"), on: Self.macArm))
        #expect(why.contains("x86_64 macOS only") && why.contains("2023.2.0") && why.contains("none for arm64"), "\(why)")
    }

    @Test("the wheels' bundled libomp copies come out of the kept wheels, pinned by their own hash")
    func bundledPair() throws {
        for (name, wheel, member) in [("llvm-torch", "torch-macos-arm64", "torch/lib/libomp.dylib"),
                                      ("llvm-faiss", "faiss-cpu-macos-arm64", "faiss/.dylibs/libomp.dylib")] {
            let item = try Self.item(name)
            guard case .wheelLibrary(let pin, let m) = item.kind, case .wheel(let kept) = try Self.item(wheel).kind else {
                Issue.record("\(name) is not a library out of \(wheel)"); continue
            }
            #expect(pin == kept && m == member)
            #expect(item.fileSHA256?.count == 64)
            #expect(item.downloadSize == kept.size, "the pin is the kept wheel's")
        }
        let names = ProvisionCatalog.names
        #expect(names.firstIndex(of: "torch-macos-arm64")! < names.firstIndex(of: "llvm-torch")!,
                "the kept wheel is provisioned first, so the library is read from it")
    }

    @Test("Homebrew versions lose their revision", arguments: [("21.1.8", "21.1.8"), ("21.1.8_1", "21.1.8"), ("19.1.7_2", "19.1.7")])
    func homebrewRelease(_ version: String, _ release: String) {
        #expect(Provisioner.upstreamRelease(ofHomebrewVersion: version) == release)
    }

    @Test("a library out of a non-Intel wheel must be LLVM's, with its release from the build string")
    func vendorCheck() throws {
        let llvm = try #require(RuntimeFixtures.runtime("llvm16"))
        let torchLike = try Self.item("llvm-torch")
        guard case .wheelLibrary(let torchPin, _) = torchLike.kind, case .wheelLibrary(let intelPin, _) = try Self.item("intel-macos").kind else {
            Issue.record("catalog kinds changed"); return
        }
        let id = try #require(try RuntimeIdentity.identify(path: llvm.path))
        var r = RuntimeRecord(name: "x", path: llvm.path, family: "kmp", version: id.version, source: "t", sha256: id.sha256,
                              vendor: id.vendor.rawValue)
        try Provisioner.checkVendor(&r, item: torchLike, pin: torchPin, file: llvm.path)
        if id.versionSource == "build-compiler" {
            #expect(r.releaseSource == "banner" && r.release == id.version)
        }
        var asIntel = r
        #expect(throws: ProvisionError.self, "an LLVM file is never called Intel's") {
            try Provisioner.checkVendor(&asIntel, item: torchLike, pin: intelPin, file: llvm.path)
        }
    }

    /// The kept faiss-cpu macOS wheel, when provisioned here.
    static var keptFaissWheel: String? {
        guard let dir = try? RuntimeCatalog.directory(), let item = ProvisionCatalog.item(named: "faiss-cpu-macos-arm64") else { return nil }
        let path = dir.appendingPathComponent(item.path).path
        return FileManager.default.fileExists(atPath: path) ? path : nil
    }

    @Test("end to end on this host: faiss-cpu's libomp.dylib is taken out of the kept wheel, hash-checked, LLVM 16",
          .enabled(if: keptFaissWheel != nil, "the faiss-cpu macOS wheel is not provisioned here (omp-matrix provision)"))
    func extractsFromKeptWheel() throws {
        let wheelItem = try Self.item("faiss-cpu-macos-arm64")
        var library = try Self.item("llvm-faiss")
        library.macOSArch = nil   // taken here as if on macOS: the file is only read, never loaded
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("omp-prov-mac-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        // The kept wheel, linked in with its stamp, as a finished provisioning leaves it.
        let kept = dir.appendingPathComponent(wheelItem.path)
        try FileManager.default.createDirectory(at: kept.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: dir.appendingPathComponent(".stamps"), withIntermediateDirectories: true)
        try FileManager.default.linkItem(atPath: try #require(Self.keptFaissWheel), toPath: kept.path)
        try Data(wheelItem.pinKey.utf8).write(to: dir.appendingPathComponent(".stamps/\(wheelItem.name)"))

        let report = try Provisioner(directory: dir, items: [wheelItem, library]).provision()
        #expect(report.isComplete, "\(report.text)")
        #expect(report.downloadedBytes == 0, "nothing downloaded: the library came out of the kept wheel")
        let manifest = try RuntimeManifest.load(from: dir.appendingPathComponent(RuntimeManifest.fileName))
        let r = try #require(manifest.runtimes.first { $0.name == "llvm-faiss" }, "\(report.text)")
        #expect(r.sha256 == library.fileSHA256)
        #expect(r.vendor == "llvm" && r.family == "kmp")
        #expect(r.release?.hasPrefix("16.") == true && r.releaseSource == "banner", "release \(r.release ?? "nil")")
        #expect(r.source == "pypi:faiss-cpu==1.15.1")
    }

    @Test("macOS runtimes register in their environment, not in a shared-memory file: the faiss-cpu wheel's libomp.dylib names only __KMP_REGISTERED_LIB_<pid>",
          .enabled(if: keptFaissWheel != nil, "the faiss-cpu macOS wheel is not provisioned here (omp-matrix provision)"))
    func registrationByEnvironment() throws {
        let zip = try ZipArchive(path: try #require(Self.keptFaissWheel))
        let member = try #require(zip.members.first { $0.name == "faiss/.dylibs/libomp.dylib" })
        let bytes = try zip.contents(of: member)
        // Linux builds name the shm file __KMP_REGISTERED_LIB_%d_%d (pid, uid); the environment variable has the pid only.
        #expect(!bytes.occurrences(of: Array("__KMP_REGISTERED_LIB_%d\0".utf8)).isEmpty)
        #expect(bytes.occurrences(of: Array("__KMP_REGISTERED_LIB_%d_%d".utf8)).isEmpty)
        #expect(!bytes.occurrences(of: Array("Clearing __KMP_REGISTERED_LIB env var failed".utf8)).isEmpty)
    }
}
