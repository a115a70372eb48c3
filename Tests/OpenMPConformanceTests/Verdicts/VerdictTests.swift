import Foundation
import OMPPlan
import Testing
@testable import OpenMPConformance

/// Verdict logic on synthetic results (the probes themselves are exercised elsewhere).
@Suite("Verdicts: cells, claims, rows, wheels")
struct VerdictTests {
    static func probe(_ outcome: Outcome, steps: Int = 7, message: String = "m", repro: String = "repro-line") -> ProbeResult {
        ProbeResult(outcome: outcome, message: .init(text: message), stepsCompleted: steps, stepsTotal: steps, durationSeconds: 0.03,
                    runtimesMapped: [], repro: repro, checks: [], ompErrors: outcome == .duplicateRuntimeAbort ? [15] : [],
                    ending: .init(kind: .exited, code: 0, afterStep: steps), stdout: .init(), stderr: .init(),
                    blasCore: nil, pid: 1)
    }

    static func result(_ id: String, profile: String = "p", plan: String, verdict: Verdict, claims: [String] = ["c"],
                       row: String = "r", repro: String? = nil) -> CellResult {
        CellResult(id: id, row: row, claims: claims, profile: profile, envMode: "unset", ordering: "framework-first",
                   importMeaning: "load", tags: [], status: verdict == .untestable ? .skipped : .ran,
                   outcome: verdict == .untestable ? nil : (verdict == .confirmed ? .pass : .duplicateRuntimeAbort),
                   allowed: [.pass], verdict: verdict, reason: nil, durationSeconds: 0, message: "",
                   repro: repro ?? "repro \(id)", plan: plan, probe: nil)
    }

    let m = MatrixFixtures.linux

    @Test func aCellIsConfirmedRefutedOrUntestable() throws {
        let cell = try #require(m.cell(id: "macos-lvm-training@linux/intel+llvm/unset/framework-first/load+init"))
        let ok = Verdicts.judge(cell, probe: Self.probe(.duplicateRuntimeAbort))
        #expect(ok.verdict == .confirmed && ok.status == .ran && ok.outcome == .duplicateRuntimeAbort)
        #expect(ok.allowed == [.duplicateRuntimeAbort] && ok.plan == cell.plan.text && ok.claims == cell.claims)
        #expect(ok.envMode == "unset" && ok.ordering == "framework-first" && ok.importMeaning == "load+init" && ok.row == cell.row)

        let bad = Verdicts.judge(cell, probe: Self.probe(.pass, repro: "omp-probe --runtime ..."))
        #expect(bad.verdict == .refuted)
        #expect(bad.reason?.contains("observed pass") == true && bad.reason?.contains("duplicate-runtime-abort") == true)
        #expect(bad.repro == "omp-probe --runtime ..." && bad.probe?.outcome == .pass)

        // Every non-allowed outcome refutes, except launch-failed, which tests nothing.
        for o in Outcome.allCases {
            let v = Verdicts.verdict(outcome: o, allowed: [.pass])
            #expect(v == (o == .pass ? .confirmed : o == .launchFailed ? .untestable : .refuted), "\(o)")
        }
        let failed = Verdicts.judge(cell, probe: Self.probe(.launchFailed, message: "dlopen: no such file"))
        #expect(failed.verdict == .untestable && failed.status == .ran && failed.reason?.contains("dlopen: no such file") == true)

        let notRun = Verdicts.judge(cell, probe: nil)
        #expect(notRun.verdict == .untestable && notRun.status == .skipped && notRun.reason?.contains("not run") == true)
    }

    @Test func anUntestableCellIsSkippedWithItsReasonAndAnalogue() throws {
        let mac = try #require(m.cell(id: "macos-lvm-training/intel+llvm/unset/framework-first/load+init"))
        // Even if handed a probe result, an untestable cell is not judged by it.
        let r = Verdicts.judge(mac, probe: Self.probe(.pass))
        #expect(r.status == .skipped && r.verdict == .untestable && r.outcome == nil && r.probe == nil)
        #expect(r.reason?.contains("needs macOS") == true)
        #expect(r.analogueOf == "macos-lvm-training@linux/intel+llvm/unset/framework-first/load+init")
    }

    @Test func aggregationPicksTheCounterexampleOfFewestSteps() {
        let rs = [
            Self.result("z-long", profile: "a", plan: "load a; load b; init a; init b; train a", verdict: .refuted),
            Self.result("y-short", profile: "b", plan: "load a; load b; init b", verdict: .refuted),
            Self.result("x-short", profile: "b", plan: "load b; load a; init a", verdict: .refuted),
            Self.result("ok", profile: "a", plan: "load a", verdict: .confirmed),
            Self.result("skip", profile: "c", plan: "load a", verdict: .untestable),
        ]
        let agg = Verdicts.aggregate(rs)
        #expect(agg.verdict == .refuted)
        // Two refuting cells of three steps: the smaller id wins the tie; the 1-step cell is not refuting.
        #expect(agg.counterexample?.id == "x-short")
        #expect(agg.agreeing == 1 && agg.disagreeing == 3)
        #expect(agg.byProfile == ["a": .refuted, "b": .refuted, "c": .untestable])
        #expect(agg.evidence == rs.map(\.id))
        #expect(Verdicts.stepCount(rs[0]) == 5)
    }

