import Foundation
import OMPPlan
import Testing
@testable import OpenMPConformance

@Suite("The probe environment is scrubbed and pinned")
struct EnvironmentTests {
    static let hostile: [String: String] = [
        "KMP_DUPLICATE_LIB_OK": "TRUE", "OMP_NUM_THREADS": "64", "LD_PRELOAD": "/usr/lib/llvm-14/lib/libomp.so.5",
        "LD_LIBRARY_PATH": "/tmp", "MKL_THREADING_LAYER": "GNU", "GOMP_SPINCOUNT": "1",
        "__KMP_REGISTERED_LIB_1_0": "x", "KMP_AFFINITY": "compact", "OPENBLAS_CORETYPE": "Haswell", "HOME": "/root",
    ]

    @Test("a hostile parent environment is scrubbed; OPENBLAS_CORETYPE passes through; pins are set")
    func scrub() {
        let e = ProbeEnvironment(parent: Self.hostile)
        for k in ["KMP_DUPLICATE_LIB_OK", "LD_PRELOAD", "LD_LIBRARY_PATH", "MKL_THREADING_LAYER", "GOMP_SPINCOUNT",
                  "__KMP_REGISTERED_LIB_1_0", "KMP_AFFINITY"] {
            #expect(e.base[k] == nil, "\(k) leaked")
            #expect(e.scrubbed.contains(k))
        }
        #expect(e.base["OMP_NUM_THREADS"] == "2")
        #expect(e.base["OPENBLAS_NUM_THREADS"] == "1")
        #expect(e.base["OPENBLAS_CORETYPE"] == "Haswell")
        #expect(e.passedThrough == ["OPENBLAS_CORETYPE"])
        #expect(e.base["HOME"] == "/root")
    }

    @Test("every loader variable is scrubbed and recorded; a cell's own shows in the repro line")
    func loaderVariables() {
        let parent = ["LD_AUDIT": "/tmp/audit.so", "LD_BIND_NOW": "1", "LD_DEBUG": "all", "DYLD_FALLBACK_LIBRARY_PATH": "/x",
                      "DYLD_INSERT_LIBRARIES": "/y", "GLIBC_TUNABLES": "glibc.rtld.optional_static_tls=1", "PATH": "/usr/bin"]
        let e = ProbeEnvironment(parent: parent)
        for k in parent.keys where k != "PATH" {
            #expect(e.base[k] == nil, "\(k) leaked")
            #expect(e.record.scrubbed.contains(k), "\(k) not recorded as scrubbed")
            #expect(!e.significant(extra: [:]).contains { $0.0 == k }, "\(k) in the repro line")
        }
        #expect(e.base["PATH"] == "/usr/bin")
        #expect(e.significant(extra: ["LD_AUDIT": "/cell/audit.so"]).contains { $0 == ("LD_AUDIT", "/cell/audit.so") })
    }

    @Test("LD_AUDIT in the parent does not reach the probe (end to end: ld.so would complain in the probe's stderr)")
    func ldAuditEndToEnd() async throws {
        let rt = try #require(TestRuntimes.kmpPairs.first?.a, Comment(rawValue: TestRuntimes.missingReason))
        let cli = try #require(TestProducts.ompMatrix, "omp-matrix not built beside the tests")
        var env = ProcessInfo.processInfo.environment
        env["LD_AUDIT"] = "/nonexistent/omp-audit-\(getpid()).so"
        let r = await Probe.run(.init(command: .external([cli, "probe", "--runtime", "a=\(rt.path)", "--steps", "load a; init a; parallel a",
                                                          "--format", "json"]), environment: env))
        let json = r.stdout.text
        #expect(json.contains("\"outcome\" : \"pass\""), "\(json.prefix(600))")
        #expect(!json.contains("audit interface") && !json.contains("omp-audit-"), "LD_AUDIT reached the probe: \(json.prefix(900))")
    }

