import Foundation

/// The kit's own observers for a user's command (Linux): an `LD_AUDIT` library that records
/// every object the dynamic loader maps, in the command and in every child that inherits the
/// variable, and a preloaded exit hook that records when exit begins.
///
/// Why `LD_AUDIT` and not sampling `/proc/PID/maps`: the loader calls the audit library for
/// each object as it is mapped, so a process that aborts with `OMP: Error #15` a millisecond
/// after loading its second runtime, or a short-lived data-loader worker, is still seen;
/// sampling would miss both and would cost a poll loop over every descendant.
///
/// Both libraries are products of this package (`omp-doctor-audit`, `omp-doctor-exit`),
/// written in C because they run inside the loader and libc. They are found, in order: in
/// `$OMP_DOCTOR_LIBS`; beside the running executable; in `<package root>/.build-probe/release`,
/// built there on demand. Other platforms: ``ObserverError/unsupported(_:)``.
public struct DoctorObserver: Sendable, Hashable {
    public enum ObserverError: Error, Sendable, CustomStringConvertible {
        case unsupported(String)
        case notFound(String)
        public var description: String {
            switch self {
            case .unsupported(let s), .notFound(let s): return s
            }
        }
    }

    /// The variable that names the record file; the libraries read it.
    public static let logVariable = "OMPCONF_DOCTOR_LOG"
    static let auditName = "libomp-doctor-audit.so"
    static let exitName = "libomp-doctor-exit.so"

    public var auditLibrary: String
    public var exitHook: String

    public init(auditLibrary: String, exitHook: String) { self.auditLibrary = auditLibrary; self.exitHook = exitHook }

    private static let cache = ProbeExecutable.LockedCache()

    /// Finds (or builds) both libraries.
    public static func locate() throws -> DoctorObserver {
        #if os(Linux)
        let dir = try cache.get(findDirectory)
        return DoctorObserver(auditLibrary: dir + "/" + auditName, exitHook: dir + "/" + exitName)
        #else
        throw ObserverError.unsupported("observing which libraries a command loads is implemented on Linux only "
            + "(an LD_AUDIT library); on this platform use `doctor PATH` or `doctor --pid PID`")
        #endif
    }

    static func findDirectory() throws -> String {
        let fm = FileManager.default
        func has(_ d: String) -> Bool { fm.fileExists(atPath: d + "/" + auditName) && fm.fileExists(atPath: d + "/" + exitName) }
        if let env = ProcessInfo.processInfo.environment["OMP_DOCTOR_LIBS"], !env.isEmpty {
            guard has(env) else { throw ObserverError.notFound("OMP_DOCTOR_LIBS=\(env) does not hold \(auditName) and \(exitName)") }
            return env
        }
        var dir = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath().deletingLastPathComponent()
        if dir.pathExtension == "xctest" { dir = dir.deletingLastPathComponent() }
        if has(dir.path) { return dir.path }
        let root = ProbeExecutable.packageRoot
        let built = root + "/.build-probe/release"
        if has(built) { return built }
        do {
            _ = try ProbeExecutable.buildRelease(root: root, product: "omp-doctor-audit")
            _ = try ProbeExecutable.buildRelease(root: root, product: "omp-doctor-exit")
        } catch {
            throw ObserverError.notFound("the doctor's observer libraries could not be built: \(error)")
        }
        guard has(built) else { throw ObserverError.notFound("no \(auditName) in \(built) after building it") }
        return built
    }

    /// The variables the kit sets for one observed run: the audit library, the exit hook
    /// (before any runtime preloaded for a fix), and the record file.
    public func environment(log: String, preload: [String] = []) -> [String: String] {
        [
            "LD_AUDIT": auditLibrary,
            "LD_PRELOAD": ([exitHook] + preload).joined(separator: ":"),
            Self.logVariable: log,
        ]
    }

    /// What the libraries recorded.
    public struct Log: Sendable, Hashable {
        /// Objects in load order, per process.
        public var opened: [(pid: Int32, path: String)]
        /// Processes whose exit began.
        public var exits: Set<Int32>

        public static func == (a: Log, b: Log) -> Bool {
            a.exits == b.exits && a.opened.map(\.pid) == b.opened.map(\.pid) && a.opened.map(\.path) == b.opened.map(\.path)
        }
        public func hash(into h: inout Hasher) { h.combine(exits); for o in opened { h.combine(o.pid); h.combine(o.path) } }

        /// Processes in the order they first loaded something.
        public var pids: [Int32] {
            var seen: [Int32] = []
            for o in opened where !seen.contains(o.pid) { seen.append(o.pid) }
            return seen
        }

        /// Parses the record file; lines that are not records are ignored (the file is ours, but
        /// a crafted program could write into it). Missing file: an empty log.
        public static func read(path: String, limit: Int = 16 << 20) -> Log {
            var log = Log(opened: [], exits: [])
            guard let data = FileManager.default.contents(atPath: path) else { return log }
            for line in String(decoding: data.prefix(limit), as: UTF8.self).split(separator: "\n") {
                let f = line.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
                guard f.count >= 2, let pid = Int32(f[1]) else { continue }
                if f[0] == "open", f.count == 3, f[2].hasPrefix("/") { log.opened.append((pid, String(f[2]))) }
                else if f[0] == "exit", f.count == 2 { log.exits.insert(pid) }
            }
            return log
        }
    }
}
