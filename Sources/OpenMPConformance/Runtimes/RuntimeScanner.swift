#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a scan could not start.
package enum RuntimeScanError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A root path given to the scan does not exist.
    case rootNotFound(String)
    package var description: String {
        switch self {
        case .rootNotFound(let p): return "\(p): no such file or directory to scan"
        }
    }
}

/// Finds OpenMP runtimes in directory trees (a venv, a conda prefix, an app bundle, a folder
/// of wheels) by their content, and predicts which would abort together.
///
/// Only files whose names look like shared libraries (`.so`, `.so.N…`, `.dylib`) are read,
/// and `.whl` files are opened as zip archives whose library members are read in memory.
/// Whether a file is a runtime, and which, is decided by its bytes (see ``RuntimeIdentity``),
/// never by its name. Symlinked directories are followed once (loops are cut); paths
/// reaching the same inode (symlinks, hard links) are one runtime.
///
/// ```swift
/// let report = try RuntimeScanner().scan(paths: [".venv"])
/// for c in report.conflicts { print(c.first, c.second, c.fix) }
/// ```
package struct RuntimeScanner: Sendable {
    package struct Options: Sendable, Hashable {
        /// Open `.whl` files and read their shared-library members.
        package var readArchives: Bool
        /// Archive members larger than this (uncompressed) are skipped and listed as skipped.
        /// Runtimes are a few MB; the default keeps a wheel of large libraries from costing seconds.
        package var maxArchiveMemberSize: Int
        /// Plain files larger than this are skipped and listed as skipped (a sparse file can
        /// claim any size). OpenMP runtimes are under 100 MB; the default is 1 GiB.
        package var maxFileSize: Int
        /// Bytes inflated from one archive in total, at most. Members beyond it are skipped and
        /// listed. Entries that share one local header are read once, so an archive whose
        /// central directory repeats one member thousands of times costs one read.
        package var maxArchiveTotalSize: Int
        package init(readArchives: Bool = true, maxArchiveMemberSize: Int = 64 << 20,
                    maxFileSize: Int = 1 << 30, maxArchiveTotalSize: Int = 1 << 30) {
            self.readArchives = readArchives; self.maxArchiveMemberSize = maxArchiveMemberSize
            self.maxFileSize = maxFileSize; self.maxArchiveTotalSize = maxArchiveTotalSize
        }
    }

    package var options: Options

    package init(options: Options = Options()) { self.options = options }

    /// True for names that look like shared libraries: `x.so`, `x.so.5`, `x.so.1.0.0`, `x.dylib`.
    package static func looksLikeSharedLibrary(_ name: String) -> Bool {
        name.hasSuffix(".so") || name.contains(".so.") || name.hasSuffix(".dylib") || name.contains(".dylib.")
    }

    /// Scans files and trees. A path that is a file is examined whatever its name.
    ///
    /// - Throws: ``RuntimeScanError/rootNotFound(_:)`` when a root does not exist. Problems
    ///   below a root (unreadable files or directories, damaged archives) are listed in
    ///   `ScanReport/skipped` instead.
    package func scan(paths: [String]) throws(RuntimeScanError) -> ScanReport {
        var state = State()
        for root in paths {
            var st = stat()
            guard stat(root, &st) == 0 else { throw .rootNotFound(root) }
            if st.st_mode & S_IFMT == S_IFDIR {
                walk(root, &state)
            } else if root.hasSuffix(".whl"), options.readArchives {
                readArchive(root, &state)
            } else {
                examine(path: root, st: st, &state)
            }
        }
        return state.report(roots: paths)
    }

    // MARK: walking

    private func walk(_ root: String, _ s: inout State) {
        var pending = [root]
        while let dir = pending.popLast() {
            var st = stat()
            guard stat(dir, &st) == 0 else { continue }
            let key = FileKey(device: UInt64(st.st_dev), inode: UInt64(st.st_ino))
            guard s.visitedDirectories.insert(key).inserted else { continue } // a loop or a second route in
            guard let names = Self.listDirectory(dir) else {
                s.skipped.append(.init(path: dir, reason: "directory cannot be listed (\(String(cString: strerror(errno))))"))
                continue
            }
            for name in names.sorted() {
                let path = dir.hasSuffix("/") ? dir + name : dir + "/" + name
                var l = stat()
                guard lstat(path, &l) == 0 else { continue }
                let isLink = l.st_mode & S_IFMT == S_IFLNK
                var t = l
                if isLink, stat(path, &t) != 0 { continue } // dangling link
                switch t.st_mode & S_IFMT {
                case S_IFDIR:
                    pending.append(path)
                case S_IFREG:
                    if name.hasSuffix(".whl") {
                        if options.readArchives { readArchive(path, &s) }
                    } else if Self.looksLikeSharedLibrary(name)
                                || (isLink && Self.looksLikeSharedLibrary(RuntimeIdentity.resolvedPath(path) ?? "")) {
                        examine(path: path, st: t, &s)
                    }
                default:
                    break
                }
            }
        }
    }

    /// Entry names of a directory, without `.` and `..`; nil (with `errno` set) when it cannot be opened.
    private static func listDirectory(_ path: String) -> [String]? {
        guard let d = opendir(path) else { return nil }
        defer { closedir(d) }
        var names: [String] = []
        while let e = readdir(d) {
            let name = withUnsafeBytes(of: e.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// Identifies one file, once per inode; later paths to the same inode become aliases.
    private func examine(path: String, st: stat, _ s: inout State) {
        let key = FileKey(device: UInt64(st.st_dev), inode: UInt64(st.st_ino))
        if let index = s.byKey[key] {
            if let index { s.found[index].aliases.insert(path) }
            return
        }
        guard Int(st.st_size) <= options.maxFileSize else {
            s.byKey[key] = .some(nil)
            s.skipped.append(.init(path: path, reason: "file of \(st.st_size) bytes is over the \(options.maxFileSize)-byte "
                                   + "limit for plain files (raise it with --max-file-size)"))
            return
        }
        let bytes: FileBytes
        do {
            bytes = try FileBytes(mapping: path)
        } catch {
            s.skipped.append(.init(path: path, reason: error.description))
            return
        }
        s.examined += 1
        let real = RuntimeIdentity.resolvedPath(path) ?? path
        let identity: RuntimeIdentity?
        do {
            identity = try RuntimeIdentity.read(bytes, path: real, realPath: real)
        } catch {
            s.byKey[key] = .some(nil)
            s.skipped.append(.init(path: path, reason: "unreadable: \(error.reason)"))
            return
        }
        guard let id = identity else {
            s.byKey[key] = .some(nil)
            return
        }
        s.found.append(Found(identity: id, key: .file(key), aliases: [path], archive: nil))
        s.byKey[key] = s.found.count - 1
    }

    private func readArchive(_ path: String, _ s: inout State) {
        let zip: ZipArchive
        do {
            zip = try ZipArchive(path: path)
        } catch {
            s.skipped.append(.init(path: path, reason: "not a readable zip archive (\(error))"))
            return
        }
        var inflated = 0
        var readAt: [Int: String] = [:] // local header offset → the member read from it
        for m in zip.members {
            let name = m.name.split(separator: "/").last.map(String.init) ?? m.name
            guard Self.looksLikeSharedLibrary(name) else { continue }
            let memberPath = path + "!" + m.name
            guard m.uncompressedSize <= options.maxArchiveMemberSize else {
                s.skipped.append(.init(path: memberPath, reason: "archive member of \(m.uncompressedSize) bytes is over the "
                                       + "\(options.maxArchiveMemberSize)-byte limit for reading archive members "
                                       + "(raise it with --max-member-size)"))
                continue
            }
            if let first = readAt[m.localHeaderOffset] {
                s.skipped.append(.init(path: memberPath, reason: "shares its data with \(first) (an entry repeated in the "
                                       + "central directory), read once"))
                continue
            }
            guard m.uncompressedSize <= options.maxArchiveTotalSize - inflated else {
                s.skipped.append(.init(path: memberPath, reason: "reading it would inflate more than the "
                                       + "\(options.maxArchiveTotalSize)-byte limit per archive "
                                       + "(raise it with --max-archive-size)"))
                continue
            }
            inflated += m.uncompressedSize
            readAt[m.localHeaderOffset] = m.name
            let bytes: FileBytes
            do {
                bytes = try zip.contents(of: m)
            } catch {
                s.skipped.append(.init(path: memberPath, reason: error.problem.description))
                continue
            }
            s.examined += 1
            let identity: RuntimeIdentity?
            do {
                identity = try RuntimeIdentity.read(bytes, path: memberPath, realPath: memberPath)
            } catch {
                s.skipped.append(.init(path: memberPath, reason: "unreadable: \(error.reason)"))
                continue
            }
            guard let id = identity else { continue }
            s.found.append(Found(identity: id, key: .member(memberPath), aliases: [], archive: path))
        }
    }

    // MARK: state

    private enum Key: Hashable { case file(FileKey), member(String) }

    private struct Found {
        var identity: RuntimeIdentity
        var key: Key
        var aliases: Set<String>
        var archive: String?
    }

    private struct State {
        var visitedDirectories: Set<FileKey> = []
        /// Inode → index into `found`, or nil when the file was examined and is not a runtime.
        var byKey: [FileKey: Int?] = [:]
        var found: [Found] = []
        var skipped: [ScanReport.Skipped] = []
        var examined = 0

        func report(roots: [String]) -> ScanReport {
            let runtimes = found.map { f in
                ScanReport.Runtime(path: f.identity.path, identity: f.identity,
                                   alsoKnownAs: f.aliases.filter { $0 != f.identity.path }.sorted(), archive: f.archive)
            }
            let kmp = runtimes.filter { $0.family == .kmp }
            var conflicts: [ScanReport.Conflict] = []
            for i in kmp.indices {
                for j in kmp.indices where j > i {
                    conflicts.append(RuntimeScanner.conflict(kmp[i], kmp[j]))
                }
            }
            var notes: [String] = []
            let gnu = runtimes.filter { $0.family == .gnu }
            if !gnu.isEmpty {
                notes.append("GNU libgomp (\(gnu.map(\.path).joined(separator: ", "))) takes no part in the KMP "
                             + "duplicate-runtime check: it can share a process with one KMP runtime.")
            }
            if runtimes.contains(where: { $0.archive != nil }) {
                notes.append("Runtimes inside wheels are counted as separate files: installing a wheel unpacks its own copy.")
            }
            return ScanReport(roots: roots, runtimes: runtimes, conflicts: conflicts, skipped: skipped,
                              filesExamined: examined, notes: notes)
        }
    }

    /// The prediction and advice for two distinct KMP-family runtimes.
    static func conflict(_ a: ScanReport.Runtime, _ b: ScanReport.Runtime) -> ScanReport.Conflict {
        let same = a.sha256 == b.sha256
        let prediction = "Two distinct KMP-family runtimes (\(a.vendor.rawValue) \(a.version), \(b.vendor.rawValue) "
            + "\(b.version)): if both initialize in one process, the second aborts with "
            + "\"OMP: Error #15: Initializing …, but found … already initialized.\""
        let fix = "Make both libraries use one shared runtime: link them against the same libomp/libiomp5 and ship it once, "
            + "or remove the vendored copy (\(b.path)) so its users resolve \(a.path). "
            + "Setting KMP_DUPLICATE_LIB_OK=TRUE is not a fix: it only skips the check, both runtimes then run side by side, "
            + "and some pairs hang at exit."
        return ScanReport.Conflict(first: a.path, second: b.path, sameContent: same, prediction: prediction, fix: fix)
    }
}
