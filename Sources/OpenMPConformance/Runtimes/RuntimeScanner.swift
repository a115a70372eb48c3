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
/// Only files whose names look like shared libraries (`.so`, `.so.N…`, `.dylib`, `.dll`) are read,
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

    /// True for names that look like shared libraries: `x.so`, `x.so.5`, `x.so.1.0.0`, `x.dylib`,
    /// and Windows DLLs `x.dll` in any case (`VCOMP140.DLL`).
    package static func looksLikeSharedLibrary(_ name: String) -> Bool {
        name.hasSuffix(".so") || name.contains(".so.") || name.hasSuffix(".dylib") || name.contains(".dylib.")
            || name.lowercased().hasSuffix(".dll")
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
            bytes = try FileBytes(reading: path)
        } catch {
            s.skipped.append(.init(path: path, reason: "unreadable: \(error.reason)"))
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
            if let c = Self.consumer(bytes, path: real) { s.consumers.append(c) }
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
        // Members are addressed by their directory entry, never by name alone: an archive may hold
        // two entries of one name with different data, and the second is `name#2`.
        var seenNames: [String: Int] = [:]
        for m in zip.members {
            let name = m.name.split(separator: "/").last.map(String.init) ?? m.name
            guard Self.looksLikeSharedLibrary(name) else { continue }
            let ordinal = (seenNames[m.name] ?? 0) + 1
            seenNames[m.name] = ordinal
            let memberPath = path + "!" + m.name + (ordinal > 1 ? "#\(ordinal)" : "")
            guard m.uncompressedSize <= options.maxArchiveMemberSize else {
                s.skipped.append(.init(path: memberPath, reason: "archive member of \(m.uncompressedSize) bytes is over the "
                                       + "\(options.maxArchiveMemberSize)-byte limit for reading archive members "
                                       + "(raise it with --max-member-size)"))
                continue
            }
            if let first = readAt[m.localHeaderOffset] {
                s.skipped.append(.init(path: memberPath, reason: "shares its data with \(first) (an entry repeated in the "
                                       + "central directory), read once", possiblyRuntime: false))
                continue
            }
            guard m.uncompressedSize <= options.maxArchiveTotalSize - inflated else {
                s.skipped.append(.init(path: memberPath, reason: "reading it would inflate more than the "
                                       + "\(options.maxArchiveTotalSize)-byte limit per archive "
                                       + "(raise it with --max-archive-size)"))
                continue
            }
            inflated += m.uncompressedSize
            readAt[m.localHeaderOffset] = memberPath
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
            s.found.append(Found(identity: id, key: .member(memberPath), aliases: [], archive: path,
                                 archiveEntry: m.localHeaderOffset))
        }
    }

    // MARK: state

    private enum Key: Hashable { case file(FileKey), member(String) }

    private struct Found {
        var identity: RuntimeIdentity
        var key: Key
        var aliases: Set<String>
        var archive: String?
        var archiveEntry: Int? = nil
    }

    private struct State {
        var visitedDirectories: Set<FileKey> = []
        /// Inode → index into `found`, or nil when the file was examined and is not a runtime.
        var byKey: [FileKey: Int?] = [:]
        var found: [Found] = []
        var skipped: [ScanReport.Skipped] = []
        var consumers: [ScanReport.Consumer] = []
        var examined = 0

        func report(roots: [String]) -> ScanReport {
            let runtimes = found.map { f in
                ScanReport.Runtime(path: f.identity.path, identity: f.identity,
                                   alsoKnownAs: f.aliases.filter { $0 != f.identity.path }.sorted(), archive: f.archive,
                                   archiveEntry: f.archiveEntry)
            }
            let kmp = runtimes.filter { $0.family == .kmp }
            var conflicts: [ScanReport.Conflict] = []
            for i in kmp.indices {
                // A Windows DLL and a Linux or macOS library never meet in one process.
                for j in kmp.indices where j > i && (kmp[i].identity.format == .pe) == (kmp[j].identity.format == .pe) {
                    // The same loader name: one runtime (the note below says so), not a conflict.
                    if let n = RuntimeScanner.loaderName(kmp[i].identity), n == RuntimeScanner.loaderName(kmp[j].identity) { continue }
                    conflicts.append(RuntimeScanner.conflict(kmp[i], kmp[j]))
                }
            }
            var notes: [String] = RuntimeScanner.oneRuntimeGroups(kmp).map { g in
                RuntimeScanner.oneRuntimeSentence(g.map(\.path), name: g[0].identity.soname ?? "", format: g[0].identity.format)
            }
            let gnu = runtimes.filter { $0.family == .gnu }
            if !gnu.isEmpty {
                notes.append("GNU libgomp (\(gnu.map(\.path).joined(separator: ", "))) takes no part in the KMP "
                             + "duplicate-runtime check: it can share a process with one KMP runtime.")
            }
            let vcomp = runtimes.filter { $0.family == .vcomp }
            if !vcomp.isEmpty {
                notes.append("Microsoft vcomp (\(vcomp.map(\.path).joined(separator: ", "))) takes no part in the KMP "
                             + "duplicate-runtime check: it can share a process with one KMP runtime.")
            }
            if kmp.contains(where: { $0.identity.format == .pe }) { notes.append(RuntimeScanner.windowsLoaderRule) }
            if runtimes.contains(where: { $0.archive != nil }) {
                notes.append("Runtimes inside wheels are counted as separate files: installing a wheel unpacks its own copy.")
            }
            return ScanReport(roots: roots, runtimes: runtimes, conflicts: conflicts, skipped: skipped,
                              filesExamined: examined, notes: notes, consumers: consumers)
        }
    }

    /// An ELF library that is not a runtime but imports OpenMP entry points, with what it needs.
    static func consumer(_ bytes: FileBytes, path: String) -> ScanReport.Consumer? {
        let head = Array(UnsafeRawBufferPointer(rebasing: bytes.raw.prefix(8)))
        guard ELFFile.hasMagic(head), let elf = try? ELFFile(bytes: bytes, path: path), !elf.needed.isEmpty else { return nil }
        let imports = elf.importedSymbols().filter(ScanReport.Consumer.isOpenMPEntryPoint)
        guard !imports.isEmpty else { return nil }
        return ScanReport.Consumer(path: path, needed: elf.needed, imports: imports)
    }

    // MARK: the loader's rules

    /// The name under which the loader shares one object between every library that needs it:
    /// the ELF `DT_SONAME`, or the Mach-O install name (`LC_ID_DYLIB`, a path). Two files with
    /// the same name are one runtime to the loader whenever they are reached by that name (a
    /// `DT_NEEDED` entry, `LC_LOAD_DYLIB`, `dlopen` of the bare name): the first one loaded
    /// serves both. Nil when the file has none (it can only be loaded by its path).
    package static func loaderName(_ id: RuntimeIdentity) -> String? {
        // Windows: torch, ctranslate2 and paddlepaddle load their DLLs by full path, and a DLL loaded
        // by full path is its own module whatever its name; the Windows rule is stated apart.
        guard id.format != .pe, let n = id.soname, !n.isEmpty else { return nil }
        return id.format.rawValue + ":" + n
    }

    /// Groups of two or more runtime files that share a loader name, in the order found.
    package static func oneRuntimeGroups<T>(_ items: [T], identity: (T) -> RuntimeIdentity) -> [[T]] {
        var order: [String] = [], groups: [String: [T]] = [:]
        for item in items {
            guard let name = loaderName(identity(item)) else { continue }
            if groups[name] == nil { order.append(name) }
            groups[name, default: []].append(item)
        }
        return order.compactMap { groups[$0] }.filter { $0.count > 1 }
    }

    static func oneRuntimeGroups(_ runtimes: [ScanReport.Runtime]) -> [[ScanReport.Runtime]] {
        oneRuntimeGroups(runtimes, identity: \.identity)
    }

    /// The sentence for files that the loader maps as one.
    package static func oneRuntimeSentence(_ paths: [String], name: String, format: RuntimeIdentity.Format) -> String {
        let what = format == .machO ? "install name" : "SONAME"
        return "One runtime: \(paths.joined(separator: " and ")) have the same \(what) \(name), so the loader maps only the "
            + "first of them loaded and every library that needs \(name) by name binds to it; not a conflict. Only a program "
            + "that opens each file by its path (dlopen of a path, ctypes.CDLL on the file) loads both, and then the second "
            + "to start aborts with OMP: Error #15."
    }

    /// Under which loading two KMP-family files both load: by name when their loader names
    /// differ, otherwise only when each is opened by its path.
    package static func loading(_ a: RuntimeIdentity, _ b: RuntimeIdentity) -> String {
        switch (loaderName(a), loaderName(b)) {
        case let (x?, y?) where x != y:
            return "they have different \(a.format == .machO ? "install names" : "SONAMEs") (\(a.soname ?? ""), \(b.soname ?? "")), "
                + "so libraries that need each by name load both"
        case (nil, _), (_, nil):
            return "a file without a \(a.format == .machO ? "install name" : "SONAME") is loaded by its path, "
                + "so both load if each is opened by path, as a vendored renamed copy is"
        default:
            return "they have the same name to the loader, so both load only if each is opened by its path"
        }
    }

    /// The Windows loader rule the scan and the doctor apply to DLLs, and how far it is proven.
    package static let windowsLoaderRule = "Windows DLLs: a DLL loaded by full path is its own module, so two "
        + "KMP-family DLLs at two paths are two runtimes even when their names match (torch, ctranslate2 and paddlepaddle "
        + "load their folder's DLLs by full path); a DLL loaded by name reuses an already loaded module of that name, so "
        + "then only the first is loaded. Measured under Wine 8.0; Windows' own loader is not proven here."

    /// The prediction and advice for two distinct KMP-family runtimes.
    static func conflict(_ a: ScanReport.Runtime, _ b: ScanReport.Runtime) -> ScanReport.Conflict {
        let same = a.sha256 == b.sha256
        var prediction = "Two distinct KMP-family runtimes (\(a.vendor.rawValue) \(a.version), \(b.vendor.rawValue) "
            + "\(b.version)) that can both load in one process (\(loading(a.identity, b.identity))): if both initialize, "
            + "the second aborts with \"OMP: Error #15: Initializing …, but found … already initialized.\""
        if a.identity.format == .pe {
            let nameA = a.path.split(whereSeparator: { $0 == "/" || $0 == "!" }).last.map { $0.lowercased() } ?? ""
            let nameB = b.path.split(whereSeparator: { $0 == "/" || $0 == "!" }).last.map { $0.lowercased() } ?? ""
            prediction += nameA == nameB
                ? " On Windows this holds when each is loaded by full path; loaded by name (\(nameA)), the second load "
                    + "reuses the first module and only one runtime starts (Wine-measured; Windows' own loader not proven here)."
                : " On Windows both load as separate modules, by full path or by name, since their names differ "
                    + "(Wine-measured; Windows' own loader not proven here)."
        }
        let fix = "Make both libraries use one shared runtime: link them against the same libomp/libiomp5 and ship it once, "
            + "or remove the vendored copy (\(b.path)) so its users resolve \(a.path). "
            + "Setting KMP_DUPLICATE_LIB_OK=TRUE is not a fix: it only skips the check, both runtimes then run side by side, "
            + "and some pairs hang at exit."
        return ScanReport.Conflict(first: a.path, second: b.path, sameContent: same, prediction: prediction, fix: fix)
    }
}
