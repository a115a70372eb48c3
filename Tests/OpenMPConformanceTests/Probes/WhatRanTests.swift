import Foundation
import OMPPlan
import Testing
@testable import OpenMPConformance

/// The plan steps `race` and `nest` in the plan language: parsed, printed back, validated.
@Suite("Plan steps race and nest")
struct RaceNestPlanTests {
    @Test("race and nest read back to the same text", arguments: ["race a b", "nest a b", "nest a a"])
    func roundTrip(_ text: String) throws {
        let plan = try Plan.parse("load a; load b; " + text)
        #expect(plan.text == "load a; load b; " + text)
        #expect(try Plan.parse(plan.text) == plan)
        try plan.validate(declared: ["a", "b"])
    }

    @Test("race and nest take exactly two runtimes that were loaded before",
          arguments: [("load a; race a", "takes 2 arguments"), ("load a; nest a b c", "takes 2 arguments"),
                      ("load a; race a b", "used before any 'load b'")])
    func refused(_ text: String, _ why: String) throws {
        do {
            let plan = try Plan.parse(text)
            try plan.validate(declared: ["a", "b"])
            Issue.record("'\(text)' should be refused")
        } catch {
            #expect(error.reason.contains(why), "\(error)")
        }
    }
}

/// What ran, observed by real probes: which runtimes started (the runtimes' own OMPT start),
/// the threads of their regions and the OS threads. Every figure asserted here is what the
/// probe saw; the structure of OpenMP teams fixes the thread counts (N per team, one master shared).
@Suite("What ran, observed by the probe",
       .enabled(if: TestRuntimes.available, "runtimes not provisioned; see the failure of \"the provisioned runtimes are present\""),
       .enabled(if: ProbeTool.path != nil, "the probe's OMPT tool cannot be built here (no C compiler): runtime starts are not observed"))
struct WhatRanTests {
    func run(_ rs: [RuntimeRecord], _ steps: String, env: [String: String] = [:], names: [String] = ["a", "b"]) async throws -> ProbeResult {
        let plan = try Plan.parse(steps)
        let r = await Probe.run(.init(runtimes: TestRuntimes.bindings(rs, names: names), plan: plan, environment: env))
        #expect(sessionIsGone(r.pid), "a process of the probe's session survived: \(r.repro)")
        if let pid = r.pid {
            #expect(!ShmRegistry.entries().contains { $0.pid == pid }, "a registration file of pid \(pid) was left behind")
        }
        return r
    }

    func pair() throws -> (RuntimeRecord, RuntimeRecord) {
        // LLVM 16 starts first: LLVM 16 started second after another KMP runtime hangs at exit.
        (try #require(TestRuntimes.named("llvm16")), try #require(TestRuntimes.named("llvm14")))
    }

    func teamAll(_ r: ProbeResult) -> Int? { r.teamThreads?.first { $0.runtime == "*" }?.threads }

    @Test("two pools: two runtimes with the variable at N = 2 run at least 3 team threads, each runtime started")
    func twoPools() async throws {
        let (a, b) = try pair()
        let r = try await run([a, b], "load a; init a; load b; init b; train a; index b", env: ["KMP_DUPLICATE_LIB_OK": "TRUE"])
        #expect(r.stepsCompleted == 6, "\(r.outcome): \(r.message.text)")
        #expect(r.runtimesStarted == [.init(runtime: "a", started: true, how: "ompt"), .init(runtime: "b", started: true, how: "ompt")])
        #expect(r.startedCount == 2)
        #expect((teamAll(r) ?? 0) >= 3, "team threads: \(String(describing: r.teamThreads))")
        #expect((r.osThreads ?? 0) >= 3, "OS threads: \(String(describing: r.osThreads))")
    }

    @Test("one runtime file under two names: one runtime started, 2 team threads at N = 2")
    func oneFile() async throws {
        let (_, b) = try pair()
        let r = try await run([b, b], "load a; init a; load b; init b; train a; index b")
        #expect(r.outcome == .pass, "\(r.outcome): \(r.message.text)")
        #expect(r.startedCount == 1, "\(String(describing: r.runtimesStarted))")
        #expect(teamAll(r) == 2, "team threads: \(String(describing: r.teamThreads))")
    }

    @Test("a runtime loaded but never called is mapped and not started")
    func mappedIsNotStarted() async throws {
        let (a, b) = try pair()
        let r = try await run([a, b], "load a; init a; load b; train a")
        #expect(r.outcome == .pass, "\(r.outcome): \(r.message.text)")
        #expect(Set(r.runtimesMapped.map(\.path)).count == 2)
        #expect(r.runtimesStarted == [.init(runtime: "a", started: true, how: "ompt"), .init(runtime: "b", started: false, how: "ompt")])
    }

    @Test("nest: each outer thread forks a full inner team in the other runtime (N + N(N-1) threads)")
    func nested() async throws {
        let (a, b) = try pair()
        let r = try await run([a, b], "load a; load b; nest a b", env: ["KMP_DUPLICATE_LIB_OK": "TRUE"])
        #expect(r.stepsCompleted == 3, "\(r.outcome): \(r.message.text)")
        #expect(teamAll(r) == 4, "team threads at N = 2: \(String(describing: r.teamThreads))")
        #expect((r.osThreads ?? 0) >= 4)
        let nest = try #require(r.checks.first { $0.name == "nest-b" })
        #expect(nest.passed, "\(nest.detail)")
    }

    @Test("nest in one runtime: the inner regions run on one thread each, 2 team threads at N = 2")
    func nestedInItself() async throws {
        let (_, b) = try pair()
        let r = try await run([b], "load a; nest a a", names: ["a"])
        #expect(r.outcome == .pass, "\(r.outcome): \(r.message.text)")
        #expect(teamAll(r) == 2, "team threads: \(String(describing: r.teamThreads))")
    }

    @Test("race: first use from two threads at once is classified and leaves no process or registration file behind",
          arguments: [false, true])
    func race(withVariable: Bool) async throws {
        let (a, b) = try pair()
        let r = try await run([a, b], "load a; load b; race a b", env: withVariable ? ["KMP_DUPLICATE_LIB_OK": "TRUE"] : [:])
        if withVariable {
            #expect(r.stepsCompleted == 3, "\(r.outcome): \(r.message.text)")
            #expect(r.startedCount == 2, "\(String(describing: r.runtimesStarted))")
        } else {
            #expect(r.outcome == .duplicateRuntimeAbort, "\(r.outcome): \(r.message.text)")
        }
    }
}

/// The records of what ran, as the supervisor reads them: well-formed records kept, malformed
/// ones ignored (never guessed), and absent ones left as "not observed".
@Suite("What-ran records read by the supervisor")
struct WhatRanRecordTests {
    @Test("records are read; malformed ones are dropped")
    func records() {
        var t = ProbeTranscript()
        t.feed(stdout: """
            @omp pid 42
            @omp started a yes ompt
            @omp started b no ompt
            @omp started c maybe ompt
            @omp teamthreads a 2
            @omp teamthreads * 3
            @omp teamthreads b -1
            @omp osthreads 3
            @omp done 4 0
            """, stderr: "")
        #expect(t.started == [.init(runtime: "a", started: true, how: "ompt"), .init(runtime: "b", started: false, how: "ompt")])
        #expect(t.teamThreads == [.init(runtime: "a", threads: 2), .init(runtime: "*", threads: 3)])
        #expect(t.osThreads == 3)
    }

