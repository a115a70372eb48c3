import Foundation

/// Keeps the first and last `limit` bytes of a stream and hands every complete line
/// (up to `maxLine` bytes) to a callback, so verdict-relevant lines are never lost
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
    private var lineOverflow = false

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
        // Lines.
        var p = base
        var left = n
        while left > 0 {
            guard let nl = memchr(p, 10, left) else {
                addToLine(p, left)
                break
            }
            let len = UnsafeRawPointer(nl) - UnsafeRawPointer(p)
            addToLine(p, len)
            if !lineOverflow { onLine(line[...]) }
            line.removeAll(keepingCapacity: true)
            lineOverflow = false
            p += len + 1
            left -= len + 1
        }
    }

    private mutating func addToLine(_ p: UnsafePointer<UInt8>, _ len: Int) {
        guard len > 0, !lineOverflow else { return }
        if line.count + len > maxLine { lineOverflow = true; return }
        line.append(contentsOf: UnsafeBufferPointer(start: p, count: len))
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
        if !line.isEmpty && !lineOverflow { onLine(line[...]) }
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
