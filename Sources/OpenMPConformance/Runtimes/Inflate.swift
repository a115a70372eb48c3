/// A DEFLATE (RFC 1951) decoder and CRC-32, so that shared libraries inside wheels
/// (zip files) can be read without zlib. Raw pointers throughout so it stays usable in
/// debug builds.
enum Inflate {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Decompresses `source` into a new buffer of exactly `expectedSize` bytes.
    static func decompress(_ source: UnsafeRawBufferPointer, expectedSize: Int) throws(Failure) -> FileBytes {
        let out = UnsafeMutableRawBufferPointer.allocate(byteCount: max(expectedSize, 1), alignment: 16)
        let n: Int
        do {
            n = try decompress(source, into: out.baseAddress!.assumingMemoryBound(to: UInt8.self), capacity: expectedSize)
        } catch {
            out.deallocate()
            throw error
        }
        guard n == expectedSize else {
            out.deallocate()
            throw Failure(description: "inflated \(n) bytes, the archive says \(expectedSize)")
        }
        return FileBytes(adopting: out, count: expectedSize)
    }

    private static let lengthBase: [UInt16] = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59,
                                               67, 83, 99, 115, 131, 163, 195, 227, 258]
    private static let lengthExtra: [UInt8] = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0]
    private static let distanceBase: [UInt16] = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769,
                                                 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577]
    private static let distanceExtra: [UInt8] = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10,
                                                 11, 11, 12, 12, 13, 13]
    private static let codeLengthOrder: [Int] = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]

    /// A canonical Huffman code as a direct lookup table indexed by the next `maxLength`
    /// input bits (LSB first). Entry = symbol << 4 | length; 0 marks an unused pattern.
    private struct Table {
        let entries: UnsafeMutablePointer<UInt32>
        var maxLength = 0
        init() { entries = .allocate(capacity: 1 << 15) }
        func free() { entries.deallocate() }

        mutating func build(_ lengths: UnsafePointer<UInt8>, count: Int) throws(Failure) {
            var perLength = [Int](repeating: 0, count: 16)
            maxLength = 0
            for i in 0..<count where lengths[i] > 0 {
                perLength[Int(lengths[i])] += 1
                maxLength = max(maxLength, Int(lengths[i]))
            }
            if maxLength == 0 { return }
            var left = 1
            for l in 1...15 {
                left = left << 1 - perLength[l]
                if left < 0 { throw Failure(description: "over-subscribed Huffman code") }
            }
            var next = [Int](repeating: 0, count: 16)
            var code = 0
            for l in 1...15 { code = (code + perLength[l - 1]) << 1; next[l] = code }
            let size = 1 << maxLength
            entries.initialize(repeating: 0, count: size)
            for sym in 0..<count {
                let len = Int(lengths[sym])
                guard len > 0 else { continue }
                let c = next[len]; next[len] += 1
                var reversed = 0
                for b in 0..<len where c & (1 << b) != 0 { reversed |= 1 << (len - 1 - b) }
                let entry = UInt32(sym) << 4 | UInt32(len)
                var i = reversed
                while i < size { entries[i] = entry; i += 1 << len }
            }
        }
    }

    private struct Bits {
        let p: UnsafePointer<UInt8>
        let n: Int
        var pos = 0
        var buffer: UInt64 = 0
        var count = 0
        /// Zero bytes fed in past the end of the input (to allow peeking `maxLength` bits).
        var padding = 0

        @inline(__always) mutating func fill() {
            while count <= 56 {
                if pos < n { buffer |= UInt64(p[pos]) << UInt64(count); pos += 1 } else { padding += 1 }
                count += 8
            }
        }
        @inline(__always) mutating func take(_ k: Int) throws(Failure) -> Int {
            if count < k { fill() }
            let v = Int(buffer & ((1 << UInt64(k)) - 1))
            buffer >>= UInt64(k); count -= k
            if padding * 8 > count { throw Failure(description: "compressed data ends early") }
            return v
        }
        @inline(__always) mutating func decode(_ t: Table) throws(Failure) -> Int {
            if count < t.maxLength { fill() }
            guard t.maxLength > 0 else { throw Failure(description: "use of an empty Huffman code") }
            let e = t.entries[Int(buffer & ((1 << UInt64(t.maxLength)) - 1))]
            if e == 0 { throw Failure(description: "invalid Huffman code") }
            let len = Int(e & 15)
            buffer >>= UInt64(len); count -= len
            if padding * 8 > count { throw Failure(description: "compressed data ends early") }
            return Int(e >> 4)
        }
    }

    private static func decompress(_ source: UnsafeRawBufferPointer, into out: UnsafeMutablePointer<UInt8>,
                                   capacity: Int) throws(Failure) -> Int {
        guard let base = source.baseAddress else { throw Failure(description: "no compressed data") }
        var bits = Bits(p: base.assumingMemoryBound(to: UInt8.self), n: source.count)
        var written = 0
        var lit = Table(), dist = Table(), lens = Table()
        defer { lit.free(); dist.free(); lens.free() }
        let lengths = UnsafeMutablePointer<UInt8>.allocate(capacity: 320)
        defer { lengths.deallocate() }

        var last = false
        while !last {
            last = try bits.take(1) == 1
            let type = try bits.take(2)
            switch type {
            case 0:
                // Stored: skip to a byte boundary, then LEN and its complement, then raw bytes.
                _ = try bits.take(bits.count % 8)
                let len = try bits.take(16), nlen = try bits.take(16)
                guard len == ~nlen & 0xffff else { throw Failure(description: "stored block length check failed") }
                // Give back whole bytes still held in the bit buffer.
                let held = bits.count / 8 - bits.padding
                guard held >= 0 else { throw Failure(description: "compressed data ends early") }
                bits.pos -= held; bits.buffer = 0; bits.count = 0; bits.padding = 0
                guard bits.pos + len <= bits.n else { throw Failure(description: "stored block runs past end") }
                guard written + len <= capacity else { throw Failure(description: "output larger than expected") }
                (out + written).update(from: bits.p + bits.pos, count: len)
                bits.pos += len; written += len
                continue
            case 1:
                for i in 0..<144 { lengths[i] = 8 }
                for i in 144..<256 { lengths[i] = 9 }
                for i in 256..<280 { lengths[i] = 7 }
                for i in 280..<288 { lengths[i] = 8 }
                try lit.build(lengths, count: 288)
                for i in 0..<30 { lengths[i] = 5 }
                try dist.build(lengths, count: 30)
            case 2:
                let nlit = try bits.take(5) + 257, ndist = try bits.take(5) + 1, nlen = try bits.take(4) + 4
                guard nlit <= 286, ndist <= 30 else { throw Failure(description: "bad dynamic block header") }
                for i in 0..<19 { lengths[i] = 0 }
                for i in 0..<nlen { lengths[codeLengthOrder[i]] = UInt8(try bits.take(3)) }
                try lens.build(lengths, count: 19)
                var i = 0
                while i < nlit + ndist {
                    let sym = try bits.decode(lens)
                    if sym < 16 { lengths[i] = UInt8(sym); i += 1; continue }
                    var repeatValue: UInt8 = 0, times = 0
                    switch sym {
                    case 16:
                        guard i > 0 else { throw Failure(description: "repeat with no previous length") }
                        repeatValue = lengths[i - 1]; times = 3 + (try bits.take(2))
                    case 17: times = 3 + (try bits.take(3))
                    default: times = 11 + (try bits.take(7))
                    }
                    guard i + times <= nlit + ndist else { throw Failure(description: "code lengths overflow") }
                    for _ in 0..<times { lengths[i] = repeatValue; i += 1 }
                }
                guard lengths[256] > 0 else { throw Failure(description: "no end-of-block code") }
                try lit.build(lengths, count: nlit)
                try dist.build(lengths + nlit, count: ndist)
            default:
                throw Failure(description: "reserved block type")
            }

            // Literal/length and distance symbols until end-of-block.
            while true {
                let sym = try bits.decode(lit)
                if sym < 256 {
                    guard written < capacity else { throw Failure(description: "output larger than expected") }
                    out[written] = UInt8(truncatingIfNeeded: sym); written += 1
                    continue
                }
                if sym == 256 { break }
                let li = sym - 257
                guard li < 29 else { throw Failure(description: "bad length symbol") }
                let length = Int(lengthBase[li]) + (try bits.take(Int(lengthExtra[li])))
                let ds = try bits.decode(dist)
                guard ds < 30 else { throw Failure(description: "bad distance symbol") }
                let distance = Int(distanceBase[ds]) + (try bits.take(Int(distanceExtra[ds])))
                guard distance <= written else { throw Failure(description: "distance reaches before the start") }
                guard written + length <= capacity else { throw Failure(description: "output larger than expected") }
                var from = written - distance
                if distance >= length {
                    (out + written).update(from: out + from, count: length)
                    written += length
                } else {
                    for _ in 0..<length { out[written] = out[from]; written += 1; from += 1 }
                }
            }
        }
        return written
    }

    // MARK: CRC-32

    private static let crcTable: [UInt32] = (0..<256).map { n -> UInt32 in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 != 0 ? 0xedb8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    /// CRC-32 (zip / IEEE 802.3) of `bytes`.
    static func crc32(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        guard let base = bytes.baseAddress else { return 0 }
        let p = base.assumingMemoryBound(to: UInt8.self)
        return crcTable.withUnsafeBufferPointer { t in
            var c: UInt32 = 0xffff_ffff
            for i in 0..<bytes.count { c = t[Int((c ^ UInt32(p[i])) & 0xff)] ^ (c >> 8) }
            return c ^ 0xffff_ffff
        }
    }
}