    @Test("an older probe's transcript has no observations: not observed, and the report says so")
    func olderProbe() {
        var t = ProbeTranscript()
        t.feed(stdout: "@omp pid 42\n@omp begin 1 load a\n@omp end 1\n@omp done 1 0\n", stderr: "")
        #expect(t.started.isEmpty && t.teamThreads.isEmpty && t.osThreads == nil)
    }

    @Test("the words name files mapped, runtimes started, threads per runtime and OS threads")
    func words() {
        var p = ProbeResult(outcome: .pass, message: .init(text: ""), stepsCompleted: 4, stepsTotal: 4, durationSeconds: 0.1,
                            runtimesMapped: [.init(path: "/x/libomp.so.5", family: "kmp", afterStep: 1),
                                             .init(path: "/y/libomp.so.5", family: "kmp", afterStep: 2)],
                            repro: "", checks: [], ompErrors: [], ending: .init(kind: .exited, code: 0, afterStep: 4),
                            stdout: .init(), stderr: .init(), blasCore: nil, pid: 42)
        #expect(WhatRanText.words(p) == "2 runtime files mapped; runtime starts not observed")
        p.runtimesStarted = [.init(runtime: "a", started: true, how: "ompt"), .init(runtime: "b", started: false, how: "ompt")]
        p.teamThreads = [.init(runtime: "a", threads: 2), .init(runtime: "*", threads: 2)]
        p.osThreads = 2
        #expect(WhatRanText.words(p) == "2 runtime files mapped; one runtime started (a by OMPT), not started: b (OMPT); team threads a 2; 2 OS threads")
        #expect(p.startedCount == 1)
    }
}

@Suite("A pass says how many runtimes ran")
struct PassWordsTests {
    @Test("pass with its observed runtime count; other outcomes and unobserved passes as they are",
          arguments: [(Outcome.pass, 2, "pass, two runtimes ran"), (.pass, 1, "pass, one runtime ran"),
                      (.pass, nil, "pass"), (.duplicateRuntimeAbort, 1, "duplicate-runtime-abort")] as [(Outcome, Int?, String)])
    func words(_ outcome: Outcome, _ started: Int?, _ expected: String) throws {
        var cell = try #require(ReportFixtures.results().results.first { $0.probe != nil })
        cell.outcome = outcome
        cell.probe?.runtimesStarted = started.map { n in (0..<2).map { .init(runtime: "r\($0)", started: $0 < n, how: "ompt") } }
        #expect(WhatRanText.outcome(cell) == expected)
        var file = ReportFixtures.results()
        file.results = [cell]
        #expect(MarkdownReport.fullTable(file, budgetLeft: 1 << 20).contains(expected))
    }
}
