import Foundation
import _OpenMPShims

/// A persistent `wineserver` for one run of Windows probes: started before the first probe,
/// stopped after the last, so each probe pays about 0.05 s instead of Wine's cold start
/// (about 1 s).
///
/// ```swift
/// let session = try WineSession.start(launch)
/// defer { session.stop() }
/// // probes with Probe.Configuration.wine = launch
/// ```
///
/// - The server is started outside every probe's session, so ending a probe's whole process
///   tree (a timeout, a hang at exit) kills that probe's Wine processes and never the server
///   the other probes share.
/// - A warm-up run of the probe with an empty plan starts Wine's own services (`services.exe`,
///   `winedevice.exe`) before any probe, so no probe starts them and none is timed with them.
/// - One session per prefix at a time: a session holds an exclusive lock (`<prefix>/.lock`), so
///   a second run (another shell, a test) waits, up to `lockWait` seconds, instead of sharing or
///   stopping this server; then it fails, saying the prefix is in use.
/// - ``stop()`` runs `wineserver -k` and waits until the server has gone; it is idempotent.
///   The server is persistent (`-p`) while the run lasts, so a slow moment between probes never
///   lets it exit under running probes. A watchdog (a shell in a session of its own) waits for
///   this process to end and then runs `wineserver -k`: if the kit itself is killed (SIGKILL, a
///   crash) before it can stop the server, the watchdog does, within a second.
package final class WineSession: @unchecked Sendable {
    package let launch: WineLaunch
    private let server: String
    private let lock = NSLock()
    private var stopped = false
    private var lockFD: Int32 = -1
    /// Seconds a session waits for another one of the same prefix to end.
    package static let lockWait = 300.0
    private var watchdog: pid_t = 0

    private init(launch: WineLaunch, server: String) { self.launch = launch; self.server = server }

    /// The environment Wine's own commands run with (no debug chatter).
    private static func environment(_ launch: WineLaunch) -> [String: String] {
        var env = HostEnvironment.shared.probeEnvironment.base
        for (k, v) in launch.environment(for: []) { env[k] = v }
        env["WINEDEBUG"] = "-all"
        return env
    }

    /// Starts a command in a session of its own, output discarded; its pid, or nil.
    static func spawn(_ argv: [String], env: [String: String]) -> pid_t? {
        let null = open("/dev/null", O_WRONLY | O_CLOEXEC)
        defer { if null >= 0 { close(null) } }
        var pid: pid_t = 0
        let envList = env.map { "\($0.key)=\($0.value)" }
        let rc = withCStrings(argv) { av in
            withCStrings(envList) { ev in omp_shim_spawn_session(&pid, argv[0], av, ev, null, null, -1) }
        }
        return rc == 0 ? pid : nil
    }

    /// Starts the prefix's server and warms it up.
    /// - Throws: ``WineUnavailable`` naming what failed.
    package static func start(_ launch: WineLaunch) throws(WineUnavailable) -> WineSession {
        guard let server = WineTools.server else { throw WineUnavailable(reason: WineTools.unavailable ?? "wineserver not found") }
        let env = environment(launch)
        let session = WineSession(launch: launch, server: server)
        session.lockFD = try lock(launch.prefix)
        if let why = run([server, "-p"], env: env, timeout: 30) {
            session.stop()
            throw WineUnavailable(reason: "cannot start wineserver for \(launch.prefix): \(why)")
        }
        let watch = "while kill -0 \"$1\" 2>/dev/null; do sleep 0.5; done; exec \"$2\" -k"
        session.watchdog = spawn(["/bin/sh", "-c", watch, "omp-wine-watchdog", String(getpid()), server], env: env) ?? 0
        if let why = run([launch.loader, launch.probe, "--steps", ""], env: env, timeout: 60) {
            session.stop()
            throw WineUnavailable(reason: "Wine cannot run the Windows probe \(launch.probe): \(why)")
        }
        return session
    }

    /// Ends the server and every Wine process of the prefix, and waits for them.
    package func stop() {
        lock.lock()
        defer { lock.unlock() }
        if stopped { return }
        stopped = true
        let env = Self.environment(launch)
        if watchdog > 0 {
            kill(-watchdog, SIGKILL)
            var st: Int32 = 0
            _ = waitpid(watchdog, &st, 0)
            watchdog = 0
        }
        _ = Self.run([server, "-k"], env: env, timeout: 30)
        // `-w` returns when no server of this prefix is left.
        _ = Self.run([server, "-w"], env: env, timeout: 30)
        Self.reapWineZombies()
        if lockFD >= 0 { flock(lockFD, LOCK_UN); close(lockFD); lockFD = -1 }
    }

    deinit { stop() }

    /// An exclusive `flock` on `<prefix>/.lock`, polled (never a blocking wait: the caller may
    /// be on a shared thread pool whose other tasks hold the lock).
    private static func lock(_ prefix: String) throws(WineUnavailable) -> Int32 {
        let path = prefix + "/.lock"
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw WineUnavailable(reason: "cannot open \(path): \(String(cString: strerror(errno)))") }
        let deadline = ContinuousClock.now + .milliseconds(Int(lockWait * 1000))
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK || errno == EINTR, ContinuousClock.now < deadline else {
                close(fd)
                throw WineUnavailable(reason: "the Wine prefix \(prefix) is in use by another run (lock \(path)) for more than \(Int(lockWait)) s")
            }
            usleep(50_000)
        }
        return fd
    }

    /// Runs a Wine command to its end in a session of its own, output discarded; the reason
    /// when it fails. (`wineserver` daemonizes: its server keeps running after this returns.)
    @discardableResult
    static func run(_ argv: [String], env: [String: String], timeout: Double) -> String? {
        guard let pid = spawn(argv, env: env) else { return "\(argv[0]): cannot start it" }
        let deadline = ContinuousClock.now + .milliseconds(Int(timeout * 1000))
        var status: Int32 = 0
        while true {
            let r = waitpid(pid, &status, WNOHANG)
            if r == pid { break }
            if r < 0 && errno != EINTR { return "`\(argv.joined(separator: " "))`: waitpid: \(String(cString: strerror(errno)))" }
            if ContinuousClock.now > deadline {
                kill(-pid, SIGKILL)
                _ = waitpid(pid, &status, 0)
                return "`\(argv.joined(separator: " "))` did not finish in \(Int(timeout)) s; killed"
            }
            usleep(5_000)
        }
        let exited = (status & 0x7f) == 0
        guard exited, (status >> 8) & 0xff == 0 else {
            return "`\(argv.joined(separator: " "))` " + (exited ? "exited with status \((status >> 8) & 0xff)" : "was killed by signal \(status & 0x7f)")
        }
        return nil
    }
}
