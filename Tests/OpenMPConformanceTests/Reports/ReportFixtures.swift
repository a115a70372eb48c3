import Foundation
@testable import OpenMPConformance

/// Results files built in code for the report, codec and gate tests: shaped like a real Debian 12
/// run (runtimes, Error #15 aborts, an Error #13 hang at exit, skipped macOS rows).
enum ReportFixtures {
    static let hostile = "<script>alert(1)</script> \"'& \n second line \u{1B}[31mred\u{1B}[0m nul:\u{0}: bell:\u{7}: | `tick` *star* _u_ [l](x)"

    static func host(key: String = "debian12-x86_64-glibc2.36", runtimePath: String? = nil,
                     sha: String = "9f2c1e0b7a4d", libc: String = "glibc 2.36") -> HostInfo {
        func hex(_ seed: String) -> String { String(repeating: seed, count: 64 / seed.count + 1).prefix(64).description }
        return HostInfo(
            key: key, os: "Debian GNU/Linux", osID: "debian", osVersion: "12", arch: "x86_64",
            kernel: "6.1.0-28-amd64", libc: libc, cpu: "Intel(R) Xeon(R) CPU @ 2.20GHz", cores: 2,
            blas: .init(corename: "Haswell", source: "cpu-flags", openblasGuess: "Sandybridge", cpuFlagsBest: "Haswell"),
            runtimes: [
                RuntimeRecord(name: "gnu", path: "/usr/lib/x86_64-linux-gnu/libgomp.so.1", family: "gnu",
                              version: "12.2.0", source: "apt:libgomp1=12.2.0-14", sha256: hex("a1b2")),
                RuntimeRecord(name: "llvm14", path: runtimePath ?? "/work/main/runtimes/llvm14/libomp.so.5", family: "kmp",
                              version: "14.0.6", source: "apt:libomp5-14=1:14.0.6-12", sha256: hex(sha)),
                RuntimeRecord(name: "llvm16", path: "/work/main/runtimes/llvm16/libomp.so.5", family: "kmp",
                              version: "16.0.6", source: "apt:libomp5-16=1:16.0.6-15~deb12u1", sha256: hex("c3d4")),
                RuntimeRecord(name: "intel", path: "/work/main/runtimes/intel/libiomp5.so", family: "kmp",
                              version: "2025.2.1", source: "pypi:intel-openmp==2025.2.1", sha256: hex("e5f6")),
            ])
    }

    static func probe(_ outcome: Outcome, stderr: String, message: String, repro: String) -> ProbeResult {
        let aborted = outcome == .duplicateRuntimeAbort
        return ProbeResult(
            outcome: outcome,
            message: .init(text: message, initializing: aborted ? "libomp.so.5" : nil, found: aborted ? "libiomp5.so" : nil),
            stepsCompleted: aborted ? 2 : 5, stepsTotal: 5, durationSeconds: outcome == .hangAtExit ? 12.5 : 0.42,
            runtimesMapped: [
                .init(path: "/work/main/runtimes/intel/libiomp5.so", family: "kmp", afterStep: 1),
                .init(path: "/work/main/runtimes/llvm14/libomp.so.5", family: "kmp", afterStep: 2),
            ],
            repro: repro,
            checks: aborted ? [] : [
                .init(step: 3, name: "parallel-equals-serial", passed: true, detail: "max |diff| 0 over 4096 values"),
                .init(step: 4, name: "loss-decreasing", passed: true, detail: "2.31 -> 0.87 over 20 steps"),
            ],
            ompErrors: aborted ? [15] : outcome == .hangAtExit ? [13] : [],
            ending: aborted ? .init(kind: .signaled, signal: 6, afterStep: 2)
                : outcome == .hangAtExit ? .init(kind: .killed, signal: 9, afterStep: 5, killedBy: "exit-grace")
                : .init(kind: .exited, code: 0, afterStep: 5),
            stdout: .init(head: "step 1 load intel\nstep 2 load llvm14\n", tail: "", omittedBytes: 0, totalBytes: 36),
            stderr: .init(head: "", tail: stderr, omittedBytes: 0, totalBytes: stderr.utf8.count),
            blasCore: "Haswell", pid: 41234, exitWaitMilliseconds: outcome == .hangAtExit ? 10_000 : nil)
    }

