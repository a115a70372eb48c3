#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file mapped into a process, with what it is when it is an OpenMP runtime.
package struct MappedObject: Sendable, Hashable, Codable {
    /// One mapping of the file.
    package struct Region: Sendable, Hashable, Codable {
        package var start: UInt64
        package var end: UInt64
        /// `r-xp` style permissions (`r-x` on macOS, from the region's protection).
        package var permissions: String
        /// Offset into the file.
        package var offset: UInt64
        package init(start: UInt64, end: UInt64, permissions: String, offset: UInt64) {
            self.start = start; self.end = end; self.permissions = permissions; self.offset = offset
        }
    }

    /// The path the kernel reports (without a ` (deleted)` suffix).
    package var path: String
    /// Device and inode the kernel reports for the mapping.
    package var fileKey: FileKey?
    /// True when the file was deleted (or replaced) after it was mapped.
    package var deleted: Bool
    package var regions: [Region]
    /// Set when the mapped file is an OpenMP runtime.
    package var identity: RuntimeIdentity?
    /// How the identity was read, when not simply from `path`, or why it could not be.
    package var note: String?
    /// Whether the file is an OpenMP runtime loaded as code (set by `ProcessInspector/inspect(pid:)`).
    package var openmpRuntime: Bool?
    /// `kmp` or `gnu`, for a runtime.
    package var family: String?
    /// `llvm`, `intel`, `gnu` or `unknown`, for a runtime.
    package var vendor: String?
    /// The release the file states, e.g. `LLVM 16.0 (from its build compiler)`, for a runtime.
    package var release: String?
    /// For a KMP-family runtime: true when it has started (initialized) in the process, false
    /// when it is mapped but has not, nil when the kit could not tell. Read from the runtime's
    /// own state in the process (see `ProcessInspector/markStarted(_:pid:)`), never from the
    /// mapping alone.
    package var started: Bool?
    /// What ``started`` was read from, or why it could not be.
    package var startEvidence: String?

    /// True when some mapping of the file is executable: the file was loaded as code (by the
    /// dynamic loader), not merely mapped as data (e.g. by a program reading it with mmap).
    package var hasExecutableMapping: Bool { regions.contains { $0.permissions.contains("x") } }

    /// `started (…)`, `mapped, not started (…)` or `start not known (…)`.
    package static func startWords(_ o: MappedObject) -> String {
        let why = o.startEvidence.map { " (\($0))" } ?? ""
        switch o.started {
        case true?: return "started" + why
        case false?: return "mapped, not started" + why
        case nil: return "start not known" + why
        }
    }

    package init(path: String, fileKey: FileKey?, deleted: Bool, regions: [Region],
                identity: RuntimeIdentity?, note: String?) {
        self.path = path; self.fileKey = fileKey; self.deleted = deleted; self.regions = regions
        self.identity = identity; self.note = note
    }
}

/// The mapped objects of one process and what they mean for duplicate runtimes.
package struct ProcessInspection: Sendable, Hashable, Codable {
    package var pid: Int32
    package var objects: [MappedObject]
    /// Mapped objects that are OpenMP runtimes loaded as code (see `MappedObject/hasExecutableMapping`).
    package var runtimes: [MappedObject] { objects.filter { $0.identity != nil && $0.hasExecutableMapping } }
    /// The library name a KMP runtime wrote into `/dev/shm/__KMP_REGISTERED_LIB_<pid>_<uid>`
    /// (Linux), which it does when it initializes. Nil when no such file exists. A file
    /// left by an earlier process with the same pid would also be read here.
    package var registeredKMPRuntime: String?
    /// Human-readable warnings, e.g. two distinct KMP-family runtimes mapped.
    package var warnings: [String]

    /// A plain-text summary for a terminal: the runtimes loaded, then the warnings.
    package var text: String {
        var lines = ["pid \(pid): \(objects.count) mapped files, \(runtimes.count) OpenMP runtime\(runtimes.count == 1 ? "" : "s") loaded."]
        for o in runtimes {
            guard let id = o.identity else { continue }
            lines.append("  \(id.family.rawValue)  \(id.vendor.rawValue) \(id.version)  \(o.path)\(o.deleted ? " (deleted)" : "")")
            lines.append("      sha256 \(id.sha256)")
            if let note = o.note { lines.append("      \(note)") }
            if id.family == .kmp { lines.append("      " + MappedObject.startWords(o)) }
        }
        if let r = registeredKMPRuntime { lines.append("Initialized KMP runtime (registration record): \(r)") }
        if warnings.isEmpty {
            lines.append("No warnings.")
        } else {
            for w in warnings { lines.append("Warning: \(w)") }
        }
        return lines.joined(separator: "\n")
    }
}

