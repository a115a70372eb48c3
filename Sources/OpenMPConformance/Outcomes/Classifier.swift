import _OpenMPShims

/// Turns what was observed of a probe into an ``Outcome``, applying the documented
/// rules in order; the first that matches wins. Pure, so it is unit-tested on stderr
/// captured from real runs.
package enum Classifier {
    /// Why the supervisor killed a probe (``ProbeResult/Ending/killedBy`` records the raw value).
    package enum KillReason: String, Sendable, Hashable, CaseIterable {
        /// The steps did not complete before the timeout.
        case timeout
        /// Every step completed, then the process did not exit within the grace period.
        case exitGrace = "exit-grace"
        /// The user interrupted the run (SIGINT, SIGTERM).
        case cancelled
    }

    /// What the supervisor saw.
    package struct Observation: Sendable {
        /// The probe could not be started, or a runtime could not be loaded: the loader's words.
        package var launchFailure: String?
        /// Every stderr line that mentions `OMP: Error` or `OMP: Hint`... (in order).
        package var ompLines: [String]
        /// Completed steps and total.
        package var stepsCompleted: Int
        package var stepsTotal: Int
        /// The child reported that every step completed and was checked.
        package var reportedDone: Bool
        /// Failed workload checks, as "step name: detail".
        package var failedChecks: [String]
        /// How the process ended.
        package var exitCode: Int32?
        package var signal: Int32?
        /// Why the supervisor killed it, when it did.
        package var killedBy: KillReason?
        /// True for a plan probe (omp-probe protocol); false for an external command.
        package var speaksProtocol: Bool

        package init(launchFailure: String? = nil, ompLines: [String] = [], stepsCompleted: Int = 0, stepsTotal: Int = 0,
                    reportedDone: Bool = false, failedChecks: [String] = [], exitCode: Int32? = nil,
                    signal: Int32? = nil, killedBy: KillReason? = nil, speaksProtocol: Bool = true) {
            self.launchFailure = launchFailure; self.ompLines = ompLines; self.stepsCompleted = stepsCompleted
            self.stepsTotal = stepsTotal; self.reportedDone = reportedDone; self.failedChecks = failedChecks
            self.exitCode = exitCode; self.signal = signal; self.killedBy = killedBy; self.speaksProtocol = speaksProtocol
        }
    }

    package static func classify(_ o: Observation) -> (Outcome, ProbeResult.Message) {
        let errors = ompErrorNumbers(o.ompLines)
        if let why = o.launchFailure {
            return (.launchFailed, .init(text: why))
        }
        if errors.contains(15) {
            let line = message(o.ompLines.first { $0.contains("OMP: Error #15") } ?? "OMP: Error #15")
            let (ini, found) = parseError15(line)
            return (.duplicateRuntimeAbort, .init(text: line.trimmed, initializing: ini, found: found))
        }
        if o.killedBy == .exitGrace {
            let extra = errors.isEmpty ? "" : " after OMP: Error #\(errors.map(String.init).joined(separator: ", #"))"
            if !o.speaksProtocol {
                return (.hangAtExit, .init(text: "the command began to exit (the kit's exit hook reported it), but the process did not end\(extra); killed"))
            }
            return (.hangAtExit, .init(text: "all \(o.stepsTotal) steps completed and checked, but the process did not exit\(extra); killed"))
        }
        if o.killedBy == .cancelled {
            return (.hang, .init(text: "cancelled by the user after \(o.stepsCompleted) of \(o.stepsTotal) steps; killed"))
        }
        if o.killedBy == .timeout {
            return (.hang, .init(text: "only \(o.stepsCompleted) of \(o.stepsTotal) steps completed before the timeout; killed"))
        }
        if let e = errors.first {
            let line = message(o.ompLines.first { $0.contains("OMP: Error #\(e)") } ?? "OMP: Error #\(e)")
            return (.runtimeError, .init(text: line.trimmed))
        }
        if !o.failedChecks.isEmpty {
            return (.wrongResult, .init(text: o.failedChecks.joined(separator: "; ")))
        }
        if let s = o.signal {
            return (.crash, .init(text: "killed by signal \(s) (\(signalName(s))) after step \(o.stepsCompleted) of \(o.stepsTotal)"))
        }
        if let c = o.exitCode, c != 0 {
            return (.exitNonzero, .init(text: "exited with status \(c) after step \(o.stepsCompleted) of \(o.stepsTotal)"))
        }
        if o.speaksProtocol && !(o.reportedDone && o.stepsCompleted == o.stepsTotal) {
            return (.exitNonzero, .init(text: "exited with status 0 before completing step \(o.stepsCompleted + 1) of \(o.stepsTotal)"))
        }
        return (.pass, .init(text: o.speaksProtocol ? "all \(o.stepsTotal) steps completed and checked; exit 0" : "exit 0"))
    }

    /// The runtime's message from its `OMP: Error` on: what a program printed before it on the
    /// same line (a progress bar without a line end) is not part of it.
    static func message(_ line: String) -> String {
        guard let r = line.range(of: "OMP: Error") else { return line }
        return String(line[r.lowerBound...])
    }

    /// OMP error numbers in order of first appearance.
    package static func ompErrorNumbers(_ lines: [String]) -> [Int] {
        var out: [Int] = []
        for l in lines {
            var rest = Substring(l)
            while let r = rest.range(of: "OMP: Error #") {
                let digits = rest[r.upperBound...].prefix(while: { $0.isNumber })
                if let n = Int(digits), !out.contains(n) { out.append(n) }
                rest = rest[r.upperBound...]
            }
        }
        return out
    }

    /// `OMP: Error #15: Initializing libomp.so.5, but found libiomp5.so already initialized.`
    package static func parseError15(_ line: String) -> (String?, String?) {
        guard let i = line.range(of: "Initializing "), let b = line.range(of: ", but found ", range: i.upperBound..<line.endIndex)
        else { return (nil, nil) }
        let ini = String(line[i.upperBound..<b.lowerBound])
        let rest = line[b.upperBound...]
        let found = rest.range(of: " already initialized").map { String(rest[..<$0.lowerBound]) } ?? String(rest)
        return (ini, found)
    }

    /// This platform's name for a signal number (`SIGBUS`), from its C library through the shim
    /// (glibc's `sigabbrev_np`, Apple's `sys_signame`): numbers differ between platforms (7 is
    /// SIGBUS on Linux, SIGEMT on macOS). `signal N` when the library has no name for it.
    package static func signalName(_ s: Int32) -> String {
        var buf = [CChar](repeating: 0, count: 32)
        guard omp_shim_signal_abbrev(s, &buf, buf.count) == 0 else { return "signal \(s)" }
        return "SIG" + String(decoding: buf.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

extension String {
    var trimmed: String {
        var s = Substring(self)
        while let l = s.last, l.isWhitespace { s = s.dropLast() }
        while let f = s.first, f.isWhitespace { s = s.dropFirst() }
        return String(s)
    }
}
