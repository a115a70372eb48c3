import Foundation

extension PackageDoctor {
    /// A package the catalog lacks, resolved by download: the wheel pip would take for the platform,
    /// verified against the index's published SHA-256 (as pip does) and read like the catalog's
    /// wheels; or why it could not be.
    package struct Download: Sendable, Hashable, Codable {
        /// The normalized name asked for.
        package var package: String
        /// The version asked for (nil: unversioned, or specifiers).
        package var requested: String?
        /// The version specifiers asked for (`>=2.0,<3`), when not an exact version.
        package var specifier: String?
        package var platform: WheelCatalog.Platform
        /// The wheel read, when resolved.
        package var wheel: WheelCatalog.Wheel?
        /// How it was resolved, in words (which version, from where, how verified); or why not.
        package var how: String
        /// True when the answer for this package is missing.
        package var failed: Bool { wheel == nil }

        package init(package: String, requested: String?, specifier: String? = nil, platform: WheelCatalog.Platform, wheel: WheelCatalog.Wheel?, how: String) {
            self.package = package; self.requested = requested; self.specifier = specifier; self.platform = platform; self.wheel = wheel; self.how = how
        }

        /// The download for a request, as `answer` matches them.
        init(_ r: Request, platform: WheelCatalog.Platform, wheel: WheelCatalog.Wheel?, how: String) {
            self.init(package: WheelCatalog.normalize(r.name), requested: r.version, specifier: r.specifier, platform: platform, wheel: wheel, how: how)
        }
    }

    /// The record of earlier downloads, in the catalog's schema: `<downloads>/resolved.yaml`.
    package static func recordURL(downloads: URL) -> URL { downloads.appendingPathComponent("resolved.yaml") }

    /// Resolves every request the catalog does not answer (neither a wheel nor a recorded missing
    /// one, for a version that satisfies it) by the index and a download: the version pip takes
    /// for the platform, the newest that satisfies the request's specifiers and has a wheel for
    /// the platform (final releases first, as pip). Requests whose marker is false for the
    /// platform, or undecided, are not resolved. A pinned version downloaded before is answered
    /// from the record, without the network.
    package static func resolve(_ requests: [Request], platform: WheelCatalog.Platform, catalog: WheelCatalog,
                                builder: WheelCatalogBuilder) async -> [Download] {
        let todo = forTarget(requests, platform: platform, python: builder.python).kept.filter { r in
            catalogWheel(r, catalog: catalog, python: builder.pythonTag, platform: platform) == nil
                && catalogMissing(r, catalog: catalog, platform: platform) == nil
        }
        guard !todo.isEmpty else { return [] }
        let recordURL = recordURL(downloads: builder.downloads)
        var record = WheelCatalog(wheels: [], missing: [])
        if FileManager.default.fileExists(atPath: recordURL.path) {
            do { record = try WheelCatalog.load(recordURL) } catch {
                builder.progress("omp-matrix: \(error); the record of downloads is started again")
            }
        }
        var out: [Download] = [], added = false
        for r in todo {
            let name = WheelCatalog.normalize(r.name)
            guard let constraint = r.constraint else {
                out.append(Download(r, platform: platform, wheel: nil, how: "'\(r.asked)' is not a valid version specifier, so not answered"))
                continue
            }
            if r.version != nil, let w = catalogWheel(r, catalog: record, python: builder.pythonTag, platform: platform) {
                out.append(Download(r, platform: platform, wheel: w,
                                    how: "not in the catalog; \(w.file) was downloaded earlier, verified against the index's SHA-256 and recorded in the runtime cache"))
                continue
            }
            let files: [WheelCatalogBuilder.IndexFile]
            do { files = try await builder.indexFiles(name) } catch {
                let e = "\(error)"
                let why = e.hasSuffix("HTTP 404") ? "the index has no package of this name (\(e))" : "the index could not be read, so not answered (\(e))"
                out.append(Download(r, platform: platform, wheel: nil, how: "not in the catalog; " + why))
                continue
            }
            let versions = Set(files.compactMap { f in f.filename.split(separator: "-").dropFirst().first.map(String.init) })
            let version: String
            var how: String
            if let v = r.version {
                // The index's spelling of the version asked for (`2.15` asks for `2.15.0`), as pip matches it.
                version = versions.filter { constraint.matches($0, prereleases: true) }.sorted().first ?? v
                how = "not in the catalog; "
            } else {
                let candidates = versions.filter { v in builder.select(files, package: name, version: v, platform: platform) != nil }
                let wanted = r.specifier.map { "version \($0)" } ?? "version"
                guard let newest = constraint.newest(Array(candidates)) else {
                    out.append(Download(r, platform: platform, wheel: nil,
                                        how: "not in the catalog; the index has no \(wanted) with a \(builder.pythonTag) wheel for \(platform.rawValue)"))
                    continue
                }
                version = newest
                let catalogued = catalog.wheels.filter { $0.package == name && $0.platform == platform }.map(\.version)
                how = r.specifier.map { s in
                    (catalogued.isEmpty ? "not in the catalog; " : "the catalog's \(catalogued.joined(separator: ", ")) does not satisfy '\(s)'; ")
                        + "version \(newest) is the one pip resolves for \(platform.rawValue) (the newest matching '\(s)' with a \(builder.pythonTag) wheel), "
                } ?? "not in the catalog; version \(newest) is the one pip resolves for \(platform.rawValue) (the newest final release with a \(builder.pythonTag) wheel), "
            }
            switch await builder.entry(package: name, version: version, platform: platform, files: files) {
            case .success(let w):
                how += w.read == "ranges" ? "\(w.file) (\(w.size >> 20) MiB) read by HTTP range requests (its zip directory and libraries; the index's SHA-256 recorded)"
                                          : "\(w.file) downloaded and verified against the index's SHA-256"
                how += ", recorded in the runtime cache"
                record.wheels.removeAll { $0.package == w.package && $0.version == w.version && $0.python == w.python && $0.platform == w.platform }
                record.wheels.append(w)
                added = true
                out.append(Download(r, platform: platform, wheel: w, how: how))
            case .failure(let m):
                out.append(Download(r, platform: platform, wheel: nil, how: how + "version \(version): " + m.reason))
            }
        }
        if added {
            let text = record.yaml(header: ["Wheels that `omp-matrix doctor --packages` resolved outside the catalog: downloaded, verified against",
                                            "the index's SHA-256 and read statically. A cache: safe to delete."])
            do { try AtomicFile.write(Data(text.utf8), to: recordURL) } catch {
                builder.progress("omp-matrix: cannot record downloads in \(recordURL.path): \(error)")
            }
        }
        return out
    }
}
