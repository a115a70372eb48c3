import Foundation

/// How a probe of Windows DLLs is started: the Windows probe (`omp-probe-windows.exe`, built by
/// provisioning) under Wine's 64-bit loader, in the kit's private prefix. The supervisor runs
/// it like omp-probe (same arguments, same records, same classifier); only the command line
/// and these variables differ.
package struct WineLaunch: Sendable, Hashable {
    /// The Wine loader (`wine64`).
    package var loader: String
    /// The Windows probe.
    package var probe: String
    /// The Wine prefix (`WINEPREFIX`).
    package var prefix: String
    /// False disables the probe's NUMA remedy (`OMP_CONFORMANCE_NUMA_REMEDY=off`): only to show
    /// that it matters.
    package var numaRemedy = true

    package init(loader: String, probe: String, prefix: String, numaRemedy: Bool = true) {
        self.loader = loader; self.probe = probe; self.prefix = prefix; self.numaRemedy = numaRemedy
    }

    /// The provisioned probe and prefix of a runtimes directory, or why they cannot run.
    package static func provisioned(in directory: URL) -> Result<WineLaunch, WineUnavailable> {
        if let why = WineTools.unavailable { return .failure(WineUnavailable(reason: why)) }
        let probe = WineTools.probe(in: directory).path, prefix = WineTools.prefix(in: directory).path
        guard FileManager.default.isReadableFile(atPath: probe) else {
            return .failure(WineUnavailable(reason: "the Windows probe \(probe) is not provisioned (run Scripts/provision-runtimes.sh; it needs x86_64-w64-mingw32-gcc)"))
        }
        guard FileManager.default.fileExists(atPath: prefix + "/system.reg") else {
            return .failure(WineUnavailable(reason: "the Wine prefix \(prefix) is not provisioned (run Scripts/provision-runtimes.sh)"))
        }
        return .success(WineLaunch(loader: WineTools.loader!, probe: probe, prefix: prefix))
    }

    /// The variables a probe needs under Wine. Wine substitutes its own built-in vcomp140.dll even
    /// for a full path; `vcomp140=n` makes it load Microsoft's file when one is in the plan.
    /// `winemenubuilder.exe=d`: Wine would otherwise start its desktop-menu helper in the prefix.
    package func environment(for runtimes: [RuntimeBinding]) -> [String: String] {
        var env = ["WINEPREFIX": prefix]
        let names = Set(runtimes.map { URL(fileURLWithPath: $0.path).lastPathComponent.lowercased() })
        env["WINEDLLOVERRIDES"] = names.contains("vcomp140.dll") ? "vcomp140=n;winemenubuilder.exe=d" : "winemenubuilder.exe=d"
        if !numaRemedy { env["OMP_CONFORMANCE_NUMA_REMEDY"] = "off" }
        return env
    }

    /// Nil when the file may be handed to Wine: a PE32+ x86-64 DLL naming OpenMP's entry
    /// points; else why not (the probe is then `launch-failed` with that reason).
    package static func preflight(path: String) -> String? {
        let bytes: FileBytes
        do { bytes = try FileBytes(mapping: path) } catch { return "\(path) cannot be read (\(error))" }
        if let why = PEQuickCheck.problem(bytes.raw) { return "\(path) \(why)" }
        if PEQuickCheck.family(bytes.raw) == nil {
            return "\(path) is a DLL but not an OpenMP runtime (it names neither __kmpc_fork_call nor _vcomp_fork)"
        }
        return nil
    }

    /// True for a line Wine writes on stderr about itself (`0124:fixme:heap:...`,
    /// `0048:err:winediag:...`): kept in the captured stderr, never read as the probe's words.
    package static func isWineDebugLine(_ line: ArraySlice<UInt8>) -> Bool {
        // ^[0-9a-f]{4}:(fixme|err|warn):
        guard line.count >= 9 else { return false }
        let b = Array(line.prefix(11))
        for i in 0..<4 where !((b[i] >= 48 && b[i] <= 57) || (b[i] >= 97 && b[i] <= 102)) { return false }
        guard b[4] == 58 else { return false }
        let rest = String(decoding: b[5...], as: UTF8.self)
        return rest.hasPrefix("fixme:") || rest.hasPrefix("err:") || rest.hasPrefix("warn:")
    }
}

/// Why the Windows platform cannot run here.
package struct WineUnavailable: Error, Sendable, Hashable, CustomStringConvertible {
    package var reason: String
    package var description: String { reason }
}
