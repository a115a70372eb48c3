import Foundation

/// The cells of an atlas: the axes (catalog runtimes, each identified from its bytes or
/// marked not provisioned with the reason) and every ordered pair over them, with the files
/// each role loads. Nothing here runs a probe or expects an outcome.
package struct AtlasPlan: Sendable {
    /// One ordered pair to measure (or to show as not run).
    package struct Pair: Sendable, Hashable {
        package var first: String
        package var second: String
        /// Role `a`: the runtime started first. Nil when not provisioned.
        package var a: RuntimeBinding?
        /// Role `b`: the runtime started second (on the diagonal, its copy or the same file).
        package var b: RuntimeBinding?
        package var secondFile: AtlasFile?
        package var diagonal: AtlasCell.Diagonal?
        package var notRun: String?

        package func configuration(_ v: AtlasVariant, timeout: Duration, executable: String? = nil,
                                   wine: WineLaunch? = nil) -> Probe.Configuration? {
            guard notRun == nil, let a, let b else { return nil }
            var c = Probe.Configuration(runtimes: [a, b], plan: v.plan, environment: v.environment,
                                        timeout: timeout, executable: executable)
            c.wine = wine
            return c
        }
    }

    package var runtimes: [AtlasRuntime]
    package var pairs: [Pair]
    /// Catalog copies that could not be provisioned (their runtime's diagonal runs as a control).
    package var missingCopies: [String: String]
    package var standIns: [AtlasStandIn]
    /// Set for the Windows atlas: its probes run the Windows probe under Wine.
    package var wine: WineLaunch?

    /// The same plan with only the pairs whose ids (`first>second`) are in `cellIDs`; the
    /// axes stay, so the cells keep their identities (a sampled subset).
    package func selecting(_ cellIDs: Set<String>) -> AtlasPlan {
        var p = self
        p.pairs = pairs.filter { cellIDs.contains("\($0.first)>\($0.second)") }
        return p
    }

    /// Builds the plan from the catalog.
    ///
    /// - Parameters:
    ///   - names: axis names in order; nil means every catalog name (``AtlasCatalog/axes``)
    ///     followed by any other manifest runtime that is not a copy.
    /// - Throws: ``AtlasError/unknownRuntime(name:known:)`` for a name neither the catalog
    ///   nor the manifest knows.
    package static func make(catalog: RuntimeCatalog, names: [String]?) throws -> AtlasPlan {
        // The provenance fields (release, its source, banner, copyOf) as the manifest records them.
        let recorded = Dictionary(catalog.manifest.runtimes.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        let copyNames = Set(AtlasCatalog.names.compactMap { $0.copyOf == nil ? nil : $0.name })
            .union(recorded.values.compactMap { $0.copyOf == nil ? nil : $0.name })
        let manifestNames = catalog.manifest.runtimes.map(\.name)
        let known = AtlasCatalog.names.map(\.name) + manifestNames.filter { n in !AtlasCatalog.names.contains { $0.name == n } }
        let axes: [String]
        if let names {
            var seen = Set<String>()
            for n in names where !known.contains(n) { throw AtlasError.unknownRuntime(name: n, known: known) }
            axes = names.filter { seen.insert($0).inserted }
        } else {
            axes = AtlasCatalog.axes + manifestNames.filter { !AtlasCatalog.axes.contains($0) && !copyNames.contains($0) }
        }

        var identities: [String: (RuntimeIdentity, RuntimeRecord)] = [:]
        func identify(_ name: String) -> Result<(RuntimeIdentity, RuntimeRecord), AtlasError> {
            if let hit = identities[name] { return .success(hit) }
            guard let r = catalog.runtime(named: name) else {
                if let why = catalog.manifest.notProvisionedReason(name) { return .failure(.notProvisioned(name: name, reason: why)) }
                return .failure(.notProvisioned(name: name, reason: "not in \(catalog.manifestURL.path); run Scripts/provision-runtimes.sh"))
            }
            guard FileManager.default.fileExists(atPath: r.path) else {
                return .failure(.notProvisioned(name: name, reason: "the manifest lists \(r.path), which is missing"))
            }
            let id: RuntimeIdentity?
            do { id = try RuntimeIdentity.identify(path: r.path) } catch {
                return .failure(.notProvisioned(name: name, reason: "\(r.path) cannot be read as a runtime: \(error)"))
            }
            guard let id else { return .failure(.notProvisioned(name: name, reason: "\(r.path) is not an OpenMP runtime")) }
            guard id.sha256 == r.sha256.lowercased() else {
                return .failure(.notProvisioned(name: name, reason: "\(r.path) has SHA-256 \(id.sha256), the manifest pins \(r.sha256)"))
            }
            identities[name] = (id, r)
            return .success((id, r))
        }

        var missingCopies: [String: String] = [:]
        func copy(of name: String, _ id: RuntimeIdentity) -> AtlasFile? {
            let declared = AtlasCatalog.names.filter { $0.copyOf == name }.map(\.name)
                + recorded.values.filter { $0.copyOf == name }.map(\.name).sorted()
            for c in declared {
                switch identify(c) {
                case .success(let (cid, cr)):
                    if cid.sha256 == id.sha256, !cid.isSameFile(as: id) { return AtlasFile(name: c, path: cr.path) }
                    missingCopies[c] = "\(cr.path) is not a second file of \(name) (other content or the same inode)"
                case .failure(let e):
                    if case .notProvisioned(_, let why) = e { missingCopies[c] = why }
                }
            }
            return nil
        }

        var runtimes: [AtlasRuntime] = []
        for n in axes {
            let p = recorded[n]
            switch identify(n) {
            case .success(let (id, r)):
                runtimes.append(AtlasRuntime(name: n, identity: AtlasIdentity(id, release: p?.release), path: r.path,
                                             source: r.source, releaseSource: p?.releaseSource ?? (p?.release == nil ? "banner" : nil),
                                             banner: p?.banner ?? id.banner.first, copy: copy(of: n, id), notProvisioned: nil))
            case .failure(let e):
                let why: String = if case .notProvisioned(_, let w) = e { w } else { "\(e)" }
                runtimes.append(AtlasRuntime(name: n, identity: nil, path: catalog.runtime(named: n)?.path ?? "",
                                             source: catalog.runtime(named: n)?.source, releaseSource: nil, banner: nil,
                                             copy: nil, notProvisioned: why))
            }
        }

        let standIns = AtlasStandIn.map(wheels: catalog.manifest.wheels, runtimes: runtimes)
        return AtlasPlan(runtimes: runtimes, pairs: pairs(over: runtimes), missingCopies: missingCopies, standIns: standIns)
    }

    /// Every ordered pair over `runtimes`: a runtime with itself pairs with its copy when it has
    /// one (else the same file twice, a control); a pair with a runtime not provisioned is not run.
    package static func pairs(over runtimes: [AtlasRuntime]) -> [Pair] {
        var pairs: [Pair] = []
        for f in runtimes {
            for s in runtimes {
                var pair = Pair(first: f.name, second: s.name)
                if let why = f.notProvisioned ?? s.notProvisioned {
                    let who = f.notProvisioned != nil ? f.name : s.name
                    pair.notRun = "not provisioned: \(who): \(why)"
                } else {
                    pair.a = RuntimeBinding(name: "a", path: f.path)
                    if f.name == s.name {
                        let file = f.copy ?? AtlasFile(name: f.name, path: f.path)
                        pair.diagonal = f.copy == nil ? .control : .copy
                        pair.secondFile = file
                        pair.b = RuntimeBinding(name: "b", path: file.path)
                    } else {
                        pair.secondFile = AtlasFile(name: s.name, path: s.path)
                        pair.b = RuntimeBinding(name: "b", path: s.path)
                    }
                }
                pairs.append(pair)
            }
        }
        return pairs
    }
}

/// Why an atlas cannot be planned or a runtime cannot take part.
package enum AtlasError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A name neither the catalog nor the manifest knows (exit 2).
    case unknownRuntime(name: String, known: [String])
    /// A catalog runtime that is not usable here, with the reason.
    case notProvisioned(name: String, reason: String)

    package var description: String {
        switch self {
        case .unknownRuntime(let n, let known):
            "unknown runtime \"\(n)\" (the catalog knows: \(known.joined(separator: ", ")))"
        case .notProvisioned(let n, let why): "\(n): not provisioned: \(why)"
        }
    }
}
