#if os(Linux)
import Foundation

/// The least the kit needs from the process's resource limits, checked before any command runs:
/// below it the failures are a trap inside Foundation (no descriptor for a pipe: SIGILL), a
/// segmentation fault (no address space for a thread's stack) or a hang (no process slot for
/// `fork`), never a message. A soft limit below the floor is raised when the hard limit allows;
/// otherwise the command stops with exit 3, naming the limit and the `ulimit` that sets it.
enum ResourceFloor {
    struct Floor { var resource: __rlimit_resource_t; var name: String; var ulimit: String; var least: UInt64; var unit: String; var scale: UInt64 }

    static var floors: [Floor] {
        var f = [
            Floor(resource: __rlimit_resource_t(RLIMIT_NOFILE.rawValue), name: "open file descriptors", ulimit: "ulimit -n", least: 64, unit: "", scale: 1),
            Floor(resource: __rlimit_resource_t(RLIMIT_AS.rawValue), name: "virtual memory", ulimit: "ulimit -v", least: 1 << 30, unit: " KiB", scale: 1024),
        ]
        // Root is not held to RLIMIT_NPROC by the kernel.
        if geteuid() != 0 {
            f.append(Floor(resource: __rlimit_resource_t(__RLIMIT_NPROC.rawValue), name: "processes", ulimit: "ulimit -u", least: 64, unit: "", scale: 1))
        }
        return f
    }

    /// nil when every limit is at or above its floor (raising soft limits where allowed), else why not.
    static func shortfall() -> String? {
        for f in floors {
            var r = rlimit()
            guard getrlimit(f.resource, &r) == 0 else { continue }
            let soft = UInt64(r.rlim_cur), hard = UInt64(r.rlim_max)
            let infinity = rlim_t.max // RLIM_INFINITY
            if r.rlim_cur == infinity || soft >= f.least { continue }
            if r.rlim_max == infinity || hard >= f.least {
                r.rlim_cur = rlim_t(f.least)
                if setrlimit(f.resource, &r) == 0 { continue }
            }
            return "the limit on \(f.name) is \(soft / f.scale)\(f.unit) (\(f.ulimit)); the kit needs at least \(f.least / f.scale)\(f.unit) "
                + "(pipes, threads and processes for every probe): raise it with \(f.ulimit) \(f.least / f.scale)"
        }
        return nil
    }
}
#endif
