/// The small check the kit makes before it hands a DLL to Wine or records it: a PE32+ image
/// for x86-64 that is a DLL, and whether its bytes hold the export names of an OpenMP runtime.
/// The full reader (imports, exports, version resource) is `PEFile`; this one only refuses
/// what Wine must never be given.
package enum PEQuickCheck {
    /// Nil when `bytes` is a PE32+ x86-64 DLL, else why not.
    package static func problem(_ bytes: UnsafeRawBufferPointer) -> String? {
        func u16(_ o: Int) -> Int? { o >= 0 && o + 2 <= bytes.count ? Int(bytes.loadUnaligned(fromByteOffset: o, as: UInt16.self).littleEndian) : nil }
        func u32(_ o: Int) -> Int? { o >= 0 && o + 4 <= bytes.count ? Int(bytes.loadUnaligned(fromByteOffset: o, as: UInt32.self).littleEndian) : nil }
        guard u16(0) == 0x5A4D, let lfanew = u32(0x3C) else { return "is not a PE file (no MZ header)" }
        guard u32(lfanew) == 0x0000_4550 else { return "is not a PE file (no PE signature at offset \(lfanew))" }
        guard let machine = u16(lfanew + 4), let characteristics = u16(lfanew + 22), let magic = u16(lfanew + 24) else {
            return "is a truncated PE file"
        }
        guard magic == 0x20B else { return magic == 0x10B ? "is a 32-bit (PE32) image, not x86-64" : "has an unknown optional header (magic \(magic))" }
        guard machine == 0x8664 else { return "is a PE32+ image for machine 0x\(String(machine, radix: 16)), not x86-64 (0x8664)" }
        guard characteristics & 0x2000 != 0 else { return "is a PE executable, not a DLL" }
        return nil
    }

    /// The OpenMP family whose entry point names the bytes hold: `kmp` for `__kmpc_fork_call`,
    /// `vcomp` for `_vcomp_fork`, nil for neither.
    package static func family(_ bytes: UnsafeRawBufferPointer) -> String? {
        if contains(bytes, "__kmpc_fork_call\0") { return "kmp" }
        if contains(bytes, "_vcomp_fork\0") { return "vcomp" }
        return nil
    }

    static func contains(_ bytes: UnsafeRawBufferPointer, _ needle: String) -> Bool {
        let n = Array(needle.utf8)
        guard bytes.count >= n.count, let first = n.first else { return false }
        var i = 0
        let end = bytes.count - n.count
        while i <= end {
            if bytes[i] == first {
                var j = 1
                while j < n.count && bytes[i + j] == n[j] { j += 1 }
                if j == n.count { return true }
            }
            i += 1
        }
        return false
    }
}
