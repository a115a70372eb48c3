#if os(Linux)
import Glibc

extension MappedRuntimes {
    /// Each mapped file with the start of its offset-0 mapping.
    static func mappedObjects() -> [(String, UInt)] {
        let fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return [] }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n <= 0 { break }
            bytes.append(contentsOf: chunk[0..<n])
        }
        var out: [(String, UInt)] = []
        var seen: Set<String> = []
        for line in bytes.split(separator: 10) {
            // start-end perms offset dev inode path
            let fields = line.split(separator: 32, maxSplits: 5, omittingEmptySubsequences: true)
            guard fields.count == 6 else { continue }
            let name = fields[5].drop(while: { $0 == 32 })
            guard name.first == 47 /* '/' */ else { continue }
            guard fields[2].allSatisfy({ $0 == 48 }) else { continue } // offset 0
            let path = String(decoding: name, as: UTF8.self).trimmingSpaces()
            guard !seen.contains(path) else { continue }
            seen.insert(path)
            let startHex = fields[0].split(separator: 45).first ?? []
            let start = UInt(String(decoding: startHex, as: UTF8.self), radix: 16) ?? 0
            out.append((path, start))
        }
        return out
    }
}

private extension String {
    func trimmingSpaces() -> String {
        var s = Substring(self)
        while s.last == " " { s = s.dropLast() }
        while s.first == " " { s = s.dropFirst() }
        return String(s)
    }
}
#endif
