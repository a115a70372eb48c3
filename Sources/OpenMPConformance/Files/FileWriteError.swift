import Foundation

/// A file the kit meant to write was not written. Any earlier file at `path` is left as it was.
package struct FileWriteError: Error, Sendable, Hashable, CustomStringConvertible, LocalizedError {
    /// The file that was to be written.
    package var path: String
    /// What was being done when it failed, e.g. `create a temporary file in /x`.
    package var operation: String
    /// The system's words for the failure (`strerror`), or the encoder's.
    package var reason: String
    /// `errno`, when a system call failed.
    package var errorNumber: Int32?

    package init(path: String, operation: String, reason: String, errorNumber: Int32? = nil) {
        self.path = path; self.operation = operation; self.reason = reason; self.errorNumber = errorNumber
    }

    /// `cannot write <path>: could not <operation>: <reason>; any earlier file there is unchanged`.
    package var description: String {
        "cannot write \(path): could not \(operation): \(reason); any earlier file there is unchanged"
    }

    package var errorDescription: String? { description }

    static func system(_ path: String, _ operation: String, _ code: Int32) -> FileWriteError {
        FileWriteError(path: path, operation: operation, reason: String(cString: strerror(code)), errorNumber: code)
    }
}