    @Test func confirmedOnlyWhenEveryTestableCellAgrees() {
        let confirmed = [Self.result("a", plan: "load a", verdict: .confirmed), Self.result("b", plan: "load a", verdict: .untestable)]
        #expect(Verdicts.aggregate(confirmed).verdict == .confirmed)
        #expect(Verdicts.aggregate(confirmed).counterexample == nil)
        #expect(Verdicts.aggregate([Self.result("b", plan: "load a", verdict: .untestable)]).verdict == .untestable)
        #expect(Verdicts.aggregate([]).verdict == .untestable)
    }

    @Test func claimVerdictsUseTheCellsThatNameTheClaim() throws {
        let claim = try #require(m.claim(id: "export-does-not-propagate"))
        let rs = [
            Self.result("w1", profile: "intel+llvm", plan: "load a; load b", verdict: .confirmed, claims: [claim.id]),
            Self.result("w2", profile: "llvm14+llvm16", plan: "load a; load b; init a", verdict: .refuted, claims: [claim.id], repro: "sh -c x"),
            Self.result("other", profile: "intel+llvm", plan: "load a", verdict: .refuted, claims: ["set-before-imports"]),
        ]
        let v = Verdicts.claim(claim, results: rs)
        #expect(v.id == claim.id && v.statement == claim.statement && v.method == claim.method)
        #expect(v.source == claim.source.text && v.source.contains("Problem 1"))
        #expect(v.verdict == .refuted && v.counterexample == "w2" && v.counterexampleRepro == "sh -c x")
        #expect(v.byProfile == ["intel+llvm": .confirmed, "llvm14+llvm16": .refuted])
        #expect(v.agreeing == 1 && v.disagreeing == 1 && v.evidence == ["w1", "w2"])

        let venv = try #require(m.claim(id: "unactivated-venv-other-libs"))
        let u = Verdicts.claim(venv, results: rs)
        #expect(u.verdict == .untestable && u.evidence.isEmpty && u.method.contains("Untestable here"))
        #expect(Verdicts.claims(m, results: rs).map(\.id) == m.claims.map(\.id))
    }

    @Test func rowVerdictsIncludeLabelledAnalogues() {
        let rs = [
            Self.result("l1", profile: "intel+llvm", plan: "load a", verdict: .refuted, row: "linux-cpu-training"),
            Self.result("a1", profile: "intel+llvm", plan: "load a", verdict: .confirmed, row: "macos-lvm-training@linux"),
            Self.result("m1", profile: "intel+llvm", plan: "load a", verdict: .untestable, row: "macos-lvm-training"),
        ]
        let rows = Verdicts.rows(m, results: rs)
        let byID = Dictionary(uniqueKeysWithValues: rows.map { ($0.id, $0) })
        #expect(byID["linux-cpu-training"]?.verdict == .refuted)
        #expect(byID["macos-lvm-training"]?.verdict == .untestable)
        #expect(byID["macos-lvm-training@linux"]?.verdict == .confirmed)
        #expect(byID["macos-lvm-training@linux"]?.statement.hasPrefix("Linux analogue of ") == true)
        #expect(byID["macos-gpu-training@linux"] == nil)
        #expect(rows.filter { !$0.id.hasSuffix("@linux") }.map(\.id) == m.rows.map(\.id))
    }

    // MARK: wheels

    static func wheel(_ file: String, _ libs: [(String, WheelScan.Library.Kind)]) -> WheelScan.Wheel {
        let (p, v, t) = WheelScan.parseFileName(file)
        return .init(file: file, package: p, version: v, platformTag: t, libraries: libs.map { .init(path: $0.0, kind: $0.1) }, error: nil)
    }

