import Foundation

/// Chooses the OpenBLAS kernel for probes.
///
/// Debian's OpenBLAS picks its kernel by CPU model; on some virtualized CPUs it falls back
/// to an old one (`Prescott`) that is several times slower than what the CPU's flags allow.
/// The kit reads the flags, and when OpenBLAS's own guess is older, sets `OPENBLAS_CORETYPE`
/// for the probes and records that it did. A value already in the environment is respected
/// as it is: some hosts set it on purpose. The parallel-vs-serial checks stay on either way,
/// so a kernel that computes wrong results still shows as `wrong-result`.
package enum BLASKernel {
    /// Kernels by capability, oldest first (OpenBLAS 0.3.21 DYNAMIC_ARCH names, x86_64).
    static let tiers: [(name: String, rank: Int)] = [
        ("Prescott", 1), ("Atom", 1), ("Core2", 2), ("Penryn", 3), ("Dunnington", 3), ("Nehalem", 4),
        ("Opteron", 2), ("Opteron_SSE3", 2), ("Barcelona", 3), ("Bobcat", 3),
        ("Sandybridge", 5), ("Bulldozer", 5), ("Piledriver", 5), ("Steamroller", 5), ("Excavator", 5),
        ("Haswell", 6), ("Zen", 6), ("SkylakeX", 7), ("Cooperlake", 8), ("SapphireRapids", 9),
    ]

    static func rank(_ name: String) -> Int? {
        tiers.first { $0.name.lowercased() == name.lowercased() }?.rank
    }

    /// The best kernel these `/proc/cpuinfo` flags support, or nil when none is known.
    package static func best(forFlags flags: Set<String>) -> String? {
        let avx512 = ["avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl"].allSatisfy(flags.contains)
        if avx512 && flags.contains("avx512_bf16") { return "Cooperlake" }
        if avx512 { return "SkylakeX" }
        if flags.contains("avx2") && flags.contains("fma") { return "Haswell" }
        if flags.contains("avx") { return "Sandybridge" }
        return nil
    }

    package static func cpuFlags(cpuinfo: String?) -> Set<String> {
        guard let text = cpuinfo else { return [] }
        for line in text.split(separator: "\n") where line.hasPrefix("flags") {
            if let colon = line.firstIndex(of: ":") {
                return Set(line[line.index(after: colon)...].split(separator: " ").map(String.init))
            }
        }
        return []
    }

    /// Decides the kernel: returns the override to apply (if any) and the record.
    package static func decide(environment: [String: String], guess: () -> String?) -> (override: [String: String], info: HostInfo.BLASInfo) {
        if let set = environment["OPENBLAS_CORETYPE"], !set.isEmpty {
            return ([:], .init(corename: set, source: "environment"))
        }
        let g = guess() ?? "unknown"
        // macOS: the probes call Accelerate, which picks its kernels itself; no override applies.
        if g == "accelerate" { return ([:], .init(corename: g, source: "accelerate")) }
        let best = best(forFlags: currentCPUFlags())
        if let best, let rb = rank(best), let rg = rank(g), rg < rb {
            return (["OPENBLAS_CORETYPE": best], .init(corename: best, source: "cpu-flags", openblasGuess: g, cpuFlagsBest: best))
        }
        return ([:], .init(corename: g, source: "openblas", openblasGuess: g, cpuFlagsBest: best))
    }
}
