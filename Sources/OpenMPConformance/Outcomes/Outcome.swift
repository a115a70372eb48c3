/// How a probe ended. The vocabulary is fixed; the classifier applies the rules in
/// the order of `Outcome.allCases` and the first match wins.
public enum Outcome: String, Codable, Sendable, CaseIterable, Comparable {
    /// The probe could not start or could not load a runtime (missing path, not a
    /// shared library, wrong architecture, not an OpenMP runtime). The reason quotes the loader.
    case launchFailed = "launch-failed"
    /// The output contains `OMP: Error #15`, whatever signal followed.
    case duplicateRuntimeAbort = "duplicate-runtime-abort"
    /// Every step completed and was checked, but the process did not exit within the grace period.
    case hangAtExit = "hang-at-exit"
    /// The steps did not complete before the timeout.
    case hang
    /// Another `OMP: Error #N` (for example the #13 assertion).
    case runtimeError = "runtime-error"
    /// A workload check failed: parallel disagrees with serial, loss not finite or not
    /// decreasing, or a region ran on fewer than two threads.
    case wrongResult = "wrong-result"
    /// Any other signal.
    case crash
    /// Any other non-zero exit.
    case exitNonzero = "exit-nonzero"
    /// Exit 0 with every step completed and checked.
    case pass

    /// Rule order (1-based), as documented.
    public var rule: Int { Outcome.allCases.firstIndex(of: self)! + 1 }

    public static func < (a: Outcome, b: Outcome) -> Bool { a.rule < b.rule }

    /// One line on what the word means, for legends.
    package var meaning: String {
        switch self {
        case .launchFailed: "could not start, or could not load a runtime"
        case .duplicateRuntimeAbort: "OMP: Error #15, the duplicate-runtime abort"
        case .hangAtExit: "all steps done and checked, then never exited"
        case .hang: "steps did not complete before the timeout"
        case .runtimeError: "another OMP: Error #N (e.g. #13 assertion)"
        case .wrongResult: "a workload check failed"
        case .crash: "killed by another signal"
        case .exitNonzero: "another non-zero exit"
        case .pass: "exit 0, every step completed and checked"
        }
    }
}
