import Foundation
import OMPPlan
import Testing
@testable import OpenMPConformance

@Suite("Matrix: bundled data")
struct MatrixBundledTests {
    let m = MatrixFixtures.linux

    @Test func nineRowsWithTheTablesFixNeededValues() {
        let expected: [(String, Matrix.FixNeeded, Matrix.Device, Matrix.Platform)] = [
            ("macos-lvm-training", .yes, .cpu, .macos),
            ("macos-faiss-index-build", .yes, .cpu, .macos),
            ("macos-cpu-fallback-training", .yes, .cpu, .macos),
            ("macos-faiss-preprocessing", .yes, .cpu, .macos),
            ("macos-mps-training", .no, .mps, .macos),
            ("macos-gpu-training", .no, .cuda, .macos),
            ("linux-cpu-training", .no, .cpu, .linux),
            ("inference-only", .no, .any, .any),
            ("macos-web-server", .maybe, .any, .macos),
        ]
        #expect(m.rows.count == 9)
        #expect(m.rows.map(\.id) == expected.map(\.0))
        for (id, fix, device, platform) in expected {
            let r = m.row(id: id)
            #expect(r?.fixNeeded == fix, "\(id)")
            #expect(r?.device == device, "\(id)")
            #expect(r?.platform == platform, "\(id)")
            #expect(r.map { !$0.reason.isEmpty && !$0.source.quote.isEmpty && $0.source.section == "When You Need This Fix" } == true, "\(id)")
        }
    }

    @Test func everyRequiredClaimExistsWithAMethod() {
        let required = ["dyld-kills-process", "first-one-loaded", "safe-1-same-standard", "safe-2-not-mixing",
                        "safe-3-overly-conservative", "set-before-imports", "after-imports-too-late",
                        "export-does-not-propagate", "unactivated-venv-other-libs", "inference-usually-fine",
                        "mps-cuda-no-openmp", "linux-unaffected", "pytorch-intel-faiss-llvm", "verification-script-catches-it"]
        for id in required {
            let c = m.claim(id: id)
            #expect(c != nil, "missing claim \(id)")
            #expect((c?.method.count ?? 0) > 40, "\(id) needs a method")
            #expect(c.map { !$0.statement.isEmpty && !$0.source.section.isEmpty && !$0.source.quote.isEmpty } == true, "\(id)")
        }
        // Every claim that is not static or declared untestable has evidence cells.
        for c in m.claims where c.wheels == nil && c.untestableReason == nil {
            #expect(m.cells.contains { $0.claims.contains(c.id) }, "claim \(c.id) has no evidence cells")
        }
        #expect(m.claim(id: "unactivated-venv-other-libs")?.untestableReason != nil)
        #expect(m.claim(id: "pytorch-intel-faiss-llvm")?.wheels?.expectations.map(\.package) == ["torch", "faiss-cpu"])
    }

    @Test func cellIDsAreUniqueAndSpellTheirDimensions() {
        #expect(Set(m.cells.map(\.id)).count == m.cells.count)
        for c in m.cells {
            // A stack-shape cell: the own-handle id plus `/<shape>`; own-handle ids are unchanged.
            let stack = c.stack == .ownHandle ? "" : "/\(c.stack.rawValue)"
            #expect(c.id == "\(c.row)/\(c.profile)/\(c.envMode.rawValue)/\(c.ordering.rawValue)/\(c.importMeaning.rawValue)\(stack)")
            #expect(c.description == c.id)
        }
    }

    @Test func cellIDsAreStableAcrossLoadsAndManifests() throws {
        let again = try MatrixFixtures.bundled()
        #expect(again.cells.map(\.id) == m.cells.map(\.id))
        // A host with no runtimes at all expands to the same ids (only testability changes).
        let bare = try MatrixFixtures.bundled(manifest: [:])
        #expect(bare.cells.map(\.id) == m.cells.map(\.id))
        #expect(bare.cells.allSatisfy { !$0.testability.isTestable })
        // Ids that reports and baselines refer to.
        for id in ["linux-cpu-training/intel+llvm/unset/framework-first/load+init",
                   "macos-lvm-training/intel+llvm/wrapper-env-i/framework-first/load+init",
                   "macos-lvm-training@linux/llvm14+llvm16/set-after-loads/interleaved/load+init",
                   "inference-only/shared-runtime/unset/framework-first/load",
                   "verification-script-catches-it/vendored-copies/unset/index-first/load"] {
            #expect(m.cell(id: id) != nil, "\(id)")
        }
    }

