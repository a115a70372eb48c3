#if canImport(Darwin)
import Darwin
import _OpenMPShims

extension ProcessTree {
    /// macOS has no child subreaper: orphans of a probe go to launchd, which reaps them.
    static func platformBecomeSubreaper() -> Bool { false }

    /// Every process this user can see, through libproc (`omp_shim_process_list`).
    static func snapshot() throws -> [Entry] {
        var capacity = 1024
        while true {
            var buf = [omp_shim_process](repeating: omp_shim_process(), count: capacity)
            let n = Int(omp_shim_process_list(&buf, Int32(capacity)))
            if n < 0 {
                throw UnsupportedOnPlatform("listing processes (libproc: \(String(cString: strerror(errno))))")
            }
            if n > capacity { capacity = n + 64; continue }
            return buf.prefix(n).map {
                Entry(pid: $0.pid, ppid: $0.ppid, sid: $0.sid, state: Character(UnicodeScalar(UInt8(bitPattern: $0.state))))
            }
        }
    }

    /// Reading another process's environment needs KERN_PROCARGS2; not done here (yet).
    static func platformSweep(deadline: Duration, matches: (String) -> Bool) throws -> Set<Int32> {
        throw UnsupportedOnPlatform("finding a probe's escaped descendants by their environment marker")
    }

    /// One process's state letter (`Z` for a zombie), or nil when it is gone.
    static func state(of pid: Int32) -> Character? {
        let c = omp_shim_process_state(pid)
        return c == 0 ? nil : Character(UnicodeScalar(UInt8(bitPattern: c)))
    }
}
#endif
