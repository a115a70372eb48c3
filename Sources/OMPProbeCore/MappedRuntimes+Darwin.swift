#if canImport(Darwin)
import Darwin
import _OpenMPShims

extension MappedRuntimes {
    /// Each image dyld has loaded, with its Mach-O header address (what `dladdr` reports
    /// as the object's base), through the shim (`_dyld_image_count`, `_dyld_get_image_name`,
    /// `_dyld_get_image_header`).
    static func mappedObjects() -> [(String, UInt)] {
        let n = omp_shim_image_count()
        guard n > 0 else { return [] }
        var out: [(String, UInt)] = []
        for i in 0..<UInt32(n) {
            guard let name = omp_shim_image_name(i) else { continue } // unloaded since the count
            out.append((String(cString: name), UInt(omp_shim_image_base(i))))
        }
        return out
    }
}
#endif
