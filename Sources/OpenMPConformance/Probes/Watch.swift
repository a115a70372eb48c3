import Foundation
import OMPPlan
import _OpenMPShims

/// The supervision loop of one running probe.
final class Watch {
    let pid: pid_t
    let stdoutFD: Int32, stderrFD: Int32
    let config: Probe.Configuration
    let stepsTotal: Int
    let speaks: Bool
    /// This probe's ``ProcessTree/markerName`` value; its carriers are swept at the end.
    var marker: String?
    /// Set when the task that runs this probe is cancelled (see `Supervisor.run`).
    var stop = StopRequest()

    var out: StreamCapture
    var err: StreamCapture
    var transcript = ProbeTranscript()
    var doneAt: ContinuousClock.Instant?
    var lastOutputAt: ContinuousClock.Instant?

    init(pid: pid_t, stdoutFD: Int32, stderrFD: Int32, config: Probe.Configuration, stepsTotal: Int, speaks: Bool) {
        self.pid = pid; self.stdoutFD = stdoutFD; self.stderrFD = stderrFD; self.config = config
        self.stepsTotal = stepsTotal; self.speaks = speaks
        transcript.speaks = speaks
        out = StreamCapture(limit: config.captureLimit)
        err = StreamCapture(limit: config.captureLimit)
    }

