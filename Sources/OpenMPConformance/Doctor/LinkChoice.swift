/// Which runtime a link fix keeps. The runtime kept must export every OpenMP entry point that
/// the other side's libraries import (a consumer built against LLVM 16 that calls
/// `omp_in_explicit_task` fails to load on LLVM 14 with `undefined symbol`); when both runtimes
/// do, the newer release is kept; when neither does, the fix does not apply, and the missing
/// entry points are named.
enum LinkChoice {
    /// The decision for one pair.
    enum Decision: Equatable {
        /// Keep `keep`, replace `replace` by a link to it; `why` says how it was chosen.
        case keep(DoctorRuntime, replacing: DoctorRuntime, why: String)
        /// Neither runtime can stand in for the other; `why` names the missing entry points.
        case doesNotApply(why: String)
    }

    /// The libraries among `consumers` that load `runtime` by name: their `DT_NEEDED` names its
    /// SONAME or its file name.
    static func users(of runtime: DoctorRuntime, among consumers: [ScanReport.Consumer]) -> [ScanReport.Consumer] {
        let file = runtime.path.split(separator: "/").last.map(String.init) ?? runtime.path
        let names = Set([runtime.soname, file].compactMap { $0 })
        return consumers.filter { c in c.needed.contains { names.contains($0) } }
    }

    /// The OpenMP entry points `runtime` exports, read from its file; nil when it cannot be read.
    static func exports(of runtime: DoctorRuntime) -> Set<String>? {
        if let elf = try? ELFFile(path: runtime.loadPath) {
            return Set(elf.exportedSymbols().filter(ScanReport.Consumer.isOpenMPEntryPoint))
        }
        return nil
    }

    /// Entry points that the users of `replace` import and `keep` does not export, with one user each.
    static func missing(keep: DoctorRuntime, replace: DoctorRuntime, consumers: [ScanReport.Consumer]) -> [(symbol: String, user: String)]? {
        let users = users(of: replace, among: consumers)
        guard !users.isEmpty else { return [] }
        guard let exported = exports(of: keep) else { return nil }
        var out: [(String, String)] = [], seen: Set<String> = []
        for u in users {
            for s in u.imports where !exported.contains(s) && seen.insert(s).inserted { out.append((s, u.path)) }
        }
        return out
    }

    static func decide(_ a: DoctorRuntime, _ b: DoctorRuntime, consumers: [ScanReport.Consumer]) -> Decision {
        let keepA = missing(keep: a, replace: b, consumers: consumers)
        let keepB = missing(keep: b, replace: a, consumers: consumers)
        func words(_ m: [(symbol: String, user: String)]) -> String {
            let shown = m.prefix(8).map { "\($0.symbol) (imported by \($0.user))" }.joined(separator: ", ")
            return m.count > 8 ? shown + " and \(m.count - 8) more" : shown
        }
        let aCovers = keepA?.isEmpty == true, bCovers = keepB?.isEmpty == true
        switch (aCovers, bCovers) {
        case (true, false):
            return .keep(a, replacing: b, why: "\(a.shortName) exports every OpenMP entry point the libraries using \(b.shortName) import; "
                         + "\(b.shortName) lacks " + (keepB.map(words) ?? "(its exports could not be read)"))
        case (false, true):
            return .keep(b, replacing: a, why: "\(b.shortName) exports every OpenMP entry point the libraries using \(a.shortName) import; "
                         + "\(a.shortName) lacks " + (keepA.map(words) ?? "(its exports could not be read)"))
        case (true, true):
            let (newer, older) = isNewer(b, than: a) ? (b, a) : (a, b)
            return .keep(newer, replacing: older, why: "both export what the other side's libraries import; \(newer.shortName) is the newer release"
                         + (releaseDate(newer).map { " (\($0 / 10000)-\(String(format: "%02d", $0 / 100 % 100)))" } ?? ""))
        case (false, false):
            return .doesNotApply(why: "neither runtime can stand in for the other: keeping \(a.shortName) leaves "
                                 + (keepA.map(words) ?? "exports unread") + " unresolved; keeping \(b.shortName) leaves "
                                 + (keepB.map(words) ?? "exports unread") + " unresolved")
        }
    }

    /// True when `x` is a later release than `y` by release date; a runtime without a known date is older.
    static func isNewer(_ x: DoctorRuntime, than y: DoctorRuntime) -> Bool {
        (releaseDate(x) ?? 0) > (releaseDate(y) ?? 0)
    }

    /// The release date as `yyyymmdd`: Intel's from its library banner (`5.0.20250422`), LLVM's from
    /// its release (the build-compiler version), by the LLVM project's release calendar.
    static func releaseDate(_ r: DoctorRuntime) -> Int? {
        switch r.vendor {
        case .intel, .unknown:
            guard let last = r.version.split(separator: ".").last, last.count == 8, let d = Int(last) else { return nil }
            return d
        case .llvm:
            guard let major = r.version.split(separator: ".").first.flatMap({ Int($0) }) else { return nil }
            return llvmReleases[major]
        case .gnu, .microsoft:
            return nil
        }
    }

    /// LLVM release dates, the first release of each major version.
    static let llvmReleases: [Int: Int] = [
        9: 20190919, 10: 20200324, 11: 20201012, 12: 20210414, 13: 20211004, 14: 20220325, 15: 20220906,
        16: 20230317, 17: 20230919, 18: 20240305, 19: 20240917, 20: 20250304, 21: 20250826,
    ]
}
