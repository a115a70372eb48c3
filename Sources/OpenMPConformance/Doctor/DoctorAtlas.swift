import Foundation
import Synchronization

/// Where the doctor looks up a pair in the atlas (`Matrices/atlas/<host key>.json`, what the
/// kit measured for runtime pairs by identity), so the answer can cite the cell.
///
/// The lookup is a value: ``standard`` reads the snapshot of this host when one exists; tests
/// and tools can pass their own.
package struct DoctorAtlas: Sendable {
    /// Citations (cell ids with their outcome, in words) for a pair.
    package var cite: @Sendable (DoctorRuntime, DoctorRuntime) -> [String]
    /// Said once in the report's notes, e.g. that no snapshot exists for this host.
    package var note: String?

    package init(note: String? = nil, cite: @escaping @Sendable (DoctorRuntime, DoctorRuntime) -> [String]) {
        self.cite = cite; self.note = note
    }

    /// The snapshot of this host (`Matrices/atlas/<host key>.json`, written by `omp-matrix atlas`);
    /// without one, no citation and a note saying so. Read once per process while the file stays
    /// the same (path, size, modification time): each diagnosis asks, and decoding the snapshot
    /// is most of a second in a debug build.
    package static var standard: DoctorAtlas {
        let root = RuntimeCatalog.packageRoot() ?? URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        // Given a root, the atlas always names the file.
        guard let url = Atlas.snapshotURL(hostKey: HostInfo.current().key, packageRoot: root) else {
            preconditionFailure("Atlas.snapshotURL names a file under a given package root")
        }
        let key = FileStamp(path: url.path)
        if let known = standardRead.withLock({ $0 != nil && $0?.key == key ? $0?.atlas : nil }) { return known }
        let atlas = snapshot(at: url.path)
        standardRead.withLock { $0 = (key, atlas) }
        return atlas
    }

    /// The last ``standard`` read, with the stamp of the file it read (nil when there was none).
    private static let standardRead = Mutex<(key: FileStamp?, atlas: DoctorAtlas)?>(nil)

    /// The atlas snapshot at `path`, read by the atlas's own reader (``AtlasCodec``).
    package static func snapshot(at path: String) -> DoctorAtlas {
        guard FileManager.default.fileExists(atPath: path) else {
            return DoctorAtlas(note: "Atlas: no snapshot for this host (\(path)), so no atlas cell is cited.") { _, _ in [] }
        }
        let atlas: AtlasResults
        do { atlas = try AtlasCodec.read(URL(fileURLWithPath: path)) } catch {
            return DoctorAtlas(note: "Atlas: \(path) is not a readable atlas snapshot (\(error)); nothing cited.") { _, _ in [] }
        }
        return citing(atlas, source: path)
    }

    /// Cites the cells of `atlas` found by the atlas's own lookup (``Atlas/lookup(first:second:in:)``):
    /// both files by SHA-256 (exact), else family, vendor and release; both start orders are cited.
    package static func citing(_ atlas: AtlasResults, source: String) -> DoctorAtlas {
        let citable = atlas.cells.filter { $0.notRun == nil && $0.firstIdentity != nil && $0.secondIdentity != nil }
        return DoctorAtlas(note: "Atlas: \(source) (\(citable.count) cells).") { a, b in
            [(a, b), (b, a)].compactMap { x, y in
                Atlas.lookup(first: identity(x), second: identity(y), in: atlas).map { citation($0, x) }
            }
        }
    }

    /// The runtime as the atlas keys it, with the release the doctor looks it up by.
    static func identity(_ r: DoctorRuntime) -> AtlasIdentity {
        AtlasIdentity(family: r.family.rawValue, vendor: r.vendor.rawValue, release: r.lookupRelease, sha256: r.sha256)
    }

    /// `atlas cell <id> (<how it matched>; <first> started first): <variant>: <outcomes>, ...`
    static func citation(_ m: Atlas.Match, _ first: DoctorRuntime) -> String {
        "atlas cell \(m.cell.id) (\(m.exact ? "these very files" : "the same releases, other files"); \(first.shortName) started first): "
            + m.cell.observations.map { o in "\(o.variant.rawValue): " + o.outcomes.map(\.rawValue).joined(separator: " or ") }
                .joined(separator: ", ")
    }
}
