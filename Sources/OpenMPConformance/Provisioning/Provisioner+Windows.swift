import Foundation

/// The Windows items of the catalog (`ProvisionCatalog+Windows.swift`): DLLs out of pinned
/// `win_amd64` wheels, a second file of one of them, and the Windows probe with its Wine
/// prefix. The DLLs go to the manifest's `windows` list; nothing here loads them.
extension Provisioner {
    func provisionWindows(_ item: ProvisionItem, _ s: inout RunState) throws(ProvisionError) -> (Bool, Outcome) {
        switch item.kind {
        case .windowsDLL(let pin, let member, let dll):
            let file = directory.appendingPathComponent(item.path).path
            var changed = false
            if !isPresent(item, file: file) {
                let name = String(item.path.split(separator: "/").last ?? "")
                log("\(item.name): pip download \(pin.spec) for win_amd64 (\(ProvisionReport.megabytes(pin.size)); only \(name) is kept)")
                let wheel = try downloader.pipDownload(pin, item: item.name, into: try scratch(item, "wheel", s.work))
                s.downloaded += fileSize(wheel)
                try check(item, file: wheel, expected: pin.sha256)
                let out = try scratch(item, "library", s.work)
                try extract(item, member: member, from: wheel, to: out + "/" + name)
                try? FileManager.default.removeItem(atPath: wheel)
                try install(item, from: out, checking: out + "/" + name)
                changed = true
            }
            var r = try windowsRecord(item, file: file, family: dll.family, source: "pypi:\(pin.spec)")
            r.version = dll.version
            r.vendor = dll.vendor
            r.release = dll.release
            r.releaseSource = pin.project == "intel-openmp" || pin.project == "msvc-runtime" ? "wheel-version" : "version-resource"
            return (changed, .windows(r))

        case .windowsCopy(let originalName):
            guard s.failures[originalName] == nil,
                  let original = s.windows[originalName] ?? s.old.windows.first(where: { $0.name == originalName }) else {
                throw .originalMissing(item: item.name, original: originalName)
            }
            let file = directory.appendingPathComponent(item.path).path
            let originalFile = directory.appendingPathComponent(original.path).path
            let changed = try copyBytes(item, file: file, of: originalFile, sha256: original.sha256, s)
            var r = try windowsRecord(item, file: file, family: original.family, source: "copy:\(original.path) (\(original.source))")
            guard r.sha256 == original.sha256 else {
                throw .hashMismatch(item: item.name, file: file, expected: original.sha256, actual: r.sha256)
            }
            r.version = original.version; r.vendor = original.vendor
            r.release = original.release; r.releaseSource = original.releaseSource
            r.copyOf = originalName
            return (changed, .windows(r))

        case .wineProbe:
            return try provisionWineProbe(item, &s)

        default:
            throw .io(path: item.path, reason: "\(item.name) is not a Windows item")
        }
    }

    /// A DLL's record from its bytes: a PE32+ x86-64 DLL whose exports name the expected family.
    func windowsRecord(_ item: ProvisionItem, file: String, family: String, source: String) throws(ProvisionError) -> RuntimeRecord {
        let bytes: FileBytes
        do { bytes = try FileBytes(mapping: file) } catch { throw .io(path: file, reason: "\(error)") }
        if let why = PEQuickCheck.problem(bytes.raw) { throw .notTheExpectedRuntime(item: item.name, path: file, reason: why) }
        let found = PEQuickCheck.family(bytes.raw)
        guard found == family else {
            throw .notTheExpectedRuntime(item: item.name, path: file, reason: found.map { "names the entry points of the \($0) family, not \(family)" }
                                         ?? "names neither __kmpc_fork_call nor _vcomp_fork: not an OpenMP runtime")
        }
        let sha = SHA256.hex(of: bytes.raw)
        if let pinned = item.fileSHA256, sha != pinned {
            throw .hashMismatch(item: item.name, file: file, expected: pinned, actual: sha)
        }
        return RuntimeRecord(name: item.name, path: item.path, family: family, version: "", source: source, sha256: sha)
    }

    /// Builds the Windows probe with mingw-w64 (again when its source changed) and creates the
    /// private Wine prefix, with `WINEDLLOVERRIDES="mscoree,mshtml="` so that Wine does not
    /// offer to download Mono or Gecko. The prefix's wineserver is waited for: none is left.
    func provisionWineProbe(_ item: ProvisionItem, _ s: inout RunState) throws(ProvisionError) -> (Bool, Outcome) {
        let hint = "Debian: apt-get install wine64 gcc-mingw-w64-x86-64; Scripts/provision-runtimes.sh installs them as root"
        guard let gcc = WineTools.compiler else { throw .toolMissing(tool: "x86_64-w64-mingw32-gcc", hint: hint) }
        guard let wine = WineTools.loader else { throw .toolMissing(tool: "wine64", hint: hint) }
        guard let server = WineTools.server else { throw .toolMissing(tool: "wineserver", hint: hint) }
        guard let source = WineTools.probeSourceURL else {
            throw .io(path: WineTools.probeSource, reason: "the Windows probe's source is not in this package")
        }
        let exe = WineTools.probe(in: directory).path
        let prefix = WineTools.prefix(in: directory).path
        var changed = false
        if !isPresent(item, file: exe) {
            log("\(item.name): building \(WineTools.probeSource) with \(gcc)")
            let out = try scratch(item, "build", s.work)
            try downloader.run([gcc, "-O2", "-Wall", "-o", out + "/omp-probe-windows.exe", source.path, "-lpsapi"])
            try install(item, from: out, checking: nil)
            changed = true
        }
        if !FileManager.default.fileExists(atPath: prefix + "/system.reg") {
            log("\(item.name): creating the Wine prefix \(prefix) (WINEDLLOVERRIDES=\(WineTools.prefixOverrides): no Mono or Gecko)")
            try? FileManager.default.removeItem(atPath: prefix)
            var wineEnv = downloader
            wineEnv.environment["WINEPREFIX"] = prefix
            wineEnv.environment["WINEDLLOVERRIDES"] = WineTools.prefixOverrides
            wineEnv.environment["WINEDEBUG"] = "-all"
            try wineEnv.run([wine, "wineboot", "--init"])
            try wineEnv.run([server, "--wait"])
            changed = true
        }
        return (changed, .tool(summary: "the Windows probe (\(WineTools.probePath)) and the Wine prefix (\(WineTools.prefixFolder)/)"))
    }
}
