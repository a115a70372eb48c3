import Foundation

/// The doc's packages in package words: which runtime each one's wheel ships on a platform (the
/// wheel catalog, `Matrices/wheels/catalog.yaml`), which atlas runtime measured it (on macOS the
/// Linux build of the same release standing in, on Windows the real DLL under Wine), and the
/// atlas cells of each ordered pair of them.
extension AtlasEvidence {
    /// One platform's package pairs, measured on one atlas.
    package struct Packages: Sendable, Hashable {
        /// `Matrices/atlas/windows-x86_64/<host key>.json`.
        package var source: String
        /// Ordered pairs of two packages whose runtimes are both of the Intel/LLVM kind.
        package var pairs: [PackagePair]
        /// Packages whose runtime is of another kind (Microsoft vcomp, GNU libgomp), with the
        /// cells of that runtime beside each package's runtime of the Intel/LLVM kind.
        package var bystanders: [Bystander]
        /// Packages that could not be answered, each with why.
        package var unanswered: [String]
    }

    /// A package whose runtime takes no part in the Intel/LLVM registration, and what its cells did.
    package struct Bystander: Sendable, Hashable {
        /// `faiss-cpu 1.15.1`.
        package var packages: [String]
        /// `Microsoft's vcomp140.dll`, and its file name.
        package var runtime: String
        package var file: String
        /// The atlas runtime that measured it, by its source (`msvc-runtime 14.51.36231`).
        package var measuredAs: String
        /// The packages of the Intel/LLVM kind it was measured beside.
        package var partners: [String]
        /// Ordered pairs measured without the variable, and how many aborted.
        package var orders: Int
        package var aborted: Int
    }

    /// A package's runtime and the atlas runtime that measured it.
    struct MeasuredRuntime {
        /// `torch` and `torch 2.15.0`.
        var package: String
        var name: String
        /// `LLVM 19.1`, or on Windows the DLL in words.
        var runtime: String
        var family: String
        /// `Microsoft's vcomp140.dll`: the runtime by its vendor and file name; and the file name.
        var vendorFile: String = ""
        var file: String = ""
        /// The atlas runtime's axis name, nil when none measured it (then `why`).
        var atlasName: String?
        var why: String?
    }

    /// The catalog's runtimes of `packages` on `platform`, each matched to the atlas runtime that
    /// measured it: on macOS the Linux build of the same release (``PackageDoctor/standIn(_:in:)``),
    /// on Windows the same DLL (``PackageDoctor/windowsMeasured(_:in:)``, else the same kind).
    static func measured(_ packages: [String], platform: WheelCatalog.Platform, catalog: WheelCatalog, atlas: AtlasResults) -> [MeasuredRuntime] {
        var out: [MeasuredRuntime] = []
        for p in packages {
            guard let w = catalog.wheel(package: p, platform: platform) else {
                out.append(MeasuredRuntime(package: p, name: p, runtime: "", family: "", atlasName: nil,
                                           why: "no \(p) wheel for \(platform.rawValue) in the wheel catalog"))
                continue
            }
            let name = "\(w.package) \(w.version)"
            guard let rt = w.runtimes.first(where: { $0.linkage != .system }) else {
                out.append(MeasuredRuntime(package: p, name: name, runtime: "", family: "", atlasName: nil,
                                           why: w.runtimes.isEmpty ? "\(name) ships no OpenMP runtime" : "\(name) expects its runtime from the system, whose release is not known before install"))
                continue
            }
            let b = PackageDoctor.Brought(package: w.package, version: w.version, runtime: rt)
            switch platform {
            case .windows:
                let file = WheelCatalog.fileName(rt.path)
                if rt.family == "kmp", let m = PackageDoctor.windowsMeasured(b, in: atlas) {
                    let src = Self.sourceWords(m.runtime.source ?? m.runtime.name)
                    let words = src.hasPrefix(w.package + " ")
                        ? "\(file), its own Intel build\(PackageDoctor.intelBuild(m.runtime).map { " \($0)" } ?? "")"
                        : "\(file) = \(src)'s, \(m.how)"
                    out.append(MeasuredRuntime(package: p, name: name, runtime: words, family: rt.family, atlasName: m.runtime.name, why: nil))
                } else if rt.family != "kmp", let r = atlas.runtimes.first(where: { $0.identity?.sha256 == rt.sha256 && $0.notProvisioned == nil })
                            ?? atlas.runtimes.first(where: { $0.identity?.family == rt.family && $0.notProvisioned == nil }) {
                    out.append(MeasuredRuntime(package: p, name: name, runtime: "\(b.words) (\(file))", family: rt.family,
                                               vendorFile: rt.vendor == "microsoft" ? "Microsoft's \(file)" : "\(file) (\(b.words))", file: file,
                                               atlasName: r.name, why: nil))
                } else {
                    out.append(MeasuredRuntime(package: p, name: name, runtime: "\(b.words) (\(file))", family: rt.family, atlasName: nil,
                                               why: "the Windows atlas did not measure \(name)'s \(file)"))
                }
            case .macos, .linux:
                let s = PackageDoctor.standIn(b, in: atlas).same
                var words = b.words
                if let s, let id = s.identity, !(id.release == rt.release || id.release.hasPrefix(rt.release + ".")) {
                    words += "; its stand-in is LLVM \(id.release), the same major release"
                }
                out.append(MeasuredRuntime(package: p, name: name, runtime: words, family: rt.family, atlasName: s?.name,
                                           why: s == nil ? "no Linux build of \(b.words) in the atlas to stand in for \(name)'s" : nil))
            }
        }
        return out
    }

