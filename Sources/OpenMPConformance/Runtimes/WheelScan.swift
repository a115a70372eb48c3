import Foundation

/// The OpenMP runtimes bundled inside Python wheels: evidence for the doc's claim about
/// which runtime PyTorch and FAISS bring. Members are identified by their bytes with
/// ``RuntimeScanner`` (exported symbols and the runtime's banner), never by file name:
/// wheels rename their vendored copies (`libgomp-e985bcbb.so.1.0.0`).
package enum WheelScan {
    /// One wheel file and the OpenMP runtimes inside it.
    package struct Wheel: Sendable, Hashable, Codable {
        /// The file name, e.g. `faiss_cpu-1.12.0-cp312-cp312-macosx_14_0_arm64.whl`.
        package var file: String
        /// Normalized distribution name (`faiss-cpu`).
        package var package: String
        package var version: String
        /// The platform tag, e.g. `macosx_14_0_arm64` or `manylinux_2_28_x86_64`.
        package var platformTag: String
        package var libraries: [Library]
        /// Set when the wheel, or a library member of it, could not be read; the libraries found
        /// are then incomplete, and the wheel confirms nothing.
        package var error: String?

        package init(file: String, package: String, version: String, platformTag: String, libraries: [Library], error: String?) {
            self.file = file; self.package = package; self.version = version; self.platformTag = platformTag
            self.libraries = libraries; self.error = error
        }

        /// The wheel's platform as the matrix names platforms (`any` for pure or other wheels).
        package var platform: Matrix.Platform {
            if platformTag.hasPrefix("macosx") { return .macos }
            if platformTag.contains("linux") { return .linux }
            return .any
        }

        /// A short human summary, e.g. `faiss_cpu-…whl bundles libgomp-e985bcbb.so.1.0.0 (gnu)`.
        package var summary: String {
            if let error, libraries.isEmpty { return "\(file): unreadable (\(error))" }
            let found = libraries.isEmpty ? "\(file) bundles no OpenMP runtime"
                : "\(file) bundles " + libraries.map { "\(($0.path as NSString).lastPathComponent) (\($0.kind.rawValue))" }.joined(separator: ", ")
            return error.map { found + " (not everything could be read: \($0))" } ?? found
        }
    }

    /// An OpenMP runtime found inside a wheel.
    package struct Library: Sendable, Hashable, Codable {
        /// The member's path inside the wheel.
        package var path: String
        package var kind: Kind

        package init(path: String, kind: Kind) { self.path = path; self.kind = kind }

        /// Whose runtime it is, from ``RuntimeIdentity/vendor``.
        package enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
            /// Intel OpenMP (libiomp5).
            case intel
            /// LLVM OpenMP (libomp).
            case llvm
            /// GNU OpenMP (libgomp).
            case gnu
            /// Microsoft OpenMP (vcomp140.dll).
            case microsoft
            /// A KMP-family runtime whose banner names no known vendor.
            case unknown

            init(_ vendor: RuntimeIdentity.Vendor) {
                switch vendor {
                case .intel: self = .intel
                case .llvm: self = .llvm
                case .gnu: self = .gnu
                case .microsoft: self = .microsoft
                case .unknown: self = .unknown
                }
            }
        }
    }

    /// Every `*.whl` in `directory` (not recursive), sorted by file name, except those named in
    /// `skipping`; each result kept in `kept` when given (``scanKeepingResult(wheel:in:)``). A
    /// missing directory gives `[]`.
    package static func scan(directory: URL, skipping: Set<String> = [], keptIn kept: URL? = nil) -> [Wheel] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".whl") && !skipping.contains($0) }.sorted().map { name in
            let url = directory.appendingPathComponent(name)
            return kept.map { scanKeepingResult(wheel: url, in: $0) } ?? scan(wheel: url)
        }
    }

    /// The macOS wheels the answer and the wheel claim read, by manifest name.
    package static let macOSWheelNames = ["torch-macos-arm64", "faiss-cpu-macos-arm64"]

    /// The wheels of a runtime catalog: every wheel entry of its manifest, then any other
    /// `*.whl` in its `wheels/` folder; each file once. Results are kept in the cache's
    /// `wheel-scans/` folder (``scanKeepingResult(wheel:in:)``).
    package static func scan(catalog: RuntimeCatalog) -> [Wheel] {
        let kept = catalog.directory.appendingPathComponent("wheel-scans")
        var seen = Set<String>()
        var out: [Wheel] = []
        for w in catalog.manifest.wheels {
            guard let path = path(of: w.name, in: catalog), FileManager.default.fileExists(atPath: path) else { continue }
            let url = URL(fileURLWithPath: path)
            if seen.insert(url.lastPathComponent).inserted { out.append(scanKeepingResult(wheel: url, in: kept)) }
        }
        return out + scan(directory: catalog.directory.appendingPathComponent("wheels"), skipping: seen, keptIn: kept)
    }

    /// The resolved path of a manifest wheel entry (relative paths are under the manifest's directory).
    static func path(of name: String, in catalog: RuntimeCatalog) -> String? {
        guard let w = catalog.manifest.wheels.first(where: { $0.name == name }) else { return nil }
        return w.path.hasPrefix("/") ? w.path : catalog.directory.appendingPathComponent(w.path).standardizedFileURL.path
    }

    /// Why the macOS wheels are not there, naming the manifest entries that are missing; nil when every one was read.
    package static func macOSMissing(catalog: RuntimeCatalog, scanned: [Wheel]) -> String? {
        if scanned.contains(where: { $0.platform == .macos }) { return nil }
        let absent = macOSWheelNames.filter { path(of: $0, in: catalog).map { !FileManager.default.fileExists(atPath: $0) } ?? true }
        guard !absent.isEmpty else { return nil }
        return "the runtime manifest (\(catalog.manifestURL.path)) has no readable wheel \(absent.joined(separator: " or ")); provisioning did not fetch them"
    }

    /// One wheel.
    package static func scan(wheel url: URL) -> Wheel {
        let name = url.lastPathComponent
        let (package, version, tag) = parseFileName(name)
        var wheel = Wheel(file: name, package: package, version: version, platformTag: tag, libraries: [], error: nil)
        do {
            let report = try RuntimeScanner().scan(paths: [url.path])
            wheel.libraries = report.runtimes.map { r in
                let member = r.path.split(separator: "!", maxSplits: 1).last.map(String.init) ?? r.path
                return Library(path: member, kind: Library.Kind(r.vendor))
            }
            if !report.skipped.isEmpty { wheel.error = report.skipped.map(\.reason).joined(separator: "; ") }
        } catch {
            wheel.error = error.description
        }
        return wheel
    }

    /// `name-version[-build]-python-abi-platform.whl` → (normalized name, version, platform tag).
    package static func parseFileName(_ file: String) -> (package: String, version: String, platformTag: String) {
        let stem = file.hasSuffix(".whl") ? String(file.dropLast(4)) : file
        let parts = stem.split(separator: "-").map(String.init)
        let package = (parts.first ?? stem).lowercased().replacingOccurrences(of: "_", with: "-").replacingOccurrences(of: ".", with: "-")
        return (package, parts.count > 1 ? parts[1] : "", parts.count >= 5 ? parts[parts.count - 1] : "")
    }
}
