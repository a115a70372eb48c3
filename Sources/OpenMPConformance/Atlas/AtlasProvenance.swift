import Foundation

/// The provenance fields of the runtime manifest the atlas reads: per runtime `vendor`,
/// `release`, `releaseSource`, `banner`, `copyOf`; per wheel-vendored runtime `release`; and
/// `notProvisioned` (name, reason). All optional (schema 1 manifests written before they existed
/// lack them).
package struct AtlasProvenance: Sendable, Hashable {
    package struct Entry: Codable, Sendable, Hashable {
        package var name: String
        package var vendor: String?
        package var release: String?
        package var releaseSource: String?
        package var banner: String?
        package var copyOf: String?
    }
    /// By runtime name.
    package var runtimes: [String: Entry]
    /// Wheel-vendored releases by `<wheel name>!<member>`.
    package var wheelReleases: [String: String]
    /// Why provisioning could not provide a runtime, by name (the manifest's `notProvisioned`).
    package var notProvisioned: [String: String]

    package init(runtimes: [String: Entry] = [:], wheelReleases: [String: String] = [:], notProvisioned: [String: String] = [:]) {
        self.runtimes = runtimes; self.wheelReleases = wheelReleases; self.notProvisioned = notProvisioned
    }

    /// The provenance recorded in a manifest already read and checked by `RuntimeManifest/load(from:)`
    /// (the catalog's own), so the manifest file is read once.
    package init(manifest: RuntimeManifest) {
        var wheels: [String: String] = [:]
        for w in manifest.wheels { for v in w.vendors { if let r = v.release { wheels["\(w.name)!\(v.member)"] = r } } }
        let entries = manifest.runtimes.map {
            Entry(name: $0.name, vendor: $0.vendor, release: $0.release, releaseSource: $0.releaseSource,
                  banner: $0.banner, copyOf: $0.copyOf)
        }
        self.init(runtimes: Dictionary(entries.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a }),
                  wheelReleases: wheels,
                  notProvisioned: Dictionary(manifest.notProvisioned.map { ($0.name, $0.reason) }, uniquingKeysWith: { a, _ in a }))
    }
}