    @Test("the BLAS kernel: a user's OPENBLAS_CORETYPE wins; an older OpenBLAS guess is upgraded from CPU flags")
    func blasDecision() {
        let user = BLASKernel.decide(environment: ["OPENBLAS_CORETYPE": "Prescott"]) { "Cooperlake" }
        #expect(user.override.isEmpty && user.info.source == "environment" && user.info.corename == "Prescott")
        let flags = BLASKernel.currentCPUFlags()
        if let best = BLASKernel.best(forFlags: flags) {
            let old = BLASKernel.decide(environment: [:]) { "Prescott" }
            #expect(old.override["OPENBLAS_CORETYPE"] == best && old.info.source == "cpu-flags" && old.info.openblasGuess == "Prescott")
            let same = BLASKernel.decide(environment: [:]) { best }
            #expect(same.override.isEmpty && same.info.source == "openblas")
        }
        #expect(BLASKernel.best(forFlags: ["avx", "avx2", "fma"]) == "Haswell")
        #expect(BLASKernel.best(forFlags: ["sse2"]) == nil)
        let mac = BLASKernel.decide(environment: [:]) { "accelerate" }
        #expect(mac.override.isEmpty && mac.info.source == "accelerate" && mac.info.corename == "accelerate",
                "macOS's Accelerate is reported as itself, never overridden")
    }

    @Test("the parent's exported variable does not leak into a cell that says unset (end to end, through the CLI)", .enabled(if: TestRuntimes.available, "runtimes not provisioned"))
    func noLeak() async throws {
        let p = try #require(TestRuntimes.kmpPairs.first, Comment(rawValue: TestRuntimes.missingReason))
        let cli = try #require(TestProducts.ompMatrix, "omp-matrix not built beside the tests")
        var env = ProcessInfo.processInfo.environment
        for (k, v) in Self.hostile where k != "OPENBLAS_CORETYPE" && k != "HOME" { env[k] = v }
        let r = await Probe.run(.init(command: .external([cli, "probe", "--runtime", "a=\(p.a.path)", "--runtime", "b=\(p.b.path)",
                                                          "--steps", "load a; init a; load b; init b", "--format", "json"]),
                                      environment: env))
        #expect(r.stdout.text.contains("\"outcome\" : \"duplicate-runtime-abort\""), "\(r.stdout.text.prefix(600))")
        #expect(r.ending.code == 1)
    }

    @Test("each repro line, run by sh, gives the same outcome", .enabled(if: TestRuntimes.available, "runtimes not provisioned"), .tags(.probes))
    func repro() async throws {
        let p = try #require(TestRuntimes.kmpPairs.first, Comment(rawValue: TestRuntimes.missingReason))
        let g = try #require(TestRuntimes.gnu.first)
        let cases: [([RuntimeRecord], String, [String: String])] = [
            ([p.a, p.b], "load a; init a; load b; init b", [:]),
            ([p.a, p.b], "load a; init a; load b; init b; parallel a; parallel b", ["KMP_DUPLICATE_LIB_OK": "TRUE"]),
            ([g, p.a], "load a; init a; load b; init b; train a; index b", [:]),
        ]
        for (rs, steps, env) in cases {
            let first = await Probe.run(.init(runtimes: TestRuntimes.bindings(rs), plan: try Plan.parse(steps), environment: env))
            let again = await Probe.run(.init(command: .external(["/bin/sh", "-c", first.repro])))
            #expect(again.outcome == first.outcome, "\(first.repro)\nfirst: \(first.outcome), by sh: \(again.outcome) \(again.message.text)")
        }
    }

    @Test("wrapper launchers: exported in the parent propagates; assigned-only and env -i do not", .enabled(if: TestRuntimes.available, "runtimes not provisioned"), .tags(.probes))
    func wrappers() async throws {
        let p = try #require(TestRuntimes.kmpPairs.first(where: { $0.a.name == "intel" || $0.b.name == "intel" }) ?? TestRuntimes.kmpPairs.first)
        let plan = try Plan.parse("load a; init a; load b; init b; parallel a; parallel b")
        let direct = await Probe.run(.init(runtimes: TestRuntimes.bindings([p.a, p.b]), plan: plan, environment: ["KMP_DUPLICATE_LIB_OK": "TRUE"]))
        var seen: [Probe.Configuration.Launcher: Outcome] = [:]
        for l in [Probe.Configuration.Launcher.wrapperExported, .wrapperAssigned, .wrapperEnvI] {
            let r = await Probe.run(.init(runtimes: TestRuntimes.bindings([p.a, p.b]), plan: plan, launcher: l))
            #expect(sessionIsGone(r.pid))
            seen[l] = r.outcome
        }
        #expect(seen[.wrapperExported] == direct.outcome, "an exported variable reaches the wrapper's child")
        #expect(seen[.wrapperAssigned] == .duplicateRuntimeAbort)
        #expect(seen[.wrapperEnvI] == .duplicateRuntimeAbort)
    }
}
