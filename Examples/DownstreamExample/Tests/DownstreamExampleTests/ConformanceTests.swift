import Foundation
import OpenMPConformance
import OpenMPConformanceTesting
import Testing

// The five lines: the bundled matrix (here narrowed to one row), every cell a test case.
@Test(.conformanceSummary, arguments: try Matrix.bundledForTesting().filter { $0.row == "linux-cpu-training" })
func bundledCell(_ cell: Cell) async throws {
    try await Conformance.check(cell)
}

// Your own probe: any command line, under an environment mode, classified the same way.
// Here: a Python process that loads two KMP-family runtimes the way two wheels would.
@Test func twoRuntimesInPython() async throws {
    let kmp = try RuntimeCatalog().runtimes.filter { $0.family == "kmp" }
    try #require(kmp.count >= 2, "needs two KMP-family runtimes: run `swift run omp-matrix provision`")
    let script = """
    import ctypes, os, sys
    a = ctypes.CDLL(sys.argv[1], os.RTLD_LOCAL); a.omp_get_max_threads()
    b = ctypes.CDLL(sys.argv[2], os.RTLD_LOCAL); b.omp_get_max_threads()
    """
    let cmd = ["/usr/bin/python3", "-c", script, kmp[0].path, kmp[1].path]
    let unset = await Conformance.check(command: cmd, expected: [.duplicateRuntimeAbort])
    #expect(unset.message.initializing != nil)
    // The command is observed as `omp-matrix doctor -- COMMAND` observes it: the runtimes it mapped.
    #expect(unset.runtimesMapped.filter { $0.family == "kmp" }.count >= 2, "\(unset.runtimesMapped)")
    // With the variable this pair may hang at exit. A plain command cannot say "all work done", but
    // the kit's preloaded exit hook reports when exit begins, so an exit hang shows as `hang-at-exit`.
    let set = await Conformance.check(command: cmd, environment: ["KMP_DUPLICATE_LIB_OK": "TRUE"],
                                      expected: [.pass, .hangAtExit], timeout: .seconds(10))
    #expect(!set.ompErrors.contains(15), "with the variable set, Error #15 must not fire")
}

// A plan of your own over runtime files you name, outside Swift Testing's glue: `Plan` and
// `Probe` come with `import OpenMPConformance`.
@Test func yourOwnPlan() async throws {
    let kmp = try RuntimeCatalog().runtimes.filter { $0.family == "kmp" }
    try #require(kmp.count >= 2, "needs two KMP-family runtimes: run `swift run omp-matrix provision`")
    let plan = try Plan.parse("load a; init a; load b; init b; train a")
    let r = await Probe.run(.init(runtimes: [.init(name: "a", path: kmp[0].path), .init(name: "b", path: kmp[1].path)],
                                  plan: plan))
    // Two KMP-family files in one process: the second one's first OpenMP call ends it.
    #expect(r.outcome == .duplicateRuntimeAbort, "\(r.outcome): \(r.message.text)\nrepro: \(r.repro)")
    #expect(r.ompErrors.contains(15), "\(r.ompErrors)")
}
