/// The central directory of a zip file (a wheel), and the bytes of stored or deflated
/// members, read without unpacking the archive. Deflated members go through zlib (``Inflate``).
///
/// Zip64 is read: the Zip64 end-of-central-directory record (found through its locator) when
/// the classic record's entry count or offset overflowed, and each entry's Zip64 extra field
/// for the sizes and offset that overflowed. Archives split over several disks are not.
struct ZipArchive: Sendable {
    struct Member: Sendable {
        var name: String
        /// 0 = stored, 8 = deflated; anything else cannot be read here.
        var method: UInt16
        /// The general-purpose flags; bit 0 marks an encrypted member.
        var flags: UInt16
        var compressedSize: Int
        var uncompressedSize: Int
        var crc32: UInt32
        var localHeaderOffset: Int
    }

    let path: String
    let members: [Member]
    private let bytes: FileBytes

    init(path: String) throws(BinaryFileError) {
        try self.init(bytes: FileBytes(reading: path), path: path)
    }

    /// Reads the central directory of zip bytes; `path` is used in messages.
    init(bytes b: FileBytes, path: String) throws(BinaryFileError) {
        self.path = path
        bytes = b
        // End of central directory: the last "PK\5\6" within the final 64 KiB + 22 bytes.
        var eocd: Int?
        var o = b.count - 22
        let floor = max(0, b.count - 22 - 65_535)
        while o >= floor {
            if b.u32(o, bigEndian: false) == 0x0605_4b50 { eocd = o; break }
            o -= 1
        }
        guard let e = eocd else { throw .wrongFormat(path: path, expected: "a zip archive") }
        var entries = Int(b.u16(e + 10, bigEndian: false)!)
        var cdOffset = Int(b.u32(e + 16, bigEndian: false)!)
        // Zip64: the locator sits just before the classic record and points at the Zip64 record,
        // which holds the values that did not fit (an all-ones field says so). An archive of exactly
        // 65,535 members has no Zip64 record (zipfile writes none): its classic count stands.
        if entries == 0xffff || cdOffset == 0xffff_ffff {
            if e >= 20, b.u32(e - 20, bigEndian: false) == 0x0706_4b50 {
                guard let z64 = b.u64(e - 20 + 8, bigEndian: false), let z = b.span(z64, 56)?.offset,
                      b.u32(z, bigEndian: false) == 0x0606_4b50,
                      let n = b.u64(z + 32, bigEndian: false), let off = b.u64(z + 48, bigEndian: false) else {
                    throw .malformed(path: path, reason: "the Zip64 locator points at no Zip64 end-of-central-directory record")
                }
                entries = Int(clamping: n); cdOffset = Int(clamping: off)
            } else if cdOffset == 0xffff_ffff {
                throw .malformed(path: path, reason: "the end-of-central-directory record says Zip64, but no Zip64 "
                                 + "record or its locator precedes it")
            }
        }
        var out: [Member] = []
        var p = cdOffset
        for _ in 0..<entries {
            guard b.u32(p, bigEndian: false) == 0x0201_4b50, b.has(p, 46) else {
                throw .malformed(path: path, reason: "central directory entry \(out.count) is damaged")
            }
            let flags = b.u16(p + 8, bigEndian: false)!
            let method = b.u16(p + 10, bigEndian: false)!
            let crc = b.u32(p + 16, bigEndian: false)!
            var csize = UInt64(b.u32(p + 20, bigEndian: false)!)
            var usize = UInt64(b.u32(p + 24, bigEndian: false)!)
            let nameLength = Int(b.u16(p + 28, bigEndian: false)!)
            let extraLength = Int(b.u16(p + 30, bigEndian: false)!)
            let commentLength = Int(b.u16(p + 32, bigEndian: false)!)
            var local = UInt64(b.u32(p + 42, bigEndian: false)!)
            guard b.has(p + 46, nameLength + extraLength) else {
                throw .malformed(path: path, reason: "central directory entry \(out.count) runs past end")
            }
            let name = String(decoding: UnsafeRawBufferPointer(rebasing: b.raw[(p + 46)..<(p + 46 + nameLength)]), as: UTF8.self)
            // The Zip64 extra field holds, in this order, only the values whose field above is all ones.
            var x = p + 46 + nameLength
            let xEnd = x + extraLength
            while x + 4 <= xEnd {
                let id = b.u16(x, bigEndian: false)!, size = Int(b.u16(x + 2, bigEndian: false)!)
                if id == 1 {
                    var f = x + 4
                    let end = min(f + size, xEnd)
                    func next(_ v: inout UInt64, _ what: String) throws(BinaryFileError) {
                        guard v == 0xffff_ffff else { return }
                        guard f + 8 <= end, let wide = b.u64(f, bigEndian: false) else {
                            throw .malformed(path: path, reason: "the Zip64 extra field of \(name) has no \(what)")
                        }
                        v = wide; f += 8
                    }
                    try next(&usize, "uncompressed size")
                    try next(&csize, "compressed size")
                    try next(&local, "local header offset")
                }
                x += 4 + size
            }
            out.append(Member(name: name, method: method, flags: flags, compressedSize: Int(clamping: csize),
                              uncompressedSize: Int(clamping: usize), crc32: crc, localHeaderOffset: Int(clamping: local)))
            p += 46 + nameLength + extraLength + commentLength
        }
        members = out
    }

