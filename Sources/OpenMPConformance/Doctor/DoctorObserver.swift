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
/// Both libraries are compiled from this library's resources (`Resources/Observers/audit.c`,
/// `exit_hook.c`) by provisioning (`omp-matrix provision`, ``build(into:log:)``) into
/// `<runtime cache>/doctor-observer/<source hash>/`, and found there: nothing is compiled at run
/// time, and nothing is written into a package checkout. A SwiftPM dynamic-library product
/// would link the Swift runtime into every observed process. `$OMP_DOCTOR_LIBS` names a folder
/// holding both instead. Other platforms: ``DoctorError/environment(_:)``.
package struct DoctorObserver: Sendable, Hashable {
    /// The variable that names the record file; the libraries read it.
    package static let logVariable = "OMPCONF_DOCTOR_LOG"
    static let auditName = "libomp-doctor-audit.so"
    static let exitName = "libomp-doctor-exit.so"

    package var auditLibrary: String
    package var exitHook: String

    package init(auditLibrary: String, exitHook: String) { self.auditLibrary = auditLibrary; self.exitHook = exitHook }

    private static let cache = LockedCache<String>()

    /// Finds both libraries (provisioned, or `$OMP_DOCTOR_LIBS`).
    /// - Throws: ``DoctorError/environment(_:)`` when they are not provisioned, or on another platform.
    package static func locate() throws(DoctorError) -> DoctorObserver {
        #if os(Linux)
        let dir: String
        do { dir = try cache.get(findDirectory) } catch { throw .environment("\(error)") }
        return DoctorObserver(auditLibrary: dir + "/" + auditName, exitHook: dir + "/" + exitName)
        #else
        throw .environment("observing which libraries a command loads is implemented on Linux only "
            + "(an LD_AUDIT library); on this platform use `doctor PATH` or `doctor --pid PID`")
        #endif
    }

    static func has(_ d: String) -> Bool {
        let fm = FileManager.default
        return fm.fileExists(atPath: d + "/" + auditName) && fm.fileExists(atPath: d + "/" + exitName)
    }

    static func findDirectory() throws(DoctorError) -> String {
        if let env = ProcessInfo.processInfo.environment["OMP_DOCTOR_LIBS"], !env.isEmpty {
            guard has(env) else { throw .environment("OMP_DOCTOR_LIBS=\(env) does not hold \(auditName) and \(exitName)") }
            return env
        }
        do { return try CLibraryBuilder.locate(kind: kind, sources: sources) } catch {
            throw .environment("\(error), or set OMP_DOCTOR_LIBS")
        }
    }

    /// The folder in the runtime cache (`doctor-observer/<hash>`) and the C sources, from this
    /// library's resources, with the library each becomes.
    static let kind = "doctor-observer"
    static let sources: [CLibraryBuilder.Source] = [("audit.c", auditName), ("exit_hook.c", exitName)]

    /// Compiles both libraries into the runtime cache unless they are there: the provisioning step
    /// (`omp-matrix provision`). Returns the folder and whether it built anything.
    /// - Throws: ``DoctorError/environment(_:)`` when no C compiler runs or a build fails.
    package static func build(in runtimes: URL? = nil, log: (String) -> Void = { _ in }) throws(DoctorError) -> (directory: String, built: Bool) {
        do { return try CLibraryBuilder.build(kind: kind, sources: sources, in: runtimes, log: log) } catch {
            throw .environment("\(error)")
        }
    }

    /// The variables the kit sets for one observed run: the audit library, the exit hook
    /// (before any runtime preloaded for a fix), and the record file. The user's own `LD_AUDIT`
    /// and `LD_PRELOAD` (from `inherited`) are kept, after the kit's.
    package func environment(log: String, preload: [String] = [],
                             inherited: [String: String] = ProcessInfo.processInfo.environment) -> [String: String] {
        func joined(_ kit: [String], _ name: String) -> String {
            (kit + [inherited[name] ?? ""].filter { !$0.isEmpty }).joined(separator: ":")
        }
        return [
            "LD_AUDIT": joined([auditLibrary], "LD_AUDIT"),
            "LD_PRELOAD": joined([exitHook] + preload, "LD_PRELOAD"),
            Self.logVariable: log,
        ]
    }

    /// What the libraries recorded.
    package struct Log: Sendable {
        /// Objects in load order, per process.
        package var opened: [(pid: Int32, path: String)]
        /// Processes whose exit began.
        package var exits: Set<Int32>

        /// Processes in the order they first loaded something.
        package var pids: [Int32] {
            var seen: [Int32] = []
            for o in opened where !seen.contains(o.pid) { seen.append(o.pid) }
            return seen
        }

        /// Parses the record file; lines that are not records are ignored (the file is ours, but
        /// a crafted program could write into it). Missing file: an empty log.
        package static func read(path: String, limit: Int = 16 << 20) -> Log {
            var log = Log(opened: [], exits: [])
            var reader = RecordFileReader(path: path)
            reader.read(budget: limit) { raw in
                let line = String(decoding: raw, as: UTF8.self)
                let f = line.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
                guard f.count >= 2, let pid = Int32(f[1]) else { return true }
                if f[0] == "open", f.count == 3, f[2].hasPrefix("/") {
                    if log.opened.count < 100_000 { log.opened.append((pid, String(f[2]))) }
                }
                else if f[0] == "exit", f.count == 2 { log.exits.insert(pid) }
                return true
            }
            return log
        }
    }
}
