import Foundation

/// Text as the kit writes it for people and for the repository: no path of the machine that
/// measured it. A file in the runtime cache is written `$OMP_CONFORMANCE_RUNTIMES/…` and the
/// probe `$OMP_PROBE`, the kit's own variables for them (the README's "Running a repro line" sets
/// both), so a repro line runs as shown on any machine with the runtimes provisioned. System files
/// (`/usr/lib/…`) stay as they are: they are the same on every Debian host.
///
/// The one place every writer of checked-in or report text goes through: the atlas snapshots,
/// the verdict snapshots under `Matrices/baselines/`, the README's generated section and the
/// matrix reports.
package struct PortablePaths: Sendable, Hashable {
    /// The runtime cache as given and as resolved (symlinks), each ending in `/`, longest first.
    package var roots: [String]

    package static let runtimesPlaceholder = "$" + RuntimeCatalog.directoryVariable
    package static let probePlaceholder = "$OMP_PROBE"
    /// What every report says once before its repro lines.
    package static let howToRun = "Repro lines write the runtime cache as $OMP_CONFORMANCE_RUNTIMES and the probe as $OMP_PROBE: "
        + "export both first (the README's \"Running a repro line\"), then paste a line into bash."

    package init(runtimesDirectories: [String]) {
        roots = Array(Set(runtimesDirectories.map { $0.hasSuffix("/") ? $0 : $0 + "/" }.filter { $0.count > 1 }))
            .sorted { $0.count != $1.count ? $0.count > $1.count : $0 < $1 }
    }

    /// The runtime cache of this process's environment (``RuntimeCatalog/directory(packageRoot:environment:)``),
    /// as given and resolved; no roots when there is none.
    package static func current(environment: [String: String] = ProcessInfo.processInfo.environment) -> PortablePaths {
        guard let dir = try? RuntimeCatalog.directory(environment: environment) else { return PortablePaths(runtimesDirectories: []) }
        return PortablePaths(runtimesDirectories: [dir.path, dir.standardizedFileURL.path, dir.resolvingSymlinksInPath().path])
    }

    /// A path under the runtime cache, relative to it (as the manifest writes it); others unchanged.
    package func relative(_ p: String) -> String {
        for root in roots where p.hasPrefix(root) { return String(p.dropFirst(root.count)) }
        return p
    }

    /// A command line or message with the runtime cache written `$OMP_CONFORMANCE_RUNTIMES/` and the
    /// word naming `omp-probe` by its path written `$OMP_PROBE`. Inside single quotes the variable is
    /// spliced in between closing and reopening quotes, so the shell still expands it.
    package func line(_ s: String) -> String {
        var out = ""
        var inSingle = false, escaped = false
        var i = s.startIndex
        outer: while i < s.endIndex {
            let c = s[i]
            if !escaped {
                for root in roots where s[i...].hasPrefix(root) {
                    out += inSingle ? "'\"\(Self.runtimesPlaceholder)\"'/" : "\(Self.runtimesPlaceholder)/"
                    i = s.index(i, offsetBy: root.count)
                    continue outer
                }
            }
            if escaped { escaped = false } else if c == "\\" && !inSingle { escaped = true } else if c == "'" { inSingle.toggle() }
            out.append(c)
            i = s.index(after: i)
        }
        // The probe: a word that names omp-probe by its path (not an assignment).
        return out.split(separator: " ", omittingEmptySubsequences: false).map { w -> String in
            w.hasSuffix("/omp-probe") && !w.contains("=") && !w.hasPrefix("'") && !w.hasPrefix("$'") ? Self.probePlaceholder : String(w)
        }.joined(separator: " ")
    }
}

extension ResultsFile {
    /// The file with every repro line, message and runtime path written by `paths`: what the
    /// reports and the verdict snapshot show.
    package func portable(_ paths: PortablePaths) -> ResultsFile {
        var r = self
        r.host.runtimes = host.runtimes.map { var x = $0; x.path = paths.line(x.path); return x }
        r.results = results.map { c in
            var c = c
            c.repro = paths.line(c.repro)
            c.message = paths.line(c.message)
            if var p = c.probe {
                p.repro = paths.line(p.repro)
                p.runtimesMapped = p.runtimesMapped.map { var m = $0; m.path = paths.line(m.path); return m }
                // The probe's own output names the files it mapped (`@omp mapped kmp PATH`).
                for k in [\ProbeResult.stdout, \ProbeResult.stderr] {
                    p[keyPath: k].head = paths.line(p[keyPath: k].head)
                    p[keyPath: k].tail = paths.line(p[keyPath: k].tail)
                }
                c.probe = p
            }
            return c
        }
        r.claims = claims.map { v in
            var v = v
            v.counterexampleRepro = v.counterexampleRepro.map(paths.line)
            return v
        }
        return r
    }
}
