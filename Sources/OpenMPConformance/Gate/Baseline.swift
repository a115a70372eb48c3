import Foundation

/// What a host is expected to observe, cell by cell: the file the gate compares a run against.
///
/// ```json
/// {
///   "schemaVersion": 1,
///   "hostKey": "debian12-x86_64-glibc2.36",
///   "cells": {
///     "linux-cpu-training/intel+llvm/unset/framework-first/load+init": { "allowed": ["duplicate-runtime-abort"] },
///     "linux-cpu-training/llvm14+llvm16/exported/framework-first/load+init": {
///       "allowed": ["hang-at-exit", "pass"], "note": "Error #13 at exit; hangs on some kernels"
///     }
///   }
/// }
/// ```
///
/// More than one allowed outcome marks a cell a person has declared flaky; `Gate/update(baseline:results:)`
/// keeps such entries while they still include what was observed, and always keeps notes.
public struct Baseline: Codable, Sendable, Hashable {
    /// The baseline format this tool reads and writes.
    package static let currentSchemaVersion = 1

    package var schemaVersion: Int
    /// The `HostInfo/key` of the host the expectations belong to.
    public var hostKey: String
    /// Cell id → expectation.
    package var cells: [String: Entry]

    /// The outcomes a cell may end in, and why, if a person said so.
    package struct Entry: Codable, Sendable, Hashable {
        /// Outcomes that do not fail the gate; never empty, no repeats.
        package var allowed: [Outcome]
        /// A person's explanation; kept by updates.
        package var note: String?
        /// How many runtimes ran (an atlas taken as a baseline); never written for the matrix.
        package var runtimesRan: [AtlasRuntimesRan]?

        package init(allowed: [Outcome], note: String? = nil) {
            self.allowed = allowed; self.note = note
        }
    }

    package init(schemaVersion: Int = Baseline.currentSchemaVersion, hostKey: String, cells: [String: Entry]) {
        self.schemaVersion = schemaVersion; self.hostKey = hostKey; self.cells = cells
    }

    /// Parses a baseline.
    /// - Parameters:
    ///   - data: The file's bytes.
    ///   - file: The path or label used in errors.
    /// - Throws: ``InputError`` at `file:line:column` for malformed JSON, a cell id (or any key)
    ///   listed twice, another schema version, an unknown outcome word (naming the word and the
    ///   cell), an empty or repeating `allowed` list, or a wrong shape (naming the coding path).
    package static func parse(_ data: Data, file: String) throws -> Baseline {
        let document = try ResultsCodec.parse(data, file: file) { dup, first in
            dup.objectPath == "cells"
                ? "cell \"\(dup.key)\" is listed twice (first at line \(first.line), column \(first.column))"
                : "duplicate key \"\(dup.key)\" in \(dup.objectPath) (first at line \(first.line), column \(first.column))"
        }
        try ResultsCodec.checkVersion(document, file: file, expected: currentSchemaVersion)
        try checkEntries(document, file: file)
        return try ResultsCodec.decodeChecked(Baseline.self, document: document, data: data, file: file)
    }

    /// Reads and parses a baseline file; see `parse(_:file:)`.
    /// - Throws: ``InputError``.
    package static func read(_ url: URL) throws -> Baseline {
        try parse(try ResultsCodec.readData(url), file: url.path)
    }

    /// Pretty JSON with sorted keys; each `allowed` list in rule order. Deterministic, so
    /// baselines diff cleanly in review.
    package func encoded() throws -> Data {
        try ResultsCodec.encode(normalized())
    }

    /// Writes the baseline atomically (see `AtomicFile/write(_:to:)`).
    /// - Throws: ``FileWriteError``; an earlier file is left intact.
    package func write(to url: URL) throws {
        try ResultsCodec.write(normalized(), to: url)
    }

    /// The same baseline with every `allowed` list sorted in rule order and without repeats.
    package func normalized() -> Baseline {
        var copy = self
        for (id, entry) in cells {
            copy.cells[id]!.allowed = Array(Set(entry.allowed)).sorted()
        }
        return copy
    }

    /// Checks the `cells` entries by hand, for messages that name the cell and the word.
    private static func checkEntries(_ document: JSONDocument, file: String) throws {
        guard let cells = document.root.member("cells") else { return }  // the decoder names the missing key
        guard case .object(let members) = cells.value.value else { return }
        let known = Outcome.allCases.map(\.rawValue).joined(separator: ", ")
        for member in members {
            let id = member.key
            guard let allowed = member.value.member("allowed") else {
                throw document.error(file: file, at: member.value.offset, "cell \"\(id)\" has no \"allowed\" list")
            }
            guard case .array(let items) = allowed.value.value else {
                throw document.error(file: file, at: allowed.value.offset,
                                     "cell \"\(id)\": \"allowed\" must be an array of outcomes, found \(allowed.value.typeName)")
            }
            if items.isEmpty {
                throw document.error(file: file, at: allowed.value.offset,
                                     "cell \"\(id)\": \"allowed\" is empty; list at least one outcome")
            }
            var seen = Set<Outcome>()
            for item in items {
                guard case .string(let word) = item.value else {
                    throw document.error(file: file, at: item.offset,
                                         "cell \"\(id)\": outcomes must be strings, found \(item.typeName)")
                }
                guard let outcome = Outcome(rawValue: word) else {
                    throw document.error(file: file, at: item.offset,
                                         "unknown outcome \"\(word)\" in cell \"\(id)\"; known outcomes: \(known)")
                }
                if !seen.insert(outcome).inserted {
                    throw document.error(file: file, at: item.offset,
                                         "cell \"\(id)\": outcome \"\(word)\" is listed twice")
                }
            }
        }
    }
}
