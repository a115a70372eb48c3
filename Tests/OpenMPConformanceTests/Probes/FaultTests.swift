import Foundation
import OMPPlan
import Testing
@testable import OpenMPConformance

/// Faults injected by the test-only `omp-fixture` binary (the real engine with one
/// deliberate fault). After each, nothing of the probe's session may remain.
@Suite("Faults are survived and classified")
struct FaultTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var mode: String
        var expected: Outcome
        var timeout: Duration = .seconds(20)
        var testDescription: String { mode }
    }

    static let cases: [Case] = [
        Case(mode: "wrong-result", expected: .wrongResult),
        Case(mode: "segv:2", expected: .crash),
        Case(mode: "sigkill:1", expected: .crash),
        Case(mode: "exit:1", expected: .exitNonzero),
        Case(mode: "flood-stdout:200", expected: .pass),
        Case(mode: "flood-stderr:200", expected: .pass),
        Case(mode: "fork-ignore-term", expected: .pass),
        Case(mode: "spin-after-done", expected: .hangAtExit),
        Case(mode: "sleep:1", expected: .hang, timeout: .seconds(2)),
    ]

    @Test("each injected fault gets its outcome, and leaves no process or shm file", .enabled(if: TestRuntimes.available, "runtimes not provisioned"), .tags(.faults), arguments: cases)
    func fault(_ c: Case) async throws {
        let fixture = try #require(TestRuntimes.fixture, "omp-fixture was not built beside the tests")
        let rt = try #require(TestRuntimes.kmp.first, Comment(rawValue: TestRuntimes.missingReason))
        let plan = try Plan.parse("load a; init a; train a dim=64; index a dim=64")
        let r = await Probe.run(.init(runtimes: [.init(name: "a", path: rt.path)], plan: plan,
                                      environment: ["OMP_FIXTURE": c.mode], timeout: c.timeout, executable: fixture))
        #expect(r.outcome == c.expected, "\(c.mode): \(r.outcome): \(r.message.text)")
        #expect(sessionIsGone(r.pid), "a process of the probe's session survived")
        let shm = ShmRegistry.entries().filter { $0.pid == r.pid }
        #expect(shm.isEmpty, "shm files left: \(shm.map(\.path))")
        if c.mode.hasPrefix("flood") {
            let captured = r.stdout.head.utf8.count + r.stdout.tail.utf8.count + r.stderr.head.utf8.count + r.stderr.tail.utf8.count
            #expect(captured <= 4 * 64 * 1024, "capture is bounded: \(captured) bytes kept")
            #expect(max(r.stdout.totalBytes, r.stderr.totalBytes) >= 200 * 1024 * 1024)
        }
        if c.mode == "wrong-result" {
            #expect(r.checks.contains { !$0.passed && $0.name.contains("parallel-vs-serial") })
        }
        if c.expected == .crash { #expect(r.ending.kind == .signaled && r.ending.signal != nil) }
    }

    @Test("a hang is classified at the timeout, not later", .enabled(if: TestRuntimes.available, "runtimes not provisioned"), .tags(.faults))
    func hangBounded() async throws {
        let fixture = try #require(TestRuntimes.fixture)
        let rt = try #require(TestRuntimes.kmp.first)
        let plan = try Plan.parse("load a; init a; parallel a")
        let r = await Probe.run(.init(runtimes: [.init(name: "a", path: rt.path)], plan: plan,
                                      environment: ["OMP_FIXTURE": "sleep:2"], timeout: .milliseconds(800), executable: fixture))
        #expect(r.outcome == .hang)
        #expect(r.durationSeconds < 3, "took \(r.durationSeconds) s")
        #expect(r.stepsCompleted == 2)
    }
}
