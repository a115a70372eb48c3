/// How the atlas keys a runtime: family and vendor read from the file's bytes, the release
/// from where it could be known, and the file's SHA-256. Other commands look a pair up by it
/// (`Atlas.lookup(first:second:in:)`).
package struct AtlasIdentity: Codable, Sendable, Hashable, CustomStringConvertible {
    /// `kmp` or `gnu`.
    package var family: String
    /// `llvm`, `intel`, `gnu` (or `unknown`).
    package var vendor: String
    /// E.g. `16.0.6`, `2025.2.1`, `12.2.0`.
    package var release: String
    /// Lowercase hex SHA-256 of the file.
    package var sha256: String

    package init(family: String, vendor: String, release: String, sha256: String) {
        self.family = family; self.vendor = vendor; self.release = release; self.sha256 = sha256
    }

    /// From a runtime read from disk, with the release the catalog knows (nil: the file's own version).
    package init(_ id: RuntimeIdentity, release: String?) {
        self.init(family: id.family.rawValue, vendor: id.vendor.rawValue, release: release ?? id.version, sha256: id.sha256)
    }

    /// `family/vendor/release/sha256`.
    package var key: String { "\(family)/\(vendor)/\(release)/\(sha256)" }
    package var description: String { key }

    /// The vendor and release in words: "LLVM 16.0.6", "Intel 2025.2.1", "GNU 12".
    package var label: String {
        switch vendor {
        case "llvm": "LLVM \(release)"
        case "intel": "Intel \(release)"
        case "gnu": "GNU \(release.split(separator: ".").first.map(String.init) ?? release)"
        case "microsoft": "Microsoft vcomp \(release)"
        default: "\(family.uppercased()) \(release)"
        }
    }

    /// The vendor in words.
    package var vendorWord: String {
        switch vendor {
        case "llvm": "LLVM"
        case "intel": "Intel"
        case "gnu": "GNU"
        case "microsoft": "Microsoft vcomp"
        default: "unknown-vendor \(family.uppercased())"
        }
    }

    /// True when both name the same release of the same runtime, whatever the file; a
    /// shorter release matches a longer one it starts ("16.0" and "16.0.6").
    package func sameRelease(as other: AtlasIdentity) -> Bool {
        family == other.family && vendor == other.vendor
            && (release == other.release || release.hasPrefix(other.release + ".") || other.release.hasPrefix(release + "."))
    }
}
