import Foundation
import Testing
@testable import OpenMPConformance

/// Runtimes from other Debian suites than the host's (LLVM 9 and 11 from bullseye), fetched
/// with apt's own client through a private source list and state folder, and the items the
/// catalog lists but excludes (LLVM 17 and 18, trixie's glibc 2.38 builds). Real downloads
/// from Debian's archive into temporary directories.
@Suite("Provisioning from other Debian suites")
struct OlderSuiteTests {
    static var llvm11: ProvisionItem { ProvisionCatalog.item(named: "llvm11")! }
    static var gnu: ProvisionItem { ProvisionCatalog.item(named: "gnu")! }

    /// Every file under `/etc/apt`, with its size, modification time and SHA-256.
    static func etcApt() -> [String: String] {
        var out: [String: String] = [:]
        let root = "/etc/apt"
        guard let walker = FileManager.default.enumerator(atPath: root) else { return out }
        for case let rel as String in walker {
            let path = "\(root)/\(rel)"
            var st = stat()
            guard lstat(path, &st) == 0 else { continue }
            var hash = ""
            if (st.st_mode & S_IFMT) == S_IFREG, let bytes = try? FileBytes(mapping: path) { hash = SHA256.hex(of: bytes.raw) }
            out[rel] = "\(st.st_mode) \(st.st_size) \(st.st_mtim.tv_sec).\(st.st_mtim.tv_nsec) \(hash)"
        }
        return out
    }

