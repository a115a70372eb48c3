/// What ``RuntimeScanner`` found: the OpenMP runtimes in some trees, and which of them would
/// abort together if both initialized in one process.
package struct ScanReport: Sendable, Hashable, Codable {
    /// One runtime file (every path that reaches the same inode is listed once).
    package struct Runtime: Sendable, Hashable, Codable {
        /// The resolved path, or `archive.whl!member` for a runtime inside a wheel.
        package var path: String
        /// What the file is: family, release and how the release was found.
        package var identity: RuntimeIdentity
        /// Other paths to the same file (symlinks, hard links), sorted.
        package var alsoKnownAs: [String]
        /// The zip archive it was read from, when it was read from one.
        package var archive: String?
        /// The offset of the member's local header in `archive`: its directory entry, which tells
        /// two members of one name apart (the second is listed as `archive!name#2`).
        package var archiveEntry: Int?

        package var family: RuntimeIdentity.Family { identity.family }
        package var vendor: RuntimeIdentity.Vendor { identity.vendor }
        package var version: String { identity.version }
        package var sha256: String { identity.sha256 }

        package init(path: String, identity: RuntimeIdentity, alsoKnownAs: [String], archive: String?, archiveEntry: Int? = nil) {
            self.path = path; self.identity = identity; self.alsoKnownAs = alsoKnownAs; self.archive = archive
            self.archiveEntry = archiveEntry
        }
    }

    /// Two distinct KMP-family runtimes: if both initialize in one process, the second
    /// aborts with `OMP: Error #15`.
    package struct Conflict: Sendable, Hashable, Codable {
        /// One runtime file of the pair.
        package var first: String
        /// The other runtime file.
        package var second: String
        /// True when the two files have identical bytes (a vendored copy): still two
        /// runtimes to the loader, because they are two files.
        package var sameContent: Bool
        /// What is predicted to happen.
        package var prediction: String
        /// What to do about it.
        package var fix: String

        package init(first: String, second: String, sameContent: Bool, prediction: String, fix: String) {
            self.first = first; self.second = second; self.sameContent = sameContent
            self.prediction = prediction; self.fix = fix
        }
    }

    /// A file or archive member that could not be examined, and why.
    package struct Skipped: Sendable, Hashable, Codable {
        package var path: String
        package var reason: String
        /// True when the file could be an OpenMP runtime that was not read: a scan that skipped
        /// one is incomplete. False for a repeated archive entry, whose data was read once.
        package var possiblyRuntime: Bool
        package init(path: String, reason: String, possiblyRuntime: Bool = true) {
            self.path = path; self.reason = reason; self.possiblyRuntime = possiblyRuntime
        }
    }

    /// A library that is not a runtime but calls one: the libraries it needs by name
    /// (`DT_NEEDED`) and the OpenMP entry points it imports. A link fix must keep a runtime that
    /// exports every entry point its users import.
    package struct Consumer: Sendable, Hashable, Codable {
        package var path: String
        package var needed: [String]
        package var imports: [String]
        package init(path: String, needed: [String], imports: [String]) {
            self.path = path; self.needed = needed; self.imports = imports
        }

        /// `omp_*`, `ompc_*`, `ompt_*`, `kmp_*`, `kmpc_*` and `__kmpc_*`: what a KMP runtime exports for its users.
        package static func isOpenMPEntryPoint(_ name: String) -> Bool {
            name.hasPrefix("omp_") || name.hasPrefix("ompc_") || name.hasPrefix("ompt_") || name.hasPrefix("kmp_")
                || name.hasPrefix("kmpc_") || name.hasPrefix("__kmpc_")
        }
    }

    /// The paths the scan started from.
    package var roots: [String]
    /// Every OpenMP runtime found, one entry per distinct file.
    package var runtimes: [Runtime]
    /// Pairs of KMP-family files that would abort if both were started in one process.
    package var conflicts: [Conflict]
    package var skipped: [Skipped]
    /// Files (and archive members) whose bytes were examined.
    package var filesExamined: Int
    /// Observations that are not conflicts (e.g. GNU runtimes found alongside KMP ones).
    package var notes: [String]
    /// Libraries found that import OpenMP entry points (plain files, not archive members).
    package var consumers: [Consumer]

    package init(roots: [String], runtimes: [Runtime], conflicts: [Conflict], skipped: [Skipped],
                filesExamined: Int, notes: [String], consumers: [Consumer] = []) {
        self.roots = roots; self.runtimes = runtimes; self.conflicts = conflicts; self.skipped = skipped
        self.filesExamined = filesExamined; self.notes = notes; self.consumers = consumers
    }

    /// True when a file that could be an OpenMP runtime could not be read: the answer is then
    /// incomplete (exit 4), whatever was found in the rest.
    public var incomplete: Bool { skipped.contains(where: \.possiblyRuntime) }

    /// The runtimes of one family.
    package func runtimes(of family: RuntimeIdentity.Family) -> [Runtime] {
        runtimes.filter { $0.family == family }
    }

    /// A plain-text summary for a terminal. Paths, names and reasons come from the scanned
    /// files, so each is escaped (`TerminalText/field(_:)`).
    package var text: String {
        let f = TerminalText.field
        var lines: [String] = []
        lines.append("Scanned \(roots.map(f).joined(separator: ", ")): \(filesExamined) files examined, "
                     + "\(runtimes.count) OpenMP runtime\(runtimes.count == 1 ? "" : "s") found.")
        for r in runtimes {
            lines.append("  \(r.family.rawValue)  \(r.vendor.rawValue) \(f(r.version))  \(f(r.path))")
            lines.append("      sha256 \(r.sha256)")
            if !r.alsoKnownAs.isEmpty { lines.append("      also known as: \(r.alsoKnownAs.map(f).joined(separator: ", "))") }
        }
        if conflicts.isEmpty {
            lines.append("No conflicts predicted (fewer than two KMP-family runtimes that can both load in one process).")
        } else {
            lines.append("Predicted conflicts (\(conflicts.count)): each pair is two distinct KMP-family runtimes; "
                         + "if both initialize in one process, the second aborts with OMP: Error #15.")
            for c in conflicts {
                lines.append("  \(f(c.first))")
                lines.append("  + \(f(c.second))\(c.sameContent ? "  (identical bytes, but a separate file)" : "")")
                lines.append("      why: \(f(c.prediction))")
                lines.append("      fix: \(f(c.fix))")
            }
        }
        for n in notes { lines.append("Note: \(f(n))") }
        if !skipped.isEmpty {
            lines.append("Skipped (\(skipped.count)):")
            for s in skipped { lines.append("  \(f(s.path)): \(f(s.reason))") }
        }
        return lines.joined(separator: "\n")
    }
}
