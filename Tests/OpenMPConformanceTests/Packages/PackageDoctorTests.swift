import Foundation
import Testing
@testable import OpenMPConformance

/// `doctor --packages | --requirements`: requirements read as pip reads them, and answers computed
/// from the checked-in wheel catalog and atlas snapshot (no network).
@Suite("Package doctor")
struct PackageDoctorTests {
    static let root = URL(fileURLWithPath: TestRuntimes.root)
    static let catalog = Result { try WheelCatalog.load(WheelCatalogTests.url) }
    static let atlas = PackageDoctor.linuxAtlas(root: root)
    static let windowsAtlas = PackageDoctor.windowsAtlas(root: root)

    @Test("requirements lines pip would reject exit 2 naming the line", arguments: [
        ("torch==2.15.0\nfaiss-cpu>>1.0\n", 2, "is not a version"),
        ("# comment\n\ntorch==\n", 3, "no version after '=='"),
        ("torch\n==1.0\n", 2, "valid project name"),
        ("numpy[extra==1.0\n", 1, "not closed"),
        ("scipy==1.18.1 ; python_version<'3.13'\n@@@\n", 2, "valid project name"),
    ])
    func rejected(text: String, line: Int, message: String) {
        #expect {
            _ = try PackageDoctor.requirements(text, file: "req.txt")
        } throws: { error in
            guard let e = error as? PackageDoctor.RequirementsError else { return false }
            return e.line == line && e.message.contains(message) && e.description.hasPrefix("req.txt:\(line): ")
        }
    }

    @Test("comments, continuations, extras and markers are read; URLs and other requirements files are named as not read")
    func read() throws {
        let text = "torch==2.15.0  # the framework\nfaiss-cpu\\\n==1.15.1\nscikit-learn[alldeps]\nnumpy ; sys_platform == 'win32'\n-r other.txt\nhttps://example.org/x.whl\n"
        let r = try PackageDoctor.requirements(text, file: "req.txt")
        #expect(r.requests.map(\.name) == ["torch", "faiss-cpu", "scikit-learn", "numpy"])
        #expect(r.requests.map(\.version) == ["2.15.0", "1.15.1", nil, nil])
        #expect(r.requests.map(\.line) == [1, 2, 4, 5])
        #expect(r.requests.last?.marker == "sys_platform == 'win32'")
        #expect(r.unsupported.map { String($0.words.prefix(7)) } == ["line 6:", "line 7:"])
        #expect(r.unsupported.allSatisfy { $0.incomplete })
    }

    /// The KMP runtimes a set of packages ships on a platform, from the catalog (what the answer must count).
    static func shippedKMP(_ names: [String], _ p: WheelCatalog.Platform, _ c: WheelCatalog) -> [WheelCatalog.Runtime] {
        names.compactMap { c.wheel(package: $0, platform: p) }.flatMap { $0.runtimes.filter { $0.family == "kmp" && $0.linkage != .system } }
    }

    @Test("answers from the catalog and atlas: pairs, cited cells and exit status follow the data", arguments: [
        (["torch", "faiss-cpu", "scikit-learn"], WheelCatalog.Platform.macos),
        (["torch", "faiss-cpu"], .macos),
        (["torch", "faiss-cpu", "scikit-learn"], .linux),
        (["torch", "ctranslate2"], .windows),
        (["faiss-cpu", "scikit-learn", "numpy"], .windows),
        (["paddlepaddle", "intel-openmp"], .linux),
        (["torch", "paddlepaddle", "intel-openmp"], .windows),
    ])
    func answers(names: [String], platform: WheelCatalog.Platform) throws {
        let c = try Self.catalog.get()
        let (linux, source) = Self.atlas
        let windows = Self.windowsAtlas.0
        let a = PackageDoctor.answer(names.map { PackageDoctor.Request(name: $0) }, platform: platform, catalog: c, atlas: linux, atlasSource: source,
                                     windowsAtlas: windows, windowsAtlasSource: Self.windowsAtlas.1)
        let kmp = Self.shippedKMP(names, platform, c)
        // On Linux same-named files are one runtime; elsewhere each shipped copy is its own.
        let distinct = platform == .linux ? Set(kmp.map { $0.path.split(separator: "/").last! }).count : kmp.count
        #expect(a.pairs.count == distinct * (distinct - 1) / 2)
        // Same-named files on Linux are said to be one, never silently dropped.
        #expect(a.lines.contains { $0.contains("so the loader uses one of them") } == (distinct < kmp.count))
        for p in a.pairs {
            // A Windows pair whose two DLLs the Windows atlas measured (same bytes, else same Intel build) cites it;
            // any other cites the Linux atlas's nearest releases and predicts nothing.
            let underWine = platform == .windows && windows.map { w in [p.first, p.second].allSatisfy { Self.windowsMeasured($0, w) } } == true
            if let atlas = underWine ? windows : linux {
                for id in p.cells { #expect(atlas.cells.contains { $0.id == id }, "cited \(id) is not in the atlas") }
                let cited = atlas.cells.filter { p.cells.contains($0.id) }
                let fails = cited.contains { cell in cell.observations.contains { o in
                    (o.variant == .withoutVariable && o.outcomes.contains(.duplicateRuntimeAbort)) || o.outcomes.contains(.hangAtExit) && o.variant != .withVariableSecondLoadedFirst } }
                // A pair not measured for its platform (a release the atlas lacks, any Windows pair while no
                // Windows atlas exists) cites its nearest cells but predicts nothing.
                #expect(p.fails == (fails && !p.unmeasured), "\(p.answer)")
                #expect(p.unmeasured == (platform == .windows ? !underWine : [p.first, p.second].contains { !Self.majorMeasured($0, atlas) }), "\(p.answer)")
                if platform == .windows {
                    #expect(p.answer.contains("not measured under Wine here (nearest measured on Linux: ") == !underWine, "\(p.answer)")
                    #expect(p.answer.contains(PackageDoctor.label(.windows)) == underWine, "\(p.answer)")
                }
            }
        }
        let expected: Int32 = a.pairs.contains(where: \.fails) ? 1 : a.pairs.contains(where: \.unmeasured) ? 4 : 0
        #expect(a.exitCode == expected)
        // The first line, in the user's words: the packages whose runtimes meet, and whether one aborts or hangs.
        let head = try #require(a.lines.first)
        #expect(!head.contains("KMP-family"), "\(head)")
        if a.pairs.isEmpty {
            #expect(head.hasPrefix("No two OpenMP runtimes of the Intel/LLVM kind meet on \(platform.rawValue)"), "\(head)")
        } else {
            for p in a.pairs { #expect(head.contains(p.first.package) && head.contains(p.second.package), "\(head)") }
            #expect(head.contains("aborts with Error #15 or hangs at exit") == a.pairs.contains(where: \.fails), "\(head)")
        }
        #expect(a.lines.contains { $0.hasPrefix("Atlas: ") })
        if platform == .windows { #expect(a.lines.contains { $0.contains("Wine-measured") }) }
    }

    /// True when the Windows atlas measured this DLL: the same SHA-256, or the same Intel FileVersion.
    static func windowsMeasured(_ b: PackageDoctor.Brought, _ w: AtlasResults) -> Bool {
        w.runtimes.contains { r in
            guard let id = r.identity, id.family == "kmp", r.notProvisioned == nil else { return false }
            return id.sha256 == b.runtime.sha256 || (id.vendor == "intel" && r.banner == "FileVersion \(b.runtime.release)")
        }
    }

    @Test("Windows torch + ctranslate2: the Windows atlas cells of the same DLLs (by SHA-256) are cited, outcomes as the snapshot records")
    func windowsTorchCTranslate2() throws {
        let w = try #require(Self.windowsAtlas.0, "no Windows atlas snapshot checked in: \(Self.windowsAtlas.1)")
        let a = PackageDoctor.answer([.init(name: "torch"), .init(name: "ctranslate2")], platform: .windows, catalog: try Self.catalog.get(),
                                     atlas: Self.atlas.0, atlasSource: Self.atlas.1, windowsAtlas: w, windowsAtlasSource: Self.windowsAtlas.1)
        #expect(a.pairs.count == 1)
        let p = try #require(a.pairs.first)
        // The snapshot's runtimes with the bytes the two wheels ship, and their cells in both start orders.
        let measured = try [p.first, p.second].map { b in
            try #require(w.runtimes.first { $0.identity?.sha256 == b.runtime.sha256 }, "\(b.package)'s DLL is not in the Windows atlas")
        }
        #expect(measured[0].name != measured[1].name)
        let cells = w.cells.filter { ($0.first, $0.second) == (measured[0].name, measured[1].name) || ($0.first, $0.second) == (measured[1].name, measured[0].name) }
        #expect(cells.count == 2)
        #expect(Set(p.cells) == Set(cells.map(\.id)))
        #expect(!p.unmeasured)
        let aborts = cells.contains { $0.observations.contains { $0.variant == .withoutVariable && $0.outcomes.contains(.duplicateRuntimeAbort) } }
        let hangs = cells.contains { $0.observations.contains { $0.variant != .withVariableSecondLoadedFirst && $0.outcomes.contains(.hangAtExit) } }
        #expect(p.fails == (aborts || hangs))
        #expect(a.exitCode == (p.fails ? 1 : 0))
        for cell in cells {
            #expect(p.answer.contains("(atlas cell \(cell.id))"))
            let with = cell.observations.first { $0.variant == .withVariable }
            #expect(p.answer.contains("with it \(AtlasWords.observation(with))"), "\(p.answer)")
        }
        #expect(p.answer.contains(PackageDoctor.label(.windows)))
        #expect(!p.answer.contains("not measured under Wine here"))
        #expect(a.lines.contains { $0.hasPrefix("Atlas: \(Self.windowsAtlas.1) (\(PackageDoctor.label(.windows)))") })
    }

    @Test("a Windows DLL the Windows atlas lacks by bytes is matched by its Intel build (FileVersion), for every Intel DLL of the snapshot")
    func windowsByFileVersion() throws {
        let w = try #require(Self.windowsAtlas.0, "no Windows atlas snapshot checked in: \(Self.windowsAtlas.1)")
        let intel = w.runtimes.filter { $0.identity?.vendor == "intel" && $0.identity?.family == "kmp" && $0.notProvisioned == nil }
        #expect(!intel.isEmpty)
        for r in intel {
            let fileVersion = try #require(r.banner.flatMap { $0.hasPrefix("FileVersion ") ? String($0.dropFirst(12)) : nil }, "no FileVersion for \(r.name)")
            let m = PackageDoctor.windowsMeasured(Self.brought("intel", fileVersion), in: w)
            #expect(m?.runtime.name == r.name && m?.how.contains("Intel build") == true, "\(r.name): \(String(describing: m?.runtime.name))")
        }
        #expect(PackageDoctor.windowsMeasured(Self.brought("intel", "5.0.19000101"), in: w) == nil)
    }

    /// True when the atlas has a runtime of this LLVM major release, or this Intel build (what a stand-in needs).
    static func majorMeasured(_ b: PackageDoctor.Brought, _ atlas: AtlasResults) -> Bool {
        atlas.runtimes.contains { r in
            guard let id = r.identity, id.family == "kmp", id.vendor == b.runtime.vendor else { return false }
            if id.vendor == "llvm" { return id.release.split(separator: ".").first == b.runtime.release.split(separator: ".").first }
            return (r.banner ?? "").contains("OMP version: \(b.runtime.release);") || (r.banner ?? "").hasSuffix("OMP version: \(b.runtime.release)")
        }
    }

    static func brought(_ vendor: String, _ release: String) -> PackageDoctor.Brought {
        .init(package: "p", version: "1", runtime: .init(path: "lib/libomp.so", family: "kmp", vendor: vendor, release: release, sha256: nil, linkage: .vendoredOwnPath))
    }

    @Test("releases without a stand-in: the same LLVM major if measured, else the nearest measured major is named", arguments: 8...23)
    func llvmStandIn(major: Int) throws {
        let atlas = try #require(Self.atlas.0, "no atlas snapshot checked in")
        let llvm = atlas.runtimes.filter { $0.identity?.vendor == "llvm" && $0.identity?.family == "kmp" }
        func m(_ r: AtlasRuntime) -> Int { Int(r.identity!.release.split(separator: ".")[0])! }
        let s = PackageDoctor.standIn(Self.brought("llvm", "\(major).1"), in: atlas)
        if let same = llvm.first(where: { m($0) == major }) {
            #expect(s.same?.name == same.name)
        } else {
            #expect(s.same == nil)
            let best = llvm.map { abs(m($0) - major) }.min()!
            #expect(s.nearest.map { abs(m($0) - major) } == best)
        }
    }

    @Test("an Intel build stands in for the same build, read from the atlas banner (every Intel runtime of the atlas)")
    func intelStandIn() throws {
        let atlas = try #require(Self.atlas.0, "no atlas snapshot checked in")
        let intel = atlas.runtimes.filter { $0.identity?.vendor == "intel" && $0.identity?.family == "kmp" }
        #expect(!intel.isEmpty)
        for r in intel {
            let build = try #require(PackageDoctor.intelBuild(r), "no build in \(r.banner ?? "")")
            #expect(PackageDoctor.standIn(Self.brought("intel", "5.0.\(build)"), in: atlas).same?.name == r.name)
        }
    }

    @Test("the doc's pair on macOS: every pair of torch, faiss-cpu and scikit-learn is answered from cited cells")
    func docPairMacOS() throws {
        let atlas = try #require(Self.atlas.0, "no atlas snapshot checked in")
        let a = PackageDoctor.answer([.init(name: "torch", version: "2.15.0"), .init(name: "faiss-cpu"), .init(name: "scikit-learn")], platform: .macos,
                                     catalog: try Self.catalog.get(), atlas: atlas, atlasSource: Self.atlas.1)
        #expect(a.pairs.count == 3)
        for p in a.pairs {
            #expect(!p.unmeasured && p.cells.count == 2, "\(p.answer)")
            #expect(p.answer.contains("[Linux builds of the same release stand in: "))
        }
        #expect(a.exitCode == (a.pairs.contains(where: \.fails) ? 1 : 0))
    }

    @Test("a package not in the catalog is listed, never guessed, and the answer is incomplete")
    func unknown() throws {
        let a = PackageDoctor.answer([.init(name: "no-such-package-here"), .init(name: "numpy")], platform: .linux,
                                     catalog: try Self.catalog.get(), atlas: Self.atlas.0, atlasSource: Self.atlas.1)
        #expect(a.unknown == ["no-such-package-here"])
        #expect(a.exitCode == 4)
        #expect(a.lines.contains { $0.contains("no-such-package-here: not in the wheel catalog") })
    }

    /// An index on a closed loopback port: what "no network" looks like, without needing one.
    static let closedIndex = "http://127.0.0.1:9/simple"

    /// The tests that reach the package index: the network lane only.
    static let networkLane: ConditionTrait = .enabled(if: ProcessInfo.processInfo.environment["OMP_NETWORK_TESTS"] == "1",
                                                      "network lane only (OMP_NETWORK_TESTS=1, set by .ci/run)")

    @Test("no network: a package not in the catalog is named with the reason, the rest is answered, exit 4")
    func noNetwork() async throws {
        let dir = try makeTemporaryDirectory("omp-pkg-download")
        defer { try? FileManager.default.removeItem(at: dir) }
        var builder = WheelCatalogBuilder(downloads: dir)
        builder.index = Self.closedIndex
        let c = try Self.catalog.get()
        let requests: [PackageDoctor.Request] = [.init(name: "torch", version: "2.15.0"), .init(name: "faiss-cpu"), .init(name: "no-such-package-here"),
                                                 .init(name: "tiny-thing", version: "1.0")]
        let downloads = await PackageDoctor.resolve(requests, platform: .macos, catalog: c, builder: builder)
        #expect(downloads.map(\.package) == ["no-such-package-here", "tiny-thing"])
        #expect(downloads.allSatisfy { $0.failed && $0.how.contains("the index could not be read") && $0.how.contains("127.0.0.1:9") })
        let a = PackageDoctor.answer(requests, platform: .macos, catalog: c, atlas: Self.atlas.0, atlasSource: Self.atlas.1, downloads: downloads)
        #expect(a.unknown == ["no-such-package-here", "tiny-thing==1.0"])
        #expect(a.downloads == downloads)
        #expect(a.lines.contains { $0.contains("no-such-package-here: not in the catalog; the index could not be read") })
        // The catalog's packages are still answered: torch and faiss-cpu meet.
        #expect(a.pairs.count == 1)
        #expect(a.exitCode == (a.pairs.contains(where: \.fails) ? 1 : 4))
        // Nothing recorded, nothing left behind.
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty)
    }

    @Test("the command: no network gives exit 4 and names the package and the reason", .enabled(if: TestProducts.ompMatrix != nil, "omp-matrix not built"))
    func noNetworkCLI() async throws {
        let home = try makeTemporaryDirectory("omp-pkg-cache")
        defer { try? FileManager.default.removeItem(at: home) }
        let r = try await AtlasFixtures.runCLI(["doctor", "--packages", "numpy", "no-such-package-here==1.0", "--platform", "linux-x86_64"],
                                         environment: ["OMP_WHEEL_INDEX": Self.closedIndex, "OMP_CONFORMANCE_RUNTIMES": home.path])
        #expect(r.status == 4, "\(r.out)\(r.err)")
        #expect(r.out.contains("no-such-package-here 1.0: not in the catalog; the index could not be read"))
        #expect(r.out.contains("numpy 2.5.5 (the catalog's version): ships no OpenMP runtime"))
    }

    @Test("network: a small package not in the catalog is downloaded, verified, recorded, then answered from the record", networkLane)
    func download() async throws {
        let dir = try makeTemporaryDirectory("omp-pkg-download")
        defer { try? FileManager.default.removeItem(at: dir) }
        let builder = WheelCatalogBuilder(downloads: dir)
        let c = try Self.catalog.get()
        let pinned: [PackageDoctor.Request] = [.init(name: "PyYAML", version: "6.0.2"), .init(name: "pyyaml")]
        #expect(c.wheel(package: "pyyaml", platform: .linux) == nil)
        let first = await PackageDoctor.resolve(pinned, platform: .linux, catalog: c, builder: builder)
        #expect(first.count == 2)
        for d in first {
            let w = try #require(d.wheel, "\(d.how)")
            #expect(d.how.contains("verified against the index's SHA-256"))
            let path = dir.appendingPathComponent("linux-x86_64").appendingPathComponent(w.file).path
            let bytes = try FileBytes(mapping: path)
            #expect(withExtendedLifetime(bytes) { SHA256.hex(of: bytes.raw) } == w.sha256)
        }
        #expect(first[1].how.contains("is the one pip resolves for linux-x86_64"))
        let a = PackageDoctor.answer(pinned, platform: .linux, catalog: c, atlas: Self.atlas.0, atlasSource: Self.atlas.1, downloads: first)
        #expect(a.unknown.isEmpty && a.exitCode == 0, "\(a.lines)")
        // A pinned version is answered from the record, without the network.
        var offline = builder
        offline.index = Self.closedIndex
        let again = await PackageDoctor.resolve([pinned[0]], platform: .linux, catalog: c, builder: offline)
        #expect(again.first?.wheel == first[0].wheel)
        #expect(again.first?.how.contains("downloaded earlier") == true)
    }
}
