import Foundation
import Testing
@testable import OpenMPConformance

@Suite("Atlas: catalog names, provisioning and exit codes")
struct AtlasPlanTests {
    @Test("an unknown runtime name is refused, naming it")
    func unknownName() throws {
        let catalog = try AtlasFixtures.catalog()
        #expect {
            _ = try AtlasPlan.make(catalog: catalog, names: ["gnu", "llvm99"])
        } throws: { error in
            guard case AtlasError.unknownRuntime(let name, let known)? = error as? AtlasError else { return false }
            return name == "llvm99" && known.contains("llvm16")
        }
    }

    @Test("omp-matrix atlas --runtimes with an unknown name exits 2 and names it")
    func unknownNameExit() async throws {
        let r = try await AtlasFixtures.runCLI(["atlas", "--runtimes", "gnu,no-such-runtime", "--results", "/dev/null"])
        #expect(r.status == 2)
        #expect(r.err.contains("no-such-runtime"), "stderr: \(r.err)")
    }

    @Test("a catalog runtime missing from the manifest, or with another SHA-256, is shown as not provisioned with its reason")
    func notProvisioned() throws {
        let gnu = try #require(TestRuntimes.named("gnu"), "run Scripts/provision-runtimes.sh")
        var wrong = gnu
        wrong.name = "llvm15"
        wrong.sha256 = String(repeating: "0", count: 64)
        let dir = try AtlasFixtures.manifestDirectory([gnu, wrong])
        defer { try? FileManager.default.removeItem(at: dir) }
        let plan = try AtlasPlan.make(catalog: RuntimeCatalog(directory: dir), names: ["gnu", "llvm13", "llvm15"])
        let llvm13 = try #require(plan.runtimes.first { $0.name == "llvm13" })
        let why13 = llvm13.notProvisioned ?? "nil"
        #expect(why13.contains(RuntimeManifest.fileName), "\(why13)")
        let llvm15 = try #require(plan.runtimes.first { $0.name == "llvm15" })
        let why15 = llvm15.notProvisioned ?? "nil"
        #expect(why15.contains("SHA-256"), "\(why15)")
        let runnable: [String] = plan.pairs.filter { $0.notRun == nil }.map { $0.first + ">" + $0.second }
        #expect(runnable == ["gnu>gnu"])
        for p in plan.pairs where p.first != "gnu" || p.second != "gnu" {
            #expect(p.notRun?.hasPrefix("not provisioned: ") == true)
        }
    }

    @Test("the CLI measures the rest, shows the row and column as not provisioned, and exits 4")
    func notProvisionedExit() async throws {
        let gnu = try #require(TestRuntimes.named("gnu"), "run Scripts/provision-runtimes.sh")
        let dir = try AtlasFixtures.manifestDirectory([gnu])
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("atlas.json")
        let r = try await AtlasFixtures.runCLI(["atlas", "--runtimes", "gnu,llvm13", "--results", out.path, "--format", "md"],
                                         environment: [RuntimeCatalog.directoryVariable: dir.path])
        #expect(r.status == 4, "stderr: \(r.err)")
        #expect(r.out.contains("not provisioned"), "\(r.out)")
        #expect(r.err.contains("llvm13"))
        let atlas = try AtlasCodec.read(out)
        #expect(!atlas.partial)
        #expect(atlas.runtime(named: "llvm13")?.notProvisioned != nil)
        let gg = try #require(atlas.cell(first: "gnu", second: "gnu"))
        #expect(gg.isComplete && gg.diagonal == .control)
        #expect(atlas.cell(first: "gnu", second: "llvm13")?.notRun?.hasPrefix("not provisioned: llvm13") == true)
        let grid = AtlasGrid(atlas)
        #expect(grid.axes[1].notProvisioned?.hasPrefix("not provisioned: ") == true)
        #expect(AtlasHTMLReport.render(atlas).contains("not provisioned: "))
    }

    @Test("after provisioning the catalog holds at least 10 distinct runtimes by SHA-256: LLVM 13, 14, 15, 16, 19 and four Intel releases")
    func catalogBreadth() throws {
        let plan = try AtlasPlan.make(catalog: AtlasFixtures.catalog(), names: nil)
        for r in plan.runtimes where r.notProvisioned != nil { Issue.record("\(r.name): not provisioned: \(r.notProvisioned!)") }
        let ids = plan.runtimes.compactMap(\.identity)
        #expect(Set(ids.map(\.sha256)).count >= 10)
        let llvmIDs = ids.filter { $0.vendor == "llvm" }
        let llvm: Set<String> = Set(llvmIDs.map { String($0.release.prefix { $0 != "." }) })
        #expect(llvm.isSuperset(of: ["13", "14", "15", "16", "19"]), "LLVM majors: \(llvm.sorted())")
        #expect(Set(ids.filter { $0.vendor == "intel" }.map(\.release)).count >= 4)
        // Family and vendor come from the bytes: Debian's LLVM builds are never called Intel.
        for r in plan.runtimes where r.name.hasPrefix("llvm") { #expect(r.identity?.vendor == "llvm", "\(r.name)") }
        #expect(plan.runtimes.contains { $0.copy != nil }, "at least one runtime has a copy for its diagonal")
    }
}
