#if os(Linux)
import Glibc

extension Observation {
    /// The process's OS threads now (the entries of `/proc/self/task`), or nil when they cannot be read.
    static func osThreads() -> Int? {
        guard let dir = opendir("/proc/self/task") else { return nil }
        defer { closedir(dir) }
        var n = 0
        while let e = readdir(dir) {
            let first = withUnsafeBytes(of: e.pointee.d_name) { $0.first ?? 0 }
            if first != UInt8(ascii: ".") { n += 1 }
        }
        return n
    }
}
#endif
