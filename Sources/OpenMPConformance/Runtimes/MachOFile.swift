/// A Mach-O file (thin, or fat/universal with several slices) read without loading it,
/// so that macOS `.dylib` runtimes found in a tree can be classified on any host.
///
/// For each slice it reads the header, `LC_ID_DYLIB` (the install name), the defined
/// external symbols of `LC_SYMTAB`, and the export trie (`LC_DYLD_INFO[_ONLY]` or
/// `LC_DYLD_EXPORTS_TRIE`) when present. Symbol names are given without the leading
/// underscore C symbols carry on Apple platforms, so `defines("__kmpc_fork_call")`
/// means the same thing as for ``ELFFile``.
package struct MachOFile: Sendable {
    /// One architecture's image.
    package struct Slice: Sendable, Hashable {
        /// Apple's name for the CPU: `x86_64`, `x86_64h`, `arm64`, `arm64e`, `i386`, `arm`, …
        package var architecture: String
        package var cpuType: Int32
        package var cpuSubtype: Int32
        package var is64Bit: Bool
        /// `filetype` (6 = `MH_DYLIB`, 8 = `MH_BUNDLE`, 2 = `MH_EXECUTE`).
        package var fileType: UInt32
        /// `LC_ID_DYLIB`'s name, for a dylib.
        package var installName: String?
        /// Defined, exported symbols without the leading underscore.
        package var exportedSymbols: [String]
        /// The libraries it loads (`LC_LOAD_DYLIB`, weak, re-exported, lazy, upward), e.g. `@rpath/libomp.dylib`.
        package var dependencies: [String] = []
        /// Where this slice starts in the file.
        package var offset: Int
        /// True for `MH_DYLIB`.
        package var isDylib: Bool { fileType == 6 }
    }

    package let path: String
    /// True when the file has a fat (universal) header.
    package let isFat: Bool
    package let slices: [Slice]
    /// Identity of the file on disk, when read from a path.
    package var fileKey: FileKey? { bytes.key }
    /// File size in bytes.
    package var size: Int { bytes.count }

    let bytes: FileBytes

    /// Reads the file at `path` (symlinks followed). No code from it runs.
    package init(path: String) throws(BinaryFileError) {
        try self.init(bytes: FileBytes(reading: path), path: path)
    }

    /// Parses Mach-O bytes held in memory; `name` is used in messages.
    package init(bytes: [UInt8], name: String) throws(BinaryFileError) {
        try self.init(bytes: FileBytes(bytes: bytes), path: name)
    }

    /// True when `bytes` starts with a thin Mach-O magic number (either byte order) or a
    /// fat header with a plausible architecture count.
    package static func hasMagic(_ bytes: some Collection<UInt8>) -> Bool {
        let p = Array(bytes.prefix(8))
        guard p.count >= 4 else { return false }
        let be = UInt32(p[0]) << 24 | UInt32(p[1]) << 16 | UInt32(p[2]) << 8 | UInt32(p[3])
        switch be {
        case 0xfeedface, 0xfeedfacf, 0xcefaedfe, 0xcffaedfe: return true
        case 0xcafebabe, 0xcafebabf:
            guard p.count >= 8 else { return false }
            let n = UInt32(p[4]) << 24 | UInt32(p[5]) << 16 | UInt32(p[6]) << 8 | UInt32(p[7])
            return n > 0 && n < 45 // Java class files share 0xcafebabe; their next word is a class-file version ≥ 45
        default: return false
        }
    }

    init(bytes b: FileBytes, path: String) throws(BinaryFileError) {
        self.path = path
        self.bytes = b
        guard let magicBE = b.u32(0, bigEndian: true) else { throw .wrongFormat(path: path, expected: "a Mach-O file") }
        if magicBE == 0xcafebabe || magicBE == 0xcafebabf {
            let is64 = magicBE == 0xcafebabf
            guard let n = b.u32(4, bigEndian: true), n > 0, n < 45 else {
                throw .wrongFormat(path: path, expected: "a Mach-O file")
            }
            var out: [Slice] = []
            let entry = is64 ? 32 : 20
            for i in 0..<Int(n) {
                let o = 8 + i * entry
                guard b.has(o, entry) else { throw .malformed(path: path, reason: "fat header runs past end") }
                let sliceOffset: UInt64 = is64 ? b.u64(o + 8, bigEndian: true)! : UInt64(b.u32(o + 8, bigEndian: true)!)
                guard sliceOffset < UInt64(b.count) else {
                    throw .malformed(path: path, reason: "fat slice \(i) starts past end of file")
                }
                out.append(try Self.parseThin(b, at: Int(sliceOffset), path: path))
            }
            isFat = true
            slices = out
        } else {
            isFat = false
            slices = [try Self.parseThin(b, at: 0, path: path)]
        }
    }

    /// True when any slice defines and exports `name` (given without Apple's leading underscore).
    package func defines(_ name: String) -> Bool {
        slices.contains { $0.exportedSymbols.contains(name) }
    }

    /// The install name of the first slice that has one.
    package var installName: String? { slices.lazy.compactMap(\.installName).first }

    // MARK: parsing

    private static func parseThin(_ b: FileBytes, at base: Int, path: String) throws(BinaryFileError) -> Slice {
        guard let m = b.u32(base, bigEndian: false) else { throw .wrongFormat(path: path, expected: "a Mach-O file") }
        let big: Bool, is64: Bool
        switch m {
        case 0xfeedface: big = false; is64 = false
        case 0xfeedfacf: big = false; is64 = true
        case 0xcefaedfe: big = true; is64 = false
        case 0xcffaedfe: big = true; is64 = true
        default: throw .wrongFormat(path: path, expected: "a Mach-O file")
        }
        func u32(_ o: Int) throws(BinaryFileError) -> UInt32 {
            guard let v = b.u32(o, bigEndian: big) else { throw .malformed(path: path, reason: "read past end at offset \(o)") }
            return v
        }
        let cpuType = Int32(bitPattern: try u32(base + 4))
        let cpuSubtype = Int32(bitPattern: try u32(base + 8))
        let fileType = try u32(base + 12)
        let ncmds = Int(try u32(base + 16))
        let headerSize = is64 ? 32 : 28

        var installName: String?
        var dependencies: [String] = []
        var symtab: (symoff: Int, nsyms: Int, stroff: Int, strsize: Int)?
        var exportTrie: (offset: Int, size: Int)?
        var o = base + headerSize
        for _ in 0..<min(ncmds, 65536) {
            let cmd = try u32(o)
            let size = Int(try u32(o + 4))
            guard size >= 8 else { throw .malformed(path: path, reason: "load command of size \(size)") }
            switch cmd {
            case 0x2: // LC_SYMTAB
                symtab = (Int(try u32(o + 8)), Int(try u32(o + 12)), Int(try u32(o + 16)), Int(try u32(o + 20)))
            case 0xc, 0x8000_0018, 0x8000_001f, 0x20, 0x8000_0023: // LC_LOAD_DYLIB, _WEAK_, LC_REEXPORT_, LC_LAZY_LOAD_, _UPWARD_
                if let n = b.cString(at: o + Int(try u32(o + 8)), limit: o + size, maxLength: ELFFile.maxNameLength) { dependencies.append(n) }
            case 0xd: // LC_ID_DYLIB
                let nameOffset = Int(try u32(o + 8))
                installName = b.cString(at: o + nameOffset, limit: o + size)
            case 0x22, 0x80000022: // LC_DYLD_INFO, LC_DYLD_INFO_ONLY
                let off = Int(try u32(o + 40)), sz = Int(try u32(o + 44))
                if sz > 0 { exportTrie = (off, sz) }
            case 0x80000033: // LC_DYLD_EXPORTS_TRIE (linkedit_data_command)
                let off = Int(try u32(o + 8)), sz = Int(try u32(o + 12))
                if sz > 0 { exportTrie = (off, sz) }
            default: break
            }
            o += size
        }

        var names: [String] = []
        var seen: Set<String> = []
        func add(_ raw: String) {
            let n = raw.hasPrefix("_") ? String(raw.dropFirst()) : raw
            if seen.insert(n).inserted { names.append(n) }
        }
        if let s = symtab {
            let entry = is64 ? 16 : 12
            let strBase = base + s.stroff
            guard b.has(base + s.symoff, s.nsyms * entry), b.has(strBase, s.strsize) else {
                throw .malformed(path: path, reason: "LC_SYMTAB points outside the file")
            }
            for i in 0..<s.nsyms {
                let e = base + s.symoff + i * entry
                let strx = Int(try u32(e))
                let type = b.u8(e + 4) ?? 0
                let isStab = type & 0xe0 != 0, isExternal = type & 0x01 != 0, isPrivate = type & 0x10 != 0
                let kind = type & 0x0e
                guard !isStab, isExternal, !isPrivate, kind == 0x0e || kind == 0x02 || kind == 0x0a,
                      strx > 0, strx < s.strsize,
                      let name = b.cString(at: strBase + strx, limit: strBase + s.strsize,
                                           maxLength: ELFFile.maxNameLength) else { continue }
                add(name)
            }
        }
        if let t = exportTrie {
            guard b.has(base + t.offset, t.size) else { throw .malformed(path: path, reason: "export trie points outside the file") }
            for name in try exportTrieNames(b, start: base + t.offset, size: t.size, path: path) { add(name) }
        }
        return Slice(architecture: architectureName(cpuType: cpuType, cpuSubtype: cpuSubtype), cpuType: cpuType,
                     cpuSubtype: cpuSubtype, is64Bit: is64, fileType: fileType, installName: installName,
                     exportedSymbols: names, dependencies: dependencies, offset: base)
    }

    /// Walks the export trie: each node has terminal info (non-empty for an exported name)
    /// and edges labelled with the next part of the name.
    ///
    /// Bounded by the trie's size: every node is visited once (marked when first pushed),
    /// offsets and lengths are checked before use, names longer than
    /// ``ELFFile/maxNameLength`` are dropped, and a trie whose names add up to more than
    /// 16 bytes per trie byte (plus 16 MiB) is reported as malformed.
    private static func exportTrieNames(_ b: FileBytes, start: Int, size: Int, path: String) throws(BinaryFileError) -> [String] {
        var out: [String] = []
        var stack: [(offset: Int, prefix: [UInt8])] = [(0, [])]
        var visited: Set<Int> = [0]
        var budget = 16 * size + (16 << 20)
        /// ULEB128, nil when it runs past the trie or does not fit in 63 bits.
        func uleb(_ p: inout Int) -> Int? {
            var result: UInt64 = 0, shift: UInt64 = 0
            while p < size, let byte = b.u8(start + p) {
                p += 1
                let bits = UInt64(byte & 0x7f)
                if shift > 63 || (shift > 0 && bits >> (64 - shift) != 0) { return nil }
                result |= bits << shift
                if byte & 0x80 == 0 { return result <= UInt64(Int.max) ? Int(result) : nil }
                shift += 7
            }
            return nil
        }
        while let (node, prefix) = stack.popLast() {
            var p = node
            guard let terminalSize = uleb(&p), terminalSize <= size - p else {
                throw .malformed(path: path, reason: "export trie node at \(node) has a bad terminal size")
            }
            if terminalSize > 0, !prefix.isEmpty { out.append(String(decoding: prefix, as: UTF8.self)) }
            p += terminalSize
            guard p < size, let childCount = b.u8(start + p) else { continue }
            p += 1
            for _ in 0..<Int(childCount) {
                let labelStart = p
                while p < size, let c = b.u8(start + p), c != 0 { p += 1 }
                guard p < size else { throw .malformed(path: path, reason: "export trie edge label runs past the trie") }
                let labelEnd = p
                p += 1
                guard let child = uleb(&p), child < size else {
                    throw .malformed(path: path, reason: "export trie edge at \(labelStart) points outside the trie")
                }
                guard visited.insert(child).inserted else { continue }
                let length = prefix.count + labelEnd - labelStart
                guard length <= ELFFile.maxNameLength else { continue }
                budget -= length
                if budget < 0 { throw .malformed(path: path, reason: "export trie expands to more names than its size allows") }
                var name = prefix
                name.append(contentsOf: UnsafeRawBufferPointer(rebasing: b.raw[(start + labelStart)..<(start + labelEnd)]))
                stack.append((child, name))
            }
        }
        return out.sorted()
    }

    /// Apple's architecture name for a CPU type and subtype.
    package static func architectureName(cpuType: Int32, cpuSubtype: Int32) -> String {
        let sub = cpuSubtype & 0x00ff_ffff
        switch cpuType {
        case 0x0100_0007: return sub == 8 ? "x86_64h" : "x86_64"
        case 7: return "i386"
        case 0x0100_000c: return sub == 2 ? "arm64e" : "arm64"
        case 0x0200_000c: return "arm64_32"
        case 12: return "arm"
        case 18: return "ppc"
        case 0x0100_0012: return "ppc64"
        default: return "cpu-\(cpuType)"
        }
    }
}
