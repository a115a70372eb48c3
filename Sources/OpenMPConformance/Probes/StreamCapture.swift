import Foundation
import _OpenMPShims

/// Keeps the first and last `limit` bytes of a stream and hands every line (ended by `\n` or
/// `\r`, at most `maxLine` bytes, a longer one cut to its runtime message) to a callback, so verdict-relevant lines are never lost
/// however much the child writes, and memory stays bounded. Works chunk by chunk with
/// `memchr`/`memcpy`, so a child flooding hundreds of megabytes is drained at pipe speed.
struct StreamCapture {
    let limit: Int
    let maxLine: Int
    private(set) var head: [UInt8] = []
    private var ring: [UInt8] = []
    private var ringStart = 0
    private(set) var total = 0
    private var line: [UInt8] = []

    init(limit: Int, maxLine: Int = 16 * 1024) {
        self.limit = max(0, limit)
        self.maxLine = maxLine
    }

    mutating func append(_ bytes: UnsafeRawBufferPointer, onLine: (ArraySlice<UInt8>) -> Void) {
        guard let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), bytes.count > 0 else { return }
        let n = bytes.count
        total += n
        // Head, then tail ring.
        var rest = UnsafeBufferPointer(start: base, count: n)
        if head.count < limit {
            let take = min(limit - head.count, n)
            head.append(contentsOf: UnsafeBufferPointer(start: base, count: take))
            rest = UnsafeBufferPointer(start: base + take, count: n - take)
        }
        if limit > 0 && rest.count > 0 { pushTail(rest) }
        // Lines: a line ends at `\n` or `\r` (a progress bar redraws its line with `\r`).
        var p = base
        var left = n
        while left > 0 {
            let len = omp_shim_line_end(p, left)
            addToLine(p, len)
            guard len < left else { break }
            onLine(line[...])
            line.removeAll(keepingCapacity: true)
            p += len + 1
            left -= len + 1
        }
    }

    /// The runtime's message begins with this; a line too long to keep keeps it.
    private static let messageStart = "OMP: "

    /// Appends to the current line. A line that grows past `maxLine` (a progress bar without line
    /// ends, binary output) keeps only its part from the last `OMP: ` on, when that part is at most
    /// half of `maxLine`, else its last few bytes (the start of a message split between reads): a
    /// runtime's message printed after 100 KiB without a line end is still a line of its own.
    /// Each cut leaves at most half of `maxLine`, so every byte is scanned a bounded number of
    /// times: linear in the stream, bounded in memory.
    private mutating func addToLine(_ p: UnsafePointer<UInt8>, _ len: Int) {
        guard len > 0 else { return }
        line.append(contentsOf: UnsafeBufferPointer(start: p, count: len))
        guard line.count > maxLine else { return }
        let keepFrom: Int = line.withUnsafeBytes { b in
            let at = omp_shim_last_index(b.baseAddress, b.count, Self.messageStart)
            if at >= 0, b.count - at <= maxLine / 2 { return at }
            return b.count - (Self.messageStart.utf8.count - 1)
        }
        line.removeSubrange(..<keepFrom)
    }

    private mutating func pushTail(_ b: UnsafeBufferPointer<UInt8>) {
        if b.count >= limit {
            ring = Array(b[(b.count - limit)...])
            ringStart = 0
            return
        }
        if ring.count < limit {
            let room = limit - ring.count
            ring.append(contentsOf: b.prefix(room))
            if b.count > room { overwrite(UnsafeBufferPointer(rebasing: b[room...])) }
        } else {
            overwrite(b)
        }
    }

    private mutating func overwrite(_ b: UnsafeBufferPointer<UInt8>) {
        var i = 0
        while i < b.count {
            let run = min(b.count - i, limit - ringStart)
            ring.withUnsafeMutableBufferPointer { r in
                _ = memcpy(r.baseAddress! + ringStart, b.baseAddress! + i, run)
            }
            ringStart = (ringStart + run) % limit
            i += run
        }
    }

    /// Hands over a final unterminated line.
    mutating func finish(onLine: (ArraySlice<UInt8>) -> Void) {
        if !line.isEmpty { onLine(line[...]) }
        line.removeAll()
    }

    var captured: ProbeResult.CapturedText {
        let tailBytes: [UInt8] = ring.count < limit || ringStart == 0 ? ring : Array(ring[ringStart...] + ring[..<ringStart])
        let omitted = max(0, total - head.count - tailBytes.count)
        return ProbeResult.CapturedText(head: String(decoding: head, as: UTF8.self),
                                        tail: String(decoding: tailBytes, as: UTF8.self),
                                        omittedBytes: omitted, totalBytes: total)
    }
}
