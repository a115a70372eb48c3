import Foundation

/// The process-wide cap on probes running at once. Hundreds of probes — some spinning
/// at 100% CPU in a hang — must not starve each other into false verdicts, and Swift
/// Testing runs tests in parallel, so the cap lives here, not in any one caller.
///
/// The default is one probe per core; `OMP_CONFORMANCE_JOBS` overrides it.
package actor ProbeLimiter {
    package static let shared = ProbeLimiter(limit: ProbeLimiter.defaultLimit)

    package static var defaultLimit: Int {
        if let s = ProcessInfo.processInfo.environment["OMP_CONFORMANCE_JOBS"], let n = Int(s), n > 0 { return n }
        return max(1, ProcessInfo.processInfo.activeProcessorCount)
    }

    package private(set) var limit: Int
    private var running = 0
    private var waiters: [CheckedContinuation<Void, Never>] = []

    package init(limit: Int) { self.limit = max(1, limit) }

    /// Changes the cap; waiting probes start as slots free up.
    package func setLimit(_ n: Int) {
        limit = max(1, n)
        while running < limit, !waiters.isEmpty { running += 1; waiters.removeFirst().resume() }
    }

    package func acquire() async {
        if running < limit { running += 1; return }
        await withCheckedContinuation { waiters.append($0) }
    }

    package func release() {
        if !waiters.isEmpty, running <= limit { waiters.removeFirst().resume() } else { running -= 1 }
    }

    package nonisolated func withSlot<T: Sendable>(_ body: @Sendable () async -> T) async -> T {
        await acquire()
        let r = await body()
        await release()
        return r
    }
}
