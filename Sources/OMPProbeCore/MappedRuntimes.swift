#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import _OpenMPShims

/// Finds the OpenMP runtimes mapped in this process: the platform file lists the loaded
/// objects (`MappedRuntimes+Linux.swift`: `/proc/self/maps`; `MappedRuntimes+Darwin.swift`:
/// dyld's image list), and each is asked, by its own exported symbols, whether it is one.
struct MappedRuntimes {
    private var classified: [String: RuntimeFamily?] = [:]
    /// Every OpenMP runtime seen so far, in the order first seen, with where it is mapped.
    private(set) var seen: [(family: RuntimeFamily, path: String, base: UInt)] = []

    /// Newly seen OpenMP runtimes since the last call, as (family, path).
    mutating func scan() -> [(RuntimeFamily, String)] {
        var found: [(RuntimeFamily, String)] = []
        for (path, base) in Self.mappedObjects() where classified[path] == nil {
            let fam = Self.family(of: path, base: base)
            classified[path] = .some(fam)
            if let fam { found.append((fam, path)); seen.append((fam, path, base)) }
        }
        return found
    }

    /// Whether the object mapped at `base` defines `symbol` itself.
    static func defines(_ symbol: String, path: String, base: UInt) -> Bool {
        guard let h = dlopen(path, RTLD_LAZY | RTLD_NOLOAD) else { return false }
        defer { dlclose(h) }
        guard let s = dlsym(h, symbol) else { return false }
        return UInt(omp_shim_object_base(s)) == base
    }

    /// The family of an object already mapped at `base`, or nil when it is not an OpenMP runtime.
    /// A symbol counts only when it is defined in that object itself, not in a dependency.
    static func family(of path: String, base: UInt) -> RuntimeFamily? {
        if defines("__kmpc_fork_call", path: path, base: base) { return .kmp }
        if defines("GOMP_parallel", path: path, base: base) { return .gnu }
        return nil
    }
}
