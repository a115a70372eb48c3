import Foundation

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
    /// without one, no citation and a note saying so.
    package static var standard: DoctorAtlas {
        let key = HostInfo.current().key
        let root = RuntimeCatalog.packageRoot()?.path ?? FileManager.default.currentDirectoryPath
        return snapshot(at: root + "/Matrices/atlas/\(key).json")
    }

    /// The atlas snapshot at `path`. Cells are matched as the atlas's own lookup matches them:
    /// both files by SHA-256 (exact), else family, vendor and release (a shorter release matches a
    /// longer one it starts: `16.0` and `16.0.6`); both start orders are cited.
    package static func snapshot(at path: String) -> DoctorAtlas {
        guard let data = FileManager.default.contents(atPath: path) else {
            return DoctorAtlas(note: "Atlas: no snapshot for this host (\(path)), so no atlas cell is cited.") { _, _ in [] }
        }
        guard let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let rawCells = json["cells"] as? [[String: Any]] else {
            return DoctorAtlas(note: "Atlas: \(path) is not an atlas snapshot (no cells); nothing cited.") { _, _ in [] }
        }
        let cells = rawCells.compactMap(Cell.init)
        return DoctorAtlas(note: "Atlas: \(path) (\(cells.count) cells).") { a, b in
            var out: [String] = []
            for (x, y) in [(a, b), (b, a)] {
                if let c = cells.first(where: { $0.first.sha256 == x.sha256 && $0.second.sha256 == y.sha256 }) {
                    out.append(c.citation(exact: true, x, y))
                } else if let c = cells.first(where: { $0.first.sameRelease(x) && $0.second.sameRelease(y) }) {
                    out.append(c.citation(exact: false, x, y))
                }
            }
            return out
        }
    }

    /// One ran cell of the snapshot, as much as a citation needs.
    struct Cell: Sendable {
        struct Identity: Sendable {
            var family: String, vendor: String, release: String, sha256: String
            init?(_ d: Any?) {
                guard let d = d as? [String: Any], let f = d["family"] as? String, let v = d["vendor"] as? String,
                      let r = d["release"] as? String, let s = d["sha256"] as? String else { return nil }
                family = f; vendor = v; release = r; sha256 = s
            }
            func sameRelease(_ r: DoctorRuntime) -> Bool {
                let other = r.lookupRelease
                return family == r.family.rawValue && vendor == r.vendor.rawValue
                    && (release == other || release.hasPrefix(other + ".") || other.hasPrefix(release + "."))
            }
        }
        var id: String
        var first: Identity, second: Identity
        /// `variant: outcomes` for each probe variant.
        var outcomes: [(String, String)]

        init?(_ d: [String: Any]) {
            guard d["notRun"] == nil || d["notRun"] is NSNull, let f = d["first"] as? String, let s = d["second"] as? String,
                  let fi = Identity(d["firstIdentity"]), let si = Identity(d["secondIdentity"]) else { return nil }
            id = "\(f)>\(s)"; first = fi; second = si
            outcomes = (d["observations"] as? [[String: Any]] ?? []).compactMap { o in
                guard let v = o["variant"] as? String, let os = o["outcomes"] as? [String] else { return nil }
                return (v, os.joined(separator: " or "))
            }
        }

        func citation(exact: Bool, _ x: DoctorRuntime, _ y: DoctorRuntime) -> String {
            "atlas cell \(id) (\(exact ? "these very files" : "the same releases, other files"); \(x.shortName) started first): "
                + outcomes.map { "\($0.0): \($0.1)" }.joined(separator: ", ")
        }
    }
}
