import Foundation

/// The runtimes the kit can name: those in the runtime manifest, plus any discovered in the
/// prefixes listed in `OMP_CONFORMANCE_DISCOVER`.
///
/// The manifest lives in a per-user cache shared by every package that uses the kit (see
/// `directory(packageRoot:environment:)`): `$OMP_CONFORMANCE_RUNTIMES` if set, else
/// `$OMP_CONFORMANCE_CACHE/runtimes`, else `${XDG_CACHE_HOME:-$HOME/.cache}/openmp-conformance/runtimes`.
/// `omp-matrix provision` fills it. Paths in the catalog are absolute (relative manifest paths
/// are resolved against the manifest's directory).
///
/// ```swift
/// let catalog = try RuntimeCatalog()
/// let l16 = try catalog.require("llvm16")
/// print(l16.path)   // ~/.cache/openmp-conformance/runtimes/llvm16/usr/lib/llvm-16/lib/libomp.so.5
/// ```
public struct RuntimeCatalog: Sendable {
    /// Names the directory holding `manifest.json`.
    package static let directoryVariable = "OMP_CONFORMANCE_RUNTIMES"
    /// Names the kit's cache directory; the runtimes are in its `runtimes/` folder.
    package static let cacheVariable = "OMP_CONFORMANCE_CACHE"
    /// Colon-separated prefixes (a venv, a conda prefix, Homebrew) to scan for more runtimes.
    package static let discoverVariable = "OMP_CONFORMANCE_DISCOVER"

    /// The directory holding the manifest.
    package let directory: URL
    /// The manifest as read (paths as written in it).
    package let manifest: RuntimeManifest
    /// Manifest runtimes (absolute paths) followed by discovered ones.
    public private(set) var runtimes: [RuntimeRecord]
    /// The discovered runtimes alone.
    package private(set) var discovered: [RuntimeRecord] = []

    /// The manifest file.
    package var manifestURL: URL { directory.appendingPathComponent(RuntimeManifest.fileName) }
    /// Every runtime name, manifest first.
    package var names: [String] { runtimes.map(\.name) }

    /// Loads the catalog.
    ///
    /// - Parameters:
    ///   - packageRoot: a package whose own `runtimes/` folder to use; nil uses the per-user
    ///     cache. Ignored when `OMP_CONFORMANCE_RUNTIMES` is set.
    ///   - environment: where to read `OMP_CONFORMANCE_RUNTIMES` and `OMP_CONFORMANCE_DISCOVER`.
    /// - Throws: `RuntimeCatalogError` (no package root), `RuntimeManifestError` (manifest
    ///   missing or malformed, naming the file), or `RuntimeScanError` (a discovery prefix
    ///   that does not exist).
    public init(packageRoot: URL? = nil,
                environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        let directory = try Self.directory(packageRoot: packageRoot, environment: environment)
        try self.init(directory: directory)
        let prefixes = (environment[Self.discoverVariable] ?? "").split(separator: ":").map(String.init)
        if !prefixes.isEmpty { try discover(in: prefixes) }
    }

    /// Loads the manifest in `directory`, without discovery.
    package init(directory: URL) throws(RuntimeManifestError) {
        self.directory = directory.standardizedFileURL
        manifest = try RuntimeManifest.load(from: self.directory.appendingPathComponent(RuntimeManifest.fileName))
        let base = self.directory
        runtimes = manifest.runtimes.map { r in
            var r = r
            if !r.path.hasPrefix("/") { r.path = base.appendingPathComponent(r.path).standardizedFileURL.path }
            return r
        }
    }

    /// The runtime called `name`, or nil.
    package func runtime(named name: String) -> RuntimeRecord? {
        runtimes.first { $0.name == name }
    }

    /// The runtime called `name`.
    /// - Throws: `RuntimeCatalogError/unknownRuntime(name:known:manifest:)` listing the known names.
    package func require(_ name: String) throws(RuntimeCatalogError) -> RuntimeRecord {
        guard let r = runtime(named: name) else {
            throw .unknownRuntime(name: name, known: names, manifest: manifestURL.path)
        }
        return r
    }