    @Test func wheelClaimNeedsBothHalves() throws {
        let claim = try #require(m.claim(id: "pytorch-intel-faiss-llvm"))
        let macFaiss = Self.wheel("faiss_cpu-1.12.0-cp312-cp312-macosx_14_0_arm64.whl", [("faiss/.dylibs/libomp.dylib", .llvm)])
        let linuxFaiss = Self.wheel("faiss_cpu-1.15.1-cp310-abi3-manylinux_2_27_x86_64.manylinux_2_28_x86_64.whl",
                                    [("faiss_cpu.libs/libgomp-e985bcbb.so.1.0.0", .gnu)])

        // FAISS half confirmed, torch half absent: the claim as a whole is untestable.
        let a = Verdicts.claim(claim, results: [], wheels: [macFaiss])
        #expect(a.byProfile == ["wheel:faiss-cpu": .confirmed, "wheel:torch": .untestable])
        #expect(a.verdict == .untestable)
        #expect(a.method.contains("no macOS wheel of torch (the manifest entry torch-macos-arm64"))

        // Only a Linux wheel: not evidence about macOS, but reported.
        let b = Verdicts.claim(claim, results: [], wheels: [linuxFaiss])
        #expect(b.byProfile["wheel:faiss-cpu"] == .untestable && b.verdict == .untestable)
        #expect(b.method.contains("other platforms, not evidence") && b.method.contains("libgomp-e985bcbb.so.1.0.0 (gnu)"))
        #expect(b.evidence == [linuxFaiss.file])

        // A macOS FAISS wheel with another vendor's runtime refutes the claim whatever torch does.
        let wrong = Self.wheel("faiss_cpu-1.12.0-cp312-cp312-macosx_14_0_arm64.whl", [("faiss/.dylibs/libomp.dylib", .gnu)])
        let c = Verdicts.claim(claim, results: [], wheels: [wrong])
        #expect(c.verdict == .refuted && c.counterexample == wrong.file && c.disagreeing == 1)
        #expect(c.counterexampleRepro == "omp-matrix scan \"$OMP_CONFORMANCE_RUNTIMES/wheels/\(wrong.file)\"")

        // A runtime of unknown vendor, or none at all, leaves the half open.
        let vague = Self.wheel("faiss_cpu-1.12.0-cp312-cp312-macosx_14_0_arm64.whl", [("faiss/.dylibs/libomp.dylib", .unknown)])
        #expect(Verdicts.claim(claim, results: [], wheels: [vague]).byProfile["wheel:faiss-cpu"] == .untestable)
        let none = Self.wheel("faiss_cpu-1.12.0-cp312-cp312-macosx_14_0_arm64.whl", [])
        #expect(Verdicts.claim(claim, results: [], wheels: [none]).byProfile["wheel:faiss-cpu"] == .untestable)

        // Both halves as claimed.
        let torch = Self.wheel("torch-2.2.0-cp311-none-macosx_10_9_x86_64.whl", [("torch/lib/libiomp5.dylib", .intel)])
        #expect(Verdicts.claim(claim, results: [], wheels: [macFaiss, torch]).verdict == .confirmed)
    }

    @Test func wheelFileNames() {
        let (p, v, t) = WheelScan.parseFileName("faiss_cpu-1.12.0-cp312-cp312-macosx_14_0_arm64.whl")
        #expect(p == "faiss-cpu" && v == "1.12.0" && t == "macosx_14_0_arm64")
        #expect(WheelScan.parseFileName("torch-2.2.0-1-cp311-none-linux_x86_64.whl").platformTag == "linux_x86_64")
    }

    /// Real bytes in real zips: a runtime is recognised by its content, whatever it is called.
    @Test func wheelsAreScannedByContent() async throws {
        guard let gnu = RuntimeFixtures.systemFile(RuntimeFixtures.gnuSystem),
              let libm = RuntimeFixtures.systemFile(RuntimeFixtures.libm) else { return }
        let dir = try RuntimeFixtures.temporaryDirectory("wheelscan")
        defer { try? FileManager.default.removeItem(at: dir) }
        let disguised = dir.appendingPathComponent("faiss_cpu-1.0-cp312-cp312-macosx_14_0_arm64.whl").path
        let script = """
            import sys, zipfile
            with zipfile.ZipFile(sys.argv[1], "w") as z:
                z.write(sys.argv[2], "faiss/.dylibs/libomp.dylib", compress_type=zipfile.ZIP_DEFLATED)
                z.write(sys.argv[3], "faiss/libomp.so", compress_type=zipfile.ZIP_STORED)
                z.writestr("faiss/__init__.py", "")
            """
        let made = try await RuntimeFixtures.run(["/usr/bin/env", "python3", "-c", script, disguised, gnu, libm])
        try #require(made.status == 0, "python3 could not build the test wheel: \(made.output)")
        try "not a zip".write(to: dir.appendingPathComponent("torch-2.0-cp312-none-macosx_11_0_arm64.whl"), atomically: true, encoding: .utf8)
        try "".write(to: dir.appendingPathComponent("README.txt"), atomically: true, encoding: .utf8)

        let wheels = WheelScan.scan(directory: dir)
        #expect(wheels.map(\.package) == ["faiss-cpu", "torch"])
        // libgomp named libomp.dylib is GNU; libm named libomp.so is no runtime at all.
        #expect(wheels[0].libraries == [.init(path: "faiss/.dylibs/libomp.dylib", kind: .gnu)])
        #expect(wheels[0].error == nil && wheels[0].platform == .macos)
        #expect(wheels[1].libraries.isEmpty && wheels[1].error != nil && wheels[1].summary.contains("unreadable"))
        #expect(WheelScan.scan(directory: dir.appendingPathComponent("absent")).isEmpty)
    }
}