    @Test func defaultSizeAndBreakdown() {
        func count(_ row: String) -> Int { m.cells.filter { $0.row == row }.count }
        #expect((150...450).contains(m.cells.count))
        // 4 contending-or-mixed profiles and 2 controls, per the expansion rules:
        // full env spread: 3 contending x 19 + mixed 7 + 2 controls x 2 = 68.
        #expect(count("macos-lvm-training") == 68)
        #expect(count("macos-lvm-training@linux") == 68)
        // unset (5 shapes) + exported (2): 3 x 7 + 7 + 2 x 2 = 32.
        // 32 own-handle, and rule 6: 5 stack shapes x 3 profiles x (unset, exported).
        #expect(count("linux-cpu-training") == 32 + 30)
        #expect(m.cells.filter { $0.stack != .ownHandle }.count == 30)
        #expect(count("inference-only") == 32)
        // framework-first only: unset 2 + exported 1 per two-file profile, 2 per control: 4 x 3 + 4 = 16.
        for r in ["macos-faiss-index-build", "macos-cpu-fallback-training", "macos-faiss-preprocessing", "macos-web-server"] {
            #expect(count(r) == 16, "\(r)")
            #expect(count("\(r)@linux") == 16, "\(r)@linux")
        }
        #expect(count("macos-mps-training") == 6)
        #expect(count("macos-gpu-training") == 6)
        #expect(count("macos-mps-training@linux") == 0)
        #expect(count("dyld-kills-process") == 8)
        #expect(count("verification-script-catches-it") == 21)
        #expect(count("inference-usually-fine") == 12)
        #expect(m.cells.count == 419)
    }

