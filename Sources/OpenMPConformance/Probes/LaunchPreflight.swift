#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Checks, before a probe starts, that a path names something the probe can load as an
/// OpenMP runtime, so a bad path is reported as `launch-failed` with a reason instead of
/// as a crash of the child.
///
/// ```swift
/// LaunchPreflight.check(path: "/usr/lib/llvm-14/lib/libomp.so.5")  // nil: fine
/// LaunchPreflight.check(path: "/usr/lib/x86_64-linux-gnu/libm.so.6")
/// // "/usr/lib/x86_64-linux-gnu/libm.so.6 is a shared library but not an OpenMP runtime: …"
/// ```
package enum LaunchPreflight {
    /// This host's architecture in the naming of the binary format it loads
    /// (`uname -m` style on Linux, Apple's names on macOS).
    package static var hostArchitecture: String {
        #if arch(x86_64)
        return "x86_64"
        #elseif arch(arm64)
        #if os(macOS)
        return "arm64"
        #else
        return "aarch64"
        #endif
        #elseif arch(i386)
        return "i386"
        #elseif arch(arm)
        return "arm"
        #elseif arch(powerpc64le)
        return "ppc64le"
        #elseif arch(powerpc64)
        return "ppc64"
        #elseif arch(s390x)
        return "s390x"
        #elseif arch(riscv64)
        return "riscv64"
        #else
        return "unknown"
        #endif
    }

    /// Nil when `path` is a shared library of this host's format, word size and
    /// architecture that defines an OpenMP runtime's entry points; otherwise one sentence
    /// saying what is wrong (missing, a directory, not a shared library, 32-bit or foreign
    /// architecture, or a library that is not an OpenMP runtime, naming the missing symbols).
    package static func check(path: String) -> String? {
        let bytes: FileBytes
        do {
            bytes = try FileBytes(mapping: path)
        } catch {
            switch error {
            case .notFound: return "\(path) does not exist"
            case .isDirectory: return "\(path) is a directory, not a shared library"
            case .notRegularFile: return "\(path) is not a regular file (a device, FIFO or socket), not a shared library"
            case .permissionDenied: return "\(path) cannot be read (permission denied)"
            case .unreadable(_, let reason): return "\(path) cannot be read (\(reason))"
            case .wrongFormat, .malformed: return "\(path) cannot be read (\(error))"
            }
        }
        if bytes.count == 0 { return "\(path) is an empty file, not a shared library" }
        let head = Array(UnsafeRawBufferPointer(rebasing: bytes.raw.prefix(64)))

        #if os(macOS)
        if ELFFile.hasMagic(head) {
            return "\(path) is an ELF (Linux) library; macOS loads only Mach-O"
        }
        guard MachOFile.hasMagic(head) else { return notALibrary(path, head) }
        let macho: MachOFile
        do { macho = try MachOFile(bytes: bytes, path: path) } catch { return "\(path) is a damaged Mach-O file (\(error))" }
        let host = hostArchitecture
        guard let slice = macho.slices.first(where: { $0.architecture.hasPrefix(host) && $0.is64Bit }) else {
            let archs = macho.slices.map { "\($0.architecture)\($0.is64Bit ? "" : " (32-bit)")" }.joined(separator: ", ")
            return "\(path) is built for \(archs); this host is 64-bit \(host)"
        }
        guard slice.isDylib else { return "\(path) is a Mach-O file but not a dylib (filetype \(slice.fileType))" }
        if RuntimeIdentity.family(defines: { slice.exportedSymbols.contains($0) }) == nil {
            return notARuntime(path)
        }
        return nil
        #else
        if MachOFile.hasMagic(head) {
            return "\(path) is a Mach-O (macOS) library; Linux loads only ELF"
        }
        guard ELFFile.hasMagic(head) else { return notALibrary(path, head) }
        let elf: ELFFile
        do { elf = try ELFFile(bytes: bytes, path: path) } catch { return "\(path) is a damaged ELF file (\(error))" }
        let host = hostArchitecture
        if elf.elfClass == .elf32 {
            return "\(path) is a 32-bit ELF library for \(elf.architecture); this host loads only 64-bit \(host)"
        }
        if elf.architecture != host {
            return "\(path) is built for \(elf.architecture); this host is \(host)"
        }
        if elf.fileType != .sharedObject {
            return "\(path) is an ELF \(elf.fileType.name), not a shared library"
        }
        if RuntimeIdentity.family(defines: elf.defines) == nil {
            return notARuntime(path)
        }
        return nil
        #endif
    }

    private static func notARuntime(_ path: String) -> String {
        "\(path) is a shared library but not an OpenMP runtime: it defines neither __kmpc_fork_call "
            + "(LLVM libomp, Intel libiomp5) nor GOMP_parallel (GNU libgomp)"
    }

    /// A reason for a file that is no binary at all, with a hint of what it is.
    private static func notALibrary(_ path: String, _ head: [UInt8]) -> String {
        let what: String
        if head.starts(with: Array("#!".utf8)) {
            what = "a script"
        } else if head.starts(with: [0x50, 0x4b, 0x03, 0x04]) {
            what = "a zip archive (a wheel or jar?)"
        } else if head.starts(with: Array("!<arch>\n".utf8)) {
            what = "a static archive (.a)"
        } else if String(decoding: head, as: UTF8.self).contains("GNU ld script") {
            what = "a linker script"
        } else if head.allSatisfy({ $0 == 9 || $0 == 10 || $0 == 13 || ($0 >= 32 && $0 < 127) || $0 >= 0x80 }) {
            what = "text"
        } else {
            what = "of unknown format (starts with " + head.prefix(4).map { String($0, radix: 16) }.joined(separator: " ") + ")"
        }
        return "\(path) is not an ELF shared library: it is \(what)"
    }
}