    /// Scans `prefixes` with ``RuntimeScanner`` and adds every runtime file found that is not
    /// already in the catalog (same inode). Runtimes inside wheels are not added: nothing can
    /// load them by path; nor are Windows DLLs, which this host's probe cannot load. Discovered
    /// runtimes are named `found-<vendor>-<first 8 of sha256>`
    /// (with `-2`, `-3`… for identical copies) and get source `scan:<prefix>`.
    ///
    /// - Returns: the runtimes added.
    @discardableResult
    package mutating func discover(in prefixes: [String]) throws(RuntimeScanError) -> [RuntimeRecord] {
        var knownKeys: Set<FileKey> = []
        for r in runtimes {
            if let key = Self.fileKey(r.path) { knownKeys.insert(key) }
        }
        var added: [RuntimeRecord] = []
        let scanner = RuntimeScanner(options: .init(readArchives: false))
        for prefix in prefixes {
            let report = try scanner.scan(paths: [prefix])
            // Windows DLLs are read, never loaded by this host's probe.
            for found in report.runtimes where found.archive == nil && found.identity.format != .pe {
                guard let key = found.identity.fileKey, knownKeys.insert(key).inserted else { continue }
                let stem = "found-\(found.vendor.rawValue)-\(found.sha256.prefix(8))"
                var name = stem, n = 2
                while runtimes.contains(where: { $0.name == name }) { name = "\(stem)-\(n)"; n += 1 }
                let record = RuntimeRecord(name: name, path: found.path, family: found.family.rawValue,
                                           version: found.version, source: "scan:\(prefix)", sha256: found.sha256)
                runtimes.append(record)
                discovered.append(record)
                added.append(record)
            }
        }
        return added
    }

    // MARK: locating

    /// The runtimes directory, first match wins:
    /// 1. `$OMP_CONFORMANCE_RUNTIMES`;
    /// 2. `<packageRoot>/runtimes`, when a package root is passed;
    /// 3. `$OMP_CONFORMANCE_CACHE/runtimes`;
    /// 4. `$XDG_CACHE_HOME/openmp-conformance/runtimes`;
    /// 5. `$HOME/.cache/openmp-conformance/runtimes` (the home directory of the user when
    ///    `HOME` is unset).
    package static func directory(packageRoot: URL? = nil,
                                 environment: [String: String] = ProcessInfo.processInfo.environment)
        throws(RuntimeCatalogError) -> URL {
        func set(_ name: String) -> String? {
            guard let v = environment[name], !v.isEmpty else { return nil }
            return v
        }
        if let d = set(directoryVariable) { return URL(fileURLWithPath: d, isDirectory: true) }
        if let root = packageRoot { return root.appendingPathComponent("runtimes", isDirectory: true) }
        if let c = set(cacheVariable) { return URL(fileURLWithPath: c, isDirectory: true).appendingPathComponent("runtimes", isDirectory: true) }
        let cache: URL
        if let x = set("XDG_CACHE_HOME"), x.hasPrefix("/") {
            cache = URL(fileURLWithPath: x, isDirectory: true)
        } else {
            guard let home = set("HOME") ?? Self.homeOfUser() else { throw .noCacheDirectory }
            cache = URL(fileURLWithPath: home, isDirectory: true).appendingPathComponent(".cache", isDirectory: true)
        }
        return cache.appendingPathComponent("openmp-conformance/runtimes", isDirectory: true)
    }

    static func homeOfUser() -> String? {
        guard let pw = getpwuid(getuid()), let dir = pw.pointee.pw_dir else { return nil }
        let s = String(cString: dir)
        return s.isEmpty ? nil : s
    }

    /// The nearest directory at or above `start` that holds a `Package.swift`.
    package static func packageRoot(startingAt start: String = #filePath) -> URL? {
        var dir = URL(fileURLWithPath: start).standardizedFileURL
        let fm = FileManager.default
        var isDir: ObjCBool = false
        if !(fm.fileExists(atPath: dir.path, isDirectory: &isDir) && isDir.boolValue) { dir.deleteLastPathComponent() }
        while true {
            if fm.fileExists(atPath: dir.appendingPathComponent("Package.swift").path) { return dir }
            let parent = dir.deletingLastPathComponent()
            if parent.path == dir.path { return nil }
            dir = parent
        }
    }

    static func fileKey(_ path: String) -> FileKey? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        return FileKey(device: UInt64(st.st_dev), inode: UInt64(st.st_ino))
    }
}

/// Why a runtime could not be found in the catalog.
package enum RuntimeCatalogError: Error, Sendable, Hashable, CustomStringConvertible {
    case unknownRuntime(name: String, known: [String], manifest: String)
    case packageRootNotFound(start: String)
    /// Neither `OMP_CONFORMANCE_RUNTIMES`, `OMP_CONFORMANCE_CACHE`, `XDG_CACHE_HOME` nor a home directory.
    case noCacheDirectory

    package var description: String {
        switch self {
        case .unknownRuntime(let name, let known, let manifest):
            return "no runtime named \"\(name)\" (known: \(known.joined(separator: ", ")); manifest \(manifest))"
        case .packageRootNotFound(let start):
            return "no Package.swift above \(start); pass the package root or set OMP_CONFORMANCE_RUNTIMES"
        case .noCacheDirectory:
            return "no cache directory: set OMP_CONFORMANCE_RUNTIMES, OMP_CONFORMANCE_CACHE, XDG_CACHE_HOME or HOME"
        }
    }
}
