import Foundation
import Testing
@testable import OpenMPConformance

/// Damaged ELF and Mach-O files of each crash class the readers once had: each is read by
/// `scan`, by the probe's preflight and by the `inspect` reader, and must give a reason,
/// never a signal, and in well under a second.
enum HostileBinaries {
    typealias B = BinaryBuilder

    static func le64u(_ v: UInt64) -> [UInt8] { (0..<8).map { UInt8((v >> UInt64($0 * 8)) & 0xff) } }

    /// An ELF64 header with the given table fields.
    static func header(phoff: UInt64 = 0, shoff: UInt64 = 0, phnum: Int = 0, shnum: Int = 0,
                       phentsize: Int = 56, shentsize: Int = 64) -> [UInt8] {
        var b: [UInt8] = [0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0] + [UInt8](repeating: 0, count: 8)
        b += B.le16(3) + B.le16(62) + B.le32(1)
        b += B.le64(0) + le64u(phoff) + le64u(shoff) + B.le32(0)
        b += B.le16(64) + B.le16(phentsize) + B.le16(phnum) + B.le16(shentsize) + B.le16(shnum) + B.le16(0)
        return b
    }

    static func section(type: Int, offset: UInt64, size: UInt64, link: Int = 0, entsize: UInt64 = 0) -> [UInt8] {
        B.le32(0) + B.le32(type) + B.le64(0) + B.le64(0) + le64u(offset) + le64u(size) + B.le32(link) + B.le32(0)
            + B.le64(8) + le64u(entsize)
    }

    static func segment(type: Int, offset: UInt64, vaddr: UInt64, filesz: UInt64) -> [UInt8] {
        B.le32(type) + B.le32(4) + le64u(offset) + le64u(vaddr) + le64u(vaddr) + le64u(filesz) + le64u(filesz) + B.le64(8)
    }

    /// Row 1: 185 bytes, `e_shnum = 0`, and section 0's `sh_size` (the extended count) is huge.
    static var extendedSectionCount: [UInt8] {
        var b = header(shoff: 64, shnum: 0)
        b += section(type: 0, offset: 0, size: 0x0fff_ffff_ffff_ffff)
        b += [UInt8](repeating: 0x41, count: 185 - b.count)
        return b
    }

    /// Row 2: fields that overflowed the readers' arithmetic (offsets near 2^64, negative
    /// counts after conversion, entry sizes of 2^64 - 1), one file each.
    static var overflowingELF: [(String, [UInt8])] {
        var out: [(String, [UInt8])] = []
        out.append(("phoff-max", header(phoff: .max, phnum: 3) + [UInt8](repeating: 0, count: 64)))
        out.append(("shoff-max", header(shoff: .max, shnum: 5) + [UInt8](repeating: 0, count: 64)))
        out.append(("shoff-sign", header(shoff: 0x8000_0000_0000_0000, shnum: 0) + [UInt8](repeating: 0, count: 64)))
        out.append(("dynamic-max", header(phoff: 64, phnum: 1) + segment(type: 2, offset: .max - 8, vaddr: 0, filesz: 0x100)))
        out.append(("dynsym-max", header(shoff: 64, shnum: 2)
                    + section(type: 11, offset: .max, size: .max, link: 1, entsize: 24)
                    + section(type: 3, offset: 0, size: 16)))
        out.append(("dynsym-link", header(shoff: 64, shnum: 1) + section(type: 11, offset: 0, size: 64, link: 0x7fff_ffff)))
        out.append(("dynsym-entsize", header(shoff: 64, shnum: 2)
                    + section(type: 11, offset: 0, size: 128, link: 1, entsize: .max) + section(type: 3, offset: 0, size: 16)))
        // PT_LOAD + PT_DYNAMIC whose DT_SYMENT is 2^64 - 1 and DT_STRSZ 2^64 - 1.
        var d = header(phoff: 64, phnum: 2)
        d += segment(type: 1, offset: 0, vaddr: 0, filesz: 1024)
        d += segment(type: 2, offset: 176, vaddr: 176, filesz: 80)
        d += B.le64(5) + B.le64(0) + B.le64(10) + le64u(.max) + B.le64(6) + B.le64(0) + B.le64(11) + le64u(.max) + B.le64(0) + B.le64(0)
        d += [UInt8](repeating: 0, count: 1024 - d.count)
        out.append(("dynamic-syment", d))
        // PT_LOAD whose offset + (address - vaddr) overflows.
        var l = header(phoff: 64, phnum: 2)
        l += segment(type: 1, offset: .max - 4, vaddr: 0, filesz: .max)
        l += segment(type: 2, offset: 176, vaddr: 176, filesz: 48)
        l += B.le64(5) + B.le64(0x100) + B.le64(6) + B.le64(0x200) + B.le64(0) + B.le64(0)
        out.append(("load-overflow", l))
        return out
    }

