import Foundation

/// Where the doctor looks up a pair in the atlas (`Matrices/atlas/<host key>.json`, what the
/// kit measured for runtime pairs by identity), so the answer can cite the cell.
///
/// The lookup is a value: ``standard`` reads the snapshot of this host when one exists; tests
/// and tools can pass their own.
public struct DoctorAtlas: Sendable {
    /// Citations (cell ids with their outcome, in words) for a pair.
    public var cite: @Sendable (DoctorRuntime, DoctorRuntime) -> [String]
    /// Said once in the report's notes, e.g. that no snapshot exists for this host.
    public var note: String?

    public init(note: String? = nil, cite: @escaping @Sendable (DoctorRuntime, DoctorRuntime) -> [String]) {
        self.cite = cite; self.note = note
    }

    /// The snapshot of this host, read once; without one, no citation and a note saying so.
    public static var standard: DoctorAtlas {
        let key = HostInfo.current().key
        let root = RuntimeCatalog.packageRoot()?.path ?? FileManager.default.currentDirectoryPath
        let path = root + "/Matrices/atlas/\(key).json"
        guard let data = FileManager.default.contents(atPath: path),
              let json = try? JSONSerialization.jsonObject(with: data) else {
            return DoctorAtlas(note: "Atlas: no snapshot for this host (\(path)), so no atlas cell is cited.") { _, _ in [] }
        }
        let cells = Self.cells(in: json)
        return DoctorAtlas(note: "Atlas: \(path) (\(cells.count) cells).") { a, b in
            cells.filter { $0.mentions(a.sha256) && $0.mentions(b.sha256) }.map(\.citation)
        }
    }

    /// A cell of the snapshot: any JSON object with an `id` string, with every string under it.
    struct Cell: Sendable {
        var id: String
        var strings: Set<String>
        var outcome: String?
        func mentions(_ s: String) -> Bool { strings.contains(s) }
        var citation: String { "atlas cell \(id)" + (outcome.map { ": \($0)" } ?? "") }
    }

    static func cells(in json: Any) -> [Cell] {
        var out: [Cell] = []
        func strings(_ v: Any, into set: inout Set<String>) {
            if let s = v as? String { set.insert(s) }
            else if let a = v as? [Any] { for x in a { strings(x, into: &set) } }
            else if let d = v as? [String: Any] { for x in d.values { strings(x, into: &set) } }
        }
        func walk(_ v: Any) {
            if let d = v as? [String: Any] {
                if let id = d["id"] as? String {
                    var set: Set<String> = []
                    strings(d, into: &set)
                    out.append(Cell(id: id, strings: set, outcome: (d["outcome"] as? String) ?? (d["outcomes"] as? [String])?.joined(separator: ", ")))
                }
                for x in d.values { walk(x) }
            } else if let a = v as? [Any] {
                for x in a { walk(x) }
            }
        }
        walk(json)
        return out
    }
}
