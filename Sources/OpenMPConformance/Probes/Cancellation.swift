import Synchronization

/// The process-wide stop request of a command-line run (Ctrl-C, SIGTERM): running probes are
/// ended at once, with their whole session, and no new probe starts. Set only by a signal
/// handler of `omp-matrix`, whose process then ends; it is never reset.
///
/// Swift task cancellation does not go through it: cancelling the task that awaits
/// ``Probe/run(_:)`` ends that probe alone (a ``StopRequest`` of its own), so one cancelled
/// test or task never stops the others.
package enum Cancellation {
    private static let flag = StopRequest()

    package static var isRequested: Bool { flag.isRequested }
    package static func request() { flag.request() }
}

/// A one-way stop flag, safe to set from any thread (a signal trap, a task cancellation
/// handler) and to poll from a probe's watch loop.
package final class StopRequest: Sendable {
    private let flag = Atomic<Bool>(false)
    package init() {}
    package var isRequested: Bool { flag.load(ordering: .acquiring) }
    package func request() { flag.store(true, ordering: .releasing) }
}
