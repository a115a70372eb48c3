import Foundation

/// Lists the OpenMP runtimes bundled inside Python wheels (zip files), without unpacking them.
/// Evidence for the doc's claim about which runtime PyTorch and FAISS bring.
public enum WheelScan {
    /// One wheel file and the OpenMP libraries inside it.
    public struct Wheel: Sendable, Hashable, Codable {
        /// The file name, e.g. `faiss_cpu-1.12.0-cp312-cp312-macosx_14_0_arm64.whl`.
        public var file: String
        /// Normalized distribution name (`faiss-cpu`).
        public var package: String
        public var version: String
        /// The platform tag, e.g. `macosx_14_0_arm64` or `manylinux_2_28_x86_64`.
        public var platformTag: String
        public var libraries: [Library]
        /// Set when the file could not be read as a zip.
        public var error: String?

        /// The wheel's platform as the matrix names platforms (`any` for pure or other wheels).
        public var platform: Matrix.Platform {
            if platformTag.hasPrefix("macosx") { return .macos }
            if platformTag.contains("linux") { return .linux }
            return .any
        }

        /// A short human summary, e.g. `faiss_cpu-…whl bundles libgomp-a34b3233.so.1.0.0 (gnu)`.
        public var summary: String {
            if let error { return "\(file): unreadable (\(error))" }
            if libraries.isEmpty { return "\(file) bundles no OpenMP runtime" }
            return "\(file) bundles " + libraries.map { "\(($0.path as NSString).lastPathComponent) (\($0.kind.rawValue))" }.joined(separator: ", ")
        }
    }

    /// An OpenMP runtime library found inside a wheel.
    public struct Library: Sendable, Hashable, Codable {
        /// Path inside the wheel.
        public var path: String
        public var kind: Kind

        /// Which runtime a library file is, from its name.
        public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
            /// `libiomp5*`: Intel OpenMP.
            case intel
            /// `libomp*`: LLVM OpenMP.
            case llvm
            /// `libgomp*`: GNU OpenMP.
            case gnu
        }

        /// The runtime a file name denotes, if it is a shared library of one.
        public static func kind(ofFile path: String) -> Kind? {
            let base = (path as NSString).lastPathComponent.lowercased()
            let isShared = base.hasSuffix(".dylib") || base.hasSuffix(".dll") || base.hasSuffix(".so") || base.contains(".so.")
            guard isShared else { return nil }
            // The runtime itself, maybe with a vendoring hash (`libomp-9a1b2c.so.5`) or Windows'
            // `md` suffix; not its companions (`libomptarget*`, `libiomp5_db`, `libiompstubs5`).
            func named(_ stem: String, suffixes: [String] = []) -> Bool {
                guard base.hasPrefix(stem) else { return false }
                let rest = base.dropFirst(stem.count)
                return rest.hasPrefix(".") || rest.hasPrefix("-") || suffixes.contains { rest.hasPrefix($0) }
            }
            if named("libiomp5", suffixes: ["md."]) { return .intel }
            if named("libgomp") { return .gnu }
            if named("libomp") { return .llvm }
            return nil
        }
    }

    /// Every `*.whl` in `directory` (not recursive), sorted by file name. A missing directory gives `[]`.
    public static func scan(directory: URL) -> [Wheel] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".whl") }.sorted().map { name in
            let (package, version, tag) = parseFileName(name)
            do {
                let data = try Data(contentsOf: directory.appendingPathComponent(name), options: .alwaysMapped)
                let libs = try entryNames(ofZip: data).compactMap { p in Library.kind(ofFile: p).map { Library(path: p, kind: $0) } }
                return Wheel(file: name, package: package, version: version, platformTag: tag, libraries: libs, error: nil)
            } catch {
                return Wheel(file: name, package: package, version: version, platformTag: tag, libraries: [], error: "\(error)")
            }
        }
    }

    /// `name-version[-build]-python-abi-platform.whl` → (normalized name, version, platform tag).
    public static func parseFileName(_ file: String) -> (package: String, version: String, platformTag: String) {
        let stem = file.hasSuffix(".whl") ? String(file.dropLast(4)) : file
        let parts = stem.split(separator: "-").map(String.init)
        let package = (parts.first ?? stem).lowercased().replacingOccurrences(of: "_", with: "-").replacingOccurrences(of: ".", with: "-")
        return (package, parts.count > 1 ? parts[1] : "", parts.count >= 5 ? parts[parts.count - 1] : "")
    }

    /// A zip that cannot be read.
    public struct ZipError: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// The names of every entry in a zip's central directory (zip64 aware). Reads only the
    /// end records and the directory, so a memory-mapped multi-gigabyte wheel costs little.
    public static func entryNames(ofZip data: Data) throws(ZipError) -> [String] {
        let result: Result<[String], ZipError> = data.withUnsafeBytes { raw in
            Result { () throws(ZipError) -> [String] in try entryNames(raw) }
        }
        return try result.get()
    }

    private static func entryNames(_ bytes: UnsafeRawBufferPointer) throws(ZipError) -> [String] {
        func u16(_ o: Int) -> Int { Int(bytes[o]) | Int(bytes[o + 1]) << 8 }
        func u32(_ o: Int) -> Int { u16(o) | u16(o + 2) << 16 }
        func u64(_ o: Int) -> Int { u32(o) | u32(o + 4) << 32 }
        guard bytes.count >= 22 else { throw ZipError(description: "too short to be a zip (\(bytes.count) bytes)") }
        var eocd = -1
        var o = bytes.count - 22
        let lowest = max(0, bytes.count - 22 - 65_535)
        while o >= lowest {
            if u32(o) == 0x0605_4b50 { eocd = o; break }
            o -= 1
        }
        guard eocd >= 0 else { throw ZipError(description: "no end-of-central-directory record") }
        var count = u16(eocd + 10), size = u32(eocd + 12), offset = u32(eocd + 16)
        if count == 0xFFFF || offset == 0xFFFF_FFFF {
            let loc = eocd - 20
            guard loc >= 0, u32(loc) == 0x0706_4b50 else { throw ZipError(description: "zip64 locator missing") }
            let z = u64(loc + 8)
            guard z >= 0, z + 56 <= bytes.count, u32(z) == 0x0606_4b50 else { throw ZipError(description: "zip64 record missing") }
            count = u64(z + 32); size = u64(z + 40); offset = u64(z + 48)
        }
        let end = offset + size
        guard offset >= 0, size >= 0, end <= eocd else {
            throw ZipError(description: "the central directory (\(size) bytes at \(offset)) does not fit before its end record")
        }
        var names: [String] = []
        var p = offset
        for _ in 0..<count {
            guard p + 46 <= end, u32(p) == 0x0201_4b50 else {
                throw ZipError(description: "central directory entry \(names.count + 1) is damaged")
            }
            let n = u16(p + 28), extra = u16(p + 30), comment = u16(p + 32)
            guard p + 46 + n <= end else { throw ZipError(description: "central directory is truncated") }
            names.append(String(decoding: UnsafeRawBufferPointer(rebasing: bytes[(p + 46)..<(p + 46 + n)]), as: UTF8.self))
            p += 46 + n + extra + comment
        }
        return names
    }
}