    static func cell(row: String, profile: String, env: String, ordering: String, meaning: String = "load+init",
                     outcome: Outcome?, allowed: [Outcome], claims: [String] = ["dup-abort"],
                     reason: String? = nil, message: String? = nil, stderr: String? = nil,
                     idSuffix: String = "") -> CellResult {
        let id = "\(row)/\(profile)/\(env)/\(ordering)/\(meaning)\(idSuffix)"
        let repro = "omp-matrix run --cell '\(id)'"
        guard let outcome else {
            return CellResult(id: id, row: row, claims: claims, profile: profile, envMode: env, ordering: ordering,
                              importMeaning: meaning, tags: ["macos"], status: .skipped, outcome: nil, allowed: allowed,
                              verdict: .untestable, reason: reason ?? "needs macOS; this host is Linux",
                              analogueOf: "linux-cpu-training/\(profile)/\(env)/\(ordering)/\(meaning)",
                              durationSeconds: 0, message: message ?? "", repro: repro,
                              plan: "load intel\ninit\nload llvm14\ninit\ntrain 20", probe: nil)
        }
        let abort = "OMP: Error #15: Initializing libomp.so.5, but found libiomp5.so already initialized.\nOMP: Hint This means that multiple copies of the OpenMP runtime have been linked into the program."
        let text = message ?? (outcome == .duplicateRuntimeAbort ? "OMP: Error #15: Initializing libomp.so.5, but found libiomp5.so already initialized."
            : outcome == .hangAtExit ? "all 5 steps done; no exit within 10 s after OMP: Error #13" : "5 of 5 steps completed and checked")
        let err = stderr ?? (outcome == .duplicateRuntimeAbort ? abort
            : outcome == .hangAtExit ? "OMP: Error #13: Assertion failure at kmp_runtime.cpp(6913): temp_reg_status_file_name." : "")
        let verdict: Verdict = allowed.contains(outcome) ? .confirmed : .refuted
        return CellResult(id: id, row: row, claims: claims, profile: profile, envMode: env, ordering: ordering,
                          importMeaning: meaning, tags: ["linux", "cpu"], status: .ran, outcome: outcome, allowed: allowed,
                          verdict: verdict, reason: reason ?? (verdict == .refuted ? "the doc says this works" : nil),
                          durationSeconds: outcome == .hangAtExit ? 12.5 : 0.42, message: text, repro: repro,
                          plan: "load intel\ninit\nload llvm14\ninit\ntrain 20",
                          probe: probe(outcome, stderr: err, message: text, repro: repro))
    }