    /// Row 3: a 15 KB ELF without section headers whose `DT_HASH` declares 2^32 - 1 symbols.
    static var hugeSymbolCount: [UInt8] {
        let size = 15 * 1024
        var b = header(phoff: 64, phnum: 2)
        b += segment(type: 1, offset: 0, vaddr: 0, filesz: UInt64(size))
        b += segment(type: 2, offset: 176, vaddr: 176, filesz: 96)
        // DT_HASH at 0x200, DT_SYMTAB at 0x400, DT_STRTAB at 0x300 (size 16), end.
        b += B.le64(4) + B.le64(0x200) + B.le64(6) + B.le64(0x400) + B.le64(5) + B.le64(0x300)
        b += B.le64(10) + B.le64(16) + B.le64(0) + B.le64(0)
        b += [UInt8](repeating: 0, count: 0x200 - b.count)
        b += B.le32(1) + B.le32(0xffff_ffff) // nbucket, nchain
        b += [UInt8](repeating: 0, count: 0x300 - b.count)
        b += Array("__kmpc_fork_cal".utf8) + [0]
        b += [UInt8](repeating: 0, count: 0x400 - b.count)
        while b.count < size { b += B.le32(1) + [0x12, 0] + B.le16(1) + B.le64(0) + B.le64(0) }
        return Array(b.prefix(size))
    }

    /// Row 2, Mach-O: an export trie with a terminal size of 2^63 - 1 and child offsets that
    /// turn negative, and an `LC_SYMTAB` that points past the end.
    static var overflowingMachO: [(String, [UInt8])] {
        let trie: [UInt8] = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f, 0x01, 0x5f, 0x00,
                             0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]
        let trieDylib = B.machODylib(cpuType: 0x0100_000c, installName: "libx.dylib", symbols: [], trie: trie)
        let childTrie: [UInt8] = [0x00, 0x02, 0x61, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x80, 0x01,
                                  0x62, 0x00, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01]
        let childDylib = B.machODylib(cpuType: 0x0100_000c, installName: "liby.dylib", symbols: [], trie: childTrie)
        var symtab = B.machODylib(cpuType: 0x0100_000c, installName: "libz.dylib", symbols: [("___kmpc_fork_call", 0x0f)])
        // LC_SYMTAB follows the 32-byte header and LC_ID_DYLIB (24 + name padded): set nsyms huge.
        let idSize = Int(symtab[36]) | Int(symtab[37]) << 8
        let nsymsAt = 32 + idSize + 12
        symtab.replaceSubrange(nsymsAt..<(nsymsAt + 4), with: B.le32(0x7fff_ffff))
        return [("trie-terminal", trieDylib), ("trie-child", childDylib), ("symtab-count", symtab)]
    }

    static var all: [(String, [UInt8])] {
        [("extended-section-count", extendedSectionCount), ("huge-symbol-count", hugeSymbolCount)]
            + overflowingELF + overflowingMachO
    }
}

