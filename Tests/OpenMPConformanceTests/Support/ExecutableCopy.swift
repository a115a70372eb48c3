import Foundation
import Testing

/// Copies an executable that a test then runs, with cp(1) in a child process.
///
/// A copy written by this process holds a write descriptor for a moment; a probe that a parallel
/// test forks in that moment inherits it until its own exec, and executing the copy then fails
/// with ETXTBSY ("Text file busy"). A copy made by another process leaves no descriptor here.
func copyExecutable(_ source: String, to destination: String, sourceLocation: SourceLocation = #_sourceLocation) async throws {
    let cp = try await TestProcess.run(["/bin/cp", source, destination])
    try #require(cp.terminationStatus == 0, "cp \(source) \(destination) exited \(cp.terminationStatus)", sourceLocation: sourceLocation)
}