    /// A realistic run: 2 rows × 2 env modes × 3 profiles × 2 orderings on Linux, plus skipped macOS cells.
    static func results(hostKey: String = "debian12-x86_64-glibc2.36", runtimePath: String? = nil) -> ResultsFile {
        var cells: [CellResult] = []
        for row in ["linux-cpu-training", "linux-cpu-inference"] {
            for env in ["unset", "exported"] {
                for profile in ["intel+llvm14", "llvm14+llvm16", "gnu+llvm14"] {
                    for ordering in ["framework-first", "index-first"] {
                        let kmpPair = profile != "gnu+llvm14"
                        let outcome: Outcome
                        let allowed: [Outcome]
                        if !kmpPair {
                            outcome = .pass; allowed = [.pass]
                        } else if env == "unset" {
                            outcome = .duplicateRuntimeAbort; allowed = [.duplicateRuntimeAbort]
                        } else if profile == "llvm14+llvm16" && ordering == "framework-first" {
                            outcome = .hangAtExit; allowed = [.pass]  // the doc says exporting fixes it: refuted
                        } else {
                            outcome = .pass; allowed = [.pass]
                        }
                        cells.append(cell(row: row, profile: profile, env: env, ordering: ordering,
                                          outcome: outcome, allowed: allowed))
                    }
                }
            }
        }
        cells.append(cell(row: "macos-mps-training", profile: "intel+llvm14", env: "unset", ordering: "framework-first",
                          outcome: nil, allowed: [.duplicateRuntimeAbort]))
        cells.append(cell(row: "macos-mps-training", profile: "intel+llvm14", env: "exported", ordering: "framework-first",
                          outcome: nil, allowed: [.pass]))
        let refutedID = cells.first { $0.verdict == .refuted }!.id
        let claims = [
            ClaimVerdict(id: "dup-abort", statement: "Two KMP-family runtimes in one process abort at the second one's initialization.",
                         source: "Troubleshooting, 'OMP: Error #15'", byProfile: ["intel+llvm14": .confirmed, "llvm14+llvm16": .confirmed],
                         verdict: .confirmed, method: "load and initialize both runtimes in both orders with the variable unset",
                         counterexample: nil, counterexampleRepro: nil, agreeing: 8, disagreeing: 0,
                         evidence: cells.filter { $0.envMode == "unset" && $0.profile != "gnu+llvm14" }.map(\.id)),
            ClaimVerdict(id: "env-fixes-it", statement: "Exporting KMP_DUPLICATE_LIB_OK=TRUE makes training run to completion.",
                         source: "Troubleshooting, 'set KMP_DUPLICATE_LIB_OK'", byProfile: ["intel+llvm14": .confirmed, "llvm14+llvm16": .refuted],
                         verdict: .refuted, method: "export the variable before any load, train 20 steps, require a clean exit",
                         counterexample: refutedID, counterexampleRepro: "omp-matrix run --cell '\(refutedID)'",
                         agreeing: 6, disagreeing: 2, evidence: cells.filter { $0.envMode == "exported" }.map(\.id)),
            ClaimVerdict(id: "macos-mps", statement: "On macOS with MPS the abort also happens.", source: "macOS notes",
                         byProfile: ["all": .untestable], verdict: .untestable, method: "needs macOS",
                         counterexample: nil, counterexampleRepro: nil, agreeing: 0, disagreeing: 0, evidence: []),
        ]
        return ResultsFile(partial: false, startedAt: "2026-11-27T10:00:00Z", finishedAt: "2026-11-27T10:04:31Z",
                           host: host(key: hostKey, runtimePath: runtimePath),
                           environment: EnvironmentRecord(scrubbed: ["KMP_DUPLICATE_LIB_OK", "OMP_NUM_THREADS", "LD_PRELOAD"],
                                                          passedThrough: ["OPENBLAS_CORETYPE"],
                                                          pinned: ["OMP_NUM_THREADS": "2", "OPENBLAS_NUM_THREADS": "1"]),
                           selection: ["all"], results: cells, claims: claims)
    }

    /// The realistic run with hostile strings in a runtime path, a cell id, a message, a reason,
    /// stderr, a check detail, a claim statement and the host key.
    static func hostileResults() -> ResultsFile {
        var r = results(runtimePath: "/opt/\(hostile)/libomp.so.5")
        r.host.cpu = hostile
        let i = r.results.firstIndex { $0.verdict == .refuted }!
        r.results[i].id = "cell-\(hostile)"
        r.results[i].row = "row-\(hostile)"
        r.results[i].message = "message \(hostile)"
        r.results[i].reason = "reason \(hostile)"
        r.results[i].repro = "omp-matrix run --cell '\(hostile)'"
        r.results[i].probe?.stderr.tail = "stderr \(hostile)\nOMP: Error #13: Assertion failure"
        r.results[i].probe?.checks[0].detail = "detail \(hostile)"
        r.claims[1].statement = "statement \(hostile)"
        r.claims[1].counterexample = r.results[i].id
        r.results[0].profile = "profile-\(hostile)"
        return r
    }

    /// A large run for size limits: `count` cells, every other one refuted, with long messages.
    static func large(count: Int) -> ResultsFile {
        var r = results()
        let template = r.results[0]
        r.results = (0..<count).map { n in
            var c = template
            c.id = "linux-cpu-training/pair-\(n % 40)/env-\(n % 3)/order-\(n % 5)/load+init/variant-\(n)"
            c.profile = "pair-\(n % 40)"
            c.envMode = "env-\(n % 3)"
            c.ordering = "order-\(n % 5)"
            c.message = String(repeating: "OMP: Error #15 long message ", count: 40)
            c.repro = "omp-matrix run --cell '\(c.id)' " + String(repeating: "--runtime /work/main/runtimes/x/libomp.so.5 ", count: 10)
            if n % 2 == 0 { c.allowed = [.pass]; c.verdict = .refuted }
            return c
        }
        return r
    }
}
