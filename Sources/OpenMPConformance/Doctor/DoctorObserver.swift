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
/// Both libraries are this package's C targets `OMPDoctorAudit` and `OMPDoctorExitHook`, linked
/// by the doctor with the C compiler (`$CC`, `cc`, or the Swift toolchain's clang) into
/// `<package root>/.build-probe/doctor-observer/<source hash>/`, once; a SwiftPM dynamic-library
/// product would link the Swift runtime into every observed process. `$OMP_DOCTOR_LIBS` names a
/// folder holding both instead. Other platforms: ``DoctorError/environment(_:)``.
package struct DoctorObserver: Sendable, Hashable {
    /// The variable that names the record file; the libraries read it.
    package static let logVariable = "OMPCONF_DOCTOR_LOG"
    static let auditName = "libomp-doctor-audit.so"
    static let exitName = "libomp-doctor-exit.so"

    package var auditLibrary: String
    package var exitHook: String

    package init(auditLibrary: String, exitHook: String) { self.auditLibrary = auditLibrary; self.exitHook = exitHook }

    private static let cache = LockedCache<String>()

    /// Finds (or builds) both libraries.
    /// - Throws: ``DoctorError/environment(_:)`` when they are missing and cannot be built, or on
    ///   another platform.
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

    static func findDirectory() throws(DoctorError) -> String {
        let fm = FileManager.default
        func has(_ d: String) -> Bool { fm.fileExists(atPath: d + "/" + auditName) && fm.fileExists(atPath: d + "/" + exitName) }
        if let env = ProcessInfo.processInfo.environment["OMP_DOCTOR_LIBS"], !env.isEmpty {
            guard has(env) else { throw .environment("OMP_DOCTOR_LIBS=\(env) does not hold \(auditName) and \(exitName)") }
            return env
        }
        do {
            return try CLibraryBuilder.directory(kind: "doctor-observer", sources: [
                ("Sources/OMPDoctorAudit/audit.c", auditName), ("Sources/OMPDoctorExitHook/exit_hook.c", exitName),
            ])
        } catch {
            throw .environment("\(error) (set OMP_DOCTOR_LIBS to a folder holding \(auditName) and \(exitName))")
        }
    }

    /// The variables the kit sets for one observed run: the audit library, the exit hook
    /// (before any runtime preloaded for a fix), and the record file.
    package func environment(log: String, preload: [String] = []) -> [String: String] {
        [
            "LD_AUDIT": auditLibrary,
            "LD_PRELOAD": ([exitHook] + preload).joined(separator: ":"),
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
