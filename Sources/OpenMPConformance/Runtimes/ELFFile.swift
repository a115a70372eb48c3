/// An ELF file read from disk or memory without loading it: its header, and its dynamic
/// symbol table, SONAME, needed libraries and version definitions.
///
/// The dynamic symbol table is found through the section headers (`.dynsym` and its
/// linked string table). When the section headers are stripped, it is found through the
/// `PT_DYNAMIC` segment instead (`DT_SYMTAB`, `DT_STRTAB`, with the symbol count taken
/// from `DT_HASH` or `DT_GNU_HASH`).
///
/// ```swift
/// let elf = try ELFFile(path: "/usr/lib/llvm-14/lib/libomp.so.5")
/// elf.architecture              // "x86_64"
/// elf.defines("__kmpc_fork_call") // true
/// ```
package struct ELFFile: Sendable {
    /// 32-bit or 64-bit ELF (`EI_CLASS`).
    package enum Class: Int, Sendable, Codable { case elf32 = 32, elf64 = 64 }
    /// Byte order (`EI_DATA`).
    package enum Endianness: String, Sendable, Codable { case little, big }
    /// `e_type`.
    package enum FileType: Sendable, Hashable {
        case relocatable, executable, sharedObject, core
        case other(UInt16)
        init(_ raw: UInt16) {
            switch raw {
            case 1: self = .relocatable
            case 2: self = .executable
            case 3: self = .sharedObject
            case 4: self = .core
            default: self = .other(raw)
            }
        }
        /// A short human name, e.g. `shared object`.
        package var name: String {
            switch self {
            case .relocatable: return "relocatable object"
            case .executable: return "executable"
            case .sharedObject: return "shared object"
            case .core: return "core dump"
            case .other(let v): return "ELF type \(v)"
            }
        }
    }
    /// Where the dynamic symbol table was found.
    package enum SymbolTableSource: String, Sendable, Codable {
        /// From the `.dynsym` section header.
        case sections
        /// From `PT_DYNAMIC` (`DT_SYMTAB`/`DT_STRTAB`), because section headers were absent.
        case dynamicSegment = "dynamic-segment"
        /// No dynamic symbol table (e.g. a static executable or an object file).
        case none
    }

    /// The path (or display name) the bytes came from.
    package let path: String
    package let elfClass: Class
    package let endianness: Endianness
    /// Raw `e_machine`.
    package let machine: UInt16
    package let fileType: FileType
    /// `DT_SONAME`, when present.
    package let soname: String?
    /// `DT_NEEDED` entries, in order.
    package let needed: [String]
    /// Version definition names (`.gnu.version_d`), without the base entry (which repeats the
    /// SONAME), e.g. `GOMP_1.0`, `OMP_5.1`.
    package let versionDefinitions: [String]
    package let symbolTableSource: SymbolTableSource
    /// Identity of the file on disk, when read from a path.
    package var fileKey: FileKey? { bytes.key }
    /// File size in bytes.
    package var size: Int { bytes.count }

    let bytes: FileBytes
    private let table: DynamicTable?

    /// The architecture name in the style of `uname -m`: `x86_64`, `i386`, `aarch64`, `arm`,
    /// `ppc64le`, `ppc64`, `s390x`, `riscv64`, …, or `machine-<n>` when unknown.
    package var architecture: String { Self.architectureName(machine: machine, elfClass: elfClass, endianness: endianness) }

    /// Reads the file at `path` (symlinks followed). No code from it runs.
    package init(path: String) throws(BinaryFileError) {
        try self.init(bytes: FileBytes(reading: path), path: path)
    }

    /// Parses ELF bytes held in memory; `name` is used in messages.
    package init(bytes: [UInt8], name: String) throws(BinaryFileError) {
        try self.init(bytes: FileBytes(bytes: bytes), path: name)
    }

    /// True when `bytes` starts with the ELF magic number.
    package static func hasMagic(_ bytes: some Collection<UInt8>) -> Bool {
        Array(bytes.prefix(4)) == [0x7f, 0x45, 0x4c, 0x46]
    }

    init(bytes b: FileBytes, path: String) throws(BinaryFileError) {
        self.path = path
        self.bytes = b
        guard b.has(0, 16), b.u8(0) == 0x7f, b.u8(1) == 0x45, b.u8(2) == 0x4c, b.u8(3) == 0x46 else {
            throw .wrongFormat(path: path, expected: "an ELF file")
        }
        switch b.u8(4) {
        case 1: elfClass = .elf32
        case 2: elfClass = .elf64
        default: throw .malformed(path: path, reason: "unknown ELF class \(b.u8(4) ?? 0)")
        }
        switch b.u8(5) {
        case 1: endianness = .little
        case 2: endianness = .big
        default: throw .malformed(path: path, reason: "unknown ELF data encoding \(b.u8(5) ?? 0)")
        }
        let r = Reader(b: b, big: endianness == .big, is64: elfClass == .elf64, path: path)
        let headerSize = r.is64 ? 64 : 52
        guard b.has(0, headerSize) else { throw .malformed(path: path, reason: "file shorter than its ELF header") }
        fileType = FileType(try r.u16(16))
        machine = try r.u16(18)

        let phoff = try r.word(r.is64 ? 32 : 28)
        let shoff = try r.word(r.is64 ? 40 : 32)
        let phentsize = Int(try r.u16(r.is64 ? 54 : 42))
        let phnum = UInt64(try r.u16(r.is64 ? 56 : 44))
        let shentsize = Int(try r.u16(r.is64 ? 58 : 46))
        var shnum = UInt64(try r.u16(r.is64 ? 60 : 48))
        let minPh = r.is64 ? 56 : 32, minSh = r.is64 ? 64 : 40
        let fileSize = UInt64(b.count)
        func malformed(_ reason: String) -> BinaryFileError { .malformed(path: path, reason: reason) }
        if shnum == 0, shoff != 0 {
            // Extended numbering: the real count lives in section 0's sh_size.
            guard shentsize >= minSh, let first = b.span(shoff, UInt64(shentsize)) else {
                throw malformed("section header table at offset \(shoff) lies outside the \(b.count)-byte file")
            }
            shnum = try r.section(at: first.offset).size
        }

        // Program headers: loadable segments (for address → offset) and PT_DYNAMIC.
        var loads: [(vaddr: UInt64, offset: UInt64, filesz: UInt64)] = []
        var dynamicRange: (offset: Int, count: Int)?
        if phoff != 0, phnum > 0 {
            guard phentsize >= minPh else { throw malformed("program header entries of \(phentsize) bytes") }
            guard let table = b.span(phoff, 0), phnum <= (fileSize - phoff) / UInt64(phentsize) else {
                throw malformed("\(phnum) program headers at offset \(phoff) do not fit in the \(b.count)-byte file")
            }
            for i in 0..<Int(phnum) {
                let o = table.offset + i * phentsize
                let type = try r.u32(o)
                let offset = try r.word(r.is64 ? o + 8 : o + 4)
                let vaddr = try r.word(r.is64 ? o + 16 : o + 8)
                let filesz = try r.word(r.is64 ? o + 32 : o + 16)
                if type == 1 {
                    guard b.span(offset, filesz) != nil else {
                        throw malformed("PT_LOAD (offset \(offset), \(filesz) bytes) lies outside the file")
                    }
                    loads.append((vaddr, offset, filesz))
                }
                if type == 2 {
                    guard let d = b.span(offset, filesz) else {
                        throw malformed("PT_DYNAMIC (offset \(offset), \(filesz) bytes) lies outside the file")
                    }
                    dynamicRange = d
                }
            }
        }
        func offset(ofAddress a: UInt64) -> Int? {
            for l in loads where a >= l.vaddr && a - l.vaddr < l.filesz {
                let (o, overflow) = l.offset.addingReportingOverflow(a - l.vaddr)
                guard !overflow, o < fileSize else { return nil }
                return Int(o)
            }
            return nil
        }

        // Section headers: .dynsym and its string table, .dynamic, .gnu.version_d.
        var symtab: (offset: Int, count: Int, entsize: Int, strOffset: Int, strSize: Int)?
        var verdefSection: (offset: Int, count: Int, strOffset: Int, strSize: Int)?
        var gnuHashOffset: Int?
        let minSym = r.is64 ? 24 : 16
        if shoff != 0, shnum > 0 {
            guard shentsize >= minSh else { throw malformed("section header entries of \(shentsize) bytes") }
            guard let table = b.span(shoff, 0), shnum <= (fileSize - shoff) / UInt64(shentsize) else {
                throw malformed("\(shnum) section headers at offset \(shoff) do not fit in the \(b.count)-byte file")
            }
            // The count is now bounded by what the file holds.
            var sections: [Section] = []
            sections.reserveCapacity(Int(shnum))
            for i in 0..<Int(shnum) { sections.append(try r.section(at: table.offset + i * shentsize)) }
            for s in sections {
                switch s.type {
                case 11: // SHT_DYNSYM
                    guard Int(s.link) < sections.count else { throw malformed(".dynsym links to section \(s.link)") }
                    let str = sections[Int(s.link)]
                    let ent = s.entsize > 0 ? s.entsize : UInt64(minSym)
                    guard ent >= UInt64(minSym), ent <= 4096 else { throw malformed(".dynsym entries of \(ent) bytes") }
                    guard let sym = b.span(s.offset, s.size), let strings = b.span(str.offset, str.size) else {
                        throw malformed(".dynsym or its string table lies outside the file")
                    }
                    symtab = (sym.offset, sym.count / Int(ent), Int(ent), strings.offset, strings.count)
                case 6: // SHT_DYNAMIC
                    if dynamicRange == nil {
                        guard let d = b.span(s.offset, s.size) else { throw malformed(".dynamic lies outside the file") }
                        dynamicRange = d
                    }
                case 0x6ffffffd: // SHT_GNU_verdef
                    guard Int(s.link) < sections.count else { throw malformed(".gnu.version_d links to section \(s.link)") }
                    let str = sections[Int(s.link)]
                    guard let v = b.span(s.offset, 0), let strings = b.clampedSpan(str.offset, str.size) else {
                        throw malformed(".gnu.version_d or its string table lies outside the file")
                    }
                    verdefSection = (v.offset, Int(s.info), strings.offset, strings.count)
                case 0x6ffffff6: // SHT_GNU_HASH
                    gnuHashOffset = b.span(s.offset, 0)?.offset
                default: break
                }
            }
        }

        // The dynamic section: SONAME, NEEDED, and the fallback table addresses.
        var sonameOffset: UInt64?
        var neededOffsets: [UInt64] = []
        var dtStrtab: UInt64?, dtStrsz: UInt64?, dtSymtab: UInt64?, dtSyment: UInt64?
        var dtHash: UInt64?, dtGnuHash: UInt64?, dtVerdef: UInt64?, dtVerdefnum: UInt64?
        if let d = dynamicRange {
            let ent = r.is64 ? 16 : 8
            var o = d.offset
            let end = d.offset + d.count
            while o + ent <= end {
                let tag = try r.word(o)
                let val = try r.word(o + ent / 2)
                if tag == 0 { break }
                switch tag {
                case 1: neededOffsets.append(val)
                case 4: dtHash = val
                case 5: dtStrtab = val
                case 6: dtSymtab = val
                case 10: dtStrsz = val
                case 11: dtSyment = val
                case 14: sonameOffset = val
                case 0x6ffffef5: dtGnuHash = val
                case 0x6ffffffc: dtVerdef = val
                case 0x6ffffffd: dtVerdefnum = val
                default: break
                }
                o += ent
            }
        }
        let dynStr: (offset: Int, size: Int)? = {
            if let s = symtab { return (s.strOffset, s.strSize) }
            if let a = dtStrtab, let o = offset(ofAddress: a), let span = b.clampedSpan(UInt64(o), dtStrsz ?? fileSize) {
                return (span.offset, span.count)
            }
            return nil
        }()
        if gnuHashOffset == nil, let a = dtGnuHash { gnuHashOffset = offset(ofAddress: a) }

        var source = SymbolTableSource.none
        if symtab != nil {
            source = .sections
        } else if let a = dtSymtab, let so = offset(ofAddress: a), let str = dynStr {
            let declaredEnt = dtSyment ?? UInt64(minSym)
            guard declaredEnt >= UInt64(minSym), declaredEnt <= 4096 else { throw malformed("DT_SYMENT of \(declaredEnt)") }
            let ent = Int(declaredEnt)
            var count: Int?
            if let h = dtHash, let ho = offset(ofAddress: h), let nchain = try? r.u32(ho + 4) {
                count = Int(nchain)
            } else if let go = gnuHashOffset {
                count = Self.gnuHashSymbolCount(r, at: go)
            }
            if let count {
                // A count the file merely declares must fit in the file.
                guard count <= (b.count - so) / ent else {
                    throw malformed("the hash table declares \(count) symbols, the file holds at most \((b.count - so) / ent)")
                }
                symtab = (so, count, ent, str.offset, str.size)
                source = .dynamicSegment
            }
        }
        symbolTableSource = source

        if let s = symtab {
            table = DynamicTable(symOffset: s.offset, count: s.count, entsize: s.entsize,
                                 strOffset: s.strOffset, strSize: s.strSize, gnuHashOffset: gnuHashOffset)
        } else {
            table = nil
        }

        func dynString(_ off: UInt64) -> String? {
            guard let ds = dynStr, off < UInt64(ds.size) else { return nil }
            return b.cString(at: ds.offset + Int(off), limit: ds.offset + ds.size)
        }
        soname = sonameOffset.flatMap(dynString)
        needed = neededOffsets.compactMap(dynString)

        // Version definitions.
        var defs: [String] = []
        var vd: (offset: Int, count: Int, strOffset: Int, strSize: Int)? = verdefSection
        if vd == nil, let a = dtVerdef, let o = offset(ofAddress: a), let ds = dynStr {
            vd = (o, Int(clamping: dtVerdefnum ?? 0), ds.offset, ds.size)
        }
        if let vd {
            var o = vd.offset
            for _ in 0..<min(vd.count, 4096) {
                guard b.has(o, 20) else { break }
                let flags = try r.u16(o + 2)
                let aux = Int(try r.u32(o + 12))
                let next = Int(try r.u32(o + 16))
                if flags & 1 == 0, let nameOff = try? r.u32(o + aux), Int(nameOff) < vd.strSize,
                   let name = b.cString(at: vd.strOffset + Int(nameOff), limit: vd.strOffset + vd.strSize) {
                    defs.append(name)
                }
                if next == 0 { break }
                o += next
            }
        }
        versionDefinitions = defs
    }

    // MARK: symbols

    /// Names of the defined, exported dynamic symbols (`st_shndx != SHN_UNDEF`, global,
    /// weak or unique binding, default or protected visibility), in table order.
    package func exportedSymbols() -> [String] {
        guard let t = table else { return [] }
        let r = Reader(b: bytes, big: endianness == .big, is64: elfClass == .elf64, path: path)
        var out: [String] = []
        out.reserveCapacity(t.count)
        for i in 0..<t.count {
            guard let s = symbol(r, t, i), s.isExportedDefinition, s.name != 0, Int(s.name) < t.strSize,
                  let name = bytes.cString(at: t.strOffset + Int(s.name), limit: t.strOffset + t.strSize,
                                           maxLength: Self.maxNameLength) else { continue }
            out.append(name)
        }
        return out
    }

    /// True when the file itself defines and exports `name` (an undefined reference to it,
    /// as in a library that merely calls it, does not count).
    package func defines(_ name: String) -> Bool {
        guard let t = table else { return false }
        let r = Reader(b: bytes, big: endianness == .big, is64: elfClass == .elf64, path: path)
        var utf8 = Array(name.utf8)
        return utf8.withUnsafeMutableBufferPointer { nb -> Bool in
            let n = UnsafeBufferPointer(nb)
            if let go = t.gnuHashOffset, let found = gnuLookup(r, t, at: go, name: n) { return found }
            for i in 0..<t.count {
                guard let s = symbol(r, t, i), s.isExportedDefinition, Int(s.name) < t.strSize else { continue }
                if bytes.cStringEquals(at: t.strOffset + Int(s.name), n, limit: t.strOffset + t.strSize) { return true }
            }
            return false
        }
    }

    /// Names of the undefined dynamic symbols (`st_shndx == SHN_UNDEF`, global or weak): what
    /// the file imports and needs another object to define, in table order.
    package func importedSymbols() -> [String] {
        guard let t = table else { return [] }
        let r = Reader(b: bytes, big: endianness == .big, is64: elfClass == .elf64, path: path)
        var out: [String] = []
        for i in 0..<t.count {
            guard let s = symbol(r, t, i), s.shndx == 0, s.name != 0, s.info >> 4 == 1 || s.info >> 4 == 2,
                  Int(s.name) < t.strSize,
                  let name = bytes.cString(at: t.strOffset + Int(s.name), limit: t.strOffset + t.strSize,
                                           maxLength: Self.maxNameLength) else { continue }
            out.append(name)
        }
        return out
    }

    /// The value (link-time address) of a defined symbol named `name` in the full symbol table
    /// (`.symtab`, local symbols included; present unless the file was stripped), else in the
    /// dynamic one. Nil when neither defines it.
    package func symbolValue(_ name: String) -> UInt64? {
        let r = Reader(b: bytes, big: endianness == .big, is64: elfClass == .elf64, path: path)
        guard let shoff = try? r.word(r.is64 ? 40 : 32), let shentsize = try? r.u16(r.is64 ? 58 : 46),
              let shnum = try? r.u16(r.is64 ? 60 : 48), shentsize > 0,
              let table = bytes.span(shoff, UInt64(shnum) * UInt64(shentsize)) else { return nil }
        var sections: [Section] = []
        for i in 0..<Int(shnum) {
            guard let sec = try? r.section(at: table.offset + i * Int(shentsize)) else { return nil }
            sections.append(sec)
        }
        let target = Array(name.utf8)
        for wanted in [UInt32(2), 11] { // SHT_SYMTAB, then SHT_DYNSYM
            for sec in sections where sec.type == wanted && Int(sec.link) < sections.count {
                let str = sections[Int(sec.link)]
                let ent = Int(sec.entsize > 0 ? sec.entsize : (r.is64 ? 24 : 16))
                guard ent >= (r.is64 ? 24 : 16), let syms = bytes.span(sec.offset, sec.size),
                      let strings = bytes.span(str.offset, str.size) else { continue }
                let found: UInt64? = target.withUnsafeBufferPointer { n in
                    for i in 0..<(syms.count / ent) {
                        let o = syms.offset + i * ent
                        guard let nameOffset = try? r.u32(o), Int(nameOffset) < strings.count else { continue }
                        let shndx = r.is64 ? (try? r.u16(o + 6)) : (try? r.u16(o + 14))
                        guard shndx != 0, bytes.cStringEquals(at: strings.offset + Int(nameOffset), n,
                                                               limit: strings.offset + strings.count) else { continue }
                        return r.is64 ? (try? r.word(o + 8)) : (try? r.word(o + 4))
                    }
                    return nil
                }
                if let found { return found }
            }
        }
        return nil
    }

    /// Looks `name` up through the GNU hash table. Returns nil when the table is unusable
    /// (the caller then scans linearly).
    private func gnuLookup(_ r: Reader, _ t: DynamicTable, at o: Int, name: UnsafeBufferPointer<UInt8>) -> Bool? {
        guard let nbuckets = try? r.u32(o), let symoffset = try? r.u32(o + 4),
              let bloomSize = try? r.u32(o + 8), nbuckets > 0 else { return nil }
        let wordSize = r.is64 ? 8 : 4
        let buckets = o + 16 + Int(bloomSize) * wordSize
        let chains = buckets + Int(nbuckets) * 4
        var h: UInt32 = 5381
        for c in name { h = h &* 33 &+ UInt32(c) }
        guard let first = try? r.u32(buckets + Int(h % nbuckets) * 4) else { return nil }
        if first == 0 { return false }
        guard first >= symoffset else { return nil }
        var idx = Int(first)
        while idx < t.count {
            guard let ch = try? r.u32(chains + (idx - Int(symoffset)) * 4) else { return nil }
            if ch | 1 == h | 1, let s = symbol(r, t, idx), Int(s.name) < t.strSize,
               bytes.cStringEquals(at: t.strOffset + Int(s.name), name, limit: t.strOffset + t.strSize) {
                if s.isExportedDefinition { return true }
            }
            if ch & 1 == 1 { break }
            idx += 1
        }
        return false
    }

    /// The number of symbols covered by a GNU hash table (highest index reached by any chain, + 1).
    private static func gnuHashSymbolCount(_ r: Reader, at o: Int) -> Int? {
        guard let nbuckets = try? r.u32(o), let symoffset = try? r.u32(o + 4),
              let bloomSize = try? r.u32(o + 8) else { return nil }
        let buckets = o + 16 + Int(bloomSize) * (r.is64 ? 8 : 4)
        let chains = buckets + Int(nbuckets) * 4
        // Every read below is bounds-checked, so both loops end within the file's size.
        guard r.b.has(buckets, Int(nbuckets) * 4) else { return nil }
        var maxIndex: UInt32 = 0
        for i in 0..<Int(nbuckets) {
            guard let v = try? r.u32(buckets + i * 4) else { return nil }
            maxIndex = max(maxIndex, v)
        }
        if maxIndex < symoffset { return Int(symoffset) }
        var idx = Int(maxIndex)
        while true {
            guard let ch = try? r.u32(chains + (idx - Int(symoffset)) * 4) else { return nil }
            if ch & 1 == 1 { break }
            idx += 1
        }
        return idx + 1
    }

    private func symbol(_ r: Reader, _ t: DynamicTable, _ i: Int) -> Symbol? {
        let o = t.symOffset + i * t.entsize
        guard bytes.has(o, r.is64 ? 24 : 16) else { return nil }
        if r.is64 {
            guard let name = try? r.u32(o), let info = bytes.u8(o + 4), let other = bytes.u8(o + 5),
                  let shndx = try? r.u16(o + 6) else { return nil }
            return Symbol(name: name, info: info, other: other, shndx: shndx)
        } else {
            guard let name = try? r.u32(o), let info = bytes.u8(o + 12), let other = bytes.u8(o + 13),
                  let shndx = try? r.u16(o + 14) else { return nil }
            return Symbol(name: name, info: info, other: other, shndx: shndx)
        }
    }

    /// Longest symbol name read (bytes); longer names are skipped, so that a table of names
    /// that all point into one long unterminated run costs at most this much per entry.
    static let maxNameLength = 4096

    // MARK: names

    /// `uname -m`-style name for an ELF machine number.
    package static func architectureName(machine: UInt16, elfClass: Class, endianness: Endianness) -> String {
        switch machine {
        case 3: return "i386"
        case 62: return "x86_64"
        case 183: return "aarch64"
        case 40: return "arm"
        case 20: return "ppc"
        case 21: return endianness == .little ? "ppc64le" : "ppc64"
        case 22: return elfClass == .elf64 ? "s390x" : "s390"
        case 243: return elfClass == .elf64 ? "riscv64" : "riscv32"
        case 258: return "loongarch64"
        case 8: return elfClass == .elf64 ? "mips64" : "mips"
        case 43: return "sparc64"
        case 2: return "sparc"
        default: return "machine-\(machine)"
        }
    }

    // MARK: internals

    private struct DynamicTable: Sendable {
        var symOffset: Int, count: Int, entsize: Int, strOffset: Int, strSize: Int
        var gnuHashOffset: Int?
    }

    private struct Symbol {
        var name: UInt32, info: UInt8, other: UInt8, shndx: UInt16
        var isExportedDefinition: Bool {
            let binding = info >> 4, type = info & 0xf, visibility = other & 3
            return shndx != 0 && (binding == 1 || binding == 2 || binding == 10)
                && (visibility == 0 || visibility == 3) && type != 3 && type != 4
        }
    }

    struct Section { var type: UInt32, offset: UInt64, size: UInt64, link: UInt32, info: UInt32, entsize: UInt64 }

    struct Reader {
        let b: FileBytes, big: Bool, is64: Bool, path: String
        func u16(_ o: Int) throws(BinaryFileError) -> UInt16 {
            guard let v = b.u16(o, bigEndian: big) else { throw .malformed(path: path, reason: "read past end at offset \(o)") }
            return v
        }
        func u32(_ o: Int) throws(BinaryFileError) -> UInt32 {
            guard let v = b.u32(o, bigEndian: big) else { throw .malformed(path: path, reason: "read past end at offset \(o)") }
            return v
        }
        /// A 64-bit field in ELF64, a 32-bit one in ELF32.
        func word(_ o: Int) throws(BinaryFileError) -> UInt64 {
            if is64 {
                guard let v = b.u64(o, bigEndian: big) else { throw .malformed(path: path, reason: "read past end at offset \(o)") }
                return v
            }
            return UInt64(try u32(o))
        }
        /// The section header at `o`, an offset already checked to lie inside the file.
        func section(at o: Int) throws(BinaryFileError) -> Section {
            if is64 {
                return Section(type: try u32(o + 4), offset: try word(o + 24), size: try word(o + 32),
                               link: try u32(o + 40), info: try u32(o + 44), entsize: try word(o + 56))
            }
            return Section(type: try u32(o + 4), offset: try word(o + 16), size: try word(o + 20),
                           link: try u32(o + 24), info: try u32(o + 28), entsize: try word(o + 36))
        }
    }
}
