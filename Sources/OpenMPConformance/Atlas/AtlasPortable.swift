/// The atlas as it is checked in: no path of the machine that measured it. Runtime files in
/// the runtime cache are written relative to it (as the manifest does); in repro lines the
/// cache becomes `$OMP_CONFORMANCE_RUNTIMES/` and the probe `$OMP_PROBE`, the kit's own
/// variables for them, so a line still reproduces the probe on another machine. System files
/// (`/usr/lib/...`) stay as they are: they are the same on every Debian host.
extension AtlasResults {
    /// - Parameter runtimesDirectories: the runtime cache as given and as resolved (symlinks).
    package func portable(runtimesDirectories: [String]) -> AtlasResults {
        let roots = Array(Set(runtimesDirectories.map { $0.hasSuffix("/") ? $0 : $0 + "/" }.filter { $0.count > 1 }))
            .sorted { $0.count > $1.count }
        func path(_ p: String) -> String {
            for root in roots where p.hasPrefix(root) { return String(p.dropFirst(root.count)) }
            return p
        }
        func line(_ s: String) -> String {
            var out = s
            for root in roots { out = out.replacingOccurrences(of: root, with: "$\(RuntimeCatalog.directoryVariable)/") }
            // The probe: the word that names omp-probe by its path.
            let words = out.split(separator: " ", omittingEmptySubsequences: false).map { w -> String in
                w.hasSuffix("/omp-probe") && !w.contains("=") ? "$OMP_PROBE" : String(w)
            }
            return words.joined(separator: " ")
        }
        var a = self
        a.runtimes = runtimes.map { r in
            var r = r
            r.path = path(r.path)
            r.copy = r.copy.map { AtlasFile(name: $0.name, path: path($0.path)) }
            r.notProvisioned = r.notProvisioned.map(line)
            return r
        }
        a.host.runtimes = host.runtimes.map { r in
            var r = r
            r.path = path(r.path)
            return r
        }
        a.cells = cells.map { c in
            var c = c
            c.secondFile = c.secondFile.map { AtlasFile(name: $0.name, path: path($0.path)) }
            c.notRun = c.notRun.map(line)
            c.observations = c.observations.map { o in
                var o = o
                o.repro = line(o.repro)
                o.message = line(o.message)
                return o
            }
            return c
        }
        return a
    }
}
