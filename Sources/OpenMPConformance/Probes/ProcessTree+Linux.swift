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
