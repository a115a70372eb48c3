import Foundation
import _OpenMPShims
import OMPPlan

/// What a probe said, line by line: protocol records from stdout and OMP lines from stderr.
/// The supervisor feeds it as output streams in; classifier tests feed it captured samples.
struct ProbeTranscript {
    var speaks = true
    var ompLines: [String] = []
    var stepsCompleted = 0
    var done = false
    var failedChecks: [String] = []
    var checks: [ProbeResult.CheckRecord] = []
    var mapped: [ProbeResult.MappedRuntime] = []
    var blas: String?
    var childPid: Int32?
    var stepError: String?
    /// The step count the child announced in its `done` record.
    var doneSteps: Int?
    /// What ran, as the child observed it (absent records: not observed).
    var started: [ProbeResult.RuntimeStart] = []
    var teamThreads: [ProbeResult.TeamThreads] = []
    var osThreads: Int?

    /// Keeps the line when it is a runtime message (`OMP: ...`), up to 256 of them. Protocol
    /// records, `done` included, come on stdout (``stdoutLine(_:)``), never here.
    /// Past the first 256, only the first `OMP: Error #15` line is still kept: a program that
    /// prints many runtime messages cannot push the abort out.
    mutating func stderrLine(_ line: ArraySlice<UInt8>) {
        // Only OMP lines matter for the verdict; they are kept whatever the volume.
        guard line.count >= 5, !WineLaunch.isWineDebugLine(line) else { return }
        let hit = line.withUnsafeBytes { b in omp_shim_contains(b.baseAddress, b.count, "OMP: ") != 0 }
        guard hit else { return }
        if ompLines.count >= 256 {
            let abort = line.withUnsafeBytes { b in omp_shim_contains(b.baseAddress, b.count, "OMP: Error #15") != 0 }
            guard abort, !sawAbort else { return }
        }
        let text = String(decoding: line, as: UTF8.self)
        if text.contains("OMP: Error #15") { sawAbort = true }
        ompLines.append(text)
    }
    private var sawAbort = false

    @discardableResult
    mutating func stdoutLine(_ line: ArraySlice<UInt8>) -> Bool {
        let prefix = ProbeProtocol.prefix.utf8
        guard line.starts(with: prefix) else { return false }
        // An external command that runs omp-probe (a repro line, a wrapper) speaks the protocol too.
        if !speaks {
            guard line.starts(with: (ProbeProtocol.prefix + "pid ").utf8) else { return false }
            speaks = true
        }
        let body = String(decoding: line.dropFirst(prefix.count), as: UTF8.self)
        let parts = body.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: false)
        guard let first = parts.first, let kind = ProbeProtocol.Kind(rawValue: String(first)) else { return false }
        let rest = parts.count > 1 ? String(parts[1]) : ""
        switch kind {
        case .pid:
            childPid = Int32(rest)
        case .blas: blas = rest
        case .begin, .threads: break
        case .end: if let n = Int(rest) { stepsCompleted = max(stepsCompleted, n) }
        case .mapped:
            let f = rest.split(separator: " ", maxSplits: 1).map(String.init)
            if f.count == 2, mapped.count < 64 { mapped.append(.init(path: f[1], family: f[0], afterStep: stepsCompleted)) }
        case .check:
            let f = rest.split(separator: " ", maxSplits: 3, omittingEmptySubsequences: false).map(String.init)
            guard f.count >= 3, let step = Int(f[0]), checks.count < 512 else { return false }
            let passed = f[2] == "pass"
            let detail = f.count > 3 ? f[3] : ""
            checks.append(.init(step: step, name: f[1], passed: passed, detail: detail))
            if !passed { failedChecks.append("step \(step) \(f[1]): \(detail)") }
        case .started:
            let f = rest.split(separator: " ", maxSplits: 2).map(String.init)
            guard f.count == 3, f[1] == "yes" || f[1] == "no", started.count < 64 else { return false }
            started.append(.init(runtime: f[0], started: f[1] == "yes", how: f[2]))
        case .teamthreads:
            let f = rest.split(separator: " ").map(String.init)
            guard f.count == 2, let n = Int(f[1]), n >= 0, teamThreads.count < 64 else { return false }
            teamThreads.append(.init(runtime: f[0], threads: n))
        case .osthreads:
            guard let n = Int(rest), n >= 0 else { return false }
            osThreads = n
        case .error:
            let f = rest.split(separator: " ", maxSplits: 1).map(String.init)
            stepError = f.count == 2 ? "step \(f[0]): \(f[1])" : rest
        case .done:
            done = true
            doneSteps = rest.split(separator: " ").first.flatMap { Int($0) }
            return true
        }
        return false
    }

    /// Feeds whole captured texts (tests and the capture script's samples).
    mutating func feed(stdout: String, stderr: String) {
        for l in stdout.split(separator: "\n", omittingEmptySubsequences: false) { stdoutLine(Array(l.utf8)[...]) }
        for l in stderr.split(separator: "\n", omittingEmptySubsequences: false) { stderrLine(Array(l.utf8)[...]) }
    }

    func observation(stepsTotal: Int, exitCode: Int32?, signal: Int32?, killedBy: Classifier.KillReason?) -> Classifier.Observation {
        Classifier.Observation(launchFailure: stepError, ompLines: ompLines, stepsCompleted: stepsCompleted,
                               stepsTotal: stepsTotal, reportedDone: done, failedChecks: failedChecks,
                               exitCode: exitCode, signal: signal, killedBy: killedBy, speaksProtocol: speaks)
    }
}
