import Foundation

/// The platform an atlas was measured for, by the kit's fixed ids and labels.
package struct AtlasPlatform: Codable, Sendable, Hashable {
    /// `linux-x86_64`, `windows-x86_64`.
    package var id: String
    /// The words every report shows with its cells.
    package var label: String

    package static let linux = AtlasPlatform(id: "linux-x86_64", label: "Linux (run here)")
    package static let windows = AtlasPlatform(id: WineTools.platform, label: WineTools.platformLabel)
}

/// The Windows atlas: every ordered pair of the catalog's Windows DLLs (the manifest's
/// `windows` list), three probes per pair as on Linux, each run by the Windows probe under Wine
/// through the same ``AtlasRunner``.
package enum WindowsAtlas {
    /// The default axes: every Windows DLL of the catalog that is not a copy, in catalog order.
    package static var axes: [String] {
        ProvisionCatalog.items.compactMap { item in
            if case .windowsDLL = item.kind { return item.name }
            return nil
        }
    }

    /// Where the checked-in Windows atlas of a host lives: `Matrices/atlas/windows-x86_64/<host key>.json`.
    package static func snapshotURL(hostKey: String, packageRoot: URL? = nil) -> URL? {
        guard let root = packageRoot ?? RuntimeCatalog.packageRoot() else { return nil }
        return root.appendingPathComponent("Matrices/atlas/\(WineTools.platform)/\(hostKey).json")
    }

    /// The plan over `names` (nil: ``axes``), each DLL checked against its manifest record
    /// (present, the pinned SHA-256, a PE32+ x86-64 OpenMP DLL) or marked not provisioned with
    /// the reason. `wine` is the launch its probes use (nil: the cells are not run, with `skip`).
    /// - Throws: ``AtlasError/unknownRuntime(name:known:)`` for a name the catalog does not know.
    package static func plan(directory: URL, manifest: RuntimeManifest, names: [String]?,
                             wine: Result<WineLaunch, WineUnavailable>) throws(AtlasError) -> AtlasPlan {
        let known = axes
        var seen = Set<String>()
        for n in names ?? [] where !known.contains(n) { throw .unknownRuntime(name: n, known: known) }
        let chosen = (names ?? known).filter { seen.insert($0).inserted }
        let records = Dictionary(manifest.windows.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })

        func check(_ r: RuntimeRecord) -> (String, String?) {
            let path = directory.appendingPathComponent(r.path).path
            if let why = WineLaunch.preflight(path: path) { return (path, why) }
            guard let bytes = try? FileBytes(mapping: path) else { return (path, "\(path) cannot be read") }
            let sha = SHA256.hex(of: bytes.raw)
            return (path, sha == r.sha256 ? nil : "\(path) has SHA-256 \(sha), the manifest pins \(r.sha256)")
        }
        var runtimes: [AtlasRuntime] = []
        for n in chosen {
            guard let r = records[n] else {
                let why = manifest.notProvisionedReason(n)
                    ?? "not in the manifest's Windows DLLs; run Scripts/provision-runtimes.sh"
                runtimes.append(AtlasRuntime(name: n, identity: nil, path: "", source: nil, releaseSource: nil, banner: nil,
                                             copy: nil, notProvisioned: why))
                continue
            }
            let (path, problem) = check(r)
            var copy: AtlasFile?
            for c in manifest.windows where c.copyOf == n {
                let (cpath, cproblem) = check(c)
                if cproblem == nil, c.sha256 == r.sha256, RuntimeCatalog.fileKey(cpath) != RuntimeCatalog.fileKey(path) {
                    copy = AtlasFile(name: c.name, path: cpath)
                    break
                }
            }
            let identity = AtlasIdentity(family: r.family, vendor: r.vendor ?? "unknown", release: r.release ?? r.version, sha256: r.sha256)
            var why = problem
            if why == nil, case .failure(let e) = wine { why = e.reason }
            runtimes.append(AtlasRuntime(name: n, identity: problem == nil ? identity : nil, path: path, source: r.source,
                                         releaseSource: r.releaseSource, banner: r.version.isEmpty ? nil : "FileVersion \(r.version)",
                                         copy: copy, notProvisioned: why))
        }
        var plan = AtlasPlan(runtimes: runtimes, pairs: AtlasPlan.pairs(over: runtimes), missingCopies: [:], standIns: [])
        plan.wine = try? wine.get()
        return plan
    }

}
