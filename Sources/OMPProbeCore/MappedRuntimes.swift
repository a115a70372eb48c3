#if canImport(Glibc)
import Glibc
import _OpenMPShims

/// Finds the OpenMP runtimes mapped in this process by reading `/proc/self/maps` and
/// asking each mapped object, by its own exported symbols, whether it is one.
struct MappedRuntimes {
    private var classified: [String: RuntimeFamily?] = [:]

    /// Newly seen OpenMP runtimes since the last call, as (family, path).
    mutating func scan() -> [(RuntimeFamily, String)] {
        var found: [(RuntimeFamily, String)] = []
        for (path, base) in Self.mappedObjects() where classified[path] == nil {
            let fam = Self.family(of: path, base: base)
            classified[path] = .some(fam)
            if let fam { found.append((fam, path)) }
        }
        return found
    }

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

    /// The family of an object already mapped at `base`, or nil when it is not an OpenMP runtime.
    /// A symbol counts only when it is defined in that object itself, not in a dependency.
    static func family(of path: String, base: UInt) -> RuntimeFamily? {
        guard let h = dlopen(path, RTLD_LAZY | RTLD_NOLOAD) else { return nil }
        defer { dlclose(h) }
        func definedHere(_ name: String) -> Bool {
            guard let s = dlsym(h, name) else { return false }
            return UInt(omp_shim_object_base(s)) == base
        }
        if definedHere("__kmpc_fork_call") { return .kmp }
        if definedHere("GOMP_parallel") { return .gnu }
        return nil
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
#else
struct MappedRuntimes {
    // macOS: the dyld image list would be walked here (_dyld_image_count); not built on Linux.
    mutating func scan() -> [(RuntimeFamily, String)] { [] }
}
#endif
