/// The host a results file was measured on. `key` names a baseline, e.g.
/// `debian12-x86_64-glibc2.36`.
package struct HostInfo: Codable, Sendable, Hashable {
    /// The host key baselines and atlas snapshots are filed under, e.g. `debian12-x86_64-glibc2.36`.
    package var key: String
    /// The operating system's name and version, e.g. `Debian GNU/Linux 12 (bookworm)`.
    package var os: String
    package var osID: String
    package var osVersion: String
    package var arch: String
    package var kernel: String
    package var libc: String
    package var cpu: String
    package var cores: Int
    package var blas: BLASInfo
    package var runtimes: [RuntimeRecord]

    package init(key: String, os: String, osID: String, osVersion: String, arch: String, kernel: String,
                libc: String, cpu: String, cores: Int, blas: BLASInfo, runtimes: [RuntimeRecord]) {
        self.key = key; self.os = os; self.osID = osID; self.osVersion = osVersion; self.arch = arch
        self.kernel = kernel; self.libc = libc; self.cpu = cpu; self.cores = cores; self.blas = blas
        self.runtimes = runtimes
    }

    /// OpenBLAS's kernel for the probes, and where that choice came from.
    package struct BLASInfo: Codable, Sendable, Hashable {
        /// `openblas_get_corename()` in a probe.
        package var corename: String
        /// `environment` (OPENBLAS_CORETYPE was set by the user), `openblas` (its own guess),
        /// `cpu-flags` (the kit chose it because OpenBLAS guessed an older kernel), or
        /// `accelerate` (macOS: Accelerate chooses its own kernels).
        package var source: String
        /// OpenBLAS's own guess, when the kit overrode it.
        package var openblasGuess: String?
        /// The best kernel the CPU's flags support, as the kit reads them.
        package var cpuFlagsBest: String?
        package init(corename: String, source: String, openblasGuess: String? = nil, cpuFlagsBest: String? = nil) {
            self.corename = corename; self.source = source; self.openblasGuess = openblasGuess; self.cpuFlagsBest = cpuFlagsBest
        }
    }
}
