import Foundation
import Synchronization
import _OpenMPShims

/// Finds and ends every process of a probe's session, and reaps what becomes ours.
///
/// The platform files read the process table: `ProcessTree+Linux.swift` (procfs) and
/// `ProcessTree+Darwin.swift` (libproc, through the C shim). Where the table cannot be
/// read, ``snapshot()`` throws: an empty list would claim that nothing is left running.
enum ProcessTree {
    struct Entry { var pid: Int32; var ppid: Int32; var sid: Int32; var state: Character }

    /// Linux: the supervisor becomes a child subreaper, so orphans of a probe are
    /// reparented to it (this machine's PID 1 does not reap). macOS has no such facility:
    /// orphans go to launchd, which reaps them. False where it is not available.
    static let becomeSubreaper: Bool = platformBecomeSubreaper()

    /// Every process in session `sid`, plus descendants of those (which may have left it).
    static func members(session sid: Int32, extra roots: Set<Int32> = []) throws -> [Entry] {
        members(of: try snapshot(), session: sid, extra: roots)
    }

    static func members(of all: [Entry], session sid: Int32, extra roots: Set<Int32> = []) -> [Entry] {
        var set = Set(all.filter { $0.sid == sid }.map(\.pid)).union(roots)
        var grew = true
        while grew {
            grew = false
            for e in all where !set.contains(e.pid) && set.contains(e.ppid) { set.insert(e.pid); grew = true }
        }
        return all.filter { set.contains($0.pid) }
    }

    /// SIGTERM, a short wait, then SIGKILL to everything in the session; then reap every
    /// member that is our child until none is left. Returns every pid seen. Throws when
    /// the platform cannot list processes (the session's group has then been sent SIGKILL).
    @discardableResult
    static func terminate(session sid: Int32, leaderReaped: Bool, termWait: Duration = .milliseconds(30),
                          deadline: Duration = .seconds(5)) throws -> Set<Int32> {
        var seen: Set<Int32> = [sid]
        let me = getpid()
        let clock = ContinuousClock()
        let start = clock.now
        var sentTerm = false
        while true {
            let live: [Entry]
            do {
                live = try members(session: sid, extra: leaderReaped ? [] : [sid])
            } catch {
                _ = omp_shim_kill_session(sid, SIGKILL, nil, 0)
                throw error
            }
            for e in live { seen.insert(e.pid) }
            // Reap zombies that are ours.
            for e in live where e.ppid == me && e.state == "Z" {
                var st: Int32 = 0
                _ = waitpid(e.pid, &st, WNOHANG)
            }
            let running = live.filter { $0.state != "Z" }
            let zombiesOfOthers = live.filter { $0.state == "Z" && $0.ppid != me }
            if running.isEmpty && live.filter({ $0.ppid == me }).isEmpty && zombiesOfOthers.isEmpty { break }
            if clock.now - start > deadline { break }
            if !running.isEmpty {
                let pids = running.map(\.pid)
                if !sentTerm {
                    _ = omp_shim_kill_session(sid, SIGTERM, pids, Int32(pids.count))
                    sentTerm = true
                    let t0 = clock.now
                    while clock.now - t0 < termWait {
                        if let m = try? members(session: sid), m.allSatisfy({ $0.state == "Z" }) { break }
                        usleep(2000)
                    }
                    continue
                }
                _ = omp_shim_kill_session(sid, SIGKILL, pids, Int32(pids.count))
            }
            usleep(2000)
        }
        return seen
    }
}

extension ProcessTree {
    /// The environment variable every probe starts with: `<supervisor pid>-<probe number>-<random>`.
    /// Descendants inherit it, so those that leave the probe's session (`setsid`, a double fork)
    /// or fork in a loop are still found, in the whole process table, and killed. A descendant
    /// that also drops its environment (`env -i`) and leaves the session cannot be attributed.
    static let markerName = "__OMP_CONFORMANCE_PROBE"

    private static let counter = Atomic<Int>(0)

    /// A new marker value for one probe.
    static func newMarker() -> String {
        "\(getpid())-\(counter.wrappingAdd(1, ordering: .relaxed).newValue)-\(UInt64.random(in: 0...UInt64.max))"
    }

    /// The leaders of the probes being watched now: each one's own supervision loop reaps it.
    static let watched = Mutex<Set<Int32>>([])

    /// Reaps the zombies this process inherited as a subreaper that nobody else waits for: a
    /// runtime that daemonizes at load (fork, setsid, its environment cleared) escapes the
    /// probe's session and marker, and its process, reparented here, would stay `<defunct>`
    /// after it exits. Called at the end of every probe; leaders being watched are left to
    /// their own loop (``watched``, held while a leader is spawned and registered), and so are
    /// children in this process's own session (Foundation's `Process` children, which it reaps
    /// itself): an orphan that daemonized is in a session of its own.
    static func reapOrphans() {
        guard let all = try? snapshot() else { return } // no process list (macOS without libproc access): nothing to reap by name
        let me = getpid(), mySession = getsid(0)
        watched.withLock { leaders in
            for e in all where e.ppid == me && e.state == "Z" && e.sid != mySession && !leaders.contains(e.pid) {
                var st: Int32 = 0
                _ = waitpid(e.pid, &st, WNOHANG)
            }
        }
    }

    /// Kills and reaps every process carrying this probe's marker.
    @discardableResult
    static func sweep(marker: String, deadline: Duration = .seconds(5)) throws -> Set<Int32> {
        try platformSweep(deadline: deadline) { $0 == marker }
    }

    /// Kills and reaps every process whose marker names a supervisor that is no longer alive:
    /// what a killed runner (`kill -9`) left behind. `run` and `clean-shm` call it when they start.
    @discardableResult
    static func sweepOrphansOfDeadSupervisors() throws -> Set<Int32> {
        try platformSweep(deadline: .seconds(5)) { value in
            guard let owner = value.split(separator: "-").first.flatMap({ Int32($0) }), owner > 0 else { return false }
            return kill(owner, 0) != 0 && errno == ESRCH
        }
    }
}

/// The platform cannot do what was asked (for example, list processes).
package struct UnsupportedOnPlatform: Error, Sendable, Hashable, CustomStringConvertible {
    package var what: String
    package init(_ what: String) { self.what = what }
    package var description: String { "\(what) is unsupported on this platform" }
}
