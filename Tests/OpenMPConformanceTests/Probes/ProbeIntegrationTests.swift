import Foundation
import OMPPlan
import Testing
@testable import OpenMPConformance

/// The one test that fails when the runtimes are missing; the tests that need them are skipped then.
@Test("the provisioned runtimes are present", .tags(.probes))
func runtimesProvisioned() throws {
    _ = try TestRuntimes.loaded.get()
    #expect(TestRuntimes.kmp.count >= 3, "expected llvm14, llvm16, intel and a copy")
    #expect(!TestRuntimes.gnu.isEmpty)
}

/// Real probes against real runtimes. Nothing here is mocked, and nothing hard-codes which
/// pairs hang at exit: that is observed, so the suite stays true on another glibc or build.
@Suite("Probe engine, real runtimes",
       .enabled(if: TestRuntimes.available, "runtimes not provisioned; see the failure of \"the provisioned runtimes are present\""))
struct ProbeIntegrationTests {
    static let runtimes = TestRuntimes.all
    static let pairs = TestRuntimes.kmpPairs

    func run(_ rs: [RuntimeRecord], _ steps: String, env: [String: String] = [:],
             timeout: Duration = .seconds(20)) async throws -> ProbeResult {
        let plan = try Plan.parse(steps)
        let r = await Probe.run(.init(runtimes: TestRuntimes.bindings(rs), plan: plan, environment: env, timeout: timeout))
        #expect(sessionIsGone(r.pid), "a process of the probe's session survived: \(r.repro)")
        return r
    }

    @Test("a single runtime of each family passes the full workload", .tags(.probes), arguments: runtimes)
    func single(_ rt: RuntimeRecord) async throws {
        let r = try await run([rt], "load a; init a; train a; index a; infer a; add a; search a")
        #expect(r.outcome == .pass, "\(r.message.text)\n\(r.repro)")
        #expect(r.checks.allSatisfy { $0.passed })
        #expect(r.checks.contains { $0.name == "train-loss-decreases" && $0.passed })
        #expect(r.runtimesMapped.map(\.family) == [rt.family], "mapped: \(r.runtimesMapped)")
    }

    @Test("two KMP-family runtimes abort without the variable, in both orders", .tags(.probes), arguments: pairs)
    func abortWithoutVariable(_ p: TestRuntimes.Pair) async throws {
        let r = try await run([p.a, p.b], "load a; init a; load b; init b")
        #expect(r.outcome == .duplicateRuntimeAbort, "\(r.outcome): \(r.message.text)")
        #expect(r.stepsCompleted == 3, "the second runtime aborts at its init, not at its load")
        #expect(r.ompErrors.first == 15)
        #expect(r.message.initializing != nil && r.message.found != nil)
        #expect(r.runtimesMapped.count == 2)
    }

    @Test("loading a second KMP runtime without initializing it does not abort", .tags(.probes), arguments: pairs)
    func loadIsNotInit(_ p: TestRuntimes.Pair) async throws {
        let r = try await run([p.a, p.b], "load a; init a; load b; train a")
        #expect(r.outcome == .pass, "\(r.outcome): \(r.message.text)")
    }

    @Test("with the variable every ordered pair is classified, and exit hangs are caught fast", .tags(.probes), arguments: pairs)
    func withVariable(_ p: TestRuntimes.Pair) async throws {
        let timeout = Duration.seconds(20)
        let r = try await run([p.a, p.b], "load a; init a; load b; init b; train a; index b",
                              env: ["KMP_DUPLICATE_LIB_OK": "TRUE"], timeout: timeout)
        #expect([Outcome.pass, .hangAtExit].contains(r.outcome), "\(r.outcome): \(r.message.text)\n\(r.repro)")
        #expect(r.stepsCompleted == 6)
        if r.outcome == .hangAtExit {
            let wait = try #require(r.exitWaitMilliseconds)
            #expect(wait < 1500, "hang-at-exit verdict took \(wait) ms after steps completed")
            #expect(r.durationSeconds < 10, "the suite must not wait for the full timeout to learn of an exit hang")
        }
    }

    @Test("GNU plus KMP passes in both orders", .tags(.probes), arguments: TestRuntimes.kmp)
    func gnuWithKMP(_ k: RuntimeRecord) async throws {
        let g = try #require(TestRuntimes.gnu.first)
        for (a, b) in [(g, k), (k, g)] {
            let r = try await run([a, b], "load a; init a; load b; init b; train a; index b")
            #expect(r.outcome == .pass, "\(a.name) then \(b.name): \(r.outcome): \(r.message.text)")
        }
    }

    @Test("the variable is read at the second runtime's init: set after the loads it works, after the init it is too late",
          .tags(.probes), arguments: pairs)
    func whenTheVariableIsRead(_ p: TestRuntimes.Pair) async throws {
        let exported = try await run([p.a, p.b], "load a; init a; load b; init b; parallel a; parallel b",
                                     env: ["KMP_DUPLICATE_LIB_OK": "TRUE"])
        let between = try await run([p.a, p.b], "load a; load b; setenv KMP_DUPLICATE_LIB_OK=TRUE; init a; init b; parallel a; parallel b")
        let tooLate = try await run([p.a, p.b], "load a; init a; load b; init b; setenv KMP_DUPLICATE_LIB_OK=TRUE; parallel a; parallel b")
        #expect(between.outcome != .duplicateRuntimeAbort, "set after both loads, before the inits: \(between.message.text)")
        #expect(between.outcome == exported.outcome, "setenv before init behaves like exporting before start")
        #expect(tooLate.outcome == .duplicateRuntimeAbort)
        #expect(tooLate.stepsCompleted == 3)
    }

    @Test("no shm registration file of a probe's pid survives", .tags(.probes))
    func shmCleaned() async throws {
        let p = try #require(Self.pairs.first)
        var pids: Set<Int32> = []
        for env in [[:], ["KMP_DUPLICATE_LIB_OK": "TRUE"]] {
            let r = try await run([p.a, p.b], "load a; init a; load b; init b; parallel a; parallel b", env: env)
            if let pid = r.pid { pids.insert(pid) }
        }
        #expect(pids.count == 2)
        let left = ShmRegistry.entries().filter { pids.contains($0.pid) }
        #expect(left.isEmpty, "left behind: \(left.map(\.path))")
    }

    @Test("a runtime path that cannot be loaded is launch-failed with the reason", .tags(.probes), arguments: [
        ("/nonexistent/libomp.so.5", "does not exist"),
        ("/tmp", "directory"),
        ("/etc/hosts", "not"),
        ("/lib/x86_64-linux-gnu/libm.so.6", "OpenMP"),
    ])
    func launchFailed(_ path: String, _ words: String) async throws {
        let r = await Probe.run(.init(runtimes: [.init(name: "a", path: path)], plan: try Plan.parse("load a; init a")))
        #expect(r.outcome == .launchFailed)
        #expect(r.message.text.localizedCaseInsensitiveContains(words), "\(r.message.text)")
        #expect(r.message.text.contains(path))
    }
}

extension Tag {
    @Tag static var probes: Self
    @Tag static var faults: Self
}
