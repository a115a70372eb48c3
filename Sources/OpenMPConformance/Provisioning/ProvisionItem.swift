/// One entry of the pinned provisioning catalog: a runtime the probes load, or a wheel kept
/// whole for static reading, with where it comes from and the hashes it must have.
///
/// The kinds:
/// - ``Kind/system(path:package:fallback:)``: a file a Debian package installs (libgomp,
///   the libomp-dev libomp); used in place. When it is missing, a `fallback` package is
///   downloaded and unpacked instead, when one is given.
/// - ``Kind/debian(_:)``: `apt-get download` of a pinned package, unpacked with `dpkg -x`
///   into the runtimes directory (never installed), so several releases sit side by side.
///   A pin that names a `suite` (an older or newer Debian release than the host's) is fetched
///   through a private apt source list and state folder (``PrivateAptSource``).
/// - ``Kind/wheelLibrary(_:member:)``: one library (`libiomp5.so`) taken out of a pinned
///   wheel; the rest of the wheel is discarded.
/// - ``Kind/wheel(_:)``: a wheel kept whole, read statically and never loaded.
/// - ``Kind/copy(of:)``: a second file (its own inode) with the same bytes as another
///   runtime, as a wheel that vendors its runtime would ship it.
/// - ``Kind/homebrew(formula:member:)``: a file of a Homebrew formula (macOS), installed with
///   `brew install` when missing. Homebrew installs its current bottle, so the file is
///   recorded with its version and SHA-256, never pinned.
/// - ``Kind/windowsDLL(_:member:dll:)``: an OpenMP DLL taken out of a pinned `win_amd64` wheel,
///   probed under Wine (the manifest's `windows` list, never the Linux runtimes).
/// - ``Kind/windowsCopy(of:)``: a second file with the same bytes as a Windows DLL.
/// - ``Kind/wineProbe``: the Windows probe built with mingw-w64 and the private Wine prefix
///   (see `Provisioner+Windows.swift`).
package struct ProvisionItem: Sendable, Hashable {
    package enum Kind: Sendable, Hashable {
        case system(path: String, package: String, fallback: DebianPin?)
        case debian(DebianPin)
        case wheelLibrary(WheelPin, member: String)
        case wheel(WheelPin)
        case copy(of: String)
        case homebrew(formula: String, member: String)
        case windowsDLL(WheelPin, member: String, dll: WindowsDLL)
        case windowsCopy(of: String)
        case wineProbe
    }

    /// The catalog name, e.g. `llvm16`, `intel-2021`, `torch-macos-arm64`.
    package var name: String
    package var kind: Kind
    /// Where the file lives, relative to the runtimes directory (absolute for a system file).
    package var path: String
    /// The pinned SHA-256 of the runtime file itself (after unpacking); nil for a system
    /// file, whose bytes are whatever the installed package holds.
    package var fileSHA256: String?
    /// True for Linux x86_64 runtimes the probes load; wheels for static reading are
    /// useful on every host.
    package var linuxX86Only: Bool
    /// Set for a macOS runtime: the architecture it is built for (`arm64`, `x86_64`), or `*`
    /// for either. Elsewhere it is "not available on this platform".
    package var macOSArch: String?
    /// Set for an item the kit cannot use honestly here: why (e.g. "needs glibc 2.38"). It is
    /// listed with the reason and never downloaded; it does not make provisioning incomplete.
    package var excluded: String?

    package init(name: String, kind: Kind, path: String, fileSHA256: String? = nil, linuxX86Only: Bool = true,
                macOSArch: String? = nil, excluded: String? = nil) {
        self.name = name; self.kind = kind; self.path = path; self.fileSHA256 = fileSHA256
        self.linuxX86Only = linuxX86Only && macOSArch == nil
        self.macOSArch = macOSArch
        self.excluded = excluded
    }

    /// True for a wheel kept whole (a `wheels` entry of the manifest), false for a runtime.
    package var isWheel: Bool {
        if case .wheel = kind { return true }
        return false
    }

    /// The runtime this item copies, if it is a copy.
    package var copyOf: String? {
        if case .copy(let original) = kind { return original }
        if case .windowsCopy(let original) = kind { return original }
        return nil
    }

    /// True for the Windows items (DLLs, their copies, the Windows probe and Wine prefix).
    package var isWindows: Bool {
        switch kind {
        case .windowsDLL, .windowsCopy, .wineProbe: return true
        default: return false
        }
    }

    /// What the catalog pins of a Windows DLL beyond its bytes: the family its exports must
    /// show, who built it and the release it stands for (the wheel's, or the build the
    /// wheel's project vendors).
    package struct WindowsDLL: Sendable, Hashable {
        /// `kmp` (exports `__kmpc_fork_call`) or `vcomp` (exports `_vcomp_fork`).
        package var family: String
        /// `intel` or `microsoft`.
        package var vendor: String
        /// The release, e.g. `2025.2.1`, or `20250910 (ctranslate2 4.8.5)`.
        package var release: String
        /// The file's version resource (FileVersion), as pinned.
        package var version: String
        package init(family: String, vendor: String, release: String, version: String) {
            self.family = family; self.vendor = vendor; self.release = release; self.version = version
        }
    }

    /// What a finished provisioning of this item was made from; stored in its stamp file, so
    /// a changed pin provisions the item again.
    var pinKey: String {
        switch kind {
        case .system(let path, let package, _): return "system \(package) \(path)"
        case .debian(let d): return "deb \(d.package)=\(d.version) \(d.sha256)" + (d.suite.map { " suite \($0)" } ?? "")
        case .wheelLibrary(let w, let member): return "wheel \(w.file) \(w.sha256) \(member)"
        case .wheel(let w): return "wheel \(w.file) \(w.sha256)"
        case .copy(let original): return "copy \(original) \(path)"
        case .homebrew(let formula, let member): return "brew \(formula) \(member)"
        case .windowsDLL(let w, let member, let dll): return "windll \(w.file) \(w.sha256) \(member) \(dll.family)"
        case .windowsCopy(let original): return "wincopy \(original) \(path)"
        case .wineProbe: return "wineprobe \(WineTools.probeSourceSHA256 ?? "no-source")"
        }
    }

    /// The bytes a first provisioning downloads, from the pins (0 for a system file or a copy).
    package var downloadSize: Int {
        switch kind {
        case .debian(let d): return d.size
        case .wheelLibrary(let w, _), .wheel(let w), .windowsDLL(let w, _, _): return w.size
        case .system, .copy, .homebrew, .windowsCopy, .wineProbe: return 0
        }
    }

    /// A pinned Debian package.
    package struct DebianPin: Sendable, Hashable {
        package var package: String
        /// The full Debian version, epoch included: `1:16.0.6-15~deb12u1`.
        package var version: String
        /// SHA-256 of the `.deb` file.
        package var sha256: String
        package var size: Int
        /// The runtime's path inside the package, e.g. `usr/lib/llvm-16/lib/libomp.so.5`.
        package var member: String
        /// The Debian suite to fetch it from (`bullseye`, `trixie`) when it is not one the
        /// system's apt lists; nil: the system's sources.
        package var suite: String?
        package init(package: String, version: String, sha256: String, size: Int, member: String, suite: String? = nil) {
            self.package = package; self.version = version; self.sha256 = sha256; self.size = size; self.member = member
            self.suite = suite
        }
        /// `package=version`, as apt names it.
        package var spec: String { "\(package)=\(version)" }
    }

    /// A pinned wheel on PyPI.
    package struct WheelPin: Sendable, Hashable {
        package var project: String
        package var version: String
        /// The exact file name pip must save.
        package var file: String
        package var sha256: String
        package var size: Int
        /// The `--platform` tags that select this file.
        package var platforms: [String]
        /// `--python-version`, e.g. `3.12`.
        package var pythonVersion: String
        package init(project: String, version: String, file: String, sha256: String, size: Int,
                    platforms: [String], pythonVersion: String) {
            self.project = project; self.version = version; self.file = file; self.sha256 = sha256; self.size = size
            self.platforms = platforms; self.pythonVersion = pythonVersion
        }
        /// `project==version`, as pip names it.
        package var spec: String { "\(project)==\(version)" }
    }
}

extension ProvisionItem {
    /// The upstream release inside a Debian version: `1:16.0.6-15~deb12u1` → `16.0.6`,
    /// `12.2.0-14+deb12u1` → `12.2.0`.
    package static func upstreamRelease(ofDebianVersion v: String) -> String {
        var s = Substring(v)
        if let colon = s.firstIndex(of: ":") { s = s[s.index(after: colon)...] }
        if let dash = s.lastIndex(of: "-") { s = s[..<dash] }
        if let tilde = s.firstIndex(of: "~") { s = s[..<tilde] }
        if let plus = s.firstIndex(of: "+") { s = s[..<plus] }
        return String(s)
    }
}
