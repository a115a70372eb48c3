/// A runtime on the atlas's axes, as the catalog provisioned it here (or why it could not).
package struct AtlasRuntime: Codable, Sendable, Hashable {
    /// Catalog name, e.g. `llvm16`.
    package var name: String
    /// Nil when not provisioned.
    package var identity: AtlasIdentity?
    /// The resolved path (empty when not provisioned).
    package var path: String
    /// The catalog's source, e.g. `apt:libomp5-16=1:16.0.6-15~deb12u1`.
    package var source: String?
    /// Where the release came from: `debian-package`, `wheel-version`, `banner`.
    package var releaseSource: String?
    /// The banner line the file was identified by.
    package var banner: String?
    /// The second file used on the diagonal, when the catalog has a copy.
    package var copy: AtlasFile?
    /// Why the runtime is not in the grid's measurements ("not provisioned: …" without the prefix).
    package var notProvisioned: String?

    package init(name: String, identity: AtlasIdentity?, path: String, source: String?, releaseSource: String?,
                banner: String?, copy: AtlasFile?, notProvisioned: String?) {
        self.name = name; self.identity = identity; self.path = path; self.source = source
        self.releaseSource = releaseSource; self.banner = banner; self.copy = copy; self.notProvisioned = notProvisioned
    }

    /// The header: "LLVM 16.0.6", or the name when the runtime is missing.
    package var label: String { identity?.label ?? name }
}
