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

    @Test("requirements lines pip would reject exit 2 naming the line", arguments: [
        ("torch==2.15.0\nfaiss-cpu>=1.0\n", 2, "version ranges"),
        ("# comment\n\ntorch==\n", 3, "is not a version"),
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

    @Test("comments, continuations and extras are read; markers, URLs and options are named as unsupported")
    func read() throws {
        let text = "torch==2.15.0  # the framework\nfaiss-cpu\\\n==1.15.1\nscikit-learn[alldeps]\nnumpy ; sys_platform == 'win32'\n-r other.txt\nhttps://example.org/x.whl\n"
        let r = try PackageDoctor.requirements(text, file: "req.txt")
        #expect(r.requests.map(\.name) == ["torch", "faiss-cpu", "scikit-learn"])
        #expect(r.requests.map(\.version) == ["2.15.0", "1.15.1", nil])
        #expect(r.requests.map(\.line) == [1, 2, 4])
        #expect(r.unsupported.count == 3)
        #expect(r.unsupported.first?.hasPrefix("line 5:") == true)
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
    ])
    func answers(names: [String], platform: WheelCatalog.Platform) throws {
        let c = try Self.catalog.get()
        let (atlas, source) = Self.atlas
        let a = PackageDoctor.answer(names.map { PackageDoctor.Request(name: $0) }, platform: platform, catalog: c, atlas: atlas, atlasSource: source)
        let kmp = Self.shippedKMP(names, platform, c)
        // On Linux same-named files are one runtime; elsewhere each shipped copy is its own.
        let distinct = platform == .linux ? Set(kmp.map { $0.path.split(separator: "/").last! }).count : kmp.count
        #expect(a.pairs.count == distinct * (distinct - 1) / 2)
        // Same-named files on Linux are said to be one, never silently dropped.
        #expect(a.lines.contains { $0.contains("so the loader uses one of them") } == (distinct < kmp.count))
        if let atlas {
            for p in a.pairs {
                for id in p.cells { #expect(atlas.cells.contains { $0.id == id }, "cited \(id) is not in the atlas") }
                let cited = atlas.cells.filter { p.cells.contains($0.id) }
                let fails = cited.contains { cell in cell.observations.contains { o in
                    (o.variant == .withoutVariable && o.outcomes.contains(.duplicateRuntimeAbort)) || o.outcomes.contains(.hangAtExit) && o.variant != .withVariableSecondLoadedFirst } }
                #expect(p.fails == fails, "\(p.answer)")
            }
        }
        let expected: Int32 = a.pairs.contains(where: \.fails) ? 1 : a.pairs.contains(where: \.unmeasured) ? 4 : 0
        #expect(a.exitCode == expected)
        #expect(a.lines.first.map { !$0.isEmpty } == true)
        #expect(a.lines.contains { $0.hasPrefix("Atlas: ") })
        if platform == .windows { #expect(a.lines.contains { $0.contains("Wine-measured") }) }
    }

    @Test("a package not in the catalog is listed, never guessed, and the answer is incomplete")
    func unknown() throws {
        let a = PackageDoctor.answer([.init(name: "no-such-package-here"), .init(name: "numpy")], platform: .linux,
                                     catalog: try Self.catalog.get(), atlas: Self.atlas.0, atlasSource: Self.atlas.1)
        #expect(a.unknown == ["no-such-package-here"])
        #expect(a.exitCode == 4)
        #expect(a.lines.contains { $0.contains("no-such-package-here: not in the wheel catalog") })
    }
}
