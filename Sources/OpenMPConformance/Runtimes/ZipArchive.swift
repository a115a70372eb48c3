/// The central directory of a zip file (a wheel), and the bytes of stored or deflated
/// members, read without unpacking the archive.
struct ZipArchive: Sendable {
    struct Member: Sendable {
        var name: String
        /// 0 = stored, 8 = deflated; anything else cannot be read here.
        var method: UInt16
        var compressedSize: Int
        var uncompressedSize: Int
        var crc32: UInt32
        var localHeaderOffset: Int
    }

    let path: String
    let members: [Member]
    private let bytes: FileBytes

    init(path: String) throws(BinaryFileError) {
        try self.init(bytes: FileBytes(mapping: path), path: path)
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
        // Zip64: the locator sits just before the classic record.
        if entries == 0xffff || cdOffset == 0xffff_ffff, e >= 20, b.u32(e - 20, bigEndian: false) == 0x0706_4b50,
           let z64 = b.u64(e - 20 + 8, bigEndian: false), let z = b.span(z64, 56)?.offset,
           b.u32(z, bigEndian: false) == 0x0606_4b50,
           let n = b.u64(z + 32, bigEndian: false), let off = b.u64(z + 48, bigEndian: false) {
            entries = Int(clamping: n); cdOffset = Int(clamping: off)
        }
        var out: [Member] = []
        var p = cdOffset
        for _ in 0..<entries {
            guard b.u32(p, bigEndian: false) == 0x0201_4b50, b.has(p, 46) else {
                throw .malformed(path: path, reason: "central directory entry \(out.count) is damaged")
            }
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
            // Zip64 extended sizes, present only for the fields that overflowed.
            var x = p + 46 + nameLength
            let xEnd = x + extraLength
            while x + 4 <= xEnd {
                let id = b.u16(x, bigEndian: false)!, size = Int(b.u16(x + 2, bigEndian: false)!)
                if id == 1 {
                    var f = x + 4
                    if usize == 0xffff_ffff, let v = b.u64(f, bigEndian: false) { usize = v; f += 8 }
                    if csize == 0xffff_ffff, let v = b.u64(f, bigEndian: false) { csize = v; f += 8 }
                    if local == 0xffff_ffff, let v = b.u64(f, bigEndian: false) { local = v }
                }
                x += 4 + size
            }
            out.append(Member(name: name, method: method, compressedSize: Int(clamping: csize),
                              uncompressedSize: Int(clamping: usize), crc32: crc, localHeaderOffset: Int(clamping: local)))
            p += 46 + nameLength + extraLength + commentLength
        }
        members = out
    }

    /// The member's bytes, inflated when deflated, checked against its CRC-32.
    func contents(of m: Member) throws(Inflate.Failure) -> FileBytes {
        let b = bytes
        let h = m.localHeaderOffset
        guard b.has(h, 30), b.u32(h, bigEndian: false) == 0x0403_4b50, let n = b.u16(h + 26, bigEndian: false),
              let e = b.u16(h + 28, bigEndian: false) else {
            throw Inflate.Failure(description: "local header of \(m.name) is damaged")
        }
        let start = h + 30 + Int(n) + Int(e)
        guard b.has(start, m.compressedSize) else { throw Inflate.Failure(description: "\(m.name) runs past end of archive") }
        let data = UnsafeRawBufferPointer(rebasing: b.raw[start..<(start + m.compressedSize)])
        let out: FileBytes
        switch m.method {
        case 0:
            out = FileBytes(bytes: Array(data))
        case 8:
            out = try Inflate.decompress(data, expectedSize: m.uncompressedSize)
        default:
            throw Inflate.Failure(description: "\(m.name) uses compression method \(m.method), which is not supported")
        }
        guard Inflate.crc32(out.raw) == m.crc32 else { throw Inflate.Failure(description: "\(m.name) fails its CRC-32 check") }
        return out
    }
}
