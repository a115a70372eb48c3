import Foundation

/// Reads a file of short text records (`exit 123`, `open 123 /path`) that another process
/// appends to, from where the last read stopped. Linear and bounded: each call reads at most
/// `budget` bytes, each byte is looked at once, and a line longer than `maxLine` (newline-free
/// data written into the file by a hostile or broken program) is dropped as it streams by, never
/// accumulated. The records' writers start each record on a line of its own, so junk before
/// a record cannot hide it.
struct RecordFileReader {
    let path: String
    let maxLine: Int
    private(set) var offset: off_t = 0
    private var pending: [UInt8] = []
    private var overflow = false

    init(path: String, maxLine: Int = 8192) { self.path = path; self.maxLine = maxLine }

    /// Reads up to `budget` new bytes and hands each complete line to `onLine`; `onLine`
    /// returns false to stop early. Returns false when reading stopped early.
    @discardableResult
    mutating func read(budget: Int = 1 << 20, _ onLine: (ArraySlice<UInt8>) -> Bool) -> Bool {
        // O_NONBLOCK: a FIFO put in the record file's place is never waited on.
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else { return true }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0, st.st_mode & S_IFMT == S_IFREG else { return true }
        var buf = [UInt8](repeating: 0, count: 65536)
        var left = budget
        while left > 0 {
            let n = buf.withUnsafeMutableBytes { pread(fd, $0.baseAddress, min($0.count, left), offset) }
            guard n > 0 else { break }
            offset += off_t(n)
            left -= n
            var start = 0
            while start < n {
                let nl: Int? = buf.withUnsafeBytes { b in
                    memchr(b.baseAddress! + start, 10, n - start).map { UnsafeRawPointer($0) - b.baseAddress! }
                }
                guard let i = nl else {
                    if !overflow {
                        pending += buf[start..<n]
                        if pending.count > maxLine { overflow = true; pending.removeAll(keepingCapacity: true) }
                    }
                    break
                }
                if !overflow {
                    let complete: ArraySlice<UInt8>
                    if pending.isEmpty { complete = buf[start..<i] } else { pending += buf[start..<i]; complete = pending[...] }
                    if complete.count <= maxLine, !onLine(complete) { pending.removeAll(); return false }
                }
                pending.removeAll(keepingCapacity: true)
                overflow = false
                start = i + 1
            }
        }
        return true
    }
}
