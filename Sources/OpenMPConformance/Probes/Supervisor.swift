import Foundation
import OMPPlan
import _OpenMPShims

/// Launches a probe, watches it, ends it, and classifies it. One probe per thread:
/// the work is blocking `poll(2)` on the child's pipes and its pidfd.
enum Supervisor {
    /// Cancelling the calling task ends the probe and its whole process tree (the watch loop
    /// sees the request within its 100 ms poll), and the result says `cancelled`.
    static func run(_ c: Probe.Configuration) async -> ProbeResult {
        let stop = StopRequest()
        return await withTaskCancellationHandler {
            await withCheckedContinuation { cont in
                let t = Thread { cont.resume(returning: runBlocking(c, stop: stop)) }
                t.stackSize = 1 << 20
                t.start()
            }
        } onCancel: {
            stop.request()
        }
    }

    /// The fixed shell text of each wrapper launcher: a parent shell that sets the variable
    /// (or not) and then runs a wrapper script in a new shell, which runs the probe.
    static func wrapperScript(_ l: Probe.Configuration.Launcher, pinned: [(String, String)]) -> String? {
        let wrapper = "/bin/sh -c 'exec \"$@\"' wrapper \"$@\""
        switch l {
        case .direct: return nil
        case .wrapperExported: return "export KMP_DUPLICATE_LIB_OK=TRUE; " + wrapper
        case .wrapperAssigned: return "KMP_DUPLICATE_LIB_OK=TRUE; " + wrapper
        case .wrapperEnvI:
            let keep = pinned.map { "\($0.0)=\(ShellQuote.quote($0.1))" }.joined(separator: " ")
            return "export KMP_DUPLICATE_LIB_OK=TRUE; exec env -i \(keep) " + wrapper
        }
    }

