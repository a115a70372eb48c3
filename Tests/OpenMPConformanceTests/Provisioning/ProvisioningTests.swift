import Foundation
import Testing
@testable import OpenMPConformance

/// The provisioner, with real downloads from Debian's archive (small packages only) into
/// temporary directories (in the CI-only lane: ``CILane``), and the catalog the test command provisioned.
@Suite("Provisioning")
struct ProvisioningTests {
    static let canDownloadDebian: Bool = {
        #if os(Linux) && arch(x86_64)
        return Downloader().which("apt-get") != nil && Downloader().which("dpkg") != nil
        #else
        return false
        #endif
    }()

    /// llvm13 is the smallest pinned package (0.36 MB).
    static var llvm13: ProvisionItem { ProvisionCatalog.item(named: "llvm13")! }

    final class Lines: @unchecked Sendable {
        private let lock = NSLock()
        private var lines: [String] = []
        func append(_ s: String) { lock.lock(); lines.append(s); lock.unlock() }
        var all: [String] { lock.lock(); defer { lock.unlock() }; return lines }
    }

    @Test("the provisioned catalog holds at least 10 distinct runtimes by SHA-256: LLVM 13, 14, 15, 16, 19 and 4 Intel releases",
          .enabled(if: HostFacts.current.platform == .linux && HostFacts.current.arch == "x86_64",
                   "these runtimes are Linux x86_64 files; macOS provisions its own (MacOSProvisioningTests)"))
    func catalogAfterProvisioning() throws {
        let catalog = try #require(RuntimeFixtures.catalog())
        let hint = "run `swift run omp-matrix provision` (manifest \(catalog.manifestURL.path))"
        let distinct = Set(catalog.runtimes.map(\.sha256))
        #expect(distinct.count >= 10, "\(distinct.count) distinct runtimes; \(hint)")
        for r in catalog.runtimes where catalog.manifest.runtimes.contains(where: { $0.name == r.name }) {
            // Family and vendor come from the bytes, and the file has the hash the manifest says.
            let id = try #require(try RuntimeIdentity.identify(path: r.path), "\(r.name): \(r.path) is not a runtime")
            #expect(id.family.rawValue == r.family, "\(r.name)")
            #expect(id.sha256 == r.sha256, "\(r.name)")
            #expect(r.vendor == id.vendor.rawValue, "\(r.name): vendor \(r.vendor ?? "missing"); \(hint)")
            #expect(r.release != nil && r.releaseSource != nil && r.banner != nil, "\(r.name): provenance fields; \(hint)")
        }
        let llvmMajors = Set(catalog.runtimes.filter { $0.vendor == "llvm" }.compactMap { $0.release?.split(separator: ".").first })
        #expect(llvmMajors.isSuperset(of: ["13", "14", "15", "16", "19"]), "LLVM releases: \(llvmMajors.sorted()); \(hint)")
        let intel = Set(catalog.runtimes.filter { $0.vendor == "intel" }.map(\.sha256))
        #expect(intel.count >= 4, "\(intel.count) distinct Intel runtimes; \(hint)")
        #expect(catalog.runtimes.filter { $0.family == "kmp" && $0.vendor == "llvm" && $0.path.hasSuffix("libiomp5.so") }.isEmpty)
        for copy in catalog.runtimes where copy.copyOf != nil {
            let original = try #require(catalog.runtime(named: copy.copyOf!), "\(copy.name) copies \(copy.copyOf!)")
            #expect(copy.sha256 == original.sha256, "\(copy.name): same bytes as \(original.name)")
            #expect(RuntimeCatalog.fileKey(copy.path) != RuntimeCatalog.fileKey(original.path), "\(copy.name): its own inode")
        }
        // Items for other hosts are listed with why (the matrix says it of their cells); none meant for this one.
        let missing = catalog.manifest.notProvisioned.filter { !$0.reason.hasPrefix("not for this host") && !$0.reason.hasPrefix("excluded: ") }
        #expect(missing.isEmpty, "not provisioned: \(missing)")
    }