extension RuntimesTests {
    @Suite("hostile binaries: a reason, never a crash")
    struct HostileBinaryTests {
        static let names = HostileBinaries.all.map(\.0)

        func file(_ name: String) throws -> (dir: URL, path: String) {
            let bytes = try #require(HostileBinaries.all.first { $0.0 == name }?.1)
            let dir = try makeTemporaryDirectory("omp-hostile")
            let path = dir.appendingPathComponent(name.hasPrefix("trie") || name.hasPrefix("symtab") ? "lib\(name).dylib" : "lib\(name).so").path
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            return (dir, path)
        }

        @Test("the 185-byte extended-count file is that size")
        func sizes() {
            #expect(HostileBinaries.extendedSectionCount.count == 185)
            #expect(HostileBinaries.hugeSymbolCount.count == 15 * 1024)
        }

        @Test("scan lists the file as unreadable with its reason", arguments: names)
        func scan(_ name: String) throws {
            let (dir, path) = try file(name)
            defer { try? FileManager.default.removeItem(at: dir) }
            let clock = ContinuousClock(), t0 = clock.now
            let report = try RuntimeScanner().scan(paths: [dir.path])
            #expect(clock.now - t0 < .seconds(1))
            #expect(report.runtimes.isEmpty)
            let skipped = try #require(report.skipped.first { $0.path == path }, "\(report.skipped)")
            #expect(skipped.reason.hasPrefix("unreadable: "), "\(skipped.reason)")
        }

        @Test("the probe preflight refuses the file", arguments: names)
        func preflight(_ name: String) throws {
            let (dir, path) = try file(name)
            defer { try? FileManager.default.removeItem(at: dir) }
            let reason = try #require(LaunchPreflight.check(path: path))
            #expect(reason.contains("damaged") || reason.contains("Mach-O (macOS)"), "\(reason)")
        }

        @Test("the inspect reader throws malformed", arguments: names)
        func inspectReader(_ name: String) throws {
            let (dir, path) = try file(name)
            defer { try? FileManager.default.removeItem(at: dir) }
            #expect(throws: BinaryFileError.self) { _ = try RuntimeIdentity.identify(path: path) }
        }

        @Test("omp-matrix scan and probe --runtime exit with a reason, not a signal", arguments: names)
        func cli(_ name: String) async throws {
            let exe = try #require(TestProducts.ompMatrix, "omp-matrix not built beside the tests")
            let (dir, path) = try file(name)
            defer { try? FileManager.default.removeItem(at: dir) }
            for args in [["scan", dir.path], ["probe", "--runtime", "a=\(path)", "--steps", "load a; init a"]] {
                let p = try await TestProcess.run([exe] + args)
                let data = p.stdout
                #expect(p.terminationReason == .exit, "\(args[0]) died of signal \(p.terminationStatus)")
                let text = String(decoding: data, as: UTF8.self)
                if args[0] == "scan" {
                    #expect(p.terminationStatus == 0 && text.contains("unreadable: "), "\(text)")
                } else {
                    #expect(p.terminationStatus == 1 && text.contains("launch-failed"), "\(text)")
                }
            }
        }
    }
}

extension RuntimesTests {
    @Suite("scan caps: size and work bounds")
    struct ScanCapTests {
        typealias B = BinaryBuilder

        func tempDir() throws -> URL {
            let dir = try makeTemporaryDirectory("omp-caps")
            return dir
        }

