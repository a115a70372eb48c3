#if os(Linux)
import Foundation
extension ShmRegistry {
    static let platformDirectories = ["/dev/shm", "/tmp"]
    static let platformNoteText: String? = nil

    /// Why the file of dead-here `pid` may still be a live process's, or nil (see ``entries()``).
    static func mayBeLiveElsewhere(path: String, pid: Int32) -> String? {
        var st = stat()
        guard lstat(path, &st) == 0 else { return nil }
        if st.st_uid != getuid() { return "owned by uid \(st.st_uid), whose processes may live in another PID namespace" }
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else {
            return "processes cannot be listed (/proc), so the pid cannot be proven dead"
        }
        for n in names {
            guard let p = Int32(n) else { continue }
            // A process in a nested PID namespace: the last NSpid entry is its pid there.
            if let status = try? String(contentsOfFile: "/proc/\(p)/status", encoding: .utf8),
               let line = status.split(separator: "\n").first(where: { $0.hasPrefix("NSpid:") }) {
                let ids = line.dropFirst(6).split(whereSeparator: { $0 == " " || $0 == "\t" }).compactMap { Int32($0) }
                if ids.count > 1, ids.last == pid { return "pid \(pid) is alive in a nested PID namespace (pid \(p) here)" }
            }
            if let maps = try? String(contentsOfFile: "/proc/\(p)/maps", encoding: .utf8), maps.contains(path) {
                return "mapped by pid \(p)"
            }
            if let fds = try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(p)/fd") {
                for fd in fds where (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(p)/fd/\(fd)")) == path {
                    return "open in pid \(p)"
                }
            }
        }
        return nil
    }
}
#endif
