import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What an OpenMP runtime file is, read from its own bytes: family (from exported symbols),
/// vendor and version (from the banner the runtime embeds), fingerprint and file identity.
///
/// The file name is never consulted: Debian's `libiomp5.so` is a symlink to LLVM libomp,
/// and wheels rename their vendored copies freely.
///
/// ```swift
/// let id = try RuntimeIdentity.identify(path: "/usr/lib/x86_64-linux-gnu/libiomp5.so")
/// id?.family   // .kmp
/// id?.vendor   // .llvm
/// id?.version  // "14.0"
/// ```
package struct RuntimeIdentity: Sendable, Hashable, Codable {
    /// The two runtime families that matter for duplicate-runtime failures.
    package enum Family: String, Sendable, Hashable, Codable, CaseIterable {
        /// LLVM libomp or Intel libiomp5: defines `__kmpc_fork_call`. Two distinct copies in
        /// one process abort with `OMP: Error #15` when the second initializes.
        case kmp
        /// GNU libgomp: defines `GOMP_parallel` and not `__kmpc_fork_call`.
        case gnu
        /// Microsoft's OpenMP runtime (`vcomp140.dll`): defines `_vcomp_fork` and neither of the
        /// above. It takes no part in the KMP duplicate-runtime check. (Intel's `libiomp5md.dll`
        /// also exports `_vcomp_fork`, for compatibility; it is `kmp`.)
        case vcomp
    }
    /// Who built the runtime, decided from its embedded banner.
    package enum Vendor: String, Sendable, Hashable, Codable, CaseIterable {
        case llvm, intel, gnu
        /// Microsoft (vcomp), from the family.
        case microsoft
        /// A KMP-family runtime without a recognised banner.
        case unknown
    }
    /// The object file format.
    package enum Format: String, Sendable, Hashable, Codable {
        case elf
        case machO = "mach-o"
        /// A Windows PE image (`.dll`), 64-bit x86-64 or arm64.
        case pe
    }

    /// The path as given (may be a symlink), or `archive!member` for a zip member.
    package var path: String
    /// The path with every symlink resolved (the path itself for a zip member).
    package var realPath: String
    package var format: Format
    /// `kmp` or `gnu`, from the symbols the file exports, never from its name.
    package var family: Family
    package var vendor: Vendor
    /// The best version the file states about itself, `unknown` when it states none.
    /// See `versionSource` for where it came from.
    package var version: String
    /// Where ``version`` was read:
    /// - `build-compiler`: LLVM runtimes all report the same library version
    ///   (`5.0.20140926`), so the version is taken from the `build compiler: Clang X.Y`
    ///   banner line; LLVM builds its own runtime with its own clang, so for LLVM's and
    ///   distributions' builds this is the LLVM release (a libomp built by another compiler
    ///   would report that compiler instead, and then `library-banner` is used).
    /// - `library-banner`: the `… OMP version: X` banner line (Intel's own numbering).
    /// - `gomp-version-node`: the newest `GOMP_x.y` symbol version libgomp defines.
    /// - `version-resource`: a Windows DLL's `FileVersion` string (vcomp, or a KMP DLL without
    ///   a banner).
    /// - `none`: nothing found.
    package var versionSource: String
    /// The `OMP version:` banner value, e.g. `5.0.20140926` (LLVM) or `5.0.20250422` (Intel).
    package var libraryVersion: String?
    /// The `OMP build compiler:` banner value, e.g. `Clang 16.0`.
    package var buildCompiler: String?
    /// The banner lines found (`@(#) …` strings), without the `@(#) ` marker.
    package var banner: [String]
    /// `DT_SONAME` (ELF), `LC_ID_DYLIB` (Mach-O), or the export directory's DLL name (PE).
    package var soname: String?
    /// `x86_64`, `aarch64`, … (ELF); Apple names joined by `+` for a universal Mach-O.
    package var architecture: String
    /// Lowercase hex SHA-256 of the whole file.
    package var sha256: String
    package var size: Int
    /// A Windows DLL's version resource: `FileVersion` and `ProductVersion` (nil for ELF and Mach-O,
    /// or when the DLL has none). Intel's `libiomp5md.dll` states its build date there (`20260828`).
    package var fileVersion: String?
    package var productVersion: String?
    /// The DLLs a Windows DLL imports (regular and delay-load), in order; nil for ELF and Mach-O.
    package var importedDLLs: [String]?
    /// Device and inode of the file (nil for a zip member). Two paths with the same key
    /// are one runtime to the dynamic loader; a copy has its own key.
    package var fileKey: FileKey?

    /// True when both identities name the same file on disk (same device and inode).
    package func isSameFile(as other: RuntimeIdentity) -> Bool {
        guard let a = fileKey, let b = other.fileKey else { return false }
        return a == b
    }

    // MARK: identifying

    /// Identifies the file at `path` (symlinks followed) without loading it.
    ///
    /// - Returns: nil when the file is readable but is not an OpenMP runtime (not ELF or
    ///   Mach-O or PE, or defining none of `__kmpc_fork_call`, `GOMP_parallel`, `_vcomp_fork`).
    /// - Throws: ``BinaryFileError`` when the file is missing, a directory, unreadable, or an
    ///   ELF or Mach-O file whose tables are damaged (`malformed`).
    package static func identify(path: String) throws(BinaryFileError) -> RuntimeIdentity? {
        let bytes = try FileBytes(reading: path)
        return try read(bytes, path: path, realPath: resolvedPath(path) ?? path)
    }

    /// Identifies a runtime held in memory (e.g. a member read out of a wheel).
    package static func identify(bytes: [UInt8], path: String) -> RuntimeIdentity? {
        identify(FileBytes(bytes: bytes), path: path, realPath: path)
    }

    /// The family alone, from exported symbols; cheaper than ``identify(path:)`` (no hashing).
    /// Nil when the file is not an ELF or Mach-O OpenMP runtime.
    package static func family(path: String) throws(BinaryFileError) -> Family? {
        let bytes = try FileBytes(reading: path)
        if let elf = try? ELFFile(bytes: bytes, path: path) { return family(defines: elf.defines) }
        if let macho = try? MachOFile(bytes: bytes, path: path) { return family(defines: macho.defines) }
        if let pe = try? PEFile(bytes: bytes, path: path) { return family(defines: pe.defines) }
        return nil
    }

    /// The family rule: `kmp` when `__kmpc_fork_call` is defined; `gnu` when `GOMP_parallel`
    /// is defined and `__kmpc_fork_call` is not; `vcomp` when only `_vcomp_fork` is;
    /// otherwise not a runtime.
    package static func family(defines: (String) -> Bool) -> Family? {
        if defines("__kmpc_fork_call") { return .kmp }
        if defines("GOMP_parallel") { return .gnu }
        if defines("_vcomp_fork") { return .vcomp }
        return nil
    }

    static func identify(_ bytes: FileBytes, path: String, realPath: String) -> RuntimeIdentity? {
        (try? read(bytes, path: path, realPath: realPath)) ?? nil
    }

    /// Like ``identify(_:path:realPath:)``, but a file with an ELF or Mach-O magic number whose
    /// tables are damaged throws ``BinaryFileError/malformed(path:reason:)`` instead of
    /// counting as "not a runtime".
    static func read(_ bytes: FileBytes, path: String, realPath: String) throws(BinaryFileError) -> RuntimeIdentity? {
        // A file that shrank while it was read parses as garbage: say what happened instead.
        let changed = BinaryFileError.unreadable(path: path, reason: "the file changed while it was read (it shrank)")
        let identity: RuntimeIdentity?
        do { identity = try readUnchecked(bytes, path: path, realPath: realPath) } catch {
            throw bytes.changedWhileRead ? changed : error
        }
        if bytes.changedWhileRead { throw changed }
        return identity
    }

    private static func readUnchecked(_ bytes: FileBytes, path: String, realPath: String) throws(BinaryFileError) -> RuntimeIdentity? {
        let format: Format, family: Family, soname: String?, architecture: String
        var versionNodes: [String] = []
        var pe: PEFile?
        let head = Array(UnsafeRawBufferPointer(rebasing: bytes.raw.prefix(8)))
        if ELFFile.hasMagic(head) {
            let elf = try ELFFile(bytes: bytes, path: path)
            guard let f = Self.family(defines: elf.defines) else { return nil }
            format = .elf; family = f; soname = elf.soname; architecture = elf.architecture
            versionNodes = elf.versionDefinitions
        } else if MachOFile.hasMagic(head) {
            let macho = try MachOFile(bytes: bytes, path: path)
            guard let f = Self.family(defines: macho.defines) else { return nil }
            format = .machO; family = f; soname = macho.installName
            architecture = macho.slices.map(\.architecture).joined(separator: "+")
        } else if PEFile.hasMagic(head) {
            let dll = try PEFile(bytes: bytes, path: path)
            guard let f = Self.family(defines: dll.defines) else { return nil }
            format = .pe; family = f; soname = dll.exportName; architecture = dll.architecture
            pe = dll
        } else {
            return nil
        }

        let banner = bannerLines(bytes)
        func value(after key: String) -> String? {
            for line in banner {
                guard let r = line.range(of: key) else { continue }
                let v = line[r.upperBound...].runtimeTrimmed()
                if !v.isEmpty { return v }
            }
            return nil
        }
        let libraryVersion = value(after: "OMP version: ")
        let compiler = value(after: "OMP build compiler: ")

        let vendor: Vendor
        if family == .gnu {
            vendor = .gnu
        } else if family == .vcomp {
            vendor = .microsoft
        } else if banner.contains(where: { $0.hasPrefix("Intel(R) OMP") || $0.hasPrefix("Intel(R) OpenMP") }) {
            // LLVM's libomp carried Intel's brand up to LLVM 9 ("Intel(R) OMP build compiler:
            // Clang 9.0", no Intel copyright); Intel's own builds name Intel's compiler and
            // carry its copyright line.
            let builtByLLVM = compiler?.hasPrefix("Clang ") == true && !banner.contains { $0.contains("Intel Corporation") }
            vendor = builtByLLVM ? .llvm : .intel
        } else if banner.contains(where: { $0.hasPrefix("LLVM OMP") }) {
            vendor = .llvm
        } else {
            vendor = .unknown
        }

        var version = "unknown", source = "none"
        switch vendor {
        case .llvm:
            if let c = compiler, c.hasPrefix("Clang "), let v = c.dropFirst(6).split(separator: " ").first {
                version = String(v); source = "build-compiler"
            } else if let v = libraryVersion {
                version = v; source = "library-banner"
            }
        case .intel, .unknown:
            if let v = libraryVersion { version = v; source = "library-banner" }
        case .gnu:
            if let v = newestGOMPNode(versionNodes) { version = v; source = "gomp-version-node" }
        case .microsoft:
            break
        }
        let fileVersion = pe?.versionString("FileVersion").flatMap { $0.isEmpty ? nil : $0 } ?? pe?.fixedFileVersion
        if source == "none", let v = fileVersion { version = v; source = "version-resource" }

        return RuntimeIdentity(
            path: path, realPath: realPath, format: format, family: family, vendor: vendor,
            version: version, versionSource: source, libraryVersion: libraryVersion, buildCompiler: compiler,
            banner: banner, soname: soname, architecture: architecture, sha256: SHA256.hex(of: bytes.raw),
            size: bytes.count, fileVersion: fileVersion,
            productVersion: pe?.versionString("ProductVersion").flatMap { $0.isEmpty ? nil : $0 },
            importedDLLs: pe?.importedDLLs, fileKey: bytes.key)
    }

    /// The `@(#) …` strings the KMP runtimes embed (from `kmp_version.cpp`), marker removed.
    static func bannerLines(_ bytes: FileBytes) -> [String] {
        var lines: [String] = []
        var seen: Set<String> = []
        for off in bytes.occurrences(of: Array("@(#) ".utf8)) {
            guard let s = bytes.cString(at: off + 5, limit: min(bytes.count, off + 5 + 400)) else { continue }
            let line = s.runtimeTrimmed()
            if !line.isEmpty, seen.insert(line).inserted { lines.append(line) }
            if lines.count >= 256 { break } // real runtimes carry about ten
        }
        return lines
    }

    /// The newest `GOMP_x.y[.z]` node, e.g. `GOMP_5.1` (plugin nodes ignored).
    static func newestGOMPNode(_ nodes: [String]) -> String? {
        func numbers(_ n: String) -> [Int]? {
            guard n.hasPrefix("GOMP_") else { return nil }
            let parts = n.dropFirst(5).split(separator: ".")
            let ints = parts.compactMap { Int($0) }
            return ints.count == parts.count && !ints.isEmpty ? ints : nil
        }
        return nodes.compactMap { n in numbers(n).map { (n, $0) } }
            .max { $0.1.lexicographicallyPrecedes($1.1) }?.0
    }

    /// `realpath(3)`, or nil when it fails.
    static func resolvedPath(_ path: String) -> String? {
        guard let p = realpath(path, nil) else { return nil }
        defer { free(p) }
        return String(cString: p)
    }
}

extension StringProtocol {
    /// Drops leading and trailing spaces, tabs and newlines.
    func runtimeTrimmed() -> String {
        var s = Substring(self)
        while let c = s.first, c == " " || c == "\t" || c == "\n" || c == "\r" { s = s.dropFirst() }
        while let c = s.last, c == " " || c == "\t" || c == "\n" || c == "\r" { s = s.dropLast() }
        return String(s)
    }
}

extension RuntimeIdentity {
    /// The release as the file states it, and where the file states it: "LLVM 16.0 (library banner)".
    package var releaseWords: String {
        let where_: String
        switch versionSource {
        case "build-compiler": where_ = "from its build compiler"
        case "library-banner": where_ = "library banner"
        case "gomp-version-node": where_ = "newest GOMP symbol version"
        case "version-resource": where_ = "DLL version resource"
        default: where_ = "no version string"
        }
        let vendorName: String
        switch vendor {
        case .llvm: vendorName = "LLVM"
        case .intel: vendorName = "Intel"
        case .gnu: vendorName = "GNU libgomp"
        case .microsoft: vendorName = "Microsoft vcomp"
        case .unknown: vendorName = "KMP-family (unknown vendor)"
        }
        return "\(vendorName) \(version) (\(where_))"
    }
}
