import Foundation

/// The registration files a KMP-family runtime leaves behind: `/dev/shm/__KMP_REGISTERED_LIB_<pid>_<uid>`
/// (and, for LLVM 16–17, a `mkstemp` file in `/tmp` with a random suffix). An aborted or
/// killed probe never removes its own, and a stale one can confuse later runtimes.
///
/// Where registration files live is the platform's (`ShmRegistry+Linux.swift`,
/// `ShmRegistry+Darwin.swift`). On macOS the runtimes register in an environment variable
/// of their own process, which dies with it: there is nothing to clean, and
/// ``platformNote`` says so.
package enum ShmRegistry {
    package static let prefix = "__KMP_REGISTERED_LIB_"
    /// The directories that hold registration files on this platform (none on macOS).
    package static var directories: [String] { platformDirectories }
    /// Set where this platform has no registration files, saying why.
    package static var platformNote: String? { platformNoteText }

    /// A registration file found on disk.
    package struct Entry: Sendable, Hashable {
        package var path: String
        package var pid: Int32
        /// True when the file may belong to a live process: its pid is alive here, or it
        /// cannot be proven dead (see ``keptBecause``). Such a file is never removed.
        package var alive: Bool
        /// Why a file whose pid is dead in this namespace is kept anyway: owned by another
        /// user, open or mapped by a live process, or a live process in a nested PID
        /// namespace has that pid.
        package var keptBecause: String?
    }

    /// Every registration file, with whether its process may be alive.
    ///
    /// The rule: a file is stale only when its pid is dead here *and* nothing suggests the
    /// name was written from elsewhere. The pid in the name is the writer's pid in its own
    /// PID namespace, which means nothing in ours; so a file owned by another user, open or
    /// mapped by any process, or naming a pid that a live process in a nested PID namespace
    /// has there, is kept.
    package static func entries() -> [Entry] { entries(checkingElsewhere: true) }

    static func entries(checkingElsewhere: Bool) -> [Entry] {
        var out: [Entry] = []
        for dir in directories {
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: dir) else { continue }
            for name in names where name.hasPrefix(prefix) {
                let rest = name.dropFirst(prefix.count)
                guard let pidText = rest.split(separator: "_").first, let pid = Int32(pidText) else { continue }
                out.append(Entry(path: dir + "/" + name, pid: pid, alive: isAlive(pid)))
            }
        }
        if checkingElsewhere, out.contains(where: { !$0.alive }) {
            // One pass over the process table for all the files whose pid is dead here.
            let elsewhere = platformElsewhere()
            for i in out.indices where !out[i].alive {
                if let why = elsewhere(out[i].path, out[i].pid) { out[i].alive = true; out[i].keptBecause = why }
            }
        }
        return out.sorted { $0.path < $1.path }
    }

    /// Removes the files that belong to these pids (the probes this run launched), and only those.
    @discardableResult
    package static func remove(pids: Set<Int32>) -> [String] {
        guard !pids.isEmpty else { return [] }
        var removed: [String] = []
        // These pids were our own probes, in our namespace: dead here means dead.
        for e in entries(checkingElsewhere: false) where pids.contains(e.pid) && !e.alive {
            if unlink(e.path) == 0 { removed.append(e.path) }
        }
        return removed
    }

    /// Removes files whose pid is dead; never touches a live process's file.
    @discardableResult
    package static func removeStale() -> [String] {
        var removed: [String] = []
        for e in entries() where !e.alive {
            if unlink(e.path) == 0 { removed.append(e.path) }
        }
        return removed
    }

    /// What a runner killed without warning (`kill -9`) leaves: probes or their descendants
    /// still running (found by their marker, which names a supervisor that is gone), and the
    /// registration files of dead pids. `run` and `clean-shm` call this when they start.
    /// Returns the pids killed and the files removed; a platform that cannot list processes
    /// kills nothing and says so in `note`.
    package static func cleanUpAfterDeadRunners() -> (killed: [Int32], removed: [String], note: String?) {
        var killed: [Int32] = [], note: String?
        do { killed = try ProcessTree.sweepOrphansOfDeadSupervisors().sorted() } catch { note = "\(error)" }
        return (killed, removeStale(), note)
    }

    static func isAlive(_ pid: Int32) -> Bool {
        if pid <= 0 { return false }
        if kill(pid, 0) == 0 { return !isZombie(pid) }
        return errno == EPERM
    }

    static func isZombie(_ pid: Int32) -> Bool { ProcessTree.state(of: pid) == "Z" }
}
