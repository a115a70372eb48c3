import Foundation

/// The registration files a KMP-family runtime leaves behind: `/dev/shm/__KMP_REGISTERED_LIB_<pid>_<uid>`
/// (and, for LLVM 16–17, a `mkstemp` file in `/tmp` with a random suffix). An aborted or
/// killed probe never removes its own, and a stale one can confuse later runtimes.
///
/// Where registration files live is the platform's (`ShmRegistry+Linux.swift`,
/// `ShmRegistry+Darwin.swift`). On macOS the runtimes register in an environment variable
/// of their own process, which dies with it: there is nothing to clean, and
/// ``platformNote`` says so.
public enum ShmRegistry {
    public static let prefix = "__KMP_REGISTERED_LIB_"
    /// The directories that hold registration files on this platform (none on macOS).
    public static var directories: [String] { platformDirectories }
    /// Set where this platform has no registration files, saying why.
    public static var platformNote: String? { platformNoteText }

    /// A registration file found on disk.
    public struct Entry: Sendable, Hashable {
        public var path: String
        public var pid: Int32
        public var alive: Bool
    }

    /// Every registration file, with whether its pid is alive.
    public static func entries() -> [Entry] {
        var out: [Entry] = []
        for dir in directories {
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: dir) else { continue }
            for name in names where name.hasPrefix(prefix) {
                let rest = name.dropFirst(prefix.count)
                guard let pidText = rest.split(separator: "_").first, let pid = Int32(pidText) else { continue }
                out.append(Entry(path: dir + "/" + name, pid: pid, alive: isAlive(pid)))
            }
        }
        return out.sorted { $0.path < $1.path }
    }

    /// Removes the files that belong to these pids (the probes this run launched), and only those.
    @discardableResult
    public static func remove(pids: Set<Int32>) -> [String] {
        guard !pids.isEmpty else { return [] }
        var removed: [String] = []
        for e in entries() where pids.contains(e.pid) && !e.alive {
            if unlink(e.path) == 0 { removed.append(e.path) }
        }
        return removed
    }

    /// Removes files whose pid is dead; never touches a live process's file.
    @discardableResult
    public static func removeStale() -> [String] {
        var removed: [String] = []
        for e in entries() where !e.alive {
            if unlink(e.path) == 0 { removed.append(e.path) }
        }
        return removed
    }

    static func isAlive(_ pid: Int32) -> Bool {
        if pid <= 0 { return false }
        if kill(pid, 0) == 0 { return !isZombie(pid) }
        return errno == EPERM
    }

    static func isZombie(_ pid: Int32) -> Bool { ProcessTree.state(of: pid) == "Z" }
}
