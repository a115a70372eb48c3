import Foundation

/// What a JSON file under `results/` is, told from its content, never from its name or age:
/// `omp-matrix run` writes matrix results (`results`, `selection`), `omp-matrix atlas` writes
/// atlas results (`cells`, `runtimes`) into the same folder. Each command reads only its own kind.
package enum ResultsKind: String, Sendable {
    /// A results file of `omp-matrix run` (``ResultsFile``).
    case matrix
    /// A results file of `omp-matrix atlas` (``AtlasResults``).
    case atlas

    /// The kind of the file at `path`, or nil when it is neither (or not readable JSON).
    package static func of(file path: String) -> ResultsKind? {
        guard let data = FileManager.default.contents(atPath: path),
              let document = try? ResultsCodec.parse(data, file: path),
              case .object = document.root.value, document.root.member("schemaVersion") != nil else { return nil }
        func isArray(_ key: String) -> Bool {
            if case .array? = document.root.member(key)?.value.value { return true }
            return false
        }
        if isArray("results") && isArray("selection") { return .matrix }
        if isArray("cells") && isArray("runtimes") { return .atlas }
        return nil
    }

    /// The most recently modified file of this kind among `dir`'s `*.json` files; nil when there is none.
    /// - Throws: when `dir` cannot be listed.
    package func newest(in dir: String) throws -> String? {
        let fm = FileManager.default
        let names = try fm.contentsOfDirectory(atPath: dir)
        let dated = names.filter { $0.hasSuffix(".json") }.map { dir + "/" + $0 }.compactMap { p -> (String, Date)? in
            (try? fm.attributesOfItem(atPath: p)[.modificationDate] as? Date).map { (p, $0) }
        }
        // Newest first; equal times by name, so the choice does not depend on the listing order.
        let ordered = dated.sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 > $1.0 }
        return ordered.first { ResultsKind.of(file: $0.0) == self }?.0
    }
}