    func run(started: ContinuousClock.Instant, repro: String) -> ProbeResult {
        let clock = ContinuousClock()
        // Readable once the child exits: a pidfd (Linux) or a kqueue on NOTE_EXIT (macOS).
        let pidfd = omp_shim_exit_fd_open(pid)
        var status: Int32 = 0
        var exited = false
        var killedBy: Classifier.KillReason?
        var outOpen = true, errOpen = true
        let buf = UnsafeMutableRawBufferPointer.allocate(byteCount: 65536, alignment: 8)
        defer { buf.deallocate() }

        func drain(_ fd: Int32, isOut: Bool) -> Bool {
            // Returns false at EOF.
            while true {
                let n = read(fd, buf.baseAddress, buf.count)
                if n > 0 {
                    lastOutputAt = clock.now
                    let chunk = UnsafeRawBufferPointer(rebasing: buf[0..<n])
                    if isOut { out.append(chunk, onLine: onStdoutLine) } else { err.append(chunk, onLine: onStderrLine) }
                    if n < buf.count { return true }
                } else if n == 0 {
                    return false
                } else {
                    return errno == EINTR ? true : (errno == EAGAIN || errno == EWOULDBLOCK)
                }
            }
        }

        func reap() -> Bool {
            let r = waitpid(pid, &status, WNOHANG)
            return r == pid
        }

        var exitLog = ExitLogReader(path: config.exitSignalLog, pid: pid)
        while !exited {
            if doneAt == nil, exitLog.exitBegun() { doneAt = clock.now }
            let now = clock.now
            if Cancellation.isRequested || stop.isRequested { killedBy = .cancelled; break }
            // Deadlines.
            var wait: Duration
            if let d = doneAt {
                let last = max(d, lastOutputAt ?? d)
                let due = min(last + config.exitGrace, d + config.exitGraceMax)
                if now >= due { killedBy = .exitGrace; break }
                wait = due - now
            } else {
                let due = started + config.timeout
                if now >= due { killedBy = .timeout; break }
                wait = due - now
            }
            wait = min(wait, pidfd < 0 ? .milliseconds(5) : .milliseconds(100))
            var fds: [pollfd] = []
            if outOpen { fds.append(pollfd(fd: stdoutFD, events: Int16(POLLIN), revents: 0)) }
            if errOpen { fds.append(pollfd(fd: stderrFD, events: Int16(POLLIN), revents: 0)) }
            if pidfd >= 0 { fds.append(pollfd(fd: pidfd, events: Int16(POLLIN), revents: 0)) }
            let ms = Int32(max(1, min(Double(Int32.max), (wait.seconds * 1000).rounded(.up))))
            let pr = fds.isEmpty ? { usleep(UInt32(min(ms, 5)) * 1000); return Int32(0) }() : poll(&fds, nfds_t(fds.count), ms)
            if pr < 0 && errno != EINTR { usleep(1000) }
            for f in fds where f.revents != 0 {
                if f.fd == stdoutFD { outOpen = drain(stdoutFD, isOut: true) }
                else if f.fd == stderrFD { errOpen = drain(stderrFD, isOut: false) }
            }
            if reap() { exited = true }
        }
        // Whatever is left in the pipes now (without waiting on descendants that hold them open).
        if outOpen { _ = drain(stdoutFD, isOut: true) }
        if errOpen { _ = drain(stderrFD, isOut: false) }
        let verdictAt = clock.now
        // End the whole session, ours included, and reap.
        var pids: Set<Int32> = [pid]
        do {
            pids = try ProcessTree.terminate(session: pid, leaderReaped: exited)
        } catch {
            // The session's group was sent SIGKILL; descendants that left it cannot be seen here.
            // Said in the captured stderr, where a report shows it.
            noteOnStderr("ending the probe's processes: \(error)")
        }
        // Descendants that left the session (setsid, double fork, fork loops) still carry the marker.
        if let marker {
            do { pids.formUnion(try ProcessTree.sweep(marker: marker)) } catch is UnsupportedOnPlatform {
                // macOS: the session rule applies alone (README, Guarantees).
            } catch {
                noteOnStderr("looking for the probe's escaped descendants: \(error)")
            }
        }
        if !exited {
            // The leader was killed by us; collect its status.
            var tries = 0
            while waitpid(pid, &status, 0) < 0 && errno == EINTR && tries < 100 { tries += 1 }
        }
        if outOpen { _ = drain(stdoutFD, isOut: true) }
        if errOpen { _ = drain(stderrFD, isOut: false) }
        out.finish(onLine: onStdoutLine)
        err.finish(onLine: onStderrLine)
        close(stdoutFD); close(stderrFD)
        if pidfd >= 0 { close(pidfd) }
        var all = pids
        if let cp = transcript.childPid { all.insert(cp) }
        ShmRegistry.remove(pids: all)
        _ = ProcessTree.watched.withLock { $0.remove(pid) }
        ProcessTree.reapOrphans()

        let signaled = exited && (status & 0x7f) != 0 && (status & 0x7f) != 0x7f
        let code: Int32? = exited && !signaled ? (status >> 8) & 0xff : nil
        let sig: Int32? = signaled ? status & 0x7f : nil
        let total = speaks ? stepsTotal : (transcript.doneSteps ?? max(transcript.stepsCompleted, stepsTotal))
        let obs = transcript.observation(stepsTotal: total, exitCode: code, signal: sig, killedBy: killedBy)
        let t = transcript
        let (outcome, message) = Classifier.classify(obs)
        let ending = ProbeResult.Ending(kind: killedBy != nil ? .killed : (signaled ? .signaled : .exited),
                                        code: code, signal: sig, afterStep: t.stepsCompleted, killedBy: killedBy?.rawValue)
        var exitWait: Double?
        if let d = doneAt { exitWait = (verdictAt - d).seconds * 1000 }
        var result = ProbeResult(outcome: outcome, message: message, stepsCompleted: t.speaks ? t.stepsCompleted : (code == 0 ? 1 : 0),
                           stepsTotal: total, durationSeconds: (verdictAt - started).seconds,
                           runtimesMapped: t.mapped, repro: repro, checks: t.checks,
                           ompErrors: Classifier.ompErrorNumbers(t.ompLines), ending: ending,
                           stdout: out.captured, stderr: err.captured, blasCore: t.blas, pid: t.childPid ?? pid,
                           exitWaitMilliseconds: exitWait)
        result.runtimesStarted = t.started.isEmpty ? nil : t.started
        result.teamThreads = t.teamThreads.isEmpty ? nil : t.teamThreads
        result.osThreads = t.osThreads
        return result
    }

    /// Reads the exit hook's records as they are appended, from where the last read stopped
    /// (bounded per call, linear: see ``RecordFileReader``).
    struct ExitLogReader {
        var reader: RecordFileReader?
        let marker: [UInt8]
        init(path: String?, pid: pid_t) { reader = path.map { RecordFileReader(path: $0) }; marker = Array("exit \(pid)".utf8) }

        mutating func exitBegun() -> Bool {
            var found = false
            reader?.read { line in
                found = line.elementsEqual(marker)
                return !found
            }
            return found
        }
    }

    /// Adds one line of the kit's own to the captured stderr, where a report shows it.
    private func noteOnStderr(_ text: String) {
        Array("omp-conformance: \(text)\n".utf8).withUnsafeBytes { err.append($0, onLine: onStderrLine) }
    }

    private func onStderrLine(_ line: ArraySlice<UInt8>) {
        transcript.stderrLine(line)
    }

    private func onStdoutLine(_ line: ArraySlice<UInt8>) {
        if transcript.stdoutLine(line) { doneAt = ContinuousClock.now }
    }
}