    @Test("LLVM 11 comes from bullseye through a private apt source: pinned bytes, and /etc/apt is untouched",
          .enabled(if: ProvisioningTests.canDownloadDebian, "needs apt-get and dpkg (Debian x86_64)"))
    func privateSource() throws {
        let dir = try RuntimeFixtures.temporaryDirectory("prov-bullseye")
        defer { try? FileManager.default.removeItem(at: dir) }
        let before = Self.etcApt()
        #expect(!before.isEmpty, "/etc/apt is readable")
        let report = try Provisioner(directory: dir, items: [Self.llvm11]).provision()
        #expect(Self.etcApt() == before, "the system's apt configuration is never written")
        guard report.isComplete else {
            // The mirror may have dropped the suite; then the reason must say so.
            let reason = report.failures.first?.reason ?? ""
            #expect(reason.hasPrefix("suite unavailable: Debian bullseye"), "\(reason)")
            return
        }
        let manifest = try RuntimeManifest.load(from: report.manifestURL)
        let r = try #require(manifest.runtimes.first { $0.name == "llvm11" })
        #expect(r.sha256 == Self.llvm11.fileSHA256 && r.release == "11.0.1" && r.vendor == "llvm" && r.family == "kmp")
        #expect(r.source == "apt:libomp5-11=1:11.0.1-2")
        let source = try String(contentsOf: dir.appendingPathComponent(".apt/bullseye/sources.list"), encoding: .utf8)
        #expect(source.contains(" bullseye main"), "the private source names the suite: \(source)")
        #expect(source.contains(PrivateAptSource.systemMirror(etc: "/etc/apt") ?? PrivateAptSource.defaultMirror),
                "the system's mirror host is reused: \(source)")
    }

    @Test("a suite the mirror does not serve: not provisioned, 'suite unavailable', the rest goes on",
          .enabled(if: ProvisioningTests.canDownloadDebian, "needs apt-get and dpkg (Debian x86_64)"))
    func suiteUnavailable() throws {
        let dir = try RuntimeFixtures.temporaryDirectory("prov-nosuite")
        defer { try? FileManager.default.removeItem(at: dir) }
        func gone(_ name: String) -> ProvisionItem {
            var item = ProvisionCatalog.item(named: name)!
            if case .debian(var pin) = item.kind { pin.suite = "omp-no-such-suite"; item.kind = .debian(pin) }
            return item
        }
        let report = try Provisioner(directory: dir, items: [gone("llvm9"), gone("llvm11"), Self.gnu]).provision()
        #expect(!report.isComplete, "exit 4 follows from an incomplete report")
        let reason = try #require(report.failures.first { $0.name == "llvm11" }?.reason)
        #expect(reason.hasPrefix("suite unavailable: Debian omp-no-such-suite at "), "\(reason)")
        #expect(report.failures.map(\.name) == ["llvm9", "llvm11"], "gnu still provisioned: \(report.failures)")
        // The suite is tried once per run: the second item fails on the first one's answer, no apt run.
        #expect(report.failures[0].reason == reason)
        #expect(report.entries[1].seconds < report.entries[0].seconds / 4,
                "llvm9 took \(report.entries[0].seconds) s (apt-get update), llvm11 \(report.entries[1].seconds) s")
        #expect(report.text.contains("NOT PROVISIONED  suite unavailable"), "\(report.text)")
        let manifest = try RuntimeManifest.load(from: report.manifestURL)
        #expect(manifest.notProvisionedReason("llvm11") == reason)
        #expect(manifest.runtimes.map(\.name) == ["gnu"])
    }


    @Test("LLVM 17 and 18 are listed as excluded with the reason, never downloaded, and provisioning stays complete")
    func excluded() throws {
        let dir = try RuntimeFixtures.temporaryDirectory("prov-excluded")
        defer { try? FileManager.default.removeItem(at: dir) }
        let items = ["llvm17", "llvm18"].compactMap(ProvisionCatalog.item(named:))
        #expect(items.count == 2)
        let report = try Provisioner(directory: dir, items: items).provision()
        #expect(report.isComplete && report.downloadedBytes == 0, "\(report.text)")
        for e in report.entries {
            #expect(e.state == .excluded(reason: ProvisionCatalog.needsNewerGlibc), "\(e.name): \(e.state)")
        }
        #expect(report.text.contains("llvm17        excluded: needs glibc 2.38"), "\(report.text)")
        let manifest = try RuntimeManifest.load(from: report.manifestURL)
        #expect(manifest.notProvisionedReason("llvm18") == "excluded: " + ProvisionCatalog.needsNewerGlibc)
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent(".apt").path), "no apt run for them")
    }

    @Test("the mirror comes from the system's sources: deb822 and one-line, releases only", arguments: [
        ("debian.sources", """
         Types: deb
         # http://snapshot.debian.org/archive/debian-security/20250520T000000Z
         URIs: http://deb.debian.org/debian-security
         Suites: bookworm-security
         Components: main

         Types: deb
         URIs: http://mirror.example.org/debian/
         Suites: bookworm bookworm-updates
         Components: main
         """, "http://mirror.example.org/debian"),
        ("mirror.list", """
         # deb http://commented.example.org/debian bookworm main
         deb [arch=amd64 signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://ftp.example.net/debian bookworm main
         """, "http://ftp.example.net/debian"),
        ("other.list", "deb https://packages.example.com/apt cloud-sdk-bookworm main\n", nil),
        ("off.sources", "Types: deb\nURIs: http://off.example.org/debian\nSuites: bookworm\nEnabled: no\n", nil),
    ] as [(String, String, String?)])
    func mirror(file: String, text: String, expected: String?) throws {
        let etc = try RuntimeFixtures.temporaryDirectory("prov-etc")
        defer { try? FileManager.default.removeItem(at: etc) }
        let parts = etc.appendingPathComponent("sources.list.d")
        try FileManager.default.createDirectory(at: parts, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: parts.appendingPathComponent(file))
        #expect(PrivateAptSource.systemMirror(etc: etc.path) == expected)
        let source = PrivateAptSource(suite: "bullseye", runtimes: "/cache", etc: etc.path)
        #expect(source.mirror == expected ?? PrivateAptSource.defaultMirror)
        #expect(source.sourceLine.hasSuffix("\(source.mirror) bullseye main"))
        #expect(source.options.contains("Dir::Etc::SourceList=/cache/.apt/bullseye/sources.list"))
        #expect(source.options.contains("Dir::State=/cache/.apt/bullseye/state"))
    }
}

extension OlderSuiteTests {
    static var llvm9File: String? {
        guard let catalog = try? RuntimeCatalog(), let r = catalog.runtime(named: "llvm9"),
              FileManager.default.fileExists(atPath: r.path) else { return nil }
        return r.path
    }

    @Test("LLVM 9's libomp carries Intel's brand in its banner, and is identified as LLVM by its build compiler",
          .enabled(if: llvm9File != nil, "llvm9 is not provisioned (Scripts/provision-runtimes.sh)"))
    func llvm9Vendor() throws {
        let path = try #require(Self.llvm9File)
        let id = try #require(try RuntimeIdentity.identify(path: path))
        #expect(id.banner.contains { $0.hasPrefix("Intel(R) OMP") }, "the banner this is about: \(id.banner)")
        #expect(id.vendor == .llvm && id.family == .kmp, "\(id.vendor)")
        #expect(id.version == "9.0" && id.versionSource == "build-compiler")
    }
}
