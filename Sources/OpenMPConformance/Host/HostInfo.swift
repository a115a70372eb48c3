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

/// One OpenMP runtime known to the kit: provisioned, discovered, or named by a profile.
public struct RuntimeRecord: Codable, Sendable, Hashable {
    /// Manifest name, e.g. `llvm14`, `llvm16`, `intel`, `gnu`, `llvm14-copy`.
    public var name: String
    /// The runtime file.
    public var path: String
    /// `kmp`, `gnu`, or `unknown`, from exported symbols.
    public var family: String
    /// The version the catalog records for it.
    public var version: String
    /// Where it came from, e.g. `apt:libomp5-14=1:14.0.6-12`, `pypi:intel-openmp==2025.2.1`.
    package var source: String
    package var sha256: String
    /// `llvm`, `intel` or `gnu`, from the banner (optional: older manifests lack it).
    package var vendor: String?
    /// The release, e.g. `16.0.6`, `2025.2.1`, `12.2.0`; see ``releaseSource``.
    package var release: String?
    /// Where ``release`` came from: `debian-package` (the package version), `wheel-version`
    /// (the wheel's version) or `banner` (the runtime's own build strings).
    package var releaseSource: String?
    /// The banner or build string the runtime was identified by.
    package var banner: String?
    /// For a copy: the name of the runtime whose bytes it repeats.
    package var copyOf: String?
    package init(name: String, path: String, family: String, version: String, source: String, sha256: String,
                vendor: String? = nil, release: String? = nil, releaseSource: String? = nil, banner: String? = nil,
                copyOf: String? = nil) {
        self.name = name; self.path = path; self.family = family; self.version = version
        self.source = source; self.sha256 = sha256
        self.vendor = vendor; self.release = release; self.releaseSource = releaseSource; self.banner = banner
        self.copyOf = copyOf
    }
}