    static func runBlocking(_ c: Probe.Configuration, stop: StopRequest = StopRequest()) -> ProbeResult {
        _ = ProcessTree.becomeSubreaper
        let clock = ContinuousClock()
        let started = clock.now
        let env = HostEnvironment.shared.probeEnvironment
        var stepsTotal = 1
        var argv: [String]
        var speaks = true
        // The cell's variables, and for a probe under Wine its prefix and DLL overrides.
        var extra = c.environment
        var preflightFailure: String?

        switch c.command {
        case .plan(let plan, let runtimes):
            stepsTotal = plan.steps.count
            if let wine = c.wine {
                argv = [wine.loader, wine.probe]
            } else {
                let exe: String
                do { exe = try c.executable ?? ProbeExecutable.locate() } catch {
                    return notStarted(c, "\(error)", stepsTotal: stepsTotal, started: started, argv: [], env: env)
                }
                argv = [exe]
                // Which runtimes start, from the runtimes themselves (ProbeTool); without it, fewer are observed.
                if ProbeTool.understood(by: exe), let tool = ProbeTool.path { argv += ["--ompt-tool", tool] }
            }
            for r in runtimes { argv += ["--runtime", "\(r.name)=\(r.path)"] }
            argv += ["--steps", plan.text]
            // Check what the loader would refuse before launching, where the file says so.
            for r in runtimes where plan.loadedRuntimes.contains(r.name) {
                let why = c.wine == nil ? LaunchPreflight.check(path: r.path) : WineLaunch.preflight(path: r.path)
                if let why { preflightFailure = "runtime '\(r.name)' (\(r.path)): \(why)"; break }
            }
            if let wine = c.wine { for (k, v) in wine.environment(for: runtimes) { extra[k] = v } }
        case .external(let args):
            argv = args
            speaks = false
        }

        var childEnv = c.inheritsEnvironment ? ProcessInfo.processInfo.environment : env.base
        for (k, v) in extra { childEnv[k] = v }
        var launchArgv = argv
        if let script = wrapperScript(c.launcher, pinned: env.significant(extra: [:])) {
            launchArgv = ["/bin/sh", "-c", script, "parent"] + argv
        }
        var repro: String
        if c.inheritsEnvironment {
            // The user's environment is theirs: the repro line names only what the kit changed.
            let removed = c.removedVariables.filter { childEnv[$0] != nil }.sorted()
            for k in removed { childEnv[k] = nil }
            let parent = ProcessInfo.processInfo.environment
            let added = extra.filter { parent[$0.key] != $0.value }.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
            repro = ShellQuote.repro(setting: added, unsetting: removed, argv: launchArgv)
        } else {
            repro = ShellQuote.repro(env: env.significant(extra: extra), argv: launchArgv)
        }
        // A run in another working directory than this process's says so: run from the caller's shell, it starts there.
        if let dir = c.workingDirectory, dir != FileManager.default.currentDirectoryPath {
            repro = "cd \(ShellQuote.quote(dir)) && " + repro
        }
        // Not in the repro line: bookkeeping of this supervisor, not part of the cell.
        let marker = ProcessTree.newMarker()
        childEnv[ProcessTree.markerName] = marker
        if let preflightFailure {
            return notStarted(c, preflightFailure, stepsTotal: stepsTotal, started: started, argv: launchArgv, env: env, repro: repro)
        }
        guard !launchArgv.isEmpty else {
            return notStarted(c, "empty command", stepsTotal: stepsTotal, started: started, argv: launchArgv, env: env, repro: repro)
        }
        var exePath = launchArgv[0]
        if !exePath.contains("/") { exePath = ShellQuote.which(exePath, path: childEnv["PATH"]) ?? exePath }

        // Pipes: parent ends close-on-exec and non-blocking.
        var outFDs: [Int32] = [0, 0], errFDs: [Int32] = [0, 0]
        guard pipe(&outFDs) == 0, pipe(&errFDs) == 0 else {
            return notStarted(c, "pipe: \(String(cString: strerror(errno)))", stepsTotal: stepsTotal, started: started, argv: launchArgv, env: env, repro: repro)
        }
        _ = omp_shim_cloexec_nonblock(outFDs[0]); _ = omp_shim_cloexec_nonblock(errFDs[0])
        // The lifeline: omp-probe watches the read end and ends its process group when it reads
        // end-of-file, which happens when this process dies (even by SIGKILL) and its write end closes.
        var life: [Int32] = [-1, -1]
        let made = pipe(&life) == 0 && fcntl(life[1], F_SETFD, FD_CLOEXEC) == 0
        if made {
            _ = fcntl(life[0], F_SETFD, 0) // the read end goes to the child, as descriptor 3
            childEnv[lifelineName] = "3"
        }
        defer { if life[1] >= 0 { close(life[1]) } }
        let envList = childEnv.map { "\($0.key)=\($0.value)" }
        var pid: pid_t = 0
        // Spawned and registered as watched in one step: the orphan reaper never takes a leader's status.
        let rc = ProcessTree.watched.withLock { leaders -> Int32 in
            let rc = withCStrings(launchArgv) { av in
                withCStrings(envList) { ev in
                    omp_shim_spawn_session_in(&pid, exePath, av, ev, outFDs[1], errFDs[1], made ? life[0] : -1, c.workingDirectory)
                }
            }
            if rc == 0 { leaders.insert(pid) }
            return rc
        }
        close(outFDs[1]); close(errFDs[1])
        if life[0] >= 0 { close(life[0]) }
        if rc != 0 {
            close(outFDs[0]); close(errFDs[0])
            let place = c.workingDirectory.map { " in \($0)" } ?? ""
            return notStarted(c, "could not start \(exePath)\(place): \(String(cString: strerror(rc)))", stepsTotal: stepsTotal,
                              started: started, argv: launchArgv, env: env, repro: repro)
        }
        let watch = Watch(pid: pid, stdoutFD: outFDs[0], stderrFD: errFDs[0], config: c, stepsTotal: stepsTotal, speaks: speaks)
        watch.marker = marker
        watch.stop = stop
        return watch.run(started: started, repro: repro)
    }

    /// The environment variable that tells omp-probe which descriptor is its lifeline.
    static let lifelineName = "__OMP_CONFORMANCE_LIFELINE"

    static func notStarted(_ c: Probe.Configuration, _ why: String, stepsTotal: Int, started: ContinuousClock.Instant,
                           argv: [String], env: ProbeEnvironment, repro: String? = nil) -> ProbeResult {
        let obs = Classifier.Observation(launchFailure: why, stepsTotal: stepsTotal)
        let (outcome, msg) = Classifier.classify(obs)
        return ProbeResult(outcome: outcome, message: msg, stepsCompleted: 0, stepsTotal: stepsTotal,
                           durationSeconds: (ContinuousClock.now - started).seconds, runtimesMapped: [],
                           repro: repro ?? ShellQuote.repro(env: env.significant(extra: c.environment), argv: argv),
                           checks: [], ompErrors: [], ending: .init(kind: .notStarted, afterStep: 0),
                           stdout: .init(), stderr: .init(), blasCore: nil, pid: nil)
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}

func withCStrings<R>(_ strings: [String], _ body: (UnsafePointer<UnsafeMutablePointer<CChar>?>) -> R) -> R {
    var ptrs: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
    ptrs.append(nil)
    defer { for p in ptrs { free(p) } }
    return ptrs.withUnsafeBufferPointer { body($0.baseAddress!) }
}
