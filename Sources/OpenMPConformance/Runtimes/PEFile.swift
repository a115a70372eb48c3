/// A Windows PE image (a `.dll` or `.exe`) read without loading it, so that the OpenMP DLLs
/// wheels ship for Windows (`libiomp5md.dll`, `vcomp140.dll`) can be classified on any host.
///
/// It reads the COFF header (machine), the PE32+ optional header's data directories, the
/// section table (to turn RVAs into file offsets), the export directory (the names a DLL
/// defines), the import and delay-import directories (the DLLs it needs and the functions it
/// takes from each) and the version resource (`VS_VERSIONINFO`: the fixed file version and the
/// `StringFileInfo` strings such as `FileVersion` and `ProductVersion`).
///
/// Only 64-bit images for x86-64 and arm64 are read; a 32-bit (PE32) image or another machine
/// is refused with ``BinaryFileError/wrongFormat(path:expected:)`` naming what it is. Every
/// offset is checked before use; names are cut at ``ELFFile/maxNameLength``; tables whose
/// entries add up to more than the file can hold are reported as malformed.
///
/// ```swift
/// let dll = try PEFile(path: "libiomp5md.dll")
/// dll.architecture                  // "x86_64"
/// dll.defines("__kmpc_fork_call")   // true
/// dll.versionString("FileVersion")  // "20260828" (Intel's build date)
/// ```
package struct PEFile: Sendable {
    /// One DLL the image imports from, with the functions it takes (by name, or `#N` by ordinal).
    package struct Import: Sendable, Hashable, Codable {
        package var dll: String
        package var functions: [String]
        /// True for a delay-load import (`IMAGE_DIRECTORY_ENTRY_DELAY_IMPORT`), resolved at first call.
        package var delayLoaded: Bool
    }

    package let path: String
    /// Raw COFF `Machine` (0x8664 x86-64, 0xAA64 arm64).
    package let machine: UInt16
    /// `IMAGE_FILE_DLL` is set in the COFF characteristics.
    package let isDLL: Bool
    /// The name the export directory gives the DLL (its link-time name, e.g. `libiomp5md.dll`).
    package let exportName: String?
    /// The exported names, sorted.
    package let exports: [String]
    /// Imports, in directory order (regular imports first, then delay-load ones).
    package let imports: [Import]
    /// `StringFileInfo` strings of the version resource (first string table), in file order.
    package let versionStrings: [(key: String, value: String)]
    /// `VS_FIXEDFILEINFO`'s file version as `a.b.c.d`, when the resource has one.
    package let fixedFileVersion: String?
    /// Identity of the file on disk, when read from a path.
    package var fileKey: FileKey? { bytes.key }
    /// File size in bytes.
    package var size: Int { bytes.count }

    let bytes: FileBytes

    /// `x86_64` or `arm64` (the only machines read).
    package var architecture: String { Self.architectureName(machine: machine) }

    /// Reads the file at `path` (symlinks followed). No code from it runs.
    package init(path: String) throws(BinaryFileError) {
        try self.init(bytes: FileBytes(mapping: path), path: path)
    }

    /// Parses PE bytes held in memory; `name` is used in messages.
    package init(bytes: [UInt8], name: String) throws(BinaryFileError) {
        try self.init(bytes: FileBytes(bytes: bytes), path: name)
    }

    /// True when `bytes` starts with the DOS stub's `MZ`.
    package static func hasMagic(_ bytes: some Collection<UInt8>) -> Bool {
        let p = Array(bytes.prefix(2))
        return p == [0x4d, 0x5a]
    }

    /// True when the image exports `name`.
    package func defines(_ name: String) -> Bool {
        exportSet.contains(name)
    }

    /// The value of a `StringFileInfo` string, e.g. `FileVersion`, `ProductVersion`, `CompanyName`.
    package func versionString(_ key: String) -> String? {
        versionStrings.first { $0.key == key }?.value
    }

    /// Names of the DLLs imported (regular and delay-load), in order, each once.
    package var importedDLLs: [String] {
        var seen: Set<String> = []
        return imports.map(\.dll).filter { seen.insert($0.lowercased()).inserted }
    }

    private let exportSet: Set<String>

    // MARK: parsing

    init(bytes b: FileBytes, path: String) throws(BinaryFileError) {
        self.path = path
        self.bytes = b
        guard b.u16(0, bigEndian: false) == 0x5a4d else { throw .wrongFormat(path: path, expected: "a PE file (no MZ header)") }
        guard let lfanew = b.u32(0x3c, bigEndian: false) else { throw .malformed(path: path, reason: "DOS header runs past end") }
        let pe = Int(lfanew)
        guard b.has(pe, 24) else {
            throw .wrongFormat(path: path, expected: "a PE file (the DOS header points to \(lfanew), past the end)")
        }
        guard b.u32(pe, bigEndian: false) == 0x0000_4550 else {
            throw .wrongFormat(path: path, expected: "a PE file (no PE signature at \(lfanew); a DOS or NE executable?)")
        }
        let coff = pe + 4
        let machine = b.u16(coff, bigEndian: false)!
        let sectionCount = Int(b.u16(coff + 2, bigEndian: false)!)
        let optionalSize = Int(b.u16(coff + 16, bigEndian: false)!)
        let characteristics = b.u16(coff + 18, bigEndian: false)!
        let opt = coff + 20
        guard let optMagic = b.u16(opt, bigEndian: false) else { throw .malformed(path: path, reason: "optional header runs past end") }
        switch (machine, optMagic) {
        case (0x8664, 0x20b), (0xaa64, 0x20b): break
        case (_, 0x10b):
            throw .wrongFormat(path: path, expected: "a 64-bit PE file for x86-64 or arm64 (this one is a 32-bit PE32 image for "
                               + "\(Self.architectureName(machine: machine)); 32-bit DLLs cannot load into a 64-bit Python)")
        case (0x8664, _), (0xaa64, _):
            throw .malformed(path: path, reason: "optional header magic \(Self.hex(optMagic)) is neither PE32 nor PE32+")
        default:
            throw .wrongFormat(path: path, expected: "a 64-bit PE file for x86-64 or arm64 (this one is for "
                               + "\(Self.architectureName(machine: machine)))")
        }
        self.machine = machine
        isDLL = characteristics & 0x2000 != 0

        // Data directories (PE32+: NumberOfRvaAndSizes at 108, the directories from 112).
        guard optionalSize >= 112, let dirCount = b.u32(opt + 108, bigEndian: false), b.has(opt, optionalSize) else {
            throw .malformed(path: path, reason: "optional header of \(optionalSize) bytes is too short or runs past end")
        }
        let usableDirs = min(Int(dirCount), (optionalSize - 112) / 8, 16)
        func directory(_ i: Int) -> (rva: UInt32, size: UInt32)? {
            guard i < usableDirs, let rva = b.u32(opt + 112 + 8 * i, bigEndian: false),
                  let size = b.u32(opt + 116 + 8 * i, bigEndian: false), rva != 0 else { return nil }
            return (rva, size)
        }

        let sectionTable = opt + optionalSize
        guard sectionCount <= 96, b.has(sectionTable, sectionCount * 40) else {
            throw .malformed(path: path, reason: "section table of \(sectionCount) entries runs past end or is over 96 entries")
        }
        var sections: [Section] = []
        for i in 0..<sectionCount {
            let s = sectionTable + 40 * i
            sections.append(Section(virtualSize: b.u32(s + 8, bigEndian: false)!, virtualAddress: b.u32(s + 12, bigEndian: false)!,
                                    rawSize: b.u32(s + 16, bigEndian: false)!, rawOffset: b.u32(s + 20, bigEndian: false)!))
        }
        let headersSize = Int(b.u32(opt + 60, bigEndian: false) ?? 0)
        let image = Image(bytes: b, sections: sections, headersSize: min(headersSize, b.count), path: path)

        var exportName: String?
        var exports: [String] = []
        if let dir = directory(0) {
            (exportName, exports) = try Self.readExports(image, dir.rva, dir.size)
        }
        var imports: [Import] = []
        var budget = b.count / 8 + 4096 // import entries read in total, at most
        if let dir = directory(1) { imports += try Self.readImports(image, dir.rva, delay: false, budget: &budget) }
        if let dir = directory(13) { imports += try Self.readImports(image, dir.rva, delay: true, budget: &budget) }
        var strings: [(key: String, value: String)] = []
        var fixed: String?
        if let dir = directory(2) { (strings, fixed) = try Self.readVersionResource(image, dir.rva) }
        self.exportName = exportName
        self.exports = exports
        exportSet = Set(exports)
        self.imports = imports
        versionStrings = strings
        fixedFileVersion = fixed
    }

    private struct Section { var virtualSize, virtualAddress, rawSize, rawOffset: UInt32 }

    /// The bytes with the section table, to read at RVAs.
    private struct Image {
        let bytes: FileBytes
        let sections: [Section]
        let headersSize: Int
        let path: String

        /// The file offset of an RVA, when the RVA lies in a section's file data (or the headers).
        func offset(_ rva: UInt32) -> Int? {
            if Int(rva) < headersSize { return Int(rva) }
            for s in sections where rva >= s.virtualAddress {
                let delta = UInt64(rva - s.virtualAddress)
                let extent = UInt64(s.virtualSize == 0 ? s.rawSize : min(s.virtualSize, s.rawSize))
                guard delta < extent else { continue }
                let o = UInt64(s.rawOffset) + delta
                return o < UInt64(bytes.count) ? Int(o) : nil
            }
            return nil
        }

        /// The file offset of `length` bytes at an RVA, all inside the file; or a `malformed` error naming `what`.
        func span(_ rva: UInt32, _ length: Int, _ what: String) throws(BinaryFileError) -> Int {
            guard let o = offset(rva), bytes.has(o, length) else {
                throw .malformed(path: path, reason: "\(what) at RVA \(PEFile.hex(rva)) points outside the file")
            }
            return o
        }

        func u32(_ o: Int) -> UInt32 { bytes.u32(o, bigEndian: false) ?? 0 }

        /// The NUL-terminated name at an RVA, cut at ``ELFFile/maxNameLength``; nil when it is outside the file.
        func name(_ rva: UInt32) -> String? {
            guard let o = offset(rva) else { return nil }
            return bytes.cString(at: o, maxLength: ELFFile.maxNameLength)
        }
    }

    private static func readExports(_ m: Image, _ rva: UInt32, _ size: UInt32) throws(BinaryFileError) -> (String?, [String]) {
        let d = try m.span(rva, 40, "export directory")
        let nameCount = Int(m.u32(d + 24))
        let namesRVA = m.u32(d + 32)
        let dllName = m.name(m.u32(d + 12))
        guard nameCount > 0 else { return (dllName, []) }
        guard nameCount <= m.bytes.count / 4 else {
            throw .malformed(path: m.path, reason: "export directory claims \(nameCount) names, more than the file can hold")
        }
        let table = try m.span(namesRVA, 4 * nameCount, "export name table")
        var names: [String] = []
        names.reserveCapacity(nameCount)
        for i in 0..<nameCount {
            guard let n = m.name(m.u32(table + 4 * i)), !n.isEmpty else { continue }
            names.append(n)
        }
        return (dllName, Array(Set(names)).sorted())
    }

    private static func readImports(_ m: Image, _ rva: UInt32, delay: Bool, budget: inout Int) throws(BinaryFileError) -> [Import] {
        let entry = delay ? 32 : 20
        let what = delay ? "delay-import directory" : "import directory"
        var out: [Import] = []
        var index = 0
        while true {
            let (next, overflow) = rva.addingReportingOverflow(UInt32(truncatingIfNeeded: index * entry))
            guard !overflow, index < 65536 else { throw .malformed(path: m.path, reason: "\(what) has no end") }
            let d = try m.span(next, entry, what)
            index += 1
            // Regular: OriginalFirstThunk, TimeDateStamp, ForwarderChain, Name, FirstThunk.
            // Delay: Attributes, DllName, ModuleHandle, IAT, INT, BoundIAT, UnloadIAT, TimeDateStamp.
            let nameRVA = delay ? m.u32(d + 4) : m.u32(d + 12)
            let thunks = delay ? (m.u32(d + 16) != 0 ? m.u32(d + 16) : m.u32(d + 12))
                               : (m.u32(d) != 0 ? m.u32(d) : m.u32(d + 16))
            if nameRVA == 0 && thunks == 0 { break }
            guard let dll = m.name(nameRVA), !dll.isEmpty else {
                throw .malformed(path: m.path, reason: "\(what) entry \(index - 1) names its DLL at RVA \(PEFile.hex(nameRVA)), outside the file")
            }
            var functions: [String] = []
            var t = 0
            while thunks != 0 {
                budget -= 1
                if budget < 0 { throw .malformed(path: m.path, reason: "import tables list more entries than the file can hold") }
                let (at, overflow) = thunks.addingReportingOverflow(UInt32(truncatingIfNeeded: t * 8))
                guard !overflow else { throw .malformed(path: m.path, reason: "import lookup table of \(dll) has no end") }
                let o = try m.span(at, 8, "import lookup table of \(dll)")
                let v = m.bytes.u64(o, bigEndian: false)!
                if v == 0 { break }
                t += 1
                if v & (1 << 63) != 0 {
                    functions.append("#\(v & 0xffff)")
                } else if v <= UInt64(UInt32.max), let hint = m.offset(UInt32(v)),
                          let n = m.bytes.cString(at: hint + 2, maxLength: ELFFile.maxNameLength) {
                    functions.append(n)
                }
            }
            out.append(Import(dll: dll, functions: functions, delayLoaded: delay))
        }
        return out
    }

    /// `RT_VERSION` (type 16) → first name → first language → `VS_VERSIONINFO`.
    private static func readVersionResource(_ m: Image, _ rva: UInt32) throws(BinaryFileError) -> ([(key: String, value: String)], String?) {
        let root = try m.span(rva, 16, "resource directory")
        let b = m.bytes
        /// The entries of the resource directory at `offset` (relative to the root): (id, data-or-subdirectory offset).
        func entries(_ offset: Int) throws(BinaryFileError) -> [(id: UInt32, target: UInt32)] {
            let d = root + offset
            guard b.has(d, 16) else { throw .malformed(path: m.path, reason: "resource directory at \(offset) points outside the file") }
            let count = Int(b.u16(d + 12, bigEndian: false)!) + Int(b.u16(d + 14, bigEndian: false)!)
            guard b.has(d + 16, 8 * count) else { throw .malformed(path: m.path, reason: "resource directory at \(offset) runs past end") }
            return (0..<count).map { i in (b.u32(d + 16 + 8 * i, bigEndian: false)!, b.u32(d + 20 + 8 * i, bigEndian: false)!) }
        }
        // Three levels (type, name, language); each step must go to a subdirectory, then a data entry.
        guard let version = try entries(0).first(where: { $0.id == 16 }), version.target & 0x8000_0000 != 0,
              let named = try entries(Int(version.target & 0x7fff_ffff)).first, named.target & 0x8000_0000 != 0,
              let language = try entries(Int(named.target & 0x7fff_ffff)).first, language.target & 0x8000_0000 == 0 else {
            return ([], nil)
        }
        let dataEntry = root + Int(language.target)
        guard b.has(dataEntry, 16) else { throw .malformed(path: m.path, reason: "version resource entry points outside the file") }
        let dataRVA = b.u32(dataEntry, bigEndian: false)!
        let dataSize = Int(b.u32(dataEntry + 4, bigEndian: false)!)
        guard let start = m.offset(dataRVA), let whole = b.clampedSpan(UInt64(start), UInt64(dataSize)) else {
            throw .malformed(path: m.path, reason: "version resource data at RVA \(PEFile.hex(dataRVA)) points outside the file")
        }
        return VersionInfo.read(b, from: whole.offset, to: whole.offset + whole.count)
    }

    /// Reads `VS_VERSIONINFO`: nodes of `wLength, wValueLength, wType, szKey, padding, Value, padding, Children`.
    private enum VersionInfo {
        static func read(_ b: FileBytes, from start: Int, to end: Int) -> ([(key: String, value: String)], String?) {
            var strings: [(key: String, value: String)] = []
            var fixed: String?
            guard let root = node(b, start, end), root.key == "VS_VERSION_INFO" else { return ([], nil) }
            if root.valueLength >= 52, b.u32(root.value, bigEndian: false) == 0xfeef04bd,
               let ms = b.u32(root.value + 8, bigEndian: false), let ls = b.u32(root.value + 12, bigEndian: false) {
                fixed = "\(ms >> 16).\(ms & 0xffff).\(ls >> 16).\(ls & 0xffff)"
            }
            for info in children(b, root) where info.key == "StringFileInfo" {
                guard let table = children(b, info).first else { continue }
                for s in children(b, table) {
                    // wValueLength counts UTF-16 units for text values.
                    let value = utf16(b, s.value, min(s.end, s.value + 2 * s.valueLength))
                    strings.append((s.key, value.runtimeTrimmed()))
                    if strings.count >= 256 { break }
                }
                break
            }
            return (strings, fixed)
        }

        struct Node { var key: String; var value: Int; var valueLength: Int; var childrenStart: Int; var end: Int }

        static func node(_ b: FileBytes, _ at: Int, _ limit: Int) -> Node? {
            guard at + 6 <= limit, let length = b.u16(at, bigEndian: false), let valueLength = b.u16(at + 2, bigEndian: false),
                  length >= 6 else { return nil }
            let end = min(at + Int(length), limit)
            let keyStart = at + 6
            var p = keyStart
            while p + 2 <= end, let c = b.u16(p, bigEndian: false), c != 0 { p += 2 }
            let key = utf16(b, keyStart, p)
            let value = align4(p + 2)
            let type = b.u16(at + 4, bigEndian: false) ?? 0
            let valueBytes = type == 1 ? 2 * Int(valueLength) : Int(valueLength)
            return Node(key: key, value: value, valueLength: Int(valueLength), childrenStart: align4(value + valueBytes), end: end)
        }

        static func children(_ b: FileBytes, _ parent: Node) -> [Node] {
            var out: [Node] = []
            var p = parent.childrenStart
            while p < parent.end, out.count < 256, let n = node(b, p, parent.end) {
                out.append(n)
                p = align4(n.end)
            }
            return out
        }

        static func align4(_ x: Int) -> Int { (x + 3) & ~3 }

        /// UTF-16LE text in `[start, end)`, stopped at a NUL.
        static func utf16(_ b: FileBytes, _ start: Int, _ end: Int) -> String {
            var units: [UInt16] = []
            var p = start
            while p + 2 <= end, let c = b.u16(p, bigEndian: false), c != 0, units.count < ELFFile.maxNameLength {
                units.append(c); p += 2
            }
            return String(decoding: units, as: UTF16.self)
        }
    }

    /// `0x` and the value in lowercase hex.
    static func hex(_ v: some BinaryInteger) -> String { "0x" + String(v, radix: 16) }

    /// A name for a COFF machine value.
    package static func architectureName(machine: UInt16) -> String {
        switch machine {
        case 0x8664: return "x86_64"
        case 0xaa64: return "arm64"
        case 0x14c: return "i386"
        case 0x1c0, 0x1c4: return "arm"
        case 0x200: return "ia64"
        case 0xa641: return "arm64ec"
        default: return "machine \(hex(machine))"
        }
    }
}
