/// The package answer's "What to do", in the voice of the report's "What to do instead": one
/// runtime in the process (said for the platform's loader and these packages), what the atlas
/// measured for one runtime file, and what `KMP_DUPLICATE_LIB_OK` does for these exact pairs,
/// each claim cited from an atlas cell or marked as not measured.
extension PackageDoctor {
    /// The atlas runtime that measured a package's runtime, and the atlas it is in: on Windows the
    /// same DLL under Wine, elsewhere the Linux build of the same release; nil when none did.
    static func measuredRuntime(_ b: Brought, platform: WheelCatalog.Platform, atlas: AtlasResults?,
                                windowsAtlas: AtlasResults?) -> (runtime: AtlasRuntime, atlas: AtlasResults)? {
        guard b.runtime.linkage != .system else { return nil }
        if platform == .windows {
            return windowsAtlas.flatMap { w in windowsMeasured(b, in: w).map { ($0.runtime, w) } }
        }
        return atlas.flatMap { a in standIn(b, in: a).same.map { ($0, a) } }
    }

    /// The paragraph, or nil when no pair meets.
    static func whatToDo(_ pairs: [Pair], loaded: [Brought], platform: WheelCatalog.Platform, atlas: AtlasResults?, windowsAtlas: AtlasResults?) -> String? {
        guard !pairs.isEmpty else { return nil }
        let inPairs = loaded.filter { b in pairs.contains { $0.first == b || $0.second == b } }
        let shipped = inPairs.filter { $0.runtime.linkage != .system }
        let own = uniqued(shipped.map(\.package)), system = uniqued(inPairs.filter { $0.runtime.linkage == .system }.map(\.package))
        let file = platform == .windows ? "libiomp5md.dll" : platform == .macos ? "libomp.dylib" : "runtime file"
        var who = own.isEmpty ? "" : AtlasWords.list(own) + (own.count == 1 ? " ships its own \(file)" : " each ship their own \(file)")
        if platform == .windows, !own.isEmpty {
            // The packages the loader rule names as loading their DLL by full path.
            let byPath = own.filter(loadsByFullPath.contains)
            who = AtlasWords.list(own) + (own.count == 1 ? " ships its own \(file)" : " each ship their own \(file)")
                + (byPath.isEmpty ? "" : byPath.count == own.count ? (own.count == 1 ? " and loads it by full path" : " and load it by full path")
                                                                  : " (\(AtlasWords.list(byPath)) \(byPath.count == 1 ? "loads its" : "load theirs") by full path)")
        }
        if !system.isEmpty { who += (who.isEmpty ? "" : " and ") + AtlasWords.list(system) + (system.count == 1 ? " expects one" : " expect one") + " from the system" }
        var out = "Put one OpenMP runtime in the process instead of two of the Intel/LLVM kind: \(who), "
        switch platform {
        case .macos:
            out += "so take these packages from one channel that builds them against one shared libomp (conda-forge's llvm-openmp, for one; not measured here), "
                + "or have every package load one libomp.dylib file (install_name_tool; never run on macOS by this kit)."
        case .windows:
            out += "so each starts its own runtime; have them load one libiomp5md.dll file (the same path), or install them from one channel (not measured here)."
        case .linux:
            out += "under different names, so the loader maps each; link them against one runtime file, or remove a vendored copy and point its RPATH "
                + "at the one that stays (patchelf --set-rpath; not measured here)."
        }
        if let s = oneFileWords(shipped, platform: platform, atlas: atlas, windowsAtlas: windowsAtlas) { out += " " + s }
        out += " " + variableWords(pairs, platform: platform, atlas: atlas, windowsAtlas: windowsAtlas)
        return out
    }

    /// What the atlas measured for one file of the newest release these packages ship (keeping the
    /// newer release: a library built against a newer runtime can need symbols an older one lacks).
    static func oneFileWords(_ shipped: [Brought], platform: WheelCatalog.Platform, atlas: AtlasResults?, windowsAtlas: AtlasResults?) -> String? {
        func release(_ b: Brought) -> PythonVersion { PythonVersion(b.runtime.release) ?? PythonVersion(epoch: 0, release: [0]) }
        let byRelease = shipped.sorted { a, b in a.runtime.vendor == b.runtime.vendor ? release(a) > release(b) : a.runtime.vendor == "llvm" }
        let measured = byRelease.compactMap { b in measuredRuntime(b, platform: platform, atlas: atlas, windowsAtlas: windowsAtlas).map { (b, $0.runtime, $0.atlas) } }
        func diagonal(_ r: AtlasRuntime, _ a: AtlasResults, _ d: AtlasCell.Diagonal) -> (AtlasCell, [Outcome])? {
            guard let c = a.cells.first(where: { $0.first == r.name && $0.second == r.name && $0.diagonal == d && $0.notRun == nil }),
                  let runs = c.observation(.withoutVariable)?.runs, !runs.isEmpty else { return nil }
            return (c, runs)
        }
        var parts: [String] = []
        if let (keep, r, a) = measured.first(where: { diagonal($0.1, $0.2, .control) != nil }), let (control, runs) = diagonal(r, a, .control) {
            let stand = platform == .macos ? ", \(words(r)) standing in" : ""
            let which = keep == byRelease.first ? "Keeping the newest, \(keep.package)'s \(keep.words)" : "For \(keep.package)'s \(keep.words)"
            parts.append("\(which): one file of it loaded for both \(OpenMPConformance.Answer.runWords(runs)) without the variable (atlas cell \(control.id)\(stand))")
        } else if !shipped.isEmpty {
            parts.append("No atlas run of one file of these releases loaded for both is recorded here")
        }
        if let (b, r, a) = measured.first(where: { diagonal($0.1, $0.2, .copy) != nil }), let (copy, two) = diagonal(r, a, .copy) {
            parts.append("two files of \(b.package)'s runtime, each opened by its own path, \(OpenMPConformance.Answer.runWords(two)) (atlas cell \(copy.id)), "
                         + "so one file is what counts, not one release")
        }
        return parts.isEmpty ? nil : parts.joined(separator: "; ") + "."
    }

