import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Builds ``WheelCatalog`` entries from real wheels: the index's file list (PEP 691 JSON) says
/// which wheel pip would take and its published SHA-256 and size; a wheel up to
/// ``rangeThreshold`` is downloaded whole by `pip download` (which checks the hash); a larger one
/// is read by HTTP range requests on the index's file URL: its zip directory, then each library
/// member, written at their offsets into a sparse file of the wheel's size, which the zip reader
/// then reads like any wheel. Nothing is installed or loaded.
package struct WheelCatalogBuilder: Sendable {
    /// The packages and versions of the catalog (issue "Packages", settled before work started).
    package static let pinned: [(package: String, version: String)] = [
        ("torch", "2.15.0"), ("faiss-cpu", "1.15.1"), ("scikit-learn", "1.9.1"), ("lightgbm", "4.7.0"), ("xgboost", "3.4.1"),
        ("ctranslate2", "4.8.5"), ("paddlepaddle", "3.3.1"), ("intel-openmp", "2026.2.0"), ("mkl", "2026.2.1"),
        ("numba", "0.68.1"), ("pymeshlab", "2025.7.post1"), ("qiskit-aer", "0.18.2"), ("networkit", "11.3"),
        ("pycolmap", "4.2.1"), ("healpy", "1.20.1"), ("finufft", "2.5.1"), ("pyfftw", "0.15.1"), ("pykdtree", "1.4.3"),
        ("dipy", "1.12.1"), ("numpy", "2.5.5"), ("scipy", "1.18.1"), ("onnxruntime", "1.32.0"),
    ]
    /// Wheels larger than this are read by range requests instead of downloaded whole.
    package static let rangeThreshold = 400 << 20
    /// Library members larger than this (uncompressed) are not read; the scanner's default cap.
    package static let memberCap = RuntimeScanner.Options().maxArchiveMemberSize

    /// Where downloads go (`<runtime cache>/wheel-catalog`).
    package var downloads: URL
    /// The package index's simple API: `OMP_WHEEL_INDEX` when set (a mirror, or a closed port to test
    /// the no-network path), else PyPI's. `pip download` is pointed at the same index.
    package var index = ProcessInfo.processInfo.environment["OMP_WHEEL_INDEX"].flatMap { $0.isEmpty ? nil : $0 } ?? "https://pypi.org/simple"
    package var python = "3.12"
    package var progress: @Sendable (String) -> Void = { _ in }

    package init(downloads: URL) { self.downloads = downloads }

    package var pythonTag: String { "cp" + python.replacingOccurrences(of: ".", with: "") }

    /// `pip download --platform` values for a platform id.
    package static func pipPlatforms(_ p: WheelCatalog.Platform) -> [String] {
        switch p {
        case .linux: return (17...39).reversed().map { "manylinux_2_\($0)_x86_64" } + ["manylinux2014_x86_64", "manylinux2010_x86_64", "manylinux1_x86_64"]
        case .macos: return ["macosx_26_0_arm64"]
        case .windows: return ["win_amd64"]
        }
    }

    // MARK: index

    /// One file of the index's PEP 691 listing.
    package struct IndexFile: Sendable, Hashable {
        package var filename: String
        package var url: String
        package var sha256: String
        package var size: Int
    }

    package enum BuildError: Error, CustomStringConvertible {
        case index(String), download(String), read(String)
        package var description: String {
            switch self { case .index(let s), .download(let s), .read(let s): return s }
        }
    }

    /// The files of a package on the index.
    package func indexFiles(_ package: String) async throws(BuildError) -> [IndexFile] {
        guard let url = URL(string: "\(index)/\(WheelCatalog.normalize(package))/") else { throw .index("bad index URL for \(package)") }
        var req = URLRequest(url: url)
        req.setValue("application/vnd.pypi.simple.v1+json", forHTTPHeaderField: "Accept")
        req.timeoutInterval = 30
        let data: Data
        do {
            let (d, resp) = try await URLSession.shared.data(for: req)
            guard let h = resp as? HTTPURLResponse, h.statusCode == 200 else {
                throw BuildError.index("\(url): HTTP \((resp as? HTTPURLResponse)?.statusCode ?? -1)")
            }
            data = d
        } catch let e as BuildError { throw e } catch { throw .index("\(url): \(error.localizedDescription)") }
        guard let top = try? JSONSerialization.jsonObject(with: data) as? [String: Any], let files = top["files"] as? [[String: Any]] else {
            throw .index("\(url): not a PEP 691 JSON listing")
        }
        return files.compactMap { f in
            guard let name = f["filename"] as? String, let u = f["url"] as? String, let h = f["hashes"] as? [String: String],
                  let sha = h["sha256"], name.hasSuffix(".whl") else { return nil }
            if let y = f["yanked"], (y as? Bool) == true || y is String { return nil }
            return IndexFile(filename: name, url: u, sha256: sha, size: (f["size"] as? Int) ?? 0)
        }
    }

    /// The wheel pip would choose for `version` on `platform`: a compatible Python/ABI tag
    /// (exact `cpXY`, then `abi3`, then `py3-none`) and platform tag (the newest compatible).
    package func select(_ files: [IndexFile], package: String, version: String, platform: WheelCatalog.Platform) -> IndexFile? {
        let allowed = Self.pipPlatforms(platform)
        var best: (IndexFile, Int)?
        for f in files {
            let parts = String(f.filename.dropLast(4)).split(separator: "-").map(String.init)
            guard parts.count >= 5, parts[1] == version else { continue }
            let py = Set(parts[parts.count - 3].split(separator: ".").map(String.init))
            let abi = parts[parts.count - 2], plats = parts[parts.count - 1].split(separator: ".").map(String.init)
            let minor = Int(python.split(separator: ".").last ?? "") ?? 12
            var pyRank = -1
            if py.contains(pythonTag) && (abi == pythonTag || abi == "none" || abi == "abi3") { pyRank = 3 }
            else if abi == "abi3", py.contains(where: { $0.hasPrefix("cp3") && (Int($0.dropFirst(3)) ?? 99) <= minor }) { pyRank = 2 }
            else if abi == "none", py.contains("py3") || py.contains("py2.py3") { pyRank = 1 }
            guard pyRank > 0 else { continue }
            var platRank = -1
            for p in plats {
                if p == "any" { platRank = max(platRank, 0); continue }
                switch platform {
                case .linux:
                    if let i = allowed.firstIndex(of: p) { platRank = max(platRank, 100 - i) }
                case .macos:
                    let c = p.split(separator: "_")
                    if c.count == 4, c[0] == "macosx", let major = Int(c[1]), major <= 26, c[3] == "arm64" || c[3] == "universal2" {
                        platRank = max(platRank, major * 2 + (c[3] == "arm64" ? 1 : 0))
                    }
                case .windows:
                    if p == "win_amd64" { platRank = max(platRank, 1) }
                }
            }
            guard platRank >= 0 else { continue }
            let rank = pyRank * 1000 + platRank
            if best == nil || rank > best!.1 { best = (f, rank) }
        }
        return best?.0
    }

    // MARK: building

    /// One catalog entry, or the reason there is none.
    package func entry(package: String, version: String, platform: WheelCatalog.Platform,
                       files: [IndexFile]) async -> Result<WheelCatalog.Wheel, WheelCatalog.Missing> {
        let name = WheelCatalog.normalize(package)
        func missing(_ why: String) -> Result<WheelCatalog.Wheel, WheelCatalog.Missing> {
            .failure(.init(package: name, version: version, platform: platform, reason: why))
        }
        guard let file = select(files, package: package, version: version, platform: platform) else {
            let any = files.contains { $0.filename.split(separator: "-").dropFirst().first.map(String.init) == version }
            return missing(any ? "no \(pythonTag) wheel for \(platform.rawValue) on the index (only other platforms or Python versions)"
                           : "version \(version) has no wheel on the index")
        }
        let dir = downloads.appendingPathComponent(platform.rawValue)
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let path = dir.appendingPathComponent(file.filename).path
        var read = "whole"
        var notes: [String] = []
        do {
            if file.size > Self.rangeThreshold {
                read = "ranges"
                progress("\(name) \(version) \(platform.rawValue): \(file.filename), \(file.size >> 20) MiB, over \(Self.rangeThreshold >> 20) MiB: reading its zip directory and library members by HTTP range requests")
                let fetched = try await fetchRanges(file, to: path)
                notes.append("read by HTTP range requests (\(file.size) bytes, over the \(Self.rangeThreshold >> 20) MiB limit): the zip directory "
                             + "and \(fetched) library members; sha256 is the index's published hash")
            } else {
                try download(package: package, version: version, platform: platform, file: file, into: dir)
            }
        } catch {
            return missing("\(file.filename): \(error)")
        }
        do {
            let (runtimes, readNotes) = try Self.readWheel(path: path, platform: platform)
            notes += readNotes
            return .success(WheelCatalog.Wheel(package: name, version: version, python: pythonTag, platform: platform, file: file.filename,
                                               sha256: file.sha256, size: file.size, read: read, runtimes: runtimes, notes: notes))
        } catch {
            return missing("\(file.filename): \(error)")
        }
    }

    /// `pip download` of one wheel (skipped when the file is there with the index's hash); the file must be the one selected.
    func download(package: String, version: String, platform: WheelCatalog.Platform, file: IndexFile, into dir: URL) throws(BuildError) {
        let path = dir.appendingPathComponent(file.filename).path
        if let b = try? FileBytes(mapping: path), SHA256.hex(of: b.raw) == file.sha256 { return }
        progress("\(package) \(version) \(platform.rawValue): pip download \(file.filename) (\(file.size >> 20) MiB)")
        var argv = ["python3", "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:", "--python-version", python, "--index-url", index, "-d", dir.path]
        for p in Self.pipPlatforms(platform) { argv += ["--platform", p] }
        argv.append("\(package)==\(version)")
        do { try Downloader().run(argv) } catch { throw .download("pip download failed: \(error)") }
        guard let b = try? FileBytes(mapping: path) else {
            throw .download("pip did not save \(file.filename) (it chose another wheel than the index listing suggests)")
        }
        guard SHA256.hex(of: b.raw) == file.sha256 else { throw .download("\(file.filename): SHA-256 differs from the index's") }
    }

    /// Reads the zip directory and the library members of a remote wheel into a sparse file of its size; returns the members fetched.
    func fetchRanges(_ file: IndexFile, to path: String) async throws(BuildError) -> Int {
        guard let url = URL(string: file.url), file.size > 22 else { throw .download("bad URL or size for \(file.filename)") }
        let part = path + ".part"
        guard FileManager.default.createFile(atPath: part, contents: nil), let h = FileHandle(forWritingAtPath: part) else {
            throw .download("cannot write \(part)")
        }
        defer { try? h.close() }
        do { try h.truncate(atOffset: UInt64(file.size)) } catch { throw .download("cannot size \(part): \(error)") }
        @discardableResult
        func fetch(_ start: Int, _ end: Int) async throws(BuildError) -> Data {
            var req = URLRequest(url: url)
            req.setValue("bytes=\(start)-\(end - 1)", forHTTPHeaderField: "Range")
            do {
                let (data, resp) = try await URLSession.shared.data(for: req)
                guard (resp as? HTTPURLResponse)?.statusCode == 206, data.count == end - start else {
                    throw BuildError.download("\(file.url): range \(start)-\(end - 1) not served (HTTP \((resp as? HTTPURLResponse)?.statusCode ?? -1), \(data.count) bytes)")
                }
                try h.seek(toOffset: UInt64(start))
                try h.write(contentsOf: data)
                return data
            } catch let e as BuildError { throw e } catch { throw .download("\(file.url): \(error.localizedDescription)") }
        }
        // The end records, then the central directory they point at.
        let tailStart = file.size - min(file.size, 65_557 + 20)
        let tail = [UInt8](try await fetch(tailStart, file.size))
        func u32(_ d: [UInt8], _ o: Int) -> Int { Int(d[o]) | Int(d[o + 1]) << 8 | Int(d[o + 2]) << 16 | Int(d[o + 3]) << 24 }
        guard let e = stride(from: tail.count - 22, through: 0, by: -1).first(where: { u32(tail, $0) == 0x0605_4b50 }) else {
            throw .read("\(file.filename): no end of central directory in its last \(tail.count) bytes")
        }
        var cdOffset = u32(tail, e + 16)
        if cdOffset == 0xffff_ffff, e >= 20, u32(tail, e - 20) == 0x0706_4b50 {
            let z64 = u32(tail, e - 12) | u32(tail, e - 8) << 32
            guard z64 >= 0, z64 + 56 <= file.size else { throw .read("\(file.filename): bad Zip64 locator") }
            let rec = [UInt8](try await fetch(z64, z64 + 56))
            cdOffset = u32(rec, 48) | u32(rec, 52) << 32
        }
        guard cdOffset >= 0, cdOffset < file.size else { throw .read("\(file.filename): central directory offset \(cdOffset) outside the file") }
        if cdOffset < tailStart { try await fetch(cdOffset, tailStart) }
        let zip: ZipArchive
        do { zip = try ZipArchive(path: part) } catch { throw .read("\(file.filename): zip directory unreadable: \(error)") }
        if zip.members.isEmpty { throw .read("\(file.filename): empty zip directory") }
        var fetched = 0
        for m in zip.members where Self.isLibrary(m.name) && m.uncompressedSize <= Self.memberCap {
            let end = min(file.size, m.localHeaderOffset + 30 + 2 * m.name.utf8.count + 1024 + m.compressedSize)
            try await fetch(m.localHeaderOffset, end)
            fetched += 1
        }
        do { try h.synchronize() } catch {}
        guard rename(part, path) == 0 else { throw .download("cannot rename \(part)") }
        return fetched
    }

    /// Library members: shared libraries, Python extension modules and DLLs.
    static func isLibrary(_ member: String) -> Bool {
        let base = WheelCatalog.fileName(member)
        return RuntimeScanner.looksLikeSharedLibrary(base) || base.lowercased().hasSuffix(".pyd")
    }

    // MARK: reading a wheel

    /// The runtime names a library may ask for without the wheel shipping them, with the family and vendor the name implies.
    static let systemRuntimeNames: [(name: String, family: String, vendor: String)] = [
        ("libomp.dylib", "kmp", "llvm"), ("libomp.so", "kmp", "llvm"), ("libomp.so.5", "kmp", "llvm"),
        ("libiomp5.so", "kmp", "intel"), ("libiomp5.dylib", "kmp", "intel"), ("libiomp5md.dll", "kmp", "intel"),
        ("libgomp.so.1", "gnu", "gnu"), ("libgomp.1.dylib", "gnu", "gnu"), ("libgomp-1.dll", "gnu", "gnu"),
        ("vcomp140.dll", "vcomp", "microsoft"), ("vcomp.dll", "vcomp", "microsoft"),
    ]

    /// The runtimes a wheel ships (identified by content) or needs from the system (by the name its libraries ask for).
    package static func readWheel(path: String, platform: WheelCatalog.Platform) throws(BuildError) -> ([WheelCatalog.Runtime], [String]) {
        let zip: ZipArchive
        do { zip = try ZipArchive(path: path) } catch { throw .read("not a readable wheel: \(error)") }
        var shipped: [(member: String, id: RuntimeIdentity)] = []
        var needs: [(member: String, names: [String])] = []
        var notes: [String] = []
        var memberNames: Set<String> = []
        for m in zip.members where isLibrary(m.name) {
            memberNames.insert(WheelCatalog.fileName(m.name).lowercased())
            guard m.uncompressedSize <= memberCap else {
                notes.append("\(m.name) (\(m.uncompressedSize) bytes) not read: over the \(memberCap >> 20) MiB cap for members")
                continue
            }
            let bytes: FileBytes
            do { bytes = try zip.contents(of: m) } catch { notes.append("\(m.name) unreadable: \(error)"); continue }
            do {
                if let id = try RuntimeIdentity.read(bytes, path: m.name, realPath: m.name) { shipped.append((m.name, id)) }
            } catch { notes.append("\(m.name) unreadable: \(error.reason)") }
            let head = Array(UnsafeRawBufferPointer(rebasing: bytes.raw.prefix(8)))
            var deps: [String] = []
            if ELFFile.hasMagic(head) { deps = (try? ELFFile(bytes: bytes, path: m.name))?.needed ?? [] }
            else if MachOFile.hasMagic(head) { deps = (try? MachOFile(bytes: bytes, path: m.name))?.slices.flatMap(\.dependencies) ?? [] }
            else if PEFile.hasMagic(head) { deps = (try? PEFile(bytes: bytes, path: m.name))?.importedDLLs ?? [] }
            if !deps.isEmpty { needs.append((m.name, deps)) }
        }
        var out: [WheelCatalog.Runtime] = shipped.map { s in
            let base = WheelCatalog.fileName(s.member)
            return WheelCatalog.Runtime(path: s.member, family: s.id.family.rawValue, vendor: s.id.vendor.rawValue, release: s.id.version,
                                        sha256: s.id.sha256, linkage: isRenamed(base) ? .vendoredRenamed : .vendoredOwnPath)
        }
        // Runtimes asked for by name but not shipped: expected from the system.
        let shippedNames = Set(shipped.flatMap { s in
            [WheelCatalog.fileName(s.member).lowercased()] + (s.id.soname.map { [WheelCatalog.fileName($0).lowercased()] } ?? [])
        })
        var system: [String: (family: String, vendor: String, by: [String])] = [:]
        for n in needs {
            for dep in n.names {
                let base = WheelCatalog.fileName(dep).lowercased()
                guard !shippedNames.contains(base), !memberNames.contains(base),
                      let known = systemRuntimeNames.first(where: { $0.name == base }) else { continue }
                system[dep, default: (known.family, known.vendor, [])].by.append(n.member)
            }
        }
        for (dep, s) in system.sorted(by: { $0.key < $1.key }) {
            out.append(WheelCatalog.Runtime(path: dep, family: s.family, vendor: s.vendor, release: "unknown", sha256: nil, linkage: .system,
                                            neededBy: Array(Set(s.by)).sorted()))
        }
        return (out, notes)
    }

    /// True for names a repair tool made: auditwheel's `libgomp-e985bcbb.so.1.0.0`, delvewheel's `name-<32 hex>.dll`
    /// (the last `-` part: `libgomp-1-b6996347b907936334bd23861b593db4.dll`).
    static func isRenamed(_ base: String) -> Bool {
        guard let dash = base.lastIndex(of: "-") else { return false }
        let rest = base[base.index(after: dash)...]
        let hex = rest.prefix { $0.isHexDigit }
        return (hex.count == 8 || hex.count == 32) && rest.dropFirst(hex.count).first == "."
    }
}