    /// The member's bytes, inflated when deflated, checked against the size and CRC-32 that the
    /// central directory records. Errors name the archive and the member.
    func contents(of m: Member) throws(EntryError) -> FileBytes {
        do {
            return try read(m)
        } catch {
            throw EntryError(archive: path, member: m.name, problem: error)
        }
    }

    private func read(_ m: Member) throws(Problem) -> FileBytes {
        let b = bytes
        let h = m.localHeaderOffset
        guard b.has(h, 30), b.u32(h, bigEndian: false) == 0x0403_4b50, let n = b.u16(h + 26, bigEndian: false),
              let e = b.u16(h + 28, bigEndian: false) else {
            throw .damagedLocalHeader
        }
        guard m.flags & 1 == 0 else { throw .encrypted }
        let start = h + 30 + Int(n) + Int(e)
        guard b.has(start, m.compressedSize) else { throw .runsPastEnd(compressedSize: m.compressedSize) }
        let data = UnsafeRawBufferPointer(rebasing: b.raw[start..<(start + m.compressedSize)])
        let out: FileBytes
        switch m.method {
        case 0:
            guard m.compressedSize == m.uncompressedSize else {
                throw .storedSizesDiffer(stored: m.compressedSize, recorded: m.uncompressedSize)
            }
            out = FileBytes(bytes: Array(data))
        case 8:
            out = try Inflate.decompress(data, expectedSize: m.uncompressedSize)
        default:
            throw .unsupportedMethod(m.method)
        }
        let crc = Inflate.crc32(out.raw)
        guard crc == m.crc32 else { throw .crcMismatch(recorded: m.crc32, computed: crc) }
        return out
    }

    /// Why a member's bytes could not be read.
    enum Problem: Error, Sendable, Hashable, CustomStringConvertible {
        /// The local header is not where the central directory says, or is cut off.
        case damagedLocalHeader
        /// The member's data runs past the end of the archive (a truncated download).
        case runsPastEnd(compressedSize: Int)
        case encrypted
        case unsupportedMethod(UInt16)
        /// A stored member whose two recorded sizes differ.
        case storedSizesDiffer(stored: Int, recorded: Int)
        /// The recorded size is more than deflate can produce from the compressed bytes.
        case implausibleSize(recorded: Int, compressed: Int)
        /// zlib rejected the deflate stream (its message), after `inflated` bytes.
        case corruptStream(String, inflated: Int)
        /// The compressed bytes end before the deflate stream does.
        case truncatedStream(inflated: Int)
        /// The stream goes on past the recorded size.
        case longerThanRecorded(recorded: Int)
        /// The stream ends before the recorded size.
        case shorterThanRecorded(inflated: Int, recorded: Int)
        case crcMismatch(recorded: UInt32, computed: UInt32)
        case outOfMemory(bytes: Int)
        /// Any other zlib failure.
        case zlib(code: Int32, message: String)

        var description: String {
            switch self {
            case .damagedLocalHeader: return "local header is damaged"
            case .runsPastEnd(let c): return "its \(c) compressed bytes run past the end of the archive (truncated?)"
            case .encrypted: return "is encrypted, which is not supported"
            case .unsupportedMethod(let m): return "uses compression method \(m), which is not supported (only stored and deflated)"
            case .storedSizesDiffer(let s, let r): return "stored with \(s) bytes, but the directory records \(r)"
            case .implausibleSize(let r, let c):
                return "the directory records \(r) bytes, more than deflate can produce from \(c) compressed bytes"
            case .corruptStream(let msg, let n): return "corrupt deflate stream (\(msg)) after \(n) inflated bytes"
            case .truncatedStream(let n): return "the deflate stream is cut off: the compressed data ends after \(n) inflated bytes"
            case .longerThanRecorded(let r): return "inflates to more than the \(r) bytes the directory records"
            case .shorterThanRecorded(let n, let r): return "inflated \(n) bytes, the directory records \(r)"
            case .crcMismatch(let r, let c):
                return "fails its CRC-32 check (directory 0x\(String(r, radix: 16)), data 0x\(String(c, radix: 16)))"
            case .outOfMemory(let n): return "cannot allocate \(n) bytes to inflate it"
            case .zlib(let code, let msg): return "zlib error \(code) (\(msg))"
            }
        }
    }

    /// A member that could not be read: `archive!member: problem`.
    struct EntryError: Error, Sendable, Hashable, CustomStringConvertible {
        var archive: String
        var member: String
        var problem: Problem
        var description: String { "\(archive)!\(member): \(problem)" }
    }
}
