import Foundation

/// Entry points other commands use: where a host's atlas snapshot lives, reading it, and
/// looking a pair of runtimes up by identity.
///
/// ```swift
/// if let atlas = try Atlas.snapshot(hostKey: HostInfo.current().key),
///    let hit = Atlas.lookup(first: torchRuntime, second: faissRuntime, in: atlas) {
///     print(hit.cell.observation(.withVariable)?.outcomes ?? [])
/// }
/// ```
package enum Atlas {
    /// `Matrices/atlas/<host key>.json` under the package root.
    package static func snapshotURL(hostKey: String, packageRoot: URL? = nil) -> URL? {
        guard let root = packageRoot ?? RuntimeCatalog.packageRoot() else { return nil }
        return root.appendingPathComponent("Matrices/atlas/\(hostKey).json")
    }

    /// The checked-in atlas of a host, or nil when there is none.
    /// - Throws: ``InputError`` when the file exists but is not a valid atlas.
    package static func snapshot(hostKey: String, packageRoot: URL? = nil) throws -> AtlasResults? {
        guard let url = snapshotURL(hostKey: hostKey, packageRoot: packageRoot),
              FileManager.default.fileExists(atPath: url.path) else { return nil }
        return try AtlasCodec.read(url)
    }

    /// What a lookup found.
    package struct Match: Sendable, Hashable {
        /// The atlas cell for the pair, in the order asked.
        package var cell: AtlasCell
        /// True when both files are the measured ones (same SHA-256); false when only the
        /// family, vendor and release match (another build or copy of the same release).
        package var exact: Bool
    }

    /// The cell with `first` started first and `second` second: by SHA-256 when both files
    /// were measured, else by family, vendor and release. Two identities with the same SHA-256
    /// find the diagonal (a copy pair where the atlas had one, else the control).
    package static func lookup(first: AtlasIdentity, second: AtlasIdentity, in atlas: AtlasResults) -> Match? {
        let runnable = atlas.cells.filter { $0.notRun == nil }
        if let c = runnable.first(where: { $0.firstIdentity?.sha256 == first.sha256 && $0.secondIdentity?.sha256 == second.sha256 }) {
            return Match(cell: c, exact: true)
        }
        if let c = runnable.first(where: { cell in
            guard let f = cell.firstIdentity, let s = cell.secondIdentity else { return false }
            return f.sameRelease(as: first) && s.sameRelease(as: second)
        }) {
            return Match(cell: c, exact: false)
        }
        return nil
    }

    /// The same from files read from disk (e.g. the runtimes `doctor` found in a process).
    package static func lookup(first: RuntimeIdentity, second: RuntimeIdentity, in atlas: AtlasResults) -> Match? {
        lookup(first: AtlasIdentity(first, release: nil), second: AtlasIdentity(second, release: nil), in: atlas)
    }
}
