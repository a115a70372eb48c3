import Foundation

/// `manifest.json` in the runtimes directory: the runtimes `omp-matrix provision` put on this
/// machine, where they are and where they came from, and the items it could not provision.
///
/// ```json
/// { "schemaVersion": 1,
///   "runtimes": [ { "name": "llvm16", "path": "llvm16/usr/lib/llvm-16/lib/libomp.so.5",
///                   "family": "kmp", "version": "16.0",
///                   "source": "apt:libomp5-16=1:16.0.6-15~deb12u1", "sha256": "…" } ],
///   "wheels": [ … ] }
/// ```
///
/// A relative `path` is relative to the manifest's directory; ``RuntimeCatalog`` resolves it.
package struct RuntimeManifest: Codable, Sendable, Hashable {
    /// The schema this code reads and writes.
    package static let currentSchemaVersion = 1
    /// The manifest's file name inside the runtimes directory.
    package static let fileName = "manifest.json"

    package var schemaVersion: Int
    package var runtimes: [RuntimeRecord]
    /// Wheels kept for static claims, with the OpenMP runtimes each one vendors.
    package var wheels: [WheelRecord]
    /// Catalog items the provisioner could not put in place, each with its reason (optional:
    /// older manifests lack it).
    package var notProvisioned: [NotProvisioned]
    /// The Windows DLLs probed under Wine (`windows-x86_64`), kept apart from the runtimes this
    /// host loads (optional: older manifests lack it).
    package var windows: [RuntimeRecord]

    /// A catalog item that is not in this directory, and why.
    package struct NotProvisioned: Codable, Sendable, Hashable {
        package var name: String
        package var reason: String
        package init(name: String, reason: String) { self.name = name; self.reason = reason }
    }

    /// A wheel kept whole and what it vendors.
    package struct WheelRecord: Codable, Sendable, Hashable {
        package var name: String
        package var path: String
        package var source: String
        package var sha256: String
        package var vendors: [VendoredRuntime]
        package init(name: String, path: String, source: String, sha256: String, vendors: [VendoredRuntime]) {
            self.name = name; self.path = path; self.source = source; self.sha256 = sha256; self.vendors = vendors
        }
    }

    /// An OpenMP runtime found among a wheel's members.
    package struct VendoredRuntime: Codable, Sendable, Hashable {
        /// The member path inside the wheel, e.g. `faiss_cpu.libs/libgomp-e985bcbb.so.1.0.0`.
        package var member: String
        package var family: String
        package var vendor: String
        package var version: String
        package var sha256: String
        /// The release read from its build strings (e.g. `19.1` from `Clang 19.1`), when they tell.
        package var release: String?
        package init(member: String, family: String, vendor: String, version: String, sha256: String,
                    release: String? = nil) {
            self.member = member; self.family = family; self.vendor = vendor; self.version = version; self.sha256 = sha256
            self.release = release
        }
    }

    package init(schemaVersion: Int = RuntimeManifest.currentSchemaVersion, runtimes: [RuntimeRecord],
                wheels: [WheelRecord] = [], windows: [RuntimeRecord] = [], notProvisioned: [NotProvisioned] = []) {
        self.schemaVersion = schemaVersion; self.runtimes = runtimes; self.wheels = wheels
        self.notProvisioned = notProvisioned; self.windows = windows
    }

    package init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        schemaVersion = try c.decode(Int.self, forKey: .schemaVersion)
        runtimes = try c.decode([RuntimeRecord].self, forKey: .runtimes)
        wheels = try c.decodeIfPresent([WheelRecord].self, forKey: .wheels) ?? []
        notProvisioned = try c.decodeIfPresent([NotProvisioned].self, forKey: .notProvisioned) ?? []
        windows = try c.decodeIfPresent([RuntimeRecord].self, forKey: .windows) ?? []
    }

    package func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(schemaVersion, forKey: .schemaVersion)
        try c.encode(runtimes, forKey: .runtimes)
        try c.encode(wheels, forKey: .wheels)
        if !notProvisioned.isEmpty { try c.encode(notProvisioned, forKey: .notProvisioned) }
        if !windows.isEmpty { try c.encode(windows, forKey: .windows) }
    }

    private enum CodingKeys: String, CodingKey { case schemaVersion, runtimes, wheels, notProvisioned, windows }

    /// The reason a catalog item is not provisioned here, or nil.
    package func notProvisionedReason(_ name: String) -> String? {
        notProvisioned.first { $0.name == name }?.reason
    }

    /// Reads and checks a manifest.
    ///
    /// - Throws: `RuntimeManifestError` naming the file: missing, unreadable, not valid JSON
    ///   or not the expected shape (with the JSON path of the problem), a schema version this
    ///   code does not know, or a duplicated runtime name.
    package static func load(from url: URL) throws(RuntimeManifestError) -> RuntimeManifest {
        let path = url.path
        guard FileManager.default.fileExists(atPath: path) else { throw .missing(path: path) }
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw .unreadable(path: path, reason: error.localizedDescription)
        }
        let manifest: RuntimeManifest
        do {
            manifest = try JSONDecoder().decode(RuntimeManifest.self, from: data)
        } catch let error as DecodingError {
            throw .malformed(path: path, reason: describe(error))
        } catch {
            throw .malformed(path: path, reason: "\(error)")
        }
        guard manifest.schemaVersion == currentSchemaVersion else {
            throw .unsupportedSchema(path: path, version: manifest.schemaVersion)
        }
        var seen: Set<String> = []
        for r in manifest.runtimes where !seen.insert(r.name).inserted {
            throw .malformed(path: path, reason: "runtime name \"\(r.name)\" appears twice")
        }
        return manifest
    }

    /// Pretty-printed JSON with sorted keys.
    package func encoded() throws -> Data {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try e.encode(self)
    }

    /// Writes the manifest atomically (``AtomicFile``), so a reader sees the old manifest or the
    /// new one, never a part.
    package func write(to url: URL) throws {
        var data = try encoded()
        data.append(0x0A)
        try AtomicFile.write(data, to: url)
    }

    static func describe(_ error: DecodingError) -> String {
        func where_(_ ctx: DecodingError.Context) -> String {
            let p = ctx.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return p.isEmpty ? "at the top level" : "at \(p.hasPrefix(".") ? String(p.dropFirst()) : p)"
        }
        switch error {
        case .dataCorrupted(let ctx):
            let underlying = ctx.underlyingError.map { " (\($0.localizedDescription))" } ?? ""
            return "not valid JSON \(where_(ctx)): \(ctx.debugDescription)\(underlying)"
        case .keyNotFound(let key, let ctx):
            return "missing key \"\(key.stringValue)\" \(where_(ctx))"
        case .typeMismatch(let type, let ctx):
            return "expected \(type) \(where_(ctx))"
        case .valueNotFound(let type, let ctx):
            return "expected \(type), found null \(where_(ctx))"
        @unknown default:
            return "\(error)"
        }
    }
}

/// Why a runtime manifest could not be used.
package enum RuntimeManifestError: Error, Sendable, Hashable, CustomStringConvertible {
    case missing(path: String)
    case unreadable(path: String, reason: String)
    case malformed(path: String, reason: String)
    case unsupportedSchema(path: String, version: Int)

    package var description: String {
        switch self {
        case .missing(let p):
            return "\(p): no runtime manifest; run `omp-matrix provision` (`swift run omp-matrix provision` in a package that depends on the kit), or set OMP_CONFORMANCE_RUNTIMES to a provisioned directory"
        case .unreadable(let p, let r): return "\(p): cannot read the runtime manifest: \(r)"
        case .malformed(let p, let r): return "\(p): malformed runtime manifest: \(r)"
        case .unsupportedSchema(let p, let v):
            return "\(p): runtime manifest schemaVersion \(v) is not supported (this build reads \(RuntimeManifest.currentSchemaVersion))"
        }
    }
}
