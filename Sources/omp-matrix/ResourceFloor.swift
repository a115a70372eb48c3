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

    /// Free process slots the kit wants at its start (its threads, every probe's process and the
    /// runtimes' threads in it count against `ulimit -u`). With 12 free, the doctor's probes ran
    /// starved (`OMP: Error #34: System unable to allocate necessary resources`) and it gave
    /// verdicts from them ("not safe here", "fails here"); with 2, no thread could start and Swift's
    /// tasks waited forever.
    static let leastFreeProcessSlots = 16

    /// nil when the real user's tasks (processes and threads, what the kernel counts against
    /// RLIMIT_NPROC) leave at least ``leastFreeProcessSlots`` free under the soft limit, else why
    /// not, naming the numbers and the `ulimit`. Root is not held to the limit.
    static func processSlotShortfall() -> String? {
        guard geteuid() != 0 else { return nil }
        var r = rlimit()
        guard getrlimit(__rlimit_resource_t(__RLIMIT_NPROC.rawValue), &r) == 0, r.rlim_cur != rlim_t.max else { return nil }
        let limit = Int(r.rlim_cur)
        let used = tasks(ofRealUser: getuid())
        guard limit - used < leastFreeProcessSlots else { return nil }
        return "this user runs \(used) processes and threads of the \(limit) that ulimit -u allows; the kit needs \(leastFreeProcessSlots) "
            + "free (threads, and a process per probe): end some, or raise it with ulimit -u \(used + 2 * leastFreeProcessSlots)"
    }

    /// Processes and threads whose real user is `uid`, from `/proc/PID/status` (`Uid:` and `Threads:`).
    static func tasks(ofRealUser uid: uid_t) -> Int {
        guard let dir = opendir("/proc") else { return 0 }
        defer { closedir(dir) }
        var count = 0
        while let e = readdir(dir) {
            let name = withUnsafeBytes(of: e.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            guard let first = name.utf8.first, first >= 0x30, first <= 0x39,
                  let status = try? String(contentsOfFile: "/proc/\(name)/status", encoding: .utf8) else { continue }
            var real: uid_t?, threads = 1
            for line in status.split(separator: "\n") {
                if line.hasPrefix("Uid:") { real = line.split(whereSeparator: { $0 == "\t" || $0 == " " }).dropFirst().first.flatMap { uid_t($0) } }
                else if line.hasPrefix("Threads:") { threads = Int(line.split(whereSeparator: { $0 == "\t" || $0 == " " }).last ?? "") ?? 1 }
            }
            if real == uid { count += threads }
        }
        return count
    }
}
#endif