/// Why a process could not be inspected.
package enum ProcessInspectionError: Error, Sendable, Hashable, CustomStringConvertible {
    case noSuchProcess(pid: Int32)
    case permissionDenied(pid: Int32)
    case unreadable(pid: Int32, reason: String)
    package var description: String {
        switch self {
        case .noSuchProcess(let p): return "no process with pid \(p)"
        case .permissionDenied(let p):
            return "not allowed to read the memory map of pid \(p) (another user's process; needs the same user or root)"
        case .unreadable(let p, let r): return "cannot read the memory map of pid \(p): \(r)"
        }
    }
}

/// Lists what a running process has mapped (`ProcessInspector+Linux.swift`: procfs;
/// `ProcessInspector+Darwin.swift`: libproc regions through the shim) and identifies the OpenMP runtimes among the mapped files.
///
/// Mapped is not the same as initialized: a runtime opened with `dlopen` but never called
/// is mapped and harmless. Two distinct KMP-family runtimes mapped together are a warning:
/// the second one to initialize will abort with `OMP: Error #15`.
package enum ProcessInspector {
    /// Every file mapped into `pid`, in address order of first mapping, each identified.
    package static func inspect(pid: Int32) throws(ProcessInspectionError) -> [MappedObject] {
        var objects = try readMappings(pid: pid)
        for i in objects.indices {
            (objects[i].identity, objects[i].note) = identify(objects[i], pid: pid)
            let id = objects[i].identity
            objects[i].openmpRuntime = id != nil && objects[i].hasExecutableMapping
            objects[i].family = id?.family.rawValue
            objects[i].vendor = id?.vendor.rawValue
            objects[i].release = id.map(\.releaseWords)
        }
        return objects
    }

    /// `inspect(pid:)` plus whether each KMP runtime started, warnings and the KMP registration record.
    package static func report(pid: Int32) throws(ProcessInspectionError) -> ProcessInspection {
        var objects = try inspect(pid: pid)
        markStarted(&objects, pid: pid)
        return ProcessInspection(pid: pid, objects: objects, registeredKMPRuntime: registeredKMPRuntime(pid: pid),
                                 warnings: warnings(for: objects))
    }

    /// Warnings for a set of mapped objects: one per pair of distinct KMP-family runtimes
    /// loaded as code (a file mapped only as data is not loaded) of which neither is known not
    /// to have started: mapped is not started, and a runtime that never starts conflicts with nothing.
    package static func warnings(for objects: [MappedObject]) -> [String] {
        let kmp = objects.filter { $0.identity?.family == .kmp && $0.hasExecutableMapping && $0.started != false }
        var out: [String] = []
        for i in kmp.indices {
            for j in kmp.indices where j > i {
                let a = kmp[i], b = kmp[j]
                if let ka = a.fileKey, let kb = b.fileKey, ka == kb { continue }
                let va = a.identity.map { "\($0.vendor.rawValue) \($0.version)" } ?? "?"
                let vb = b.identity.map { "\($0.vendor.rawValue) \($0.version)" } ?? "?"
                let both = a.started == true && b.started == true
                out.append("two distinct KMP-family runtimes are mapped\(both ? " and started" : ""): \(a.path) (\(va)) and \(b.path) (\(vb)); "
                           + (both ? "both run side by side (the duplicate check was skipped)"
                                   : "if both initialize, the second aborts with OMP: Error #15"))
            }
        }
        return out
    }

    /// Identifies a mapped file. When the file at `path` is no longer the mapped one (deleted
    /// or replaced), the platform file says what it can (`identifyReplaced`).
    static func identify(_ object: MappedObject, pid: Int32) -> (RuntimeIdentity?, String?) {
        var st = stat()
        let onDisk = stat(object.path, &st) == 0
            ? FileKey(device: UInt64(st.st_dev), inode: UInt64(st.st_ino)) : nil
        let sameFile = onDisk != nil && (object.fileKey == nil || object.fileKey == onDisk)
        if sameFile && !object.deleted {
            do {
                return (try RuntimeIdentity.identify(path: object.path), nil)
            } catch {
                return (nil, "not identified: \(error)")
            }
        }
        return identifyReplaced(object, pid: pid)
    }
}
