#if os(Linux)
import Foundation
import _OpenMPShims

extension ProcessTree {
    static func platformBecomeSubreaper() -> Bool { omp_shim_set_child_subreaper() == 0 }

    /// Every process, from `/proc/<pid>/stat`. Throws when `/proc` cannot be listed.
    static func snapshot() throws -> [Entry] {
        let names: [String]
        do { names = try FileManager.default.contentsOfDirectory(atPath: "/proc") } catch {
            throw UnsupportedOnPlatform("listing processes without a readable /proc (\(error.localizedDescription))")
        }
        var out: [Entry] = []
        for n in names {
            guard let pid = Int32(n), let e = entry(pid) else { continue } // gone since the listing
            out.append(e)
        }
        return out
    }

    /// One process's state letter (`Z` for a zombie), or nil when it is gone.
    static func state(of pid: Int32) -> Character? { entry(pid)?.state }

    /// The value of ``markerName`` in a process's initial environment, or nil.
    static func marker(of pid: Int32) -> String? {
        let fd = open("/proc/\(pid)/environ", O_RDONLY | O_CLOEXEC)
        if fd < 0 { return nil }
        defer { close(fd) }
        var data: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16384)
        while data.count < 1 << 20 {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n <= 0 { break }
            data += chunk[0..<n]
        }
        let key = Array((markerName + "=").utf8)
        for entry in data.split(separator: 0) where entry.starts(with: key) {
            return String(decoding: entry.dropFirst(key.count), as: UTF8.self)
        }
        return nil
    }

    /// Kills (SIGKILL) and reaps every process whose environment carries `matches` of the
    /// marker, until none is left or `deadline` passes: the descendants of a probe that left
    /// its session (`setsid`, double fork) or fork in a loop. Returns the pids seen.
    static func platformSweep(deadline: Duration, matches: (String) -> Bool) throws -> Set<Int32> {
        let me = getpid()
        let clock = ContinuousClock()
        let start = clock.now
        var seen: Set<Int32> = []
        while true {
            let all = try snapshot()
            let marked = all.filter { $0.pid != me && $0.state != "Z" && (marker(of: $0.pid).map(matches) ?? false) }
            for e in marked { seen.insert(e.pid); kill(e.pid, SIGKILL) }
            // Killed ones reparented to us (the subreaper) are ours to reap; only those, by pid.
            var zombies = 0
            for e in all where seen.contains(e.pid) && e.state == "Z" {
                if e.ppid == me { var st: Int32 = 0; _ = waitpid(e.pid, &st, WNOHANG) } else { zombies += 1 }
            }
            if marked.isEmpty && zombies == 0 { break }
            if clock.now - start > deadline { break }
            usleep(2000)
        }
        // Reap what became ours after the last listing.
        for pid in seen { var st: Int32 = 0; _ = waitpid(pid, &st, WNOHANG) }
        return seen
    }

    private static func entry(_ pid: Int32) -> Entry? {
        let fd = open("/proc/\(pid)/stat", O_RDONLY | O_CLOEXEC)
        if fd < 0 { return nil }
        var buf = [UInt8](repeating: 0, count: 1024)
        let r = buf.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        close(fd)
        guard r > 0 else { return nil }
        let s = buf[0..<r]
        guard let close = s.lastIndex(of: 41 /* ) */) else { return nil }
        let fields = s[(close + 1)...].split(separator: 32)
        guard fields.count > 4, let st = fields[0].first,
              let ppid = Int32(String(decoding: fields[1], as: UTF8.self)),
              let sid = Int32(String(decoding: fields[3], as: UTF8.self)) else { return nil }
        return Entry(pid: pid, ppid: ppid, sid: sid, state: Character(UnicodeScalar(st)))
    }
}
#endif
