import Foundation

/// `omp-matrix doctor --packages … | --requirements FILE --platform ID`: before anything is
/// installed, which runtime each package's wheel brings on a platform (from ``WheelCatalog``),
/// which of them meet in one process under that platform's loader rules, and what each pair does
/// (cited from the atlas cells of the same releases).
///
/// Packages not in the catalog are resolved by download (``resolve(_:platform:catalog:builder:)``,
/// verified against the index's SHA-256 and recorded); one that cannot be is listed with the reason,
/// never guessed, and the answer is then incomplete.
package enum PackageDoctor {
    // MARK: answering

    /// One runtime in the process: the package that brings it and the catalog's record.
    package struct Brought: Sendable, Hashable, Codable {
        package var package: String
        package var version: String
        package var runtime: WheelCatalog.Runtime
        /// `LLVM 19.1`, `Intel 5.0.20260828`, `GNU GOMP_5.0`, `Microsoft vcomp 14.51.36247.0`.
        package var words: String {
            switch runtime.vendor {
            case "llvm": return "LLVM \(runtime.release)"
            case "intel": return "Intel \(runtime.release)"
            case "gnu": return "GNU libgomp \(runtime.release)"
            case "microsoft": return "Microsoft vcomp \(runtime.release)"
            default: return "\(runtime.family) \(runtime.release)"
            }
        }
        package var name: String { "\(package) (\(runtime.path), \(runtime.linkage == .system ? "expected from the system" : words))" }
    }

    /// A pair of KMP runtimes that meet, and what the atlas says they do.
    package struct Pair: Sendable, Hashable, Codable {
        package var first: Brought
        package var second: Brought
        /// The answer in words.
        package var answer: String
        /// The answer without the pair's names (what the README table shows).
        package var findings: String
        /// The atlas cells cited.
        package var cells: [String]
        /// Aborts without the variable, or hangs at exit with it, in a cited cell.
        package var fails: Bool
        /// No cell of these releases (a nearest one may be named).
        package var unmeasured: Bool
    }

    package struct Answer: Sendable, Hashable, Codable {
        package var platform: String
        package var platformLabel: String
        package var lines: [String]
        package var brought: [Brought]
        package var pairs: [Pair]
        package var unknown: [String]
        package var unsupported: [String]
        /// What to do, after the pairs: one runtime in the process, what one file measured, what the variable does for these pairs.
        package var whatToDo: String?
        /// The packages resolved outside the catalog (downloaded or recorded), and those that could not be, with how.
        package var downloads: [Download]
        /// 1 a pair aborts or hangs at exit; 4 incomplete; 0 otherwise.
        package var exitCode: Int32
    }

    package static func label(_ p: WheelCatalog.Platform) -> String {
        switch p {
        case .linux: return "Linux (run here)"
        case .macos: return "macOS: read from the wheels; Linux builds of the same release stand in"
        case .windows: return "Windows: the real DLLs under Wine 8.0, not Windows"
        }
    }

    /// The answer for `requests` on `platform` with Python `python` (`3.12`; markers are evaluated for both).
    /// `downloads` are the packages resolved outside the catalog (``resolve(_:platform:catalog:builder:)``);
    /// `unsupported` the lines not read (those naming packages make the answer incomplete).
    package static func answer(_ all: [Request], platform: WheelCatalog.Platform, python: String = "3.12", catalog: WheelCatalog,
                               atlas: AtlasResults?, atlasSource: String, windowsAtlas: AtlasResults? = nil, windowsAtlasSource: String = "",
                               unsupported given: [NotRead] = [], downloads: [Download] = []) -> Answer {
        var lines: [String] = [], unknown: [String] = [], brought: [Brought] = []
        let (requests, notForTarget, undecided) = forTarget(all, platform: platform, python: python)
        let unsupported = given + undecided
        var perPackage: [String] = notForTarget
        let tag = pythonTag(python)
        for r in requests {
            let name = WheelCatalog.normalize(r.name)
            let shown = name + (r.version.map { " \($0)" } ?? r.specifier.map { " \($0)" } ?? "")
            let fetched = downloads.first { $0.package == name && $0.requested == r.version && $0.specifier == r.specifier && $0.platform == platform }
            guard let w = catalogWheel(r, catalog: catalog, python: tag, platform: platform) ?? fetched?.wheel else {
                if let d = fetched {
                    unknown.append(r.asked)
                    perPackage.append("\(shown): \(d.how)")
                } else if let m = catalogMissing(r, catalog: catalog, platform: platform) {
                    perPackage.append("\(name) \(m.version): no wheel for \(platform.rawValue) (\(m.reason))")
                } else {
                    unknown.append(r.asked)
                    perPackage.append("\(shown): not in the wheel catalog, so not answered (nothing downloaded here)")
                }
                continue
            }
            let how = fetched?.wheel == w ? " (\(fetched!.how))"
                : r.specifier.map { " (the catalog's version, which satisfies '\($0)')" } ?? (r.version == nil ? " (the catalog's version)" : "")
            if w.runtimes.isEmpty {
                perPackage.append("\(name) \(w.version)\(how): ships no OpenMP runtime")
            }
            for rt in w.runtimes {
                let b = Brought(package: name, version: w.version, runtime: rt)
                brought.append(b)
                perPackage.append("\(name) \(w.version)\(how): \(rt.path), \(rt.linkage == .system ? "not shipped, expected from the system (\(rt.family))" : "\(b.words) (\(rt.family)), \(rt.linkage.rawValue)")")
            }
        }
        // The runtimes that are separate in one process, by the platform's loader rule.
        var loaded: [Brought] = []
        var merged: [String] = []
        var rule: String
        switch platform {
        case .linux:
            rule = "Linux: the loader maps one file per SONAME, so runtimes of the same file name are one; renamed copies are separate."
        case .macos:
            rule = "macOS: each wheel's libomp.dylib is loaded from its own path, so each is a separate runtime; runtimes expected from the system are one."
        case .windows:
            rule = "Windows: \(AtlasWords.list(loadsByFullPath)) load their DLLs by full path, so each shipped DLL is its own module; a DLL loaded by name reuses a loaded one of that name (Wine-measured; Windows' own loader is not proven here)."
        }
        for b in brought where b.runtime.family == "kmp" {
            let base = WheelCatalog.fileName(b.runtime.path).lowercased()
            let same = loaded.first { o in
                let ob = WheelCatalog.fileName(o.runtime.path).lowercased()
                switch platform {
                case .linux: return ob == base
                case .macos, .windows: return o.runtime.linkage == .system && b.runtime.linkage == .system && ob == base
                }
            }
            if let o = same {
                merged.append("\(b.name) has the name of \(o.name), so the loader uses one of them (whichever loads first)")
            } else {
                loaded.append(b)
            }
        }
        var pairs: [Pair] = []
        for i in loaded.indices {
            for j in loaded.indices where j > i && loaded[i].package != loaded[j].package {
                pairs.append(pair(loaded[i], loaded[j], atlas: atlas, platform: platform, windowsAtlas: windowsAtlas))
            }
        }
        let fails = pairs.contains(where: \.fails)
        let incomplete = !unknown.isEmpty || pairs.contains(where: \.unmeasured) || (atlas == nil && !pairs.isEmpty) || unsupported.contains(where: \.incomplete)
        let incompleteWords = (unknown.isEmpty ? "" : " Incomplete: \(unknown.joined(separator: ", ")) not answered (see Packages).")
            + (unsupported.contains(where: \.incomplete) ? " Incomplete: \(unsupported.filter(\.incomplete).count) line\(unsupported.filter(\.incomplete).count == 1 ? "" : "s") not read (see Not read)." : "")
        if pairs.isEmpty {
            let kmp = loaded.count
            lines.append("No two OpenMP runtimes of the Intel/LLVM kind meet on \(platform.rawValue): "
                         + (kmp == 0 ? "none of these packages brings one." : "only one reaches the process, \(loaded[0].name).")
                         + " GNU libgomp and Microsoft vcomp take no part in Error #15."
                         + incompleteWords)
        } else {
            let open = pairs.filter(\.unmeasured).count
            var bringers: [String] = []
            for name in pairs.flatMap({ [$0.first.package, $0.second.package] }) where !bringers.contains(name) { bringers.append(name) }
            lines.append("\(AtlasWords.list(bringers)) bring OpenMP runtimes of the Intel/LLVM kind that meet in one process on \(platform.rawValue) "
                         + "(\(pairs.count) pair\(pairs.count == 1 ? "" : "s"))"
                         + (pairs.count == 1
                            ? (fails ? "; in a cited cell it aborts with Error #15 or hangs at exit (below)." : "; it neither aborts nor hangs at exit in the cited cells.")
                            : (fails ? "; at least one pair aborts with Error #15 or hangs at exit." : "; no pair aborts or hangs at exit in the cited cells."))
                         + (open == 0 ? "" : " Incomplete: \(open) of them not measured here.")
                         + incompleteWords)
            for p in pairs { lines.append(p.answer) }
        }
        let todo = whatToDo(pairs, loaded: loaded, platform: platform, atlas: atlas, windowsAtlas: windowsAtlas).map(ReportText.stripControls)
        if let todo { lines.append(Self.whatToDoLabel + todo) }
        lines.append("Packages: " + perPackage.joined(separator: "; ") + ".")
        lines.append("Loader rule: " + rule + (merged.isEmpty ? "" : " Here: " + merged.joined(separator: "; ") + "."))
        if platform == .windows, windowsAtlas != nil {
            lines.append("Atlas: \(windowsAtlasSource) (\(label(platform))) for the DLLs it measured; "
                         + (atlas == nil ? "no Linux snapshot" : atlasSource) + " names the nearest Intel releases measured on Linux for any other.")
        } else {
            let standing = platform == .windows ? windowsStanding : label(platform)
            lines.append("Atlas: " + (atlas == nil ? "no snapshot, nothing cited" : atlasSource) + "; \(standing).")
        }
        if !unsupported.isEmpty {
            lines.append("Not read: " + unsupported.map(\.words).joined(separator: "; ") + "."
                         + (unsupported.contains(where: \.incomplete) ? " Incomplete: the packages of those lines are not answered." : ""))
        }
        return Answer(platform: platform.rawValue, platformLabel: label(platform), lines: lines.map(ReportText.stripControls), brought: brought,
                      pairs: pairs, unknown: unknown, unsupported: unsupported.map(\.words), whatToDo: todo,
                      downloads: downloads.filter { d in requests.contains { WheelCatalog.normalize($0.name) == d.package && $0.version == d.requested && $0.specifier == d.specifier } },
                      exitCode: fails ? 1 : incomplete ? 4 : 0)
    }

    /// `cp312` for `3.12` (or `3.12.4`).
    package static func pythonTag(_ python: String) -> String { "cp" + python.split(separator: ".").prefix(2).joined() }

    /// The catalog's wheel for a request: the newest catalogued version that satisfies its
    /// version constraint (every one when it has none), for the Python tag and platform.
    static func catalogWheel(_ r: Request, catalog: WheelCatalog, python: String, platform: WheelCatalog.Platform) -> WheelCatalog.Wheel? {
        guard let c = r.constraint else { return nil }
        let name = WheelCatalog.normalize(r.name)
        return catalog.wheels.filter { $0.package == name && $0.python == python && $0.platform == platform && c.matches($0.version) }
            .max { (PythonVersion($0.version) ?? PythonVersion(epoch: 0, release: [0])) < (PythonVersion($1.version) ?? PythonVersion(epoch: 0, release: [0])) }
    }

    /// A catalogued absence (no wheel for the platform) of a version that satisfies the request.
    static func catalogMissing(_ r: Request, catalog: WheelCatalog, platform: WheelCatalog.Platform) -> WheelCatalog.Missing? {
        guard let c = r.constraint else { return nil }
        let name = WheelCatalog.normalize(r.name)
        return catalog.missing.first { $0.package == name && $0.platform == platform && c.matches($0.version) }
    }

    /// Where Windows pairs stand when no Windows atlas (measured under Wine) is checked in: the one
    /// place that says so, for the doctor and the README table alike.
    static let windowsStanding = "Windows: no Windows atlas (measured under Wine) in this checkout, so no Windows pair is measured here; "
        + "each names the nearest Intel releases measured on Linux (the loader rule above is Wine-measured)"
    /// A Windows pair's answer when the Windows atlas lacks one of its DLLs (or there is none).
    static func windowsNotMeasured(_ nearest: String) -> String { "not measured under Wine here (nearest measured on Linux: \(nearest))" }

    /// The Windows atlas runtime measured for a shipped DLL, and how it was matched: the same bytes
    /// (SHA-256) first, else the same Intel build (the DLL's FileVersion); nil when the atlas lacks it.
    static func windowsMeasured(_ b: Brought, in atlas: AtlasResults) -> (runtime: AtlasRuntime, how: String)? {
        let kmp = atlas.runtimes.filter { $0.identity?.family == "kmp" && $0.notProvisioned == nil }
        if let sha = b.runtime.sha256, let r = kmp.first(where: { $0.identity?.sha256 == sha }) { return (r, "the same DLL by SHA-256") }
        guard b.runtime.vendor == "intel", let build = Int(b.runtime.release.split(separator: ".").last ?? "") else { return nil }
        if let r = kmp.first(where: { $0.identity?.vendor == "intel" && intelBuild($0) == build }) { return (r, "the same Intel build \(b.runtime.release)") }
        return nil
    }

    /// The atlas of all Windows DLLs measured under Wine that the doctor and README cite: this host's
    /// snapshot under `Matrices/atlas/windows-x86_64/`, else the first one there; with its path
    /// (relative to `Matrices/atlas/`), or nil with why.
    package static func windowsAtlas(root: URL) -> (AtlasResults?, String) {
        let dir = root.appendingPathComponent("Matrices/atlas/\(WineTools.platform)")
        var urls: [URL] = []
        if let own = WindowsAtlas.snapshotURL(hostKey: HostInfo.current().key, packageRoot: root) { urls.append(own) }
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []).filter { $0.hasSuffix(".json") }.sorted()
        urls += names.map { dir.appendingPathComponent($0) }
        var problems: [String] = []
        for u in urls where FileManager.default.fileExists(atPath: u.path) {
            do { return (try AtlasCodec.read(u), "\(WineTools.platform)/\(u.lastPathComponent)") } catch { problems.append("\(u.path): \(error)") }
        }
        return (nil, problems.isEmpty ? "no Windows atlas snapshot in \(dir.path)" : problems.joined(separator: "; "))
    }

    /// An atlas runtime in words: `LLVM 16.0.6 (llvm16)`, `Intel 2025.2.1, build 20250422 (intel)`.
    static func words(_ r: AtlasRuntime) -> String {
        guard let id = r.identity else { return r.name }
        if id.vendor == "intel", let b = intelBuild(r) { return "Intel \(id.release), build \(b) (\(r.name))" }
        return "\(id.vendor == "llvm" ? "LLVM" : id.vendor) \(id.release) (\(r.name))"
    }

    /// Intel's build date from a banner (`Intel(R) OMP version: 5.0.20260828; …` gives 20260828), or
    /// from a Windows DLL's FileVersion (`FileVersion 5.0.20260828`).
    static func intelBuild(_ r: AtlasRuntime) -> Int? {
        guard let banner = r.banner, let v = banner.range(of: "OMP version: ") ?? banner.range(of: "FileVersion ") else { return nil }
        let rest = banner[v.upperBound...].prefix { $0.isNumber || $0 == "." }
        return rest.split(separator: ".").last.flatMap { Int($0) }
    }

    /// The atlas runtime standing in for a catalog runtime: for LLVM the same major release (the same
    /// minor preferred), for Intel the same build; else `same` is nil and `nearest` names the closest measured one.
    static func standIn(_ b: Brought, in atlas: AtlasResults) -> (same: AtlasRuntime?, nearest: AtlasRuntime?) {
        let candidates = atlas.runtimes.filter { $0.identity?.family == "kmp" && $0.identity?.vendor == b.runtime.vendor && $0.notProvisioned == nil }
        switch b.runtime.vendor {
        case "llvm":
            let rel = b.runtime.release
            func major(_ s: String) -> Int? { s.split(separator: ".").first.flatMap { Int($0) } }
            if let r = candidates.first(where: { $0.identity.map { $0.release == rel || $0.release.hasPrefix(rel + ".") } ?? false }) { return (r, r) }
            guard let m = major(rel) else { return (nil, nil) }
            if let r = candidates.first(where: { $0.identity.flatMap { major($0.release) } == m }) { return (r, r) }
            let nearest = candidates.min { abs((major($0.identity!.release) ?? 0) - m) < abs((major($1.identity!.release) ?? 0) - m) }
            return (nil, nearest)
        case "intel":
            // Intel's own numbering: the build date the banner states (`5.0.20260828`).
            guard let date = Int(b.runtime.release.split(separator: ".").last ?? "") else { return (nil, nil) }
            if let r = candidates.first(where: { intelBuild($0) == date }) { return (r, r) }
            let nearest = candidates.min { abs((intelBuild($0) ?? 0) - date) < abs((intelBuild($1) ?? 0) - date) }
            return (nil, nearest)
        default:
            return (nil, nil)
        }
    }

    /// What the atlas cells of `x` then `y` (both start orders) say, in words, with the cells cited.
    static func cited(_ x: AtlasRuntime, _ y: AtlasRuntime, _ a: Brought, _ b: Brought, atlas: AtlasResults) -> (parts: [String], cells: [String], fails: Bool) {
        var parts: [String] = [], cells: [String] = [], fails = false
        // One file measured against itself: only its diagonal with a copy (two files) stands for two DLLs, once.
        let orders = x.name == y.name ? [(x, y, a)] : [(x, y, a), (y, x, b)]
        for (first, second, who) in orders {
            guard let c = atlas.cells.first(where: { $0.first == first.name && $0.second == second.name && $0.notRun == nil && $0.diagonal != .control })
            else { continue }
            cells.append(c.id)
            let without = c.observations.first { $0.variant == .withoutVariable }
            let with = c.observations.first { $0.variant == .withVariable }
            if (without?.outcomes ?? []).contains(.duplicateRuntimeAbort) || (without?.outcomes ?? []).contains(.hangAtExit)
                || (with?.outcomes ?? []).contains(.hangAtExit) { fails = true }
            parts.append("\(who.package) started first: without KMP_DUPLICATE_LIB_OK \(AtlasWords.observation(without)), "
                         + "with it \(AtlasWords.observation(with)) (atlas cell \(c.id))")
        }
        return (parts, cells, fails)
    }

    static func pair(_ a: Brought, _ b: Brought, atlas: AtlasResults?, platform: WheelCatalog.Platform, windowsAtlas: AtlasResults? = nil) -> Pair {
        let head = "\(a.name) + \(b.name): two OpenMP runtimes of the Intel/LLVM kind in one process"
        func unanswered(_ findings: String, cells: [String] = []) -> Pair {
            Pair(first: a, second: b, answer: head + "; " + findings + ".", findings: findings, cells: cells, fails: false, unmeasured: true)
        }
        guard a.runtime.linkage != .system, b.runtime.linkage != .system else {
            return unanswered("the system's release is not known before install, so not answered")
        }
        if platform == .windows, let w = windowsAtlas, let ma = windowsMeasured(a, in: w), let mb = windowsMeasured(b, in: w) {
            let c = cited(ma.runtime, mb.runtime, a, b, atlas: w)
            guard !c.parts.isEmpty else { return unanswered("the Windows atlas has no cell of two files for \(ma.runtime.name) with \(mb.runtime.name)") }
            let findings = c.parts.joined(separator: "; ") + ". [\(label(platform)): \(a.package)'s DLL is \(words(ma.runtime)), \(ma.how); "
                + "\(b.package)'s is \(words(mb.runtime)), \(mb.how)]"
            return Pair(first: a, second: b, answer: head + ". " + findings, findings: findings, cells: c.cells, fails: c.fails, unmeasured: false)
        }
        guard let atlas else { return unanswered("no atlas snapshot to cite, so not answered") }
        let sa = standIn(a, in: atlas), sb = standIn(b, in: atlas)
        if platform == .windows {
            guard let na = sa.nearest, let nb = sb.nearest else { return unanswered(windowsNotMeasured("none")) }
            let c = cited(na, nb, a, b, atlas: atlas)
            let near = "\(words(na)) for \(a.package)'s \(a.words), \(words(nb)) for \(b.package)'s \(b.words)"
                + (c.parts.isEmpty ? "" : ": " + c.parts.joined(separator: "; "))
            return unanswered(windowsNotMeasured(near), cells: c.cells)
        }
        guard let ra = sa.same, let rb = sb.same else {
            let missing = [(a, sa), (b, sb)].filter { $0.1.same == nil }
                .map { "\($0.0.words) not measured here (nearest measured: \($0.1.nearest.map(words) ?? "none"))" }
            return unanswered(missing.joined(separator: "; "))
        }
        let c = cited(ra, rb, a, b, atlas: atlas)
        guard !c.parts.isEmpty else { return unanswered("the atlas has no cell for \(ra.name) with \(rb.name)") }
        let stand = platform == .linux ? "" : " [Linux builds of the same release stand in: \(words(ra)), \(words(rb))]"
        let findings = c.parts.joined(separator: "; ") + "." + stand
        return Pair(first: a, second: b, answer: head + ". " + findings, findings: findings, cells: c.cells, fails: c.fails, unmeasured: false)
    }

    /// The Linux atlas snapshot that stands in for every platform here: this host's, else the first
    /// Linux snapshot in `Matrices/atlas/`; with its path, or nil with why.
    package static func linuxAtlas(root: URL) -> (AtlasResults?, String) {
        var urls: [URL] = []
        if let own = Atlas.snapshotURL(hostKey: HostInfo.current().key, packageRoot: root) { urls.append(own) }
        let dir = root.appendingPathComponent("Matrices/atlas")
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []).filter { $0.hasSuffix(".json") && !$0.hasPrefix("windows") }.sorted()
        urls += names.map { dir.appendingPathComponent($0) }
        var problems: [String] = []
        for u in urls where FileManager.default.fileExists(atPath: u.path) {
            do { return (try AtlasCodec.read(u), u.lastPathComponent) } catch { problems.append("\(u.path): \(error)") }
        }
        return (nil, problems.isEmpty ? "no atlas snapshot in \(dir.path)" : problems.joined(separator: "; "))
    }

    /// The packages whose Windows wheels load their libiomp5md.dll by full path: the Windows loader rule, one list for the rule and "What to do".
    static let loadsByFullPath = ["torch", "ctranslate2", "paddlepaddle"]

    /// How the text answer starts its "What to do" line.
    static let whatToDoLabel = "What to do: "

    /// The answer as Markdown: the lines as a list, "What to do" as its own paragraph after them.
    package static func markdown(_ a: Answer) -> String {
        var out = "# OpenMP runtimes of these packages on \(a.platform)\n\n_\(a.platformLabel)_\n\n"
        for l in a.lines where !l.hasPrefix(whatToDoLabel) { out += "- " + MarkdownText.text(l, limit: 100_000) + "\n" }
        if let todo = a.whatToDo { out += "\n**What to do.** " + MarkdownText.text(todo, limit: 100_000) + "\n" }
        return out
    }
}
