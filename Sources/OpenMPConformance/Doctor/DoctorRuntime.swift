/// One OpenMP runtime file the doctor found, named by path and release.
package struct DoctorRuntime: Sendable, Hashable, Codable {
    /// The path as found (a scan path, a mapped path, or a path a command loaded).
    package var path: String
    package var family: RuntimeIdentity.Family
    package var vendor: RuntimeIdentity.Vendor
    /// A release in words, e.g. `LLVM 16.0 (from its build compiler)` or
    /// `Intel 5.0.20250422 (library banner)`; with the distribution that installed it when a
    /// `*.dist-info/RECORD` lists the file.
    package var release: String
    /// `intel-openmp 2025.2.1`, when a wheel's RECORD lists the file.
    package var installedBy: String?
    package var sha256: String
    package var soname: String?
    /// How it was found: `scan`, `mapped in pid N`, `loaded by pid N`.
    package var foundBy: String
    /// The file's identity, for the loader (device and inode).
    package var fileKey: FileKey?
    /// The version the file states (``RuntimeIdentity/version``), e.g. `16.0`.
    package var version: String
    /// The file the probes load: `path` itself, or for a runtime inside a wheel
    /// (`wheel.whl!member`) a copy extracted into the doctor's temporary folder.
    package var loadPath: String

    package init(identity: RuntimeIdentity, path: String, foundBy: String, installedBy: String? = nil) {
        self.path = path; family = identity.family; vendor = identity.vendor
        sha256 = identity.sha256; soname = identity.soname; self.foundBy = foundBy; fileKey = identity.fileKey
        self.installedBy = installedBy
        loadPath = path
        version = identity.version
        release = Self.release(identity) + (installedBy.map { ", installed by \($0)" } ?? "")
    }

    /// The release to look the runtime up by: the wheel's version when a wheel installed it
    /// (`intel-openmp 2025.2.1` gives `2025.2.1`), else the version the file states.
    package var lookupRelease: String {
        if let w = installedBy, let v = w.split(separator: " ").last, vendor == .intel { return String(v) }
        return version
    }

    /// The release as the file states it (``RuntimeIdentity/releaseWords``).
    static func release(_ id: RuntimeIdentity) -> String { id.releaseWords }

    /// A short name for sentences: the file name and vendor release.
    package var shortName: String {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        return "\(name) (\(vendor.rawValue) \(release.split(separator: " ").dropFirst().first ?? ""))"
    }
}
