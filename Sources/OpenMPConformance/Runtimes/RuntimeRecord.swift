/// One OpenMP runtime known to the kit: provisioned, discovered, or named by a profile.
public struct RuntimeRecord: Codable, Sendable, Hashable {
    /// Manifest name, e.g. `llvm14`, `llvm16`, `intel`, `gnu`, `llvm14-copy`.
    public var name: String
    /// The runtime file.
    public var path: String
    /// `kmp`, `gnu`, or `unknown`, from exported symbols.
    public var family: String
    /// The version the catalog records for it.
    public var version: String
    /// Where it came from, e.g. `apt:libomp5-14=1:14.0.6-12`, `pypi:intel-openmp==2025.2.1`.
    package var source: String
    package var sha256: String
    /// `llvm`, `intel` or `gnu`, from the banner (optional: older manifests lack it).
    package var vendor: String?
    /// The release, e.g. `16.0.6`, `2025.2.1`, `12.2.0`; see ``releaseSource``.
    package var release: String?
    /// Where ``release`` came from: `debian-package` (the package version), `wheel-version`
    /// (the wheel's version) or `banner` (the runtime's own build strings).
    package var releaseSource: String?
    /// The banner or build string the runtime was identified by.
    package var banner: String?
    /// For a copy: the name of the runtime whose bytes it repeats.
    package var copyOf: String?
    package init(name: String, path: String, family: String, version: String, source: String, sha256: String,
                vendor: String? = nil, release: String? = nil, releaseSource: String? = nil, banner: String? = nil,
                copyOf: String? = nil) {
        self.name = name; self.path = path; self.family = family; self.version = version
        self.source = source; self.sha256 = sha256
        self.vendor = vendor; self.release = release; self.releaseSource = releaseSource; self.banner = banner
        self.copyOf = copyOf
    }
}
