/// Keeps the first and last `limit` bytes of a stream and hands every complete line
/// (up to `maxLine` bytes) to a callback, so verdict-relevant lines are never lost
/// however much the child writes, and memory stays bounded.
struct StreamCapture {
    let limit: Int
    let maxLine: Int
    private(set) var head: [UInt8] = []
    private var ring: [UInt8]
    private var ringStart = 0
    private var ringCount = 0
    private(set) var total = 0
    private var line: [UInt8] = []
    private var lineOverflow = false

    init(limit: Int, maxLine: Int = 16 * 1024) {
        self.limit = max(0, limit)
        self.maxLine = maxLine
        ring = []
        head.reserveCapacity(min(limit, 4096))
    }

    mutating func append(_ bytes: UnsafeRawBufferPointer, onLine: (ArraySlice<UInt8>) -> Void) {
        total += bytes.count
        for b in bytes {
            if head.count < limit {
                head.append(b)
            } else if limit > 0 {
                if ring.count < limit { ring.append(b); ringCount += 1 } else {
                    ring[ringStart] = b
                    ringStart = (ringStart + 1) % limit
                }
            }
            if b == 10 {
                if !lineOverflow { onLine(line[...]) }
                line.removeAll(keepingCapacity: true)
                lineOverflow = false
            } else if line.count < maxLine {
                line.append(b)
            } else {
                lineOverflow = true
            }
        }
    }

    /// Hands over a final unterminated line.
    mutating func finish(onLine: (ArraySlice<UInt8>) -> Void) {
        if !line.isEmpty && !lineOverflow { onLine(line[...]) }
        line.removeAll()
    }

    var captured: ProbeResult.CapturedText {
        let tailBytes: [UInt8] = ring.count < limit ? ring : Array(ring[ringStart...] + ring[..<ringStart])
        let omitted = max(0, total - head.count - tailBytes.count)
        return ProbeResult.CapturedText(head: String(decoding: head, as: UTF8.self),
                                        tail: String(decoding: tailBytes, as: UTF8.self),
                                        omittedBytes: omitted, totalBytes: total)
    }
}