    @Test func predictionsPerEnvModeFollowTheDoc() {
        let yes: [Cell.EnvMode: [Outcome]] = [
            .unset: [.duplicateRuntimeAbort], .exported: [.pass], .setBeforeImports: [.pass],
            .setAfterLoads: [.duplicateRuntimeAbort], .setAfterInits: [.duplicateRuntimeAbort],
            .setFalse: [.duplicateRuntimeAbort], .wrapperExported: [.duplicateRuntimeAbort],
            .wrapperAssigned: [.duplicateRuntimeAbort], .wrapperEnvI: [.duplicateRuntimeAbort],
        ]
        var seen: Set<Cell.EnvMode> = []
        for c in m.cells where c.row == "macos-lvm-training" && c.profile == "intel+llvm" {
            #expect(c.allowed == yes[c.envMode], "\(c.id)")
            #expect(c.predictionBasis.contains(c.envMode.rawValue))
            seen.insert(c.envMode)
        }
        #expect(seen == Set(Cell.EnvMode.allCases))
        for c in m.cells where c.fixNeeded == .no { #expect(c.allowed == [.pass], "\(c.id)") }
        for c in m.cells where c.row == "macos-web-server" && c.profile == "intel+llvm" {
            let want: [Outcome] = c.envMode == .exported ? [.pass] : [.duplicateRuntimeAbort, .pass]
            #expect(c.allowed == want, "\(c.id)")
        }
        // Controls: one runtime, the doc's cause absent: predicted clean in every row.
        for c in m.cells where ["shared-runtime", "both-gnu"].contains(c.profile) {
            #expect(c.allowed == [.pass], "\(c.id)")
            #expect(c.envMode == .unset)
        }
        // Analogues carry the macOS prediction.
        for c in m.cells where c.origin == .analogue {
            #expect(m.cell(id: c.analogueFor!)?.allowed == c.allowed, "\(c.id)")
        }
    }

    @Test func placementOfTheVariableInThePlan() throws {
        func plan(_ id: String) -> String? { m.cell(id: id)?.plan.text }
        let work = "add index; train framework; search index"
        let r = "macos-lvm-training@linux/intel+llvm"
        #expect(plan("\(r)/unset/framework-first/load") == "load framework; load index; \(work)")
        #expect(plan("\(r)/unset/index-first/load+init") == "load index; init index; load framework; init framework; \(work)")
        #expect(plan("\(r)/unset/interleaved/load+init") == "load framework; load index; init framework; init index; \(work)")
        #expect(plan("\(r)/set-before-imports/framework-first/load+init")
            == "setenv KMP_DUPLICATE_LIB_OK=TRUE; load framework; init framework; load index; init index; \(work)")
        #expect(plan("\(r)/set-after-loads/index-first/load") == "load index; load framework; setenv KMP_DUPLICATE_LIB_OK=TRUE; \(work)")
        #expect(plan("\(r)/set-after-loads/interleaved/load+init")
            == "load framework; load index; setenv KMP_DUPLICATE_LIB_OK=TRUE; init framework; init index; \(work)")
        #expect(plan("\(r)/set-after-inits/framework-first/load+init")
            == "load framework; init framework; load index; init index; setenv KMP_DUPLICATE_LIB_OK=TRUE; \(work)")
        let exported = try #require(m.cell(id: "\(r)/exported/framework-first/load+init"))
        #expect(exported.environment == ["KMP_DUPLICATE_LIB_OK": "TRUE"] && exported.launcher == .direct)
        #expect(m.cell(id: "\(r)/false/framework-first/load+init")?.environment == ["KMP_DUPLICATE_LIB_OK": "FALSE"])
        for (mode, launcher) in [("wrapper-exported", Probe.Configuration.Launcher.wrapperExported),
                                 ("wrapper-assigned", .wrapperAssigned), ("wrapper-env-i", .wrapperEnvI)] {
            let c = try #require(m.cell(id: "\(r)/\(mode)/framework-first/load+init"))
            #expect(c.launcher == launcher && c.environment.isEmpty)
        }
        #expect(m.cell(id: "\(r)/unset/framework-first/load")?.environment.isEmpty == true)
    }

    @Test(arguments: MatrixFixtures.linux.cells)
    func everyPlanValidatesAndBindsBothRoles(_ cell: Cell) throws {
        try cell.plan.validate(declared: ["framework", "index"])
        #expect(cell.runtimes.map(\.name) == ["framework", "index"])
        #expect(!cell.allowed.isEmpty)
        // A stack-shape cell reaches the runtimes through consumer libraries (its probe: StackShapeMatrixTests).
        if cell.stack != .ownHandle {
            #expect(cell.plan.text == cell.stack.planText(first: "framework", second: "index"))
            return
        }
        #expect(cell.plan.loadedRuntimes.sorted() == ["framework", "index"])
        if cell.testability.isTestable {
            let config = try #require(cell.configuration())
            #expect(cell.runtimes.allSatisfy { !$0.path.isEmpty })
            #expect(config.launcher == cell.launcher && config.environment == cell.environment)
        } else {
            #expect(cell.configuration() == nil)
        }
    }

    @Test func profilesResolveThroughTheManifest() throws {
        let c = try #require(m.cell(id: "linux-cpu-training/intel+llvm/unset/framework-first/load+init"))
        #expect(c.runtimes == [.init(name: "framework", path: "/rt/intel/libiomp5.so"), .init(name: "index", path: "/rt/llvm14/libomp.so.5")])
        let shared = try #require(m.cell(id: "linux-cpu-training/shared-runtime/unset/framework-first/load+init"))
        #expect(shared.runtimes[0].path == shared.runtimes[1].path)
        let kinds = Dictionary(uniqueKeysWithValues: m.profiles.map { ($0.id, $0.kind(declared: Dictionary(uniqueKeysWithValues: m.runtimes.map { ($0.name, $0) }))) })
        #expect(kinds == ["intel+llvm": .contending, "llvm14+llvm16": .contending, "vendored-copies": .contending,
                          "gnu+llvm": .mixed, "both-gnu": .control, "shared-runtime": .control])
        // Mixed profiles only vary unset/exported.
        #expect(Set(m.cells.filter { $0.profile == "gnu+llvm" }.map(\.envMode)) == [.unset, .exported])
    }

    @Test func macOSRowsAreUntestableOnLinuxWithAnAnalogue() throws {
        let macCells = m.cells.filter { $0.platform == .macos && $0.origin != .analogue }
        #expect(!macCells.isEmpty)
        for c in macCells {
            let reason = try #require(c.testability.reason, "\(c.id)")
            if c.device == .cpu || c.device == .any {
                #expect(reason.contains("needs macOS"), "\(c.id)")
                let twin = try #require(c.analogue.flatMap(m.cell(id:)), "\(c.id) has no analogue")
                #expect(twin.origin == .analogue && twin.analogueFor == c.id && twin.tags.contains("analogue"))
                #expect(twin.row == "\(c.row)@linux" && twin.platform == .linux)
                #expect(twin.testability.isTestable)
                #expect(twin.plan == c.plan && twin.runtimes == c.runtimes && twin.environment == c.environment && twin.launcher == c.launcher)
                #expect(twin.probeKey == c.probeKey)
            } else {
                #expect(c.analogue == nil, "\(c.id): a GPU row has no CPU stand-in")
            }
        }
        // The LVM training analogue and the Linux row run the same probes with opposite predictions.
        let a = try #require(m.cell(id: "macos-lvm-training@linux/intel+llvm/unset/framework-first/load+init"))
        let l = try #require(m.cell(id: "linux-cpu-training/intel+llvm/unset/framework-first/load+init"))
        #expect(a.probeKey == l.probeKey && a.allowed == [.duplicateRuntimeAbort] && l.allowed == [.pass])
    }

    @Test func gpuRowsAreUntestableWithTheirReasons() {
        let gpu = m.cells.filter { $0.row == "macos-gpu-training" }
        let mps = m.cells.filter { $0.row == "macos-mps-training" }
        #expect(!gpu.isEmpty && !mps.isEmpty)
        for c in gpu { #expect(c.testability.reason?.contains("CUDA device on macOS") == true, "\(c.id)") }
        for c in mps { #expect(c.testability.reason?.contains("Metal Performance Shaders") == true, "\(c.id)") }
        #expect(m.cells.filter { $0.claims.contains("mps-cuda-no-openmp") }.allSatisfy { !$0.testability.isTestable })
    }

    @Test func aRuntimeMissingFromTheManifestMakesItsCellsUntestable() throws {
        var manifest = MatrixFixtures.manifest
        manifest["intel"] = nil
        let partial = try MatrixFixtures.bundled(manifest: manifest)
        for c in partial.cells where c.profile == "intel+llvm" && c.platform != .macos {
            #expect(c.testability.reason?.contains("runtime 'intel' is not in the runtimes manifest") == true, "\(c.id)")
        }
        #expect(partial.cells.filter { $0.profile == "llvm14+llvm16" && $0.platform == .linux }.allSatisfy { $0.testability.isTestable })
    }

    @Test func onAMacHostTheMacCellsAreTestableAndLinuxOnesAreNot() throws {
        let mac = try MatrixFixtures.bundled(host: .macos)
        #expect(!mac.cells.contains { $0.origin == .analogue })
        #expect(mac.cells.filter { $0.row == "macos-lvm-training" }.allSatisfy { $0.testability.isTestable })
        #expect(mac.cells.filter { $0.row == "linux-cpu-training" }.allSatisfy { $0.testability.reason?.contains("needs Linux") == true })
        #expect(mac.cells.filter { $0.row == "macos-gpu-training" }.allSatisfy { !$0.testability.isTestable })
    }

    @Test func claimEvidenceFollowsTheSelectors() {
        func ids(_ claim: String) -> [Cell] { m.cells.filter { $0.claims.contains(claim) } }
        #expect(ids("export-does-not-propagate").allSatisfy { $0.envMode == .wrapperExported && $0.row == "macos-lvm-training@linux" })
        #expect(ids("export-does-not-propagate").count == 3)
        #expect(Set(ids("after-imports-too-late").map(\.envMode)) == [.setAfterLoads, .setAfterInits])
        #expect(ids("linux-unaffected").allSatisfy { $0.row == "linux-cpu-training" })
        #expect(ids("safe-1-same-standard").allSatisfy { $0.origin == .analogue && $0.envMode == .exported })
        #expect(Set(ids("safe-1-same-standard").map(\.row)).count == 5)
        #expect(ids("dyld-kills-process").allSatisfy { $0.platform == .macos && !$0.testability.isTestable })
        #expect(ids("verification-script-catches-it").allSatisfy { $0.origin == .claimProbe && $0.testability.isTestable })
        #expect(Set(ids("inference-usually-fine").map(\.row)) == ["inference-only", "inference-usually-fine"])
    }
}
