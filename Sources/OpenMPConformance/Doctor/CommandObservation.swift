import Foundation

/// One supervised run of a user's command with the kit's observers loaded: how it ended, in the
/// outcome vocabulary, and which OpenMP runtimes it and its children loaded.
///
/// The run goes through the existing supervisor (own session, timeout, whole-tree kill,
/// bounded capture). The loader variables the kit sets are its own (`LD_AUDIT`, `LD_PRELOAD`
/// with the exit hook first, then any runtime a fix preloads, then the user's own), and the
/// repro line shows them.
package struct CommandObservation: Sendable {
    /// How the command ended; ``ProbeResult/runtimesMapped`` lists the runtimes the command and
    /// its children loaded (``ProbeResult/MappedRuntime/afterStep`` is 0: a command has no steps).
    package var result: ProbeResult
    /// Distinct runtime files loaded, in load order, each named once (by its first loading process).
    package var runtimes: [DoctorRuntime]
    /// Processes that loaded two or more distinct KMP-family runtimes, each with them in load order.
    package var kmpClashes: [(pid: Int32, runtimes: [DoctorRuntime])]
    /// The observer saw the command's own process (false: statically linked, or it cleared the variables).
    package var leaderObserved: Bool
    /// The exit hook reported that the command's process began to exit.
    package var exitBegun: Bool
    /// Processes the observer saw.
    package var processes: Int
    /// Libraries the command loaded that import OpenMP entry points (not runtimes themselves),
    /// with what they need: what decides which runtime a link fix may keep (``LinkChoice``).
    package var consumers: [ScanReport.Consumer] = []

    /// Runs `command` once, observed.
    /// - Throws: ``DoctorError/environment(_:)`` when the observer libraries are unavailable
    ///   (another platform, or they cannot be built); ``DoctorError/badInput(_:)`` when the
    ///   command cannot be started.
    /// - Parameters:
    ///   - inheriting: the user's environment is kept (the doctor's command form); `removing`
    ///     names variables the kit takes out of it. False: the kit's scrubbed, pinned environment
    ///     (``Conformance/check(command:expected:timeout:)``).
    ///   - workingDirectory: where the command runs (nil: this process's working directory).
    package static func run(command: [String], environment: [String: String] = [:], preload: [String] = [],
                           launcher: Probe.Configuration.Launcher = .direct, timeout: Duration = .seconds(600),
                           observer: DoctorObserver? = nil, inheriting: Bool = false,
                           removing: [String] = [], workingDirectory: String? = nil) async throws(DoctorError) -> CommandObservation {
        let obs: DoctorObserver
        if let observer { obs = observer } else { obs = try DoctorObserver.locate() }
        try checkStartable(command)
        let ws = try DoctorWorkspace()
        defer { ws.remove() }
        let log = ws.path + "/observed.log"
        var env = environment
        for (k, v) in obs.environment(log: log, preload: preload, inherited: inheriting ? ProcessInfo.processInfo.environment : [:]) { env[k] = v }
        var config = Probe.Configuration(command: .external(command), environment: env, launcher: launcher, timeout: timeout,
                                         exitGrace: .seconds(1), exitGraceMax: .seconds(3))
        config.exitSignalLog = log
        config.inheritsEnvironment = inheriting
        config.removedVariables = removing
        config.workingDirectory = workingDirectory
        guard var result = await CellRunner.run(config).first else { throw .environment("the command was not run (the runner returned no run)") }
        if result.ending.kind == .notStarted { throw .badInput("cannot start \(command[0]): \(result.message.text)") }
        let records = DoctorObserver.Log.read(path: log)
        // Every process the observer saw is a descendant of this run, now ended: a runtime in one
        // that aborted (a worker, a grandchild reaped by its own parent) left its registration file.
        _ = ShmRegistry.remove(pids: Set(records.pids))
        return analyse(result: &result, log: records, kit: [obs.auditLibrary, obs.exitHook])
    }

    /// A command that names a file that does not exist or is not executable, or a name not on PATH.
    static func checkStartable(_ command: [String]) throws(DoctorError) {
        guard let exe = command.first, !exe.isEmpty else { throw .badInput("doctor -- needs a command") }
        if exe.contains("/") {
            guard access(exe, F_OK) == 0 else { throw .badInput("cannot start \(exe): no such file") }
            var st = stat()
            guard stat(exe, &st) == 0, st.st_mode & S_IFMT == S_IFREG, access(exe, X_OK) == 0 else {
                throw .badInput("cannot start \(exe): not an executable file")
            }
        } else if ShellQuote.which(exe, path: ProcessInfo.processInfo.environment["PATH"]) == nil {
            throw .badInput("cannot start \(exe): not found on PATH")
        }
    }

    static func analyse(result: inout ProbeResult, log: DoctorObserver.Log, kit: [String]) -> CommandObservation {
        var identities: [String: RuntimeIdentity?] = [:]
        func identity(_ path: String) -> RuntimeIdentity? {
            if let v = identities[path] { return v }
            let id = (try? RuntimeIdentity.identify(path: path)) ?? nil // unreadable after the run: not a runtime we can name
            identities[path] = id
            return id
        }
        let dist = DistributionIndex()
        var runtimes: [DoctorRuntime] = []
        var byKey: [FileKey: Int] = [:]
        var perPid: [Int32: [Int]] = [:]
        for (pid, path) in log.opened where !kit.contains(path) {
            guard let id = identity(path) else { continue }
            let key = id.fileKey ?? FileKey(device: 0, inode: UInt64(truncatingIfNeeded: path.hashValue))
            let index: Int
            if let i = byKey[key] { index = i } else {
                runtimes.append(DoctorRuntime(identity: id, path: path, foundBy: "loaded by pid \(pid)", installedBy: dist.distribution(of: path)))
                index = runtimes.count - 1
                byKey[key] = index
            }
            if !(perPid[pid] ?? []).contains(index) { perPid[pid, default: []].append(index) }
        }
        // The OpenMP users among the other objects loaded (at most 4,000 read; a file gone or
        // unreadable after the run is passed over: it then constrains no link fix).
        var consumers: [ScanReport.Consumer] = []
        var seen: Set<String> = []
        for (_, path) in log.opened where !kit.contains(path) && identity(path) == nil && seen.count < 4000 {
            guard seen.insert(path).inserted, let bytes = try? FileBytes(reading: path) else { continue }
            if let c = RuntimeScanner.consumer(bytes, path: path) { consumers.append(c) }
        }
        var clashes: [(pid: Int32, runtimes: [DoctorRuntime])] = []
        for pid in log.pids {
            let kmp = (perPid[pid] ?? []).map { runtimes[$0] }.filter { $0.family == .kmp }
            if kmp.count >= 2 { clashes.append((pid, kmp)) }
        }
        result.runtimesMapped = runtimes.map { .init(path: $0.path, family: $0.family.rawValue, afterStep: 0) }
        let leader = result.pid ?? log.pids.first ?? -1
        return CommandObservation(result: result, runtimes: runtimes, kmpClashes: clashes,
                                  leaderObserved: log.pids.contains(leader), exitBegun: log.exits.contains(leader),
                                  processes: log.pids.count, consumers: consumers)
    }
}