        /// A stored (uncompressed) zip whose central directory lists `entries` names; entry i
        /// points at local header `pointAt(i)` of `members`.
        static func zip(members: [(String, [UInt8])], entries: Int, pointAt: (Int) -> Int) -> [UInt8] {
            var out: [UInt8] = []
            var locals: [(offset: Int, crc: UInt32, size: Int)] = []
            for (name, data) in members {
                let crc = data.withUnsafeBytes { Inflate.crc32($0) }
                locals.append((out.count, crc, data.count))
                out += B.le32(0x0403_4b50) + B.le16(20) + B.le16(0) + B.le16(0) + B.le32(0) + B.le32(Int(crc))
                out += B.le32(data.count) + B.le32(data.count) + B.le16(name.utf8.count) + B.le16(0) + Array(name.utf8) + data
            }
            let cd = out.count
            for i in 0..<entries {
                let l = locals[pointAt(i)]
                let name = Array("lib/libx\(i).so".utf8)
                out += B.le32(0x0201_4b50) + B.le16(20) + B.le16(20) + B.le16(0) + B.le16(0) + B.le32(0) + B.le32(Int(l.crc))
                out += B.le32(l.size) + B.le32(l.size) + B.le16(name.count) + B.le16(0) + B.le16(0) + B.le16(0) + B.le16(0)
                out += B.le32(0) + B.le32(l.offset) + name
            }
            let cdSize = out.count - cd
            out += B.le32(0x0605_4b50) + B.le16(0) + B.le16(0) + B.le16(min(entries, 0xffff)) + B.le16(min(entries, 0xffff))
            out += B.le32(cdSize) + B.le32(cd) + B.le16(0)
            return out
        }

        @Test("a sparse 20 GB file with an ELF header is skipped over the plain-file cap")
        func sparseFile() throws {
            let dir = try tempDir()
            defer { try? FileManager.default.removeItem(at: dir) }
            let path = dir.appendingPathComponent("libhuge.so").path
            try Data(B.elfHeader(is64: true, machine: 62)).write(to: URL(fileURLWithPath: path))
            #expect(truncate(path, 20 << 30) == 0)
            let report = try RuntimeScanner().scan(paths: [dir.path])
            let s = try #require(report.skipped.first { $0.path == path })
            #expect(s.reason.contains("limit for plain files") && s.reason.contains("--max-file-size"), "\(s.reason)")
            #expect(report.filesExamined == 0)
            let raised = try RuntimeScanner(options: .init(maxFileSize: 1 << 40)).scan(paths: [path])
            #expect(!raised.skipped.contains { $0.reason.contains("limit for plain files") }, "the flag raises the cap")
        }

        @Test("65,535 central-directory entries sharing one member are read once")
        func repeatedEntries() throws {
            let dir = try tempDir()
            defer { try? FileManager.default.removeItem(at: dir) }
            let member = B.elfHeader(is64: true, machine: 62) + [UInt8](repeating: 0, count: 4096)
            let path = dir.appendingPathComponent("bomb.whl").path
            try Data(Self.zip(members: [("lib/libx.so", member)], entries: 65_535, pointAt: { _ in 0 }))
                .write(to: URL(fileURLWithPath: path))
            let report = try RuntimeScanner().scan(paths: [path])
            #expect(report.filesExamined == 1)
            #expect(report.skipped.filter { $0.reason.contains("shares its data with") }.count == 65_534)
        }

        @Test("total inflated bytes per archive are capped, with the flag named")
        func archiveTotal() throws {
            let dir = try tempDir()
            defer { try? FileManager.default.removeItem(at: dir) }
            let members = (0..<4).map { ("lib/lib\($0).so", B.elfHeader(is64: true, machine: 62) + [UInt8](repeating: UInt8($0), count: 1000)) }
            let path = dir.appendingPathComponent("many.whl").path
            try Data(Self.zip(members: members, entries: 4, pointAt: { $0 })).write(to: URL(fileURLWithPath: path))
            let report = try RuntimeScanner(options: .init(maxArchiveTotalSize: 2500)).scan(paths: [path])
            #expect(report.filesExamined == 2)
            let over = report.skipped.filter { $0.reason.contains("limit per archive") && $0.reason.contains("--max-archive-size") }
            #expect(over.count == 2, "\(report.skipped)")
        }
    }
}
