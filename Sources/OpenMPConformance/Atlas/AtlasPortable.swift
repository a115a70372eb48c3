/// The atlas as it is checked in: no path of the machine that measured it. Runtime files in
/// the runtime cache are written relative to it (as the manifest does); repro lines and
/// messages go through ``PortablePaths/line(_:)`` (`$OMP_CONFORMANCE_RUNTIMES/…`, `$OMP_PROBE`).
extension AtlasResults {
    /// - Parameter runtimesDirectories: the runtime cache as given and as resolved (symlinks).
    package func portable(runtimesDirectories: [String]) -> AtlasResults {
        let paths = PortablePaths(runtimesDirectories: runtimesDirectories)
        let path = paths.relative, line = paths.line
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
        // The concurrent and nested cells and the stack shapes hold repro lines too (their consumer
        // libraries and executables live in the runtime cache).
        a.concurrency = concurrency?.map { c in
            var c = c
            c.repro = line(c.repro)
            c.message = line(c.message)
            return c
        }
        a.shapes = shapes?.map { c in
            var c = c
            c.repro = line(c.repro)
            c.message = line(c.message)
            c.skipped = c.skipped.map(line)
            return c
        }
        return a
    }
}
