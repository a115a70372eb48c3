import Foundation

/// A process-wide stop request (Ctrl-C, SIGTERM). Running probes are ended at once,
/// with their whole session, and no new probe starts.
package enum Cancellation {
    private static let flag = Flag()

    package static var isRequested: Bool { flag.value }
    package static func request() { flag.value = true }

    final class Flag: @unchecked Sendable {
        private let lock = NSLock()
        private var _v = false
        var value: Bool {
            get { lock.withLock { _v } }
            set { lock.withLock { _v = newValue } }
        }
    }
}
