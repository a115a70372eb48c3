import Foundation

/// The provenance fields of the runtime manifest the atlas reads: per runtime `vendor`,
/// `release`, `releaseSource`, `banner`, `copyOf`; per wheel-vendored runtime `release`; and `notProvisioned` (name, reason). All
/// optional (schema 1 manifests written before they existed lack them); a manifest that is
/// not JSON was already refused by ``RuntimeManifest/load(from:)``.
public struct AtlasProvenance: Sendable, Hashable {
    public struct Entry: Codable, Sendable, Hashable {
        public var name: String
        public var vendor: String?
        public var release: String?
        public var releaseSource: String?
        public var banner: String?
        public var copyOf: String?
    }
    /// By runtime name.
    public var runtimes: [String: Entry]
    /// Wheel-vendored releases by `<wheel name>!<member>`.
    public var wheelReleases: [String: String]
    /// Why provisioning could not provide a runtime, by name (the manifest's `notProvisioned`).
    public var notProvisioned: [String: String]

    public init(runtimes: [String: Entry] = [:], wheelReleases: [String: String] = [:], notProvisioned: [String: String] = [:]) {
        self.runtimes = runtimes; self.wheelReleases = wheelReleases; self.notProvisioned = notProvisioned
    }

    private struct File: Decodable {
        var runtimes: [Entry]
        var wheels: [Wheel]?
        var notProvisioned: [Missing]?
        struct Missing: Decodable { var name: String; var reason: String }
        struct Wheel: Decodable { var name: String; var vendors: [Vendored] }
        struct Vendored: Decodable { var member: String; var release: String? }
    }

    /// Reads the manifest at `url`.
    /// - Throws: ``InputError`` naming the file when it cannot be read or decoded.
    public static func read(_ url: URL) throws -> AtlasProvenance {
        let file = try ResultsCodec.read(File.self, from: url, schemaVersion: RuntimeManifest.currentSchemaVersion)
        var wheels: [String: String] = [:]
        for w in file.wheels ?? [] { for v in w.vendors { if let r = v.release { wheels["\(w.name)!\(v.member)"] = r } } }
        return AtlasProvenance(runtimes: Dictionary(file.runtimes.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a }),
                               wheelReleases: wheels,
                               notProvisioned: Dictionary((file.notProvisioned ?? []).map { ($0.name, $0.reason) }, uniquingKeysWith: { a, _ in a }))
    }
}
