import Foundation

/// Reads and writes atlas files: results files of kind `atlas`, read through
/// ``ResultsDocument`` (located syntax errors, duplicate keys refused, schema version and kind
/// checked first) and written atomically by ``ResultsCodec``; then checks what the types
/// cannot: every cell names runtimes on the axes, once; every observation has at least one run
/// and its outcome set is exactly the set of its runs.
package enum AtlasCodec {
    /// - Throws: ``InputError`` naming the file (and line:column where the JSON says it).
    package static func read(_ url: URL) throws -> AtlasResults {
        let data = try ResultsCodec.readData(url)
        return try decode(data, file: url.path)
    }

    /// - Throws: ``InputError``, also when the file holds matrix results.
    package static func decode(_ data: Data, file: String) throws -> AtlasResults {
        try ResultsDocument.decode(data, file: file, expecting: .atlas).atlas(file: file)
    }

    /// The checks beyond the JSON shape.
    /// - Throws: ``InputError`` naming the file and the cell.
    package static func validate(_ atlas: AtlasResults, file: String) throws {
        func fail(_ m: String) -> InputError { InputError(file: file, message: m) }
        var names = Set<String>()
        for r in atlas.runtimes {
            guard names.insert(r.name).inserted else { throw fail("runtime \"\(r.name)\" appears twice in runtimes") }
            if r.identity == nil, r.notProvisioned == nil {
                throw fail("runtime \"\(r.name)\" has neither an identity nor a not-provisioned reason")
            }
        }
        var ids = Set<String>()
        for (i, c) in atlas.cells.enumerated() {
            let at = "cells[\(i)] (\(c.id))"
            guard names.contains(c.first), names.contains(c.second) else {
                throw fail("\(at) names a runtime that is not in runtimes")
            }
            guard ids.insert(c.id).inserted else { throw fail("\(at) appears twice") }
            if c.notRun != nil, !c.observations.isEmpty { throw fail("\(at) did not run but has observations") }
            var variants = Set<AtlasVariant>()
            for o in c.observations {
                guard variants.insert(o.variant).inserted else { throw fail("\(at) has variant \(o.variant.rawValue) twice") }
                guard !o.runs.isEmpty else { throw fail("\(at) variant \(o.variant.rawValue) has no runs") }
                guard Set(o.runs) == Set(o.outcomes), o.outcomes.count == Set(o.outcomes).count else {
                    throw fail("\(at) variant \(o.variant.rawValue): outcomes \(o.outcomes.map(\.rawValue)) are not the set of its runs \(o.runs.map(\.rawValue))")
                }
            }
        }
    }

    /// Writes atomically; the earlier file stays on failure.
    /// - Throws: ``FileWriteError``.
    package static func write(_ atlas: AtlasResults, to url: URL) throws {
        try ResultsCodec.write(atlas, to: url)
    }
}
