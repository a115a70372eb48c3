import Foundation

/// Which OpenMP runtime each wheel of a package brings, per platform: `Matrices/wheels/catalog.yaml`,
/// written by `omp-matrix wheels build` from real wheels read statically (never installed or loaded)
/// and read by everything that answers in package words.
///
/// Keyed by package, version, Python tag (`cp312`) and platform id. Every failure to read it is a
/// ``MatrixError`` at `file:line:column`.
package struct WheelCatalog: Sendable, Hashable {
    package static let schemaVersion = 1
    /// The catalog's place in the package: `Matrices/wheels/catalog.yaml`.
    package static let fileName = "catalog.yaml"

    /// The platforms, by the ids the reports use.
    package enum Platform: String, Sendable, Hashable, CaseIterable, Codable {
        case linux = "linux-x86_64"
        case macos = "macos-arm64"
        case windows = "windows-x86_64"
    }

    /// How the wheel brings a runtime.
    package enum Linkage: String, Sendable, Hashable, CaseIterable, Codable {
        /// Shipped inside the wheel under a name changed by a repair tool (auditwheel's
        /// `libgomp-e985bcbb.so.1.0.0`, delvewheel's `name-<hash>.dll`): other wheels' copies do not share its name.
        case vendoredRenamed = "vendored-renamed"
        /// Shipped inside the wheel under the runtime's own name, at the wheel's own path
        /// (`torch/lib/libomp.dylib`, `torch/lib/libiomp5md.dll`).
        case vendoredOwnPath = "vendored-own-path"
        /// Needed by a library in the wheel but not shipped: the system (Homebrew, conda, the OS) must provide it.
        case system
    }

    /// One runtime a wheel ships or needs.
    package struct Runtime: Sendable, Hashable, Codable {
        /// The member's path in the wheel; for `system`, the name the wheel's libraries ask for (`@rpath/libomp.dylib`).
        package var path: String
        /// `kmp`, `gnu` or `vcomp`, from the member's exports; for `system`, from the name asked for (nothing else exists to read).
        package var family: String
        /// `llvm`, `intel`, `gnu`, `microsoft`, `unknown`.
        package var vendor: String
        /// The release the file states (`19.1`, `5.0.20260828`, `GOMP_5.0`, `14.51.36247.0`); `unknown` for `system`.
        package var release: String
        /// SHA-256 of the member; nil for `system`.
        package var sha256: String?
        package var linkage: Linkage
        /// Libraries of the wheel that need it (for `system`), by path in the wheel.
        package var neededBy: [String]

        package init(path: String, family: String, vendor: String, release: String, sha256: String?, linkage: Linkage, neededBy: [String] = []) {
            self.path = path; self.family = family; self.vendor = vendor; self.release = release
            self.sha256 = sha256; self.linkage = linkage; self.neededBy = neededBy
        }
    }

    /// One wheel.
    package struct Wheel: Sendable, Hashable, Codable {
        package var package: String
        package var version: String
        /// `cp312`.
        package var python: String
        package var platform: Platform
        /// The wheel's file name on the index.
        package var file: String
        /// SHA-256 of the whole wheel (computed from the download, or the index's published one when read by ranges).
        package var sha256: String
        package var size: Int
        /// `whole` (downloaded with pip and read) or `ranges` (zip directory and the library members
        /// read by HTTP range requests; `sha256` is then the index's).
        package var read: String
        package var runtimes: [Runtime]
        /// What could not be read, and anything else worth saying.
        package var notes: [String]

        package init(package: String, version: String, python: String, platform: Platform, file: String, sha256: String,
                     size: Int, read: String, runtimes: [Runtime], notes: [String]) {
            self.package = package; self.version = version; self.python = python; self.platform = platform; self.file = file
            self.sha256 = sha256; self.size = size; self.read = read; self.runtimes = runtimes; self.notes = notes
        }
    }

    /// A package, version and platform with no wheel in the catalog, and why.
    package struct Missing: Error, Sendable, Hashable, Codable {
        package var package: String
        package var version: String
        package var platform: Platform
        package var reason: String
        package init(package: String, version: String, platform: Platform, reason: String) {
            self.package = package; self.version = version; self.platform = platform; self.reason = reason
        }
    }

    package var wheels: [Wheel]
    package var missing: [Missing]

    package init(wheels: [Wheel], missing: [Missing]) { self.wheels = wheels; self.missing = missing }

    /// The wheel for a key, if catalogued.
    package func wheel(package: String, version: String? = nil, python: String = "cp312", platform: Platform) -> Wheel? {
        let name = Self.normalize(package)
        return wheels.first { $0.package == name && (version == nil || $0.version == version) && $0.python == python && $0.platform == platform }
    }

    /// The last component of a path in a wheel (`torch/lib/libomp.dylib` gives `libomp.dylib`).
    package static func fileName(_ path: String) -> String {
        path.split(separator: "/").last.map(String.init) ?? path
    }

    /// PEP 503 normalized name: lowercase, runs of `-`, `_`, `.` as one `-`.
    package static func normalize(_ name: String) -> String {
        var out = ""
        for c in name.lowercased() {
            if c == "-" || c == "_" || c == "." {
                if !out.hasSuffix("-") { out.append("-") }
            } else {
                out.append(c)
            }
        }
        return out
    }

    // MARK: reading

    /// Reads and validates `Matrices/wheels/catalog.yaml` (or any file of that schema).
    package static func load(_ url: URL) throws(MatrixError) -> WheelCatalog {
        let doc = try MatrixLoader.read(url)
        let top = try doc.mapping("the wheel catalog", required: ["schemaVersion", "wheels"], optional: ["missing"])
        try MatrixLoader.checkSchemaVersion(top)
        var wheels: [Wheel] = []
        var seen: [String: Int] = [:]
        for item in try top.required("wheels").sequence("wheels") {
            let m = try item.mapping("a wheel", required: ["package", "version", "python", "platform", "file", "sha256", "size", "read", "runtimes"],
                                     optional: ["notes"])
            let package = try m.required("package").string("package")
            guard normalize(package) == package else { throw m.required("package").fail("package '\(package)' is not a normalized name (\(normalize(package)))") }
            let version = try m.required("version").string("version")
            let python = try m.required("python").string("python")
            let platform = Platform(rawValue: try m.required("platform").word("platform", in: Platform.allCases.map(\.rawValue)))!
            let key = "\(package) \(version) \(python) \(platform.rawValue)"
            if let line = seen[key] { throw item.fail("duplicate wheel \(key) (first at line \(line))") }
            seen[key] = item.location.line
            let file = try m.required("file").string("file")
            guard file.hasSuffix(".whl"), !file.contains("/") else { throw m.required("file").fail("file '\(file)' is not a wheel file name") }
            let sha = try hex64(m.required("sha256"), "sha256")
            let size = try m.required("size").int("size")
            guard size > 0 else { throw m.required("size").fail("size must be positive") }
            let read = try m.required("read").word("read", in: ["whole", "ranges"])
            var runtimes: [Runtime] = []
            for r in try m.required("runtimes").sequence("runtimes") {
                let rm = try r.mapping("a runtime", required: ["path", "family", "vendor", "release", "linkage"], optional: ["sha256", "neededBy"])
                let linkage = Linkage(rawValue: try rm.required("linkage").word("linkage", in: Linkage.allCases.map(\.rawValue)))!
                let sha: String?
                switch (linkage, rm["sha256"]) {
                case (.system, nil): sha = nil
                case (.system, .some(let v)): throw v.fail("a runtime expected from the system has no sha256 (it is not in the wheel)")
                case (_, nil): throw r.fail("a runtime shipped in the wheel is missing the key 'sha256'")
                case (_, .some(let v)): sha = try hex64(v, "sha256")
                }
                runtimes.append(Runtime(
                    path: try rm.required("path").string("path"),
                    family: try rm.required("family").word("family", in: RuntimeIdentity.Family.allCases.map(\.rawValue)),
                    vendor: try rm.required("vendor").word("vendor", in: RuntimeIdentity.Vendor.allCases.map(\.rawValue)),
                    release: try rm.required("release").string("release"), sha256: sha, linkage: linkage,
                    neededBy: try rm["neededBy"]?.list("neededBy") { (v: YAMLValue) throws(MatrixError) in try v.string("neededBy") } ?? []))
            }
            let notes = try m["notes"]?.list("notes") { (v: YAMLValue) throws(MatrixError) in try v.string("a note") } ?? []
            wheels.append(Wheel(package: package, version: version, python: python, platform: platform, file: file, sha256: sha,
                                size: size, read: read, runtimes: runtimes, notes: notes))
        }
        var missing: [Missing] = []
        for item in try top["missing"]?.sequence("missing") ?? [] {
            let m = try item.mapping("a missing wheel", required: ["package", "version", "platform", "reason"])
            missing.append(Missing(package: try m.required("package").string("package"), version: try m.required("version").string("version"),
                                   platform: Platform(rawValue: try m.required("platform").word("platform", in: Platform.allCases.map(\.rawValue)))!,
                                   reason: try m.required("reason").string("reason")))
        }
        return WheelCatalog(wheels: wheels, missing: missing)
    }

    private static func hex64(_ v: YAMLValue, _ what: String) throws(MatrixError) -> String {
        let s = try v.string(what)
        guard s.count == 64, s.allSatisfy({ $0.isHexDigit && !$0.isUppercase }) else { throw v.fail("\(what) must be 64 lowercase hex digits") }
        return s
    }

    // MARK: writing

    /// The catalog as YAML, in a fixed order (package, version, platform), quoted where YAML would misread.
    package func yaml(header: [String]) -> String {
        func q(_ s: String) -> String {
            "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
        }
        var out = header.map { "# " + $0 }.joined(separator: "\n") + "\nschemaVersion: \(Self.schemaVersion)\nwheels:\n"
        let order = Platform.allCases
        for w in wheels.sorted(by: { ($0.package, $0.version, order.firstIndex(of: $0.platform)!) < ($1.package, $1.version, order.firstIndex(of: $1.platform)!) }) {
            out += "  - package: \(w.package)\n    version: \(q(w.version))\n    python: \(w.python)\n    platform: \(w.platform.rawValue)\n"
            out += "    file: \(q(w.file))\n    sha256: \(w.sha256)\n    size: \(w.size)\n    read: \(w.read)\n"
            if w.runtimes.isEmpty { out += "    runtimes: []\n" } else { out += "    runtimes:\n" }
            for r in w.runtimes {
                out += "      - path: \(q(r.path))\n        family: \(r.family)\n        vendor: \(r.vendor)\n        release: \(q(r.release))\n"
                if let s = r.sha256 { out += "        sha256: \(s)\n" }
                out += "        linkage: \(r.linkage.rawValue)\n"
                if !r.neededBy.isEmpty { out += "        neededBy: [" + r.neededBy.map(q).joined(separator: ", ") + "]\n" }
            }
            if !w.notes.isEmpty { out += "    notes:\n" + w.notes.map { "      - \(q($0))\n" }.joined() }
        }
        if !missing.isEmpty {
            out += "missing:\n"
            for m in missing.sorted(by: { ($0.package, $0.platform.rawValue) < ($1.package, $1.platform.rawValue) }) {
                out += "  - package: \(m.package)\n    version: \(q(m.version))\n    platform: \(m.platform.rawValue)\n    reason: \(q(m.reason))\n"
            }
        }
        return out
    }
}
