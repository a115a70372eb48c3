import Foundation
import _OpenMPShims

/// Finds and ends every process of a probe's session, and reaps what becomes ours.
///
/// The supervisor is a child subreaper, so when a probe's processes die their orphans are
/// reparented to it; this machine's PID 1 does not reap, so nobody else would.
enum ProcessTree {
    struct Entry { var pid: Int32; var ppid: Int32; var sid: Int32; var state: Character }

    static let becomeSubreaper: Bool = {
        #if os(Linux)
        return omp_shim_set_child_subreaper() == 0
        #else
        return false
        #endif
    }()

    static func snapshot() -> [Entry] {
        #if os(Linux)
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return [] }
        var out: [Entry] = []
        for n in names {
            guard let pid = Int32(n) else { continue }
            let fd = open("/proc/\(n)/stat", O_RDONLY | O_CLOEXEC)
            if fd < 0 { continue }
            var buf = [UInt8](repeating: 0, count: 1024)
            let r = buf.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            close(fd)
            guard r > 0 else { continue }
            let s = buf[0..<r]
            guard let close = s.lastIndex(of: 41 /* ) */) else { continue }
            let fields = s[(close + 1)...].split(separator: 32)
            guard fields.count > 4, let st = fields[0].first,
                  let ppid = Int32(String(decoding: fields[1], as: UTF8.self)),
                  let sid = Int32(String(decoding: fields[3], as: UTF8.self)) else { continue }
            out.append(Entry(pid: pid, ppid: ppid, sid: sid, state: Character(UnicodeScalar(st))))
        }
        return out
        #else
        return []
        #endif
    }

    /// Every process in session `sid`, plus descendants of those (which may have left it).
    static func members(session sid: Int32, extra roots: Set<Int32> = []) -> [Entry] {
        let all = snapshot()
        var set = Set(all.filter { $0.sid == sid }.map(\.pid)).union(roots)
        var grew = true
        while grew {
            grew = false
            for e in all where !set.contains(e.pid) && set.contains(e.ppid) { set.insert(e.pid); grew = true }
        }
        return all.filter { set.contains($0.pid) }
    }

    /// SIGTERM, a short wait, then SIGKILL to everything in the session; then reap every
    /// member that is our child until none is left. Returns every pid seen.
    @discardableResult
    static func terminate(session sid: Int32, leaderReaped: Bool, termWait: Duration = .milliseconds(30),
                          deadline: Duration = .seconds(5)) -> Set<Int32> {
        var seen: Set<Int32> = [sid]
        let me = getpid()
        let clock = ContinuousClock()
        let start = clock.now
        var sentTerm = false
        var sentKill = false
        while true {
            let live = members(session: sid, extra: leaderReaped ? [] : [sid])
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
                if !sentTerm {
                    kill(-sid, SIGTERM)
                    for e in running { kill(e.pid, SIGTERM) }
                    sentTerm = true
                    let t0 = clock.now
                    while clock.now - t0 < termWait {
                        if members(session: sid).allSatisfy({ $0.state == "Z" }) { break }
                        usleep(2000)
                    }
                    continue
                }
                kill(-sid, SIGKILL)
                for e in running { kill(e.pid, SIGKILL) }
                sentKill = true
            }
            _ = sentKill
            usleep(2000)
        }
        return seen
    }
}
