#if os(Linux)
import Foundation

/// Wine's processes, read from `/proc` (Wine runs the Windows probe on Linux only).
extension WineSession {
    /// Wine's own processes (services, explorer, winedevice) end as zombies of this process when
    /// it is a subreaper (the supervisor makes it one); reaped here.
    static func reapWineZombies() {
        let me = getpid()
        for e in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
            guard let pid = Int32(e), let stat = try? String(contentsOfFile: "/proc/\(e)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { continue }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            guard fields.count > 2, fields[0] == "Z", Int32(fields[1]) == me else { continue }
            let name = stat[stat.index(after: stat.firstIndex(of: "(")!)..<close]
            guard name.hasSuffix(".exe") || name.hasPrefix("wine") else { continue }
            var st: Int32 = 0
            _ = waitpid(pid, &st, WNOHANG)
        }
    }

    /// The pids of this prefix's wineserver processes (read from `/proc`): empty when none is
    /// running. Tests use it to show that no server is left.
    package static func serverPIDs(prefix: String) -> [Int32] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        var out: [Int32] = []
        let wanted = Array("WINEPREFIX=\(prefix)".utf8)
        for e in entries {
            guard let pid = Int32(e),
                  let comm = try? String(contentsOfFile: "/proc/\(e)/comm", encoding: .utf8),
                  comm.hasPrefix("wineserver") else { continue }
            guard let environ = FileManager.default.contents(atPath: "/proc/\(e)/environ") else { continue }
            if environ.split(separator: 0).contains(where: { Array($0) == wanted }) { out.append(pid) }
        }
        return out.sorted()
    }
}
#endif
