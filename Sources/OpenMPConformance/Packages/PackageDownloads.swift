import Foundation

extension PackageDoctor {
    /// A package the catalog lacks, resolved by download: the wheel pip would take for the platform,
    /// verified against the index's published SHA-256 (as pip does) and read like the catalog's
    /// wheels; or why it could not be.
    package struct Download: Sendable, Hashable, Codable {
        /// The normalized name asked for.
        package var package: String
        /// The version asked for (nil: unversioned).
        package var requested: String?
        package var platform: WheelCatalog.Platform
        /// The wheel read, when resolved.
        package var wheel: WheelCatalog.Wheel?
        /// How it was resolved, in words (which version, from where, how verified); or why not.
        package var how: String
        /// True when the answer for this package is missing.
        package var failed: Bool { wheel == nil }

        package init(package: String, requested: String?, platform: WheelCatalog.Platform, wheel: WheelCatalog.Wheel?, how: String) {
            self.package = package; self.requested = requested; self.platform = platform; self.wheel = wheel; self.how = how
        }
    }

    /// The record of earlier downloads, in the catalog's schema: `<downloads>/resolved.yaml`.
    package static func recordURL(downloads: URL) -> URL { downloads.appendingPathComponent("resolved.yaml") }

    /// Resolves every request the catalog does not answer (neither a wheel nor a recorded missing
    /// one) by the index and a download: an exact version is taken as asked; an unversioned one
    /// becomes the newest final release with a wheel for the platform (the version pip takes).
    /// A pinned version downloaded before is answered from the record, without the network.
    package static func resolve(_ requests: [Request], platform: WheelCatalog.Platform, catalog: WheelCatalog,
                                builder: WheelCatalogBuilder) async -> [Download] {
        let todo = requests.filter { r in
            let name = WheelCatalog.normalize(r.name)
            return catalog.wheel(package: name, version: r.version, python: builder.pythonTag, platform: platform) == nil
                && !catalog.missing.contains { $0.package == name && (r.version == nil || $0.version == r.version) && $0.platform == platform }
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
            if let v = r.version, let w = record.wheel(package: name, version: v, python: builder.pythonTag, platform: platform) {
                out.append(Download(package: name, requested: v, platform: platform, wheel: w,
                                    how: "not in the catalog; \(w.file) was downloaded earlier, verified against the index's SHA-256 and recorded in the runtime cache"))
                continue
            }
            let files: [WheelCatalogBuilder.IndexFile]
            do { files = try await builder.indexFiles(name) } catch {
                let e = "\(error)"
                let why = e.hasSuffix("HTTP 404") ? "the index has no package of this name (\(e))" : "the index could not be read, so not answered (\(e))"
                out.append(Download(package: name, requested: r.version, platform: platform, wheel: nil, how: "not in the catalog; " + why))
                continue
            }
            let version: String
            var how: String
            if let v = r.version {
                version = v
                how = "not in the catalog; "
            } else {
                let candidates = Set(files.compactMap { f in f.filename.split(separator: "-").dropFirst().first.map(String.init) })
                    .filter { v in builder.select(files, package: name, version: v, platform: platform) != nil }
                guard let newest = candidates.compactMap({ v in finalRelease(v).map { (v, $0) } }).max(by: { $0.1.lexicographicallyPrecedes($1.1) })?.0 else {
                    out.append(Download(package: name, requested: nil, platform: platform, wheel: nil,
                                        how: "not in the catalog; the index has no final release with a \(builder.pythonTag) wheel for \(platform.rawValue)"))
                    continue
                }
                version = newest
                how = "not in the catalog; version \(newest) is the one pip resolves for \(platform.rawValue) (the newest final release with a \(builder.pythonTag) wheel), "
            }
            switch await builder.entry(package: name, version: version, platform: platform, files: files) {
            case .success(let w):
                how += w.read == "ranges" ? "\(w.file) (\(w.size >> 20) MiB) read by HTTP range requests (its zip directory and libraries; the index's SHA-256 recorded)"
                                          : "\(w.file) downloaded and verified against the index's SHA-256"
                how += ", recorded in the runtime cache"
                record.wheels.removeAll { $0.package == w.package && $0.version == w.version && $0.python == w.python && $0.platform == w.platform }
                record.wheels.append(w)
                added = true
                out.append(Download(package: name, requested: r.version, platform: platform, wheel: w, how: how))
            case .failure(let m):
                out.append(Download(package: name, requested: r.version, platform: platform, wheel: nil, how: how + "version \(version): " + m.reason))
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

    /// A final release's numbers (`2025.7.post1` gives [2025, 7, 0, 1]: the post number last);
    /// nil for pre-, dev and local releases, which pip does not take unless asked.
    static func finalRelease(_ v: String) -> [Int]? {
        var release: [Int] = [], post = 0
        for part in v.lowercased().split(separator: ".", omittingEmptySubsequences: false) {
            if let n = Int(part) { release.append(n); continue }
            guard part.hasPrefix("post"), let p = Int(part.dropFirst(4)) else { return nil }
            post = p
        }
        guard !release.isEmpty else { return nil }
        return release + Array(repeating: 0, count: max(0, 6 - release.count)) + [post]
    }
}
