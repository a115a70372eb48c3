import Foundation

/// Where the kit finds what the `windows-x86_64` platform needs on a Linux host: Debian's Wine
/// 8.0 (`wine64`, `wineserver`), the mingw-w64 C compiler that builds the Windows probe, the
/// probe's source, and the probe and Wine prefix provisioned into the runtimes directory.
///
/// Debian's `wine64` package installs its loader as `/usr/lib/wine/wine64` (the `wine` package
/// adds `/usr/bin/wine64`); both are looked for.
package enum WineTools {
    /// The platform id and the words every report uses for it.
    package static let platform = "windows-x86_64"
    package static let platformLabel = "Windows: the real DLLs under Wine 8.0, not Windows"

    /// `WINEDLLOVERRIDES` for creating the prefix: no Mono or Gecko download prompt.
    package static let prefixOverrides = "mscoree,mshtml="

    /// The plan verbs the Windows probe implements (its `known_verbs`; a test keeps the two lists
    /// equal). A plan with another step is untestable under Wine, naming the step.
    package static let probeVerbs: Set<String> = ["load", "init", "setenv", "unsetenv", "parallel", "train", "index", "add",
                                                  "search", "infer", "serve"]

    /// The runtimes directory's folders for the prefix and the probe.
    package static let prefixFolder = "wine-prefix"
    package static let probePath = "wine-probe/omp-probe-windows.exe"
    /// The probe's C source, relative to the package root.
    package static let probeSource = "Probes/windows/omp-probe-windows.c"

    private static let libexec = "/usr/lib/wine"

    static func find(_ name: String, environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        if let p = ShellQuote.which(name, path: environment["PATH"]) { return p }
        let fallback = "\(libexec)/\(name)"
        return access(fallback, X_OK) == 0 ? fallback : nil
    }

    /// The 64-bit Wine loader, or nil.
    package static var loader: String? { find("wine64") }
    /// `wineserver`, or nil.
    package static var server: String? { find("wineserver") }
    /// The mingw-w64 C compiler for x86-64, or nil.
    package static var compiler: String? { ShellQuote.which("x86_64-w64-mingw32-gcc", path: ProcessInfo.processInfo.environment["PATH"]) }

    /// Why Wine cannot run here (nil when it can): names what is missing and how to get it.
    package static var unavailable: String? {
        var missing: [String] = []
        if loader == nil { missing.append("wine64") }
        if server == nil { missing.append("wineserver") }
        guard !missing.isEmpty else { return nil }
        return "\(missing.joined(separator: " and ")) not found (Debian: apt-get install wine64; "
            + "Scripts/provision-runtimes.sh installs it as root)"
    }

    /// Why the Windows probe cannot be built here (nil when it can).
    package static var compilerMissing: String? {
        compiler == nil ? "x86_64-w64-mingw32-gcc not found (Debian: apt-get install gcc-mingw-w64-x86-64; "
            + "Scripts/provision-runtimes.sh installs it as root)" : nil
    }

    /// The probe source in this package, when the package root is known.
    package static var probeSourceURL: URL? {
        guard let root = RuntimeCatalog.packageRoot() else { return nil }
        let url = root.appendingPathComponent(probeSource)
        return FileManager.default.fileExists(atPath: url.path) ? url : nil
    }

    /// The SHA-256 of the probe source (the provisioned probe is rebuilt when it changes).
    package static var probeSourceSHA256: String? {
        guard let url = probeSourceURL, let bytes = try? FileBytes(mapping: url.path) else { return nil }
        return SHA256.hex(of: bytes.raw)
    }

    /// The prefix and the probe inside a runtimes directory.
    package static func prefix(in directory: URL) -> URL { directory.appendingPathComponent(prefixFolder) }
    package static func probe(in directory: URL) -> URL { directory.appendingPathComponent(probePath) }
}