    /// What the variable does for each pair, from its cited cells: the aborts it avoids, the two
    /// thread pools it keeps, the orders that hang at exit; the pairs it changes nothing for; the
    /// pairs not measured.
    static func variableWords(_ pairs: [Pair], platform: WheelCatalog.Platform, atlas: AtlasResults?, windowsAtlas: AtlasResults?) -> String {
        var avoided: [String] = [], hangs: [String] = [], nothing: [String] = [], unmeasured: [String] = []
        var aborting = 0, orders = 0, twoPools = 0, withRuns = 0
        for p in pairs {
            let head = "\(p.first.package) + \(p.second.package)"
            guard !p.unmeasured, let (ra, a) = measuredRuntime(p.first, platform: platform, atlas: atlas, windowsAtlas: windowsAtlas),
                  let (rb, _) = measuredRuntime(p.second, platform: platform, atlas: atlas, windowsAtlas: windowsAtlas) else {
                unmeasured.append(head)
                continue
            }
            var cells: [(AtlasCell, Brought, Brought)] = []
            for (x, y, first, second) in ra.name == rb.name ? [(ra, rb, p.first, p.second)] : [(ra, rb, p.first, p.second), (rb, ra, p.second, p.first)] {
                if let c = a.cells.first(where: { $0.first == x.name && $0.second == y.name && $0.notRun == nil && $0.diagonal != .control }) {
                    cells.append((c, first, second))
                }
            }
            let aborts = cells.filter { $0.0.observation(.withoutVariable)?.runs.contains(.duplicateRuntimeAbort) == true }
            if aborts.isEmpty {
                let undetected = cells.allSatisfy { $0.0.observation(.withoutVariable)?.runtimesRan?.contains(.twoUndetected) == true }
                nothing.append(head + (undetected ? " (without it both runtimes already run, neither detecting the other: " : " (no start order aborts without it: ")
                               + cells.map { "atlas cell \($0.0.id)" }.joined(separator: "; ") + ")")
            } else {
                avoided.append(head)
                orders += cells.count
                aborting += aborts.count
            }
            for (c, first, second) in cells {
                // How many runtimes ran with the variable in the orders it rescues, where the atlas recorded it.
                for o in c.observations where !aborts.isEmpty && o.variant != .withoutVariable && o.runtimesRan != nil {
                    withRuns += 1
                    if o.runtimesRan?.contains(.two) == true { twoPools += 1 }
                }
                if let with = c.observation(.withVariable), with.runs.contains(.hangAtExit) {
                    let n = with.runs.filter { $0 == .hangAtExit }.count
                    hangs.append("when \(first.package)'s starts first, then \(second.package)'s (\(n) of \(OpenMPConformance.Answer.plural(with.runs.count, "run")), atlas cell \(c.id))")
                }
            }
        }
        var s = ""
        if !avoided.isEmpty {
            s = "KMP_DUPLICATE_LIB_OK=TRUE instead avoids the abort for \(AtlasWords.list(avoided)) (\(aborting) of \(OpenMPConformance.Answer.plural(orders, "start order")) \(aborting == 1 ? "aborts" : "abort") without it), "
                + (withRuns == 0 ? "but it keeps both runtimes (how many ran with it is not recorded in this atlas)"
                   : "but both runtimes keep running, each with its own thread pool (two runtimes ran in \(twoPools) of \(OpenMPConformance.Answer.plural(withRuns, "atlas probe")) with it)")
            s += hangs.isEmpty ? "." : ", and it hangs at exit " + hangs.joined(separator: "; ") + "."
        } else if !nothing.isEmpty {
            s = "KMP_DUPLICATE_LIB_OK=TRUE avoids nothing here."
            if !hangs.isEmpty { s += " With it, it hangs at exit " + hangs.joined(separator: "; ") + "." }
        }
        if !nothing.isEmpty {
            s += " The variable changes nothing for " + AtlasWords.list(nothing)
                // Linux builds up to LLVM 11 and from LLVM 13 register apart; the macOS dylibs were only read, never run.
                + (platform == .macos ? ", as their Linux stand-ins ran; whether the macOS builds detect each other is not measured here." : ".")
        }
        if !unmeasured.isEmpty {
            s += " For \(AtlasWords.list(unmeasured)), nothing is measured here, so nothing is said of the variable."
        }
        return s.trimmingWhitespace
    }

    static func uniqued(_ items: [String]) -> [String] {
        var seen = Set<String>()
        return items.filter { seen.insert($0).inserted }
    }
}
