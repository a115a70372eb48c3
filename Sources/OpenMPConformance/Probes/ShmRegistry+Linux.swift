#if os(Linux)
import Foundation
extension ShmRegistry {
    static let platformDirectories = ["/dev/shm", "/tmp"]
    static let platformNoteText: String? = nil

    /// A test of whether the file of a pid that is dead here may still be a live process's
    /// (see ``entries()``), built from one pass over `/proc`: nil when it may be removed, else why not.
    static func platformElsewhere() -> (String, Int32) -> String? {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else {
            return { _, _ in "processes cannot be listed (/proc), so the pid cannot be proven dead" }
        }
        var nested: [Int32: Int32] = [:] // pid in a nested namespace → pid here
        var held: [String: String] = [:] // registration file → who holds it
        for n in names {
            guard let p = Int32(n) else { continue }
            if let status = try? String(contentsOfFile: "/proc/\(p)/status", encoding: .utf8),
               let line = status.split(separator: "\n").first(where: { $0.hasPrefix("NSpid:") }) {
                let ids = line.dropFirst(6).split(whereSeparator: { $0 == " " || $0 == "\t" }).compactMap { Int32($0) }
                if ids.count > 1, let inner = ids.last { nested[inner] = p }
            }
            if let maps = try? String(contentsOfFile: "/proc/\(p)/maps", encoding: .utf8), maps.contains(ShmRegistry.prefix) {
                for line in maps.split(separator: "\n") where line.contains(ShmRegistry.prefix) {
                    if let slash = line.firstIndex(of: "/") { held[String(line[slash...])] = "mapped by pid \(p)" }
                }
            }
            if let fds = try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(p)/fd") {
                for fd in fds {
                    if let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(p)/fd/\(fd)"),
                       target.contains(ShmRegistry.prefix) { held[target] = "open in pid \(p)" }
                }
            }
        }
        let me = getuid()
        return { path, pid in
            var st = stat()
            guard lstat(path, &st) == 0 else { return nil }
            if st.st_uid != me { return "owned by uid \(st.st_uid), whose processes may live in another PID namespace" }
            if let here = nested[pid] { return "pid \(pid) is alive in a nested PID namespace (pid \(here) here)" }
            return held[path]
        }
    }
}
#endif
