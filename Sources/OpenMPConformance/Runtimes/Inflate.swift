#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CZlib

/// Raw DEFLATE (RFC 1951, the zip member format) through zlib, streamed into a buffer of the
/// size the zip directory records and never beyond it, and zlib's CRC-32.
enum Inflate {
    /// Deflate's best ratio: a 258-byte match coded in two bits is 1032 output bytes per input byte.
    static let maximumRatio = 1032

    /// zlib's counters are 32-bit (`uInt`): input and output go to it in windows of at most this size.
    private static let window = 1 << 30

    /// Decompresses the raw deflate stream `source` into a new buffer of exactly `expectedSize`
    /// bytes. The buffer is allocated once, at that size (plus one byte that only a stream longer
    /// than recorded reaches); a size that deflate cannot reach from `source.count` bytes is
    /// refused before anything is allocated.
    static func decompress(_ source: UnsafeRawBufferPointer, expectedSize: Int) throws(ZipArchive.Problem) -> FileBytes {
        guard expectedSize >= 0 else { throw .implausibleSize(recorded: expectedSize, compressed: source.count) }
        guard expectedSize / maximumRatio <= source.count + 1 else {
            throw .implausibleSize(recorded: expectedSize, compressed: source.count)
        }
        let capacity = expectedSize + 1
        guard let out = malloc(capacity)?.assumingMemoryBound(to: UInt8.self) else { throw .outOfMemory(bytes: capacity) }
        let written: Int
        do { written = try stream(source, into: out, expectedSize: expectedSize) } catch {
            free(out)
            throw error
        }
        guard written == expectedSize else {
            free(out)
            throw .shorterThanRecorded(inflated: written, recorded: expectedSize)
        }
        return FileBytes(mallocated: UnsafeMutableRawPointer(out), count: expectedSize)
    }

    /// Runs zlib over `source` into `out` (room for `expectedSize + 1` bytes); returns the bytes written.
    private static func stream(_ source: UnsafeRawBufferPointer, into out: UnsafeMutablePointer<UInt8>,
                               expectedSize: Int) throws(ZipArchive.Problem) -> Int {
        var z = z_stream()
        // inflateInit2 is a macro; -15: a raw deflate stream (no zlib header) with a 32 KiB window.
        let initCode = inflateInit2_(&z, -15, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard initCode == Z_OK else {
            if initCode == Z_MEM_ERROR { throw .outOfMemory(bytes: MemoryLayout<z_stream>.size) }
            throw .zlib(code: initCode, message: message(z))
        }
        defer { inflateEnd(&z) }
        let input = source.baseAddress?.assumingMemoryBound(to: UInt8.self)
        var consumed = 0, written = 0
        while true {
            if z.avail_in == 0, consumed < source.count, let input {
                let n = min(window, source.count - consumed)
                z.next_in = UnsafeMutablePointer(mutating: input + consumed)
                z.avail_in = uInt(n)
                consumed += n
            }
            // Past the recorded size only the spare byte is offered: a stream that fills it is longer.
            let room = written < expectedSize ? min(window, expectedSize - written) : 1
            z.next_out = out + written
            z.avail_out = uInt(room)
            let code = CZlib.inflate(&z, Z_NO_FLUSH)
            written += room - Int(z.avail_out)
            if written > expectedSize { throw .longerThanRecorded(recorded: expectedSize) }
            switch code {
            case Z_STREAM_END:
                return written
            case Z_OK:
                continue
            case Z_BUF_ERROR where z.avail_in == 0:
                // No progress for want of input: the next window, or the end of the data.
                if consumed == source.count { throw .truncatedStream(inflated: written) }
                continue
            case Z_DATA_ERROR, Z_NEED_DICT:
                throw .corruptStream(message(z), inflated: written)
            case Z_MEM_ERROR:
                throw .outOfMemory(bytes: 1 << 15)
            default:
                throw .zlib(code: code, message: message(z))
            }
        }
    }

    private static func message(_ z: z_stream) -> String {
        z.msg.map { String(cString: $0) } ?? "no message"
    }

    /// CRC-32 (zip / IEEE 802.3) of `bytes`, by zlib.
    static func crc32(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        guard let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return 0 }
        var crc = CZlib.crc32(0, nil, 0)
        var done = 0
        while done < bytes.count {
            let n = min(window, bytes.count - done)
            crc = CZlib.crc32(crc, base + done, uInt(n))
            done += n
        }
        return UInt32(truncatingIfNeeded: crc)
    }
}