    /// Every ordered pair of two measured packages of the Intel/LLVM kind, with the cells of their
    /// runtimes; the packages of another kind as bystanders beside them.
    static func packages(_ runtimes: [MeasuredRuntime], atlas: AtlasResults, source: String) -> Packages {
        let kmp = runtimes.filter { $0.family == "kmp" && $0.atlasName != nil }
        func cell(_ a: String, _ b: String, _ diagonal: AtlasCell.Diagonal? = nil) -> AtlasCell? {
            atlas.cells.first { $0.first == a && $0.second == b && $0.notRun == nil && (diagonal == nil || $0.diagonal == diagonal) }
        }
        var pairs: [PackagePair] = []
        for a in kmp {
            for b in kmp where b.package != a.package {
                var p = PackagePair(first: a.name, firstRuntime: a.runtime, second: b.name, secondRuntime: b.runtime,
                                    pair: cell(a.atlasName!, b.atlasName!).map(pair))
                p.oneFile = cell(a.atlasName!, a.atlasName!, .control)?.observation(.withoutVariable)?.runs ?? []
                p.twoFiles = cell(a.atlasName!, a.atlasName!, .copy)?.observation(.withoutVariable)?.runs ?? []
                pairs.append(p)
            }
        }
        // Packages sharing one runtime of another kind are one bystander.
        var bystanders: [Bystander] = []
        for r in runtimes where r.family != "kmp" && r.atlasName != nil {
            let measuredAs = atlas.runtime(named: r.atlasName!)?.source.map(Self.sourceWords) ?? r.atlasName!
            if let i = bystanders.firstIndex(where: { $0.runtime == r.vendorFile && $0.measuredAs == measuredAs }) {
                bystanders[i].packages.append(r.name)
                continue
            }
            var orders = 0, aborted = 0
            for k in kmp {
                for c in [cell(r.atlasName!, k.atlasName!), cell(k.atlasName!, r.atlasName!)].compactMap({ $0 }) {
                    guard let runs = c.observation(.withoutVariable)?.runs, !runs.isEmpty else { continue }
                    orders += 1
                    if runs.contains(.duplicateRuntimeAbort) { aborted += 1 }
                }
            }
            bystanders.append(Bystander(packages: [r.name], runtime: r.vendorFile, file: r.file, measuredAs: measuredAs,
                                        partners: kmp.map(\.name), orders: orders, aborted: aborted))
        }
        var unanswered = runtimes.compactMap(\.why)
        unanswered += kmp.flatMap { a in kmp.filter { $0.package != a.package && cell(a.atlasName!, $0.atlasName!) == nil }
            .map { "the atlas has no cell of \(a.name)'s runtime started before \($0.name)'s" } }
        return Packages(source: source, pairs: pairs, bystanders: bystanders, unanswered: unanswered)
    }

    /// `intel-openmp 2026.2.0` from `pypi:intel-openmp==2026.2.0`.
    static func sourceWords(_ source: String) -> String {
        (source.hasPrefix("pypi:") ? String(source.dropFirst(5)) : source).replacingOccurrences(of: "==", with: " ")
    }

    /// The macOS pairs: the atlas's own stand-ins, then the catalog's macOS wheels of `packages`
    /// the atlas did not record, each with the Linux build of its release that stands in.
    static func macOSPackages(_ atlas: AtlasResults, source: String, catalog: WheelCatalog?, packages: [String]) -> Packages {
        var runtimes = atlas.standIns.map { s in
            MeasuredRuntime(package: String(s.wheelName.split(separator: " ").first ?? ""), name: s.wheelName, runtime: s.runtimeLabel,
                            family: "kmp", atlasName: s.standIn, why: s.standIn == nil ? "\(s.wheelName): \(s.note)" : nil)
        }
        if let catalog {
            runtimes += measured(packages.filter { p in !runtimes.contains { $0.package == p } }, platform: .macos, catalog: catalog, atlas: atlas)
        }
        return Self.packages(runtimes, atlas: atlas, source: source)
    }
}
