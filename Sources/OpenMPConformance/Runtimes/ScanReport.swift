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

        package var family: RuntimeIdentity.Family { identity.family }
        package var vendor: RuntimeIdentity.Vendor { identity.vendor }
        package var version: String { identity.version }
        package var sha256: String { identity.sha256 }

        package init(path: String, identity: RuntimeIdentity, alsoKnownAs: [String], archive: String?) {
            self.path = path; self.identity = identity; self.alsoKnownAs = alsoKnownAs; self.archive = archive
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
        package init(path: String, reason: String) { self.path = path; self.reason = reason }
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

    package init(roots: [String], runtimes: [Runtime], conflicts: [Conflict], skipped: [Skipped],
                filesExamined: Int, notes: [String]) {
        self.roots = roots; self.runtimes = runtimes; self.conflicts = conflicts; self.skipped = skipped
        self.filesExamined = filesExamined; self.notes = notes
    }

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
            lines.append("No conflicts predicted (fewer than two distinct KMP-family runtimes).")
        } else {
            lines.append("Predicted conflicts (\(conflicts.count)): each pair is two distinct KMP-family runtimes; "
                         + "if both initialize in one process, the second aborts with OMP: Error #15.")
            for c in conflicts {
                lines.append("  \(f(c.first))")
                lines.append("  + \(f(c.second))\(c.sameContent ? "  (identical bytes, but a separate file)" : "")")
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
