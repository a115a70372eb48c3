#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// The `race` and `nest` steps: two runtimes used at the same time rather than one after the other.
enum Concurrency {
    /// `race a b`: two threads, released together, each make their runtime's first OpenMP call
    /// and then run one parallel region in it; both are joined before the step ends.
    static func race(_ a: any ParallelRuntime, _ b: any ParallelRuntime, into ledger: StepLedger) {
        final class Lane: @unchecked Sendable {
            let runtime: any ParallelRuntime
            var maxThreads: Int32 = 0
            var team = 0
            init(_ r: any ParallelRuntime) { runtime = r }
        }
        let lanes = [Lane(a), Lane(b)]
        let ready = Atomic<Int>(0)
        let started = runConcurrently(lanes.map { lane in
            { @Sendable in
                // Both threads are up before either calls into its runtime.
                ready.add(1, ordering: .acquiringAndReleasing)
                while ready.load(ordering: .acquiring) < lanes.count { sched_yield() }
                lane.maxThreads = lane.runtime.initialize()
                lane.team = lane.runtime.parallelFor(1024) { _, _ in }
            }
        })
        ledger.check("race-threads", started == lanes.count, "\(started) of \(lanes.count) racing threads started")
        for lane in lanes {
            ledger.check("init-\(lane.runtime.name)", lane.maxThreads >= 1, "omp_get_max_threads() = \(lane.maxThreads) (racing)")
            ledger.team(lane.runtime, lane.team)
        }
    }

    /// `nest a b`: a parallel region of `outer`; each of its threads opens a parallel region of
    /// `inner`. The outer team must have at least two threads; the inner teams are recorded as
    /// they came (one runtime nested in itself runs its inner regions on one thread by default).
    static func nest(outer: any ParallelRuntime, inner: any ParallelRuntime, into ledger: StepLedger) {
        let slots = RegionContext.maxThreads
        let innerTeams = UnsafeMutablePointer<Int>.allocate(capacity: slots)
        innerTeams.initialize(repeating: 0, count: slots)
        defer { innerTeams.deallocate() }
        let outerTeam = outer.parallelFor(slots) { _, tid in
            if tid >= 0 && tid < slots { innerTeams[tid] = inner.parallelFor(1024) { _, _ in } }
        }
        ledger.team(outer, outerTeam)
        let teams = (0..<slots).map { innerTeams[$0] }.filter { $0 > 0 }
        ledger.check("nest-\(inner.name)", teams.count == outerTeam,
                     "\(outerTeam) threads of \(outer.name) each opened a region of \(inner.name): inner teams of \(teams.map(String.init).joined(separator: ", ")) threads, \(outerTeam + teams.reduce(0) { $0 + max($1 - 1, 0) }) threads in all")
    }
}
