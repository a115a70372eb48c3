import Foundation

/// What a results file is: its `kind` field (schema 4 on), or for an older file its content
/// (`results`, `selection`: matrix; `cells`, `runtimes`: atlas); never its name or age.
/// `omp-matrix run` and `omp-matrix atlas` write into the same `results/` folder, and a command
/// that takes one kind reads only that kind (``ResultsDocument``).
package enum ResultsKind: String, Codable, Sendable, Hashable {
    /// A results file of `omp-matrix run` (``ResultsFile``).
    case matrix
    /// A results file of `omp-matrix atlas` (``AtlasResults``).
    case atlas

    /// The kind of the file at `path` by its envelope (``ResultsDocument``'s checks of `kind` and
    /// `schemaVersion`, the body left unread), or nil when it is no results file this tool reads.
    package static func of(file path: String) -> ResultsKind? {
        guard let data = FileManager.default.contents(atPath: path),
              let document = try? ResultsCodec.parse(data, file: path) else { return nil }
        return try? ResultsDocument.kind(of: document, file: path, expecting: nil)
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