    @Test("every pin names a version, a 64-digit SHA-256 and a size; the contract's names are all there")
    func pins() throws {
        let names = ProvisionCatalog.names
        #expect(Set(names).count == names.count)
        #expect(Set(names).isSuperset(of: ["gnu", "llvm9", "llvm11", "intel-2018", "intel-2019", "llvm17", "llvm18", "llvm13", "llvm14", "llvm15", "llvm16", "llvm19", "intel-2021", "intel-2023",
                                           "intel-2024", "intel", "intel-2026", "llvm14-copy", "intel-copy", "faiss-cpu",
                                           "torch-macos-arm64", "faiss-cpu-macos-arm64"]))
        func isHash(_ s: String) -> Bool { s.count == 64 && s.allSatisfy { $0.isHexDigit && !$0.isUppercase } }
        for item in ProvisionCatalog.items {
            switch item.kind {
            case .debian(let d):
                #expect(isHash(d.sha256) && d.size > 0 && !d.version.isEmpty, "\(item.name)")
                #expect(isHash(item.fileSHA256 ?? ""), "\(item.name): the unpacked runtime is pinned too")
            case .wheelLibrary(let w, _):
                #expect(isHash(w.sha256) && w.size > 0 && w.file.hasPrefix(w.project.replacingOccurrences(of: "-", with: "_")), "\(item.name)")
                #expect(isHash(item.fileSHA256 ?? ""), "\(item.name): the kept library is pinned too")
            case .wheel(let w):
                #expect(isHash(w.sha256) && w.size > 0, "\(item.name)")
            case .copy(let original):
                let index = try #require(names.firstIndex(of: original), "\(item.name) copies \(original)")
                #expect(index < names.firstIndex(of: item.name)!, "an original comes before its copy")
            case .system(_, _, let fallback):
                if let fallback { #expect(isHash(fallback.sha256), "\(item.name)") }
            case .windowsDLL(let w, let member, let dll):
                #expect(isHash(w.sha256) && w.size > 0 && w.platforms == ["win_amd64"] && member.hasSuffix(".dll"), "\(item.name)")
                #expect(["kmp", "vcomp"].contains(dll.family) && item.name.hasPrefix("win-"), "\(item.name)")
                #expect(isHash(item.fileSHA256 ?? ""), "\(item.name): the kept DLL is pinned too")
            case .windowsCopy(let original):
                let index = try #require(names.firstIndex(of: original), "\(item.name) copies \(original)")
                #expect(index < names.firstIndex(of: item.name)!, "an original comes before its copy")
            case .wineProbe:
                #expect(item.path == WineTools.probePath)
            case .homebrew(let formula, _):
                #expect(formula == "libomp" && item.macOSArch != nil && item.fileSHA256 == nil,
                        "\(item.name): Homebrew's bottle is recorded, never pinned")
            }
        }
        #expect(ProvisionCatalog.downloadSize > 300_000_000)
    }

    @Test("release from a Debian version", arguments: [
        ("1:16.0.6-15~deb12u1", "16.0.6"), ("1:13.0.1-11+b2", "13.0.1"), ("12.2.0-14+deb12u1", "12.2.0"), ("2.0", "2.0"),
    ])
    func debianRelease(version: String, release: String) {
        #expect(ProvisionItem.upstreamRelease(ofDebianVersion: version) == release)
    }

    @Test("a command given by its path runs that file; a bare name is looked up on PATH")
    func commandPath() throws {
        let echo = try #require(Downloader().which("echo"), "no echo on PATH")
        #expect(echo.hasPrefix("/"))
        #expect(try Downloader().run([echo, "by path"]) == "by path\n")
        #expect(try Downloader().run(["echo", "by name"]) == "by name\n")
        #expect(throws: ProvisionError.toolMissing(tool: "omp-no-such-tool", hint: "")) {
            try Downloader().run(["omp-no-such-tool"])
        }
    }

    @Test("an unknown item name is an error naming it and the known ones")
    func unknownName() throws {
        let p = Provisioner(directory: URL(fileURLWithPath: "/nonexistent"))
        #expect(throws: ProvisionError.unknownItem(name: "llvm99", known: ProvisionCatalog.names)) {
            _ = try p.selection(only: ["llvm99"])
        }
        #expect(try p.selection(only: ["intel-copy"]).map(\.name) == ["intel", "intel-copy"], "a copy brings its original")
    }

    @Test("a download whose SHA-256 is not the pinned one fails with both hashes, and the rest goes on",
          .ciLane, .enabled(if: canDownloadDebian, "needs apt-get and dpkg (Debian x86_64)"))
    func hashMismatch() throws {
        let dir = try RuntimeFixtures.temporaryDirectory("prov-hash")
        defer { try? FileManager.default.removeItem(at: dir) }
        var bad = Self.llvm13
        guard case .debian(var pin) = bad.kind else { Issue.record("llvm13 is not a Debian item"); return }
        let real = pin.sha256
        pin.sha256 = String(repeating: "0", count: 64)
        bad.kind = .debian(pin)
        let copy = ProvisionItem(name: "gnu-copy", kind: .copy(of: "gnu"), path: "gnu-copy/libgomp.so.1")
        let items = [bad, ProvisionCatalog.item(named: "gnu")!, copy]
        let report = try Provisioner(directory: dir, items: items).provision()
        #expect(!report.isComplete)
        let reason = try #require(report.failures.first { $0.name == "llvm13" }?.reason)
        #expect(reason.contains(real), "the actual hash: \(reason)")
        #expect(reason.contains(pin.sha256), "the pinned hash: \(reason)")
        #expect(report.failures.count == 1, "gnu and its copy still provisioned: \(report.failures)")
        let manifest = try RuntimeManifest.load(from: report.manifestURL)
        #expect(manifest.notProvisionedReason("llvm13") == reason)
        #expect(manifest.runtimes.map(\.name) == ["gnu", "gnu-copy"])
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("llvm13").path), "nothing of it installed")
    }

    @Test("a rerun downloads nothing and leaves the manifest as it was",
          .ciLane, .enabled(if: canDownloadDebian, "needs apt-get and dpkg (Debian x86_64)"))
    func rerun() throws {
        let dir = try RuntimeFixtures.temporaryDirectory("prov-rerun")
        defer { try? FileManager.default.removeItem(at: dir) }
        let items = [Self.llvm13, ProvisionItem(name: "llvm13-copy", kind: .copy(of: "llvm13"), path: "copy13/libomp.so.5")]
        let first = try Provisioner(directory: dir, items: items).provision()
        #expect(first.isComplete, "\(first.failures)")
        #expect(first.downloads == 1 && first.downloadedBytes == Self.llvm13.downloadSize)
        let manifestBytes = try Data(contentsOf: first.manifestURL)
        let manifest = try RuntimeManifest.load(from: first.manifestURL)
        let r = try #require(manifest.runtimes.first { $0.name == "llvm13" })
        #expect(r.release == "13.0.1" && r.releaseSource == "debian-package" && r.vendor == "llvm" && r.family == "kmp")
        #expect(manifest.runtimes.first { $0.name == "llvm13-copy" }?.copyOf == "llvm13")

        let log = Lines()
        let second = try Provisioner(directory: dir, items: items, log: { log.append($0) }).provision(verify: true)
        #expect(second.downloadedBytes == 0 && second.downloads == 0, "\(second.text)")
        #expect(second.entries.allSatisfy { $0.state == .present }, "\(second.text)")
        #expect(log.all.isEmpty, "a rerun does nothing to report: \(log.all)")
        #expect(try Data(contentsOf: first.manifestURL) == manifestBytes)

        // A damaged runtime file is noticed and provisioned again.
        try Data("damaged".utf8).write(to: dir.appendingPathComponent(Self.llvm13.path))
        let third = try Provisioner(directory: dir, items: items).provision()
        #expect(third.isComplete && third.downloads == 1, "\(third.text)")
    }

    @Test("two provisioners at once: the second waits for the lock, then finds everything present",
          .ciLane, .enabled(if: canDownloadDebian, "needs apt-get and dpkg (Debian x86_64)"))
    func lock() async throws {
        let dir = try RuntimeFixtures.temporaryDirectory("prov-lock")
        defer { try? FileManager.default.removeItem(at: dir) }
        let items = [Self.llvm13]
        // Hold the lock as another provisioner would; a provisioner must wait for it.
        var held: ProvisionLock? = try ProvisionLock(directory: dir.path, waiting: { _ in })
        let log = Lines()
        let waiting = Task.detached { try Provisioner(directory: dir, items: items, log: { log.append($0) }).provision() }
        let deadline = Date().addingTimeInterval(30)
        while !log.all.contains(where: { $0.contains("waiting for another provisioner") }) && Date() < deadline {
            try await Task.sleep(nanoseconds: 20_000_000)
        }
        #expect(log.all.first?.contains("waiting for another provisioner") == true, "\(log.all)")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("manifest.json").path),
                "nothing written while another holds the lock")
        withExtendedLifetime(held) {}
        held = nil
        let first = try await waiting.value
        #expect(first.isComplete && first.downloads == 1)

        // Two at once on a fresh directory: one download in all, a valid manifest.
        let fresh = dir.appendingPathComponent("fresh")
        async let a = Task.detached { try Provisioner(directory: fresh, items: items).provision() }.value
        async let b = Task.detached { try Provisioner(directory: fresh, items: items).provision() }.value
        let (ra, rb) = try await (a, b)
        #expect(ra.isComplete && rb.isComplete)
        #expect(ra.downloads + rb.downloads == 1, "\(ra.text)\n\(rb.text)")
        let manifest = try RuntimeManifest.load(from: fresh.appendingPathComponent("manifest.json"))
        #expect(manifest.runtimes.map(\.name) == ["llvm13"])
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: fresh.path).filter { $0.hasPrefix(".tmp.") }
        #expect(leftovers.isEmpty, "work directories removed: \(leftovers)")
    }
}
