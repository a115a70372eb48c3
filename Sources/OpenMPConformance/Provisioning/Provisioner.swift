import Foundation

/// Puts the pinned catalog (`ProvisionCatalog`) into a runtimes directory and writes its
/// `manifest.json`: the implementation of `omp-matrix provision`.
///
/// ```swift
/// let dir = try RuntimeCatalog.directory()          // the per-user cache, or the override
/// let report = try Provisioner(directory: dir).provision()
/// print(report.text)                                // one line per item; exit 4 if incomplete
/// ```
///
/// - **Pinned and verified:** every `.deb` and wheel is checked against its pinned SHA-256
///   before anything is taken out of it, and every unpacked runtime against the pinned
///   SHA-256 of the file; a mismatch names both hashes.
/// - **Idempotent:** an item whose stamp (`.stamps/<name>`, written last, by rename) matches
///   its pin and whose file has the pinned bytes is left alone; a rerun downloads nothing.
///   `verify` re-hashes the wheels kept whole too (runtimes are re-hashed on every run; they
///   are small).
/// - **One writer:** the whole run holds `.lock` in the directory (`ProvisionLock`).
/// - **Partial is visible:** an item that cannot be provisioned is recorded in the manifest's
///   `notProvisioned` with its reason; the other items go on. An item the catalog excludes
///   (``ProvisionItem/excluded``) is recorded there too, as `excluded: <reason>`, and does not
///   make the run incomplete.
/// - Family, vendor and banner come from the bytes (``RuntimeIdentity``); the release from the
///   Debian package version or the wheel version.
package struct Provisioner: Sendable {
    package var directory: URL
    package var items: [ProvisionItem]
    /// Progress lines ("llvm16: apt-get download libomp5-16=…").
    package var log: @Sendable (String) -> Void
    var downloader = Downloader()

    /// A provisioner of the pinned catalog into `directory`; `log` receives one line per step.
    package init(directory: URL, log: @escaping @Sendable (String) -> Void = { _ in }) {
        self.init(directory: directory, items: ProvisionCatalog.items, log: log)
    }

    /// A provisioner of `items` instead of the pinned catalog.
    package init(directory: URL, items: [ProvisionItem], log: @escaping @Sendable (String) -> Void = { _ in }) {
        self.directory = directory.standardizedFileURL
        self.items = items
        self.log = log
    }

    /// The items `only` names, with the originals of any copies among them, in catalog order.
    /// - Throws: ``ProvisionError/unknownItem(name:known:)``.
    package func selection(only: [String]?) throws(ProvisionError) -> [ProvisionItem] {
        guard let only, !only.isEmpty else { return items }
        var wanted = Set<String>()
        for name in only {
            guard let item = items.first(where: { $0.name == name }) else {
                throw .unknownItem(name: name, known: items.map(\.name))
            }
            wanted.insert(name)
            if let original = item.copyOf { wanted.insert(original) }
        }
        return items.filter { wanted.contains($0.name) }
    }

    /// Provisions `only` (nil: the whole catalog) and rewrites the manifest; entries of other
    /// items already in the manifest are kept.
    ///
    /// - Throws: ``ProvisionError`` only for what stops the whole run (an unknown name, a
    ///   directory that cannot be created, locked or written). Failures of single items are
    ///   in the report and the manifest.
    package func provision(only: [String]? = nil, verify: Bool = false) throws(ProvisionError) -> ProvisionReport {
        let selected = try selection(only: only)
        let dir = directory.path
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw .io(path: dir, reason: "cannot create the runtimes directory (\(error.localizedDescription))")
        }
        let lock = try ProvisionLock(directory: dir, waiting: log)
        defer { withExtendedLifetime(lock) {} }

        removeLeftovers()
        let manifestURL = directory.appendingPathComponent(RuntimeManifest.fileName)
        var loaded: RuntimeManifest?
        do {
            loaded = try RuntimeManifest.load(from: manifestURL)
        } catch .missing {
            // A first run: the manifest is written below.
        } catch {
            log("replacing the manifest: \(error)")
        }
        let work = try makeWorkDirectory()
        defer { try? FileManager.default.removeItem(atPath: work) }

        var state = RunState(manifest: loaded ?? RuntimeManifest(runtimes: []), verify: verify, work: work)
        let host = HostFacts.current
        var entries: [ProvisionReport.Entry] = []
        for item in selected {
            let started = Date()
            state.downloaded = 0
            var entry = ProvisionReport.Entry(name: item.name, state: .present, downloadedBytes: 0, seconds: 0, summary: "")
            if let reason = item.excluded {
                entry.state = .excluded(reason: reason)
                state.record(item, .failure(reason: "excluded: " + reason))
            } else if let reason = Self.unavailability(of: item, on: host) {
                entry.state = .notForThisHost(reason: reason)
                state.record(item, .failure(reason: "not for this host: " + reason))
            } else {
                do {
                    let (changed, outcome) = try provision(item, &state)
                    entry.state = changed ? .provisioned : .present
                    entry.summary = outcome.summary
                    state.record(item, outcome)
                } catch {
                    entry.state = .notProvisioned(reason: error.description)
                    state.record(item, .failure(reason: error.description))
                    log("\(item.name): not provisioned: \(error)")
                }
            }
            entry.downloadedBytes = state.downloaded
            entry.seconds = Date().timeIntervalSince(started)
            entries.append(entry)
        }

        let updated = state.manifest(order: items.map(\.name))
        if loaded != updated {
            do { try updated.write(to: manifestURL) } catch {
                throw .io(path: manifestURL.path, reason: "cannot write the manifest (\(error))")
            }
        }
        return ProvisionReport(directory: directory, entries: entries)
    }

    // MARK: one item

    /// What an item provisioned: a runtime record or a wheel record, or why not.
    enum Outcome {
        case runtime(RuntimeRecord)
        case wheel(RuntimeManifest.WheelRecord)
        /// A Windows DLL (the manifest's `windows` list).
        case windows(RuntimeRecord)
        /// A tool put in place (the Windows probe and Wine prefix): nothing in the manifest.
        case tool(summary: String)
        case failure(reason: String)

        var summary: String {
            switch self {
            case .runtime(let r):
                let who = [r.vendor.map(Provisioner.vendorWord) ?? r.family, r.release ?? r.version].joined(separator: " ")
                return r.copyOf.map { "\(who) (a copy of \($0))" } ?? who
            case .wheel(let w):
                let v = w.vendors.map { v in "\(Provisioner.vendorWord(v.vendor)) \(v.release ?? v.version)" }
                return "\(w.source) kept whole; vendors " + (v.isEmpty ? "no OpenMP runtime" : v.joined(separator: ", "))
            case .windows(let r):
                let who = "\(Provisioner.vendorWord(r.vendor ?? r.family)) \(r.release ?? r.version) (\(r.family), Windows)"
                return r.copyOf.map { "\(who) (a copy of \($0))" } ?? who
            case .tool(let summary): return summary
            case .failure(let r): return r
            }
        }
    }

    struct RunState {
        var old: RuntimeManifest
        var runtimes: [String: RuntimeRecord] = [:]
        var wheels: [String: RuntimeManifest.WheelRecord] = [:]
        var windows: [String: RuntimeRecord] = [:]
        var tools: Set<String> = []
        var failures: [String: String] = [:]
        var verify: Bool
        var work: String
        var aptUpdated = false
        /// Suites whose private apt source was updated in this run, or why it could not be.
        var suites: [String: Result<Void, ProvisionError>] = [:]
        var downloaded = 0

        init(manifest: RuntimeManifest, verify: Bool, work: String) {
            old = manifest; self.verify = verify; self.work = work
        }

        mutating func record(_ item: ProvisionItem, _ outcome: Outcome) {
            runtimes[item.name] = nil; wheels[item.name] = nil; windows[item.name] = nil; failures[item.name] = nil
            switch outcome {
            case .runtime(let r): runtimes[item.name] = r
            case .wheel(let w): wheels[item.name] = w
            case .windows(let r): windows[item.name] = r
            case .tool: tools.insert(item.name)
            case .failure(let reason): failures[item.name] = reason
            }
        }

        /// A runtime provisioned in this run, or else one the manifest had.
        func runtime(_ name: String) -> RuntimeRecord? {
            if failures[name] != nil { return nil }
            return runtimes[name] ?? old.runtimes.first { $0.name == name }
        }

        /// The old manifest with this run's items replaced, catalog items in catalog order,
        /// entries the catalog does not know kept after them.
        func manifest(order: [String]) -> RuntimeManifest {
            let touched = Set(runtimes.keys).union(wheels.keys).union(windows.keys).union(failures.keys).union(tools)
            var rs = old.runtimes.filter { !touched.contains($0.name) }
            var ws = old.wheels.filter { !touched.contains($0.name) }
            var wins = old.windows.filter { !touched.contains($0.name) }
            var np = old.notProvisioned.filter { !touched.contains($0.name) }
            rs += runtimes.values; ws += wheels.values; wins += windows.values
            np += failures.map { RuntimeManifest.NotProvisioned(name: $0.key, reason: $0.value) }
            func rank(_ name: String) -> (Int, String) { (order.firstIndex(of: name) ?? order.count, name) }
            rs.sort { rank($0.name) < rank($1.name) }
            ws.sort { rank($0.name) < rank($1.name) }
            wins.sort { rank($0.name) < rank($1.name) }
            np.sort { rank($0.name) < rank($1.name) }
            return RuntimeManifest(runtimes: rs, wheels: ws, windows: wins, notProvisioned: np)
        }
    }

    /// Provisions one item; returns whether anything was downloaded or written.
    func provision(_ item: ProvisionItem, _ s: inout RunState) throws(ProvisionError) -> (Bool, Outcome) {
        switch item.kind {
        case .system(let path, let package, let fallback):
            if FileManager.default.fileExists(atPath: path) {
                let installed = debianVersion(of: package)
                var r = try record(item, file: path, manifestPath: path,
                                   source: installed.map { "apt:\(package)=\($0)" } ?? "system:\(path)")
                if let installed {
                    r.release = ProvisionItem.upstreamRelease(ofDebianVersion: installed)
                    r.releaseSource = "debian-package"
                }
                return (false, .runtime(r))
            }
            guard let fallback else { throw .systemFileMissing(item: item.name, path: path, package: package) }
            log("\(item.name): \(path) is not installed; using the Debian package \(fallback.spec) instead")
            var unpacked = item
            unpacked.kind = .debian(fallback)
            unpacked.path = "\(item.name)/\(fallback.member)"
            return try provision(unpacked, &s)

        case .debian(let pin):
            let file = directory.appendingPathComponent(item.path).path
            var changed = false
            if !isPresent(item, file: file) {
                log("\(item.name): apt-get download \(pin.spec) (\(ProvisionReport.megabytes(pin.size)))")
                let dl = try scratch(item, "deb", s.work)
                let deb = try downloader.aptDownload(pin, item: item.name, into: dl, runtimes: directory.path,
                                                     updated: &s.aptUpdated, suites: &s.suites)
                s.downloaded += fileSize(deb)
                try check(item, file: deb, expected: pin.sha256)
                let unpacked = try scratch(item, "unpacked", s.work)
                try downloader.unpack(deb: deb, into: unpacked)
                guard FileManager.default.fileExists(atPath: unpacked + "/" + pin.member) else {
                    throw .memberMissing(item: item.name, archive: deb, member: pin.member)
                }
                try install(item, from: unpacked, checking: unpacked + "/" + pin.member)
                changed = true
            }
            var r = try record(item, file: file, manifestPath: item.path, source: "apt:\(pin.spec)")
            r.release = ProvisionItem.upstreamRelease(ofDebianVersion: pin.version)
            r.releaseSource = "debian-package"
            return (changed, .runtime(r))

        case .wheelLibrary(let pin, let member):
            let file = directory.appendingPathComponent(item.path).path
            var changed = false
            if !isPresent(item, file: file) {
                // A wheel the catalog also keeps whole (torch, faiss-cpu) is read from there.
                let kept = keptWheel(pin)
                let wheel: String
                if let kept {
                    log("\(item.name): taking \(member) out of the kept \(pin.file)")
                    wheel = kept
                } else {
                    log("\(item.name): pip download \(pin.spec) (\(ProvisionReport.megabytes(pin.size)); only "
                        + "\(member.split(separator: "/").last ?? "") is kept)")
                    wheel = try downloader.pipDownload(pin, item: item.name, into: try scratch(item, "wheel", s.work))
                    s.downloaded += fileSize(wheel)
                }
                try check(item, file: wheel, expected: pin.sha256)
                let out = try scratch(item, "library", s.work)
                let name = String(item.path.split(separator: "/").last ?? "")
                try extract(item, member: member, from: wheel, to: out + "/" + name)
                if kept == nil { try? FileManager.default.removeItem(atPath: wheel) }
                try install(item, from: out, checking: out + "/" + name)
                changed = true
            }
            var r = try record(item, file: file, manifestPath: item.path, source: "pypi:\(pin.spec)")
            try Self.checkVendor(&r, item: item, pin: pin, file: file)
            return (changed, .runtime(r))

        case .wheel(let pin):
            let file = directory.appendingPathComponent(item.path).path
            var changed = false
            let kept = isPresent(item, file: file) && (!s.verify || sha256(of: file) == pin.sha256)
            if !kept {
                log("\(item.name): pip download \(pin.spec) (\(ProvisionReport.megabytes(pin.size)), kept whole)")
                let wheel = try downloader.pipDownload(pin, item: item.name, into: try scratch(item, "wheel", s.work))
                s.downloaded += fileSize(wheel)
                try check(item, file: wheel, expected: pin.sha256)
                try install(item, file: wheel)
                changed = true
            }
            let source = "pypi:\(pin.spec)"
            if !changed, let w = s.old.wheels.first(where: { $0.name == item.name && $0.sha256 == pin.sha256 && $0.source == source }) {
                return (false, .wheel(w))   // read once, when it was downloaded
            }
            return (changed, .wheel(RuntimeManifest.WheelRecord(name: item.name, path: item.path, source: source,
                                                                sha256: pin.sha256, vendors: vendors(of: file))))

        case .copy(let originalName):
            guard let original = s.runtime(originalName) else {
                throw .originalMissing(item: item.name, original: originalName)
            }
            let file = directory.appendingPathComponent(item.path).path
            let originalFile = original.path.hasPrefix("/") ? original.path : directory.appendingPathComponent(original.path).path
            let changed = try copyBytes(item, file: file, of: originalFile, sha256: original.sha256, s)
            var r = try record(item, file: file, manifestPath: item.path, source: "copy:\(original.path) (\(original.source))")
            guard r.sha256 == original.sha256 else {
                throw .hashMismatch(item: item.name, file: file, expected: original.sha256, actual: r.sha256)
            }
            r.release = original.release
            r.releaseSource = original.releaseSource
            r.copyOf = originalName
            return (changed, .runtime(r))

        case .homebrew(let formula, let member):
            return try provisionHomebrew(item, formula: formula, member: member)

        case .windowsDLL, .windowsCopy, .wineProbe:
            return try provisionWindows(item, &s)
        }
    }

    // MARK: steps

    /// Puts a second file with the bytes of `originalFile` at the item's path unless it is there
    /// already, and checks that it is a file of its own; returns whether it copied.
    func copyBytes(_ item: ProvisionItem, file: String, of originalFile: String, sha256 expected: String,
                   _ s: RunState) throws(ProvisionError) -> Bool {
        var changed = false
        if !(isPresent(item, file: file) && sha256(of: file) == expected) {
            log("\(item.name): copying \(originalFile)")
            let out = try scratch(item, "copy", s.work)
            let name = String(item.path.split(separator: "/").last ?? "")
            // The bytes, not a symlink: copyItem would copy a link as a link.
            let source = URL(fileURLWithPath: originalFile).resolvingSymlinksInPath().path
            do { try FileManager.default.copyItem(atPath: source, toPath: out + "/" + name) } catch {
                throw .io(path: originalFile, reason: "cannot copy it (\(error.localizedDescription))")
            }
            try install(item, from: out, checking: nil)
            changed = true
        }
        guard let a = RuntimeCatalog.fileKey(file), let b = RuntimeCatalog.fileKey(originalFile), a != b else {
            throw .notTheExpectedRuntime(item: item.name, path: file, reason: "is the same file as \(originalFile), not a copy")
        }
        return changed
    }

    /// The stamp says this pin was provisioned and the file is there.
    func isPresent(_ item: ProvisionItem, file: String) -> Bool {
        guard FileManager.default.fileExists(atPath: file),
              let stamp = try? String(contentsOfFile: stampPath(item), encoding: .utf8), stamp == item.pinKey else {
            return false
        }
        if let pinned = item.fileSHA256 { return sha256(of: file) == pinned }   // runtimes are small: always re-hashed
        if item.isWheel, item.downloadSize > 0 { return fileSize(file) == item.downloadSize }
        return true
    }

    func check(_ item: ProvisionItem, file: String, expected: String) throws(ProvisionError) {
        let actual = sha256(of: file)
        guard actual == expected else {
            throw .hashMismatch(item: item.name, file: file, expected: expected, actual: actual)
        }
    }

    /// Moves a finished `staged` directory into the item's place (its first path component),
    /// then writes the stamp. The old stamp goes first, so an interruption never leaves a
    /// stamp over a half-replaced item.
    func install(_ item: ProvisionItem, from staged: String, checking runtime: String?) throws(ProvisionError) {
        if let runtime, let pinned = item.fileSHA256 { try check(item, file: runtime, expected: pinned) }
        // `staged` holds what goes below the item's top directory (`llvm16/`, `intel-2021/`).
        let top = String(item.path.split(separator: "/").first ?? "")
        let target = directory.appendingPathComponent(top).path
        try? FileManager.default.removeItem(atPath: stampPath(item))
        try? FileManager.default.removeItem(atPath: target)
        guard rename(staged, target) == 0 else {
            throw .io(path: target, reason: "cannot move the provisioned files in (\(String(cString: strerror(errno))))")
        }
        try writeStamp(item)
    }

    /// Moves one downloaded file into the item's path (a wheel in `wheels/`), then the stamp.
    func install(_ item: ProvisionItem, file: String) throws(ProvisionError) {
        let target = directory.appendingPathComponent(item.path)
        try? FileManager.default.removeItem(atPath: stampPath(item))
        do {
            try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        } catch {
            throw .io(path: target.deletingLastPathComponent().path, reason: "\(error.localizedDescription)")
        }
        guard rename(file, target.path) == 0 else {
            throw .io(path: target.path, reason: "cannot move the download in (\(String(cString: strerror(errno))))")
        }
        try writeStamp(item)
    }

    func extract(_ item: ProvisionItem, member: String, from wheel: String, to out: String) throws(ProvisionError) {
        let zip: ZipArchive
        do { zip = try ZipArchive(path: wheel) } catch {
            throw .io(path: wheel, reason: "not a readable wheel (\(error))")
        }
        guard let m = zip.members.first(where: { $0.name == member }) else {
            throw .memberMissing(item: item.name, archive: wheel, member: member)
        }
        let bytes: FileBytes
        do { bytes = try zip.contents(of: m) } catch {
            throw .io(path: "\(wheel)!\(member)", reason: error.problem.description)
        }
        let data = Data(bytes.raw)
        do { try data.write(to: URL(fileURLWithPath: out)) } catch {
            throw .io(path: out, reason: "cannot write it (\(error.localizedDescription))")
        }
    }

    /// The runtime record of a file, from its bytes.
    func record(_ item: ProvisionItem, file: String, manifestPath: String, source: String) throws(ProvisionError) -> RuntimeRecord {
        let id: RuntimeIdentity?
        do { id = try RuntimeIdentity.identify(path: file) } catch {
            throw .io(path: file, reason: error.description)
        }
        guard let id else {
            throw .notTheExpectedRuntime(item: item.name, path: file, reason: "is not an OpenMP runtime by its exported symbols")
        }
        if let pinned = item.fileSHA256, id.sha256 != pinned {
            throw .hashMismatch(item: item.name, file: file, expected: pinned, actual: id.sha256)
        }
        return RuntimeRecord(name: item.name, path: manifestPath, family: id.family.rawValue, version: id.version,
                             source: source, sha256: id.sha256, vendor: id.vendor.rawValue, banner: Self.bannerText(id))
    }

    /// The OpenMP runtimes a wheel vendors, read statically.
    func vendors(of wheel: String) -> [RuntimeManifest.VendoredRuntime] {
        let scanner = RuntimeScanner(options: .init(readArchives: true))
        guard let report = try? scanner.scan(paths: [wheel]) else { return [] }
        for skipped in report.skipped { log("\(wheel): skipped \(skipped.path): \(skipped.reason)") }
        return report.runtimes.compactMap { r in
            guard r.archive != nil else { return nil }
            let member = r.path.split(separator: "!", maxSplits: 1).last.map(String.init) ?? r.path
            let release = r.identity.versionSource == "build-compiler" ? r.identity.version : nil
            return .init(member: member, family: r.family.rawValue, vendor: r.vendor.rawValue, version: r.version,
                         sha256: r.sha256, release: release)
        }
    }

    /// The banner lines a runtime was identified by: its `OMP version` and `build compiler`
    /// lines, or, for libgomp, its newest symbol version.
    static func bannerText(_ id: RuntimeIdentity) -> String? {
        let lines = id.banner.filter { $0.contains("OMP version:") || $0.contains("OMP build compiler:") }
        if !lines.isEmpty { return lines.joined(separator: "; ") }
        if id.family == .gnu { return "symbol version \(id.version)" }
        return id.banner.first
    }

    static func vendorWord(_ vendor: String) -> String {
        switch vendor {
        case "llvm": return "LLVM"
        case "intel": return "Intel"
        case "gnu": return "GNU"
        case "microsoft": return "Microsoft"
        default: return vendor
        }
    }

    // MARK: files

    func stampPath(_ item: ProvisionItem) -> String { directory.appendingPathComponent(".stamps/\(item.name)").path }

    func writeStamp(_ item: ProvisionItem) throws(ProvisionError) {
        let path = stampPath(item)
        do {
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                    withIntermediateDirectories: true)
            try AtomicFile.write(Data(item.pinKey.utf8), to: URL(fileURLWithPath: path))
        } catch {
            throw .io(path: path, reason: "cannot write the stamp (\(error.localizedDescription))")
        }
    }

    func makeWorkDirectory() throws(ProvisionError) -> String {
        var template = Array(directory.appendingPathComponent(".tmp.XXXXXX").path.utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw .io(path: directory.path, reason: "cannot create a work directory (\(String(cString: strerror(errno))))")
        }
        let path = String(cString: made)
        chmod(path, 0o755)
        return path
    }

    /// A fresh directory under the run's work directory, for one step of one item.
    func scratch(_ item: ProvisionItem, _ step: String, _ work: String) throws(ProvisionError) -> String {
        let path = "\(work)/\(item.name)-\(step)"
        try? FileManager.default.removeItem(atPath: path)
        do { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) } catch {
            throw .io(path: path, reason: "\(error.localizedDescription)")
        }
        chmod(path, 0o755)
        return path
    }

    /// Work directories of an earlier, interrupted run (only called with the lock held).
    func removeLeftovers() {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        for name in names where name.hasPrefix(".tmp.") {
            try? FileManager.default.removeItem(atPath: directory.appendingPathComponent(name).path)
        }
    }

    func sha256(of file: String) -> String {
        guard let bytes = try? FileBytes(mapping: file) else { return "unreadable" }
        return SHA256.hex(of: bytes.raw)
    }

    func fileSize(_ file: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: file))?[.size] as? NSNumber)?.intValue ?? 0
    }

    /// The installed version of a Debian package, or nil (not installed, or no dpkg).
    func debianVersion(of package: String) -> String? {
        guard let out = try? downloader.run(["dpkg-query", "-W", "-f=${Version}", package]) else { return nil }
        let v = out.trimmingCharacters(in: .whitespacesAndNewlines)
        return v.isEmpty ? nil : v
    }
}
