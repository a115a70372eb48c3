#if canImport(Darwin)
import Foundation
import _OpenMPShims

extension HostFacts {
    /// This host: `ProcessInfo.operatingSystemVersion`, `uname`, and the CPU's name
    /// (sysctl `machdep.cpu.brand_string`, through the shim).
    package static var current: HostFacts {
        let (arch, kernel) = uname()
        var buf = [CChar](repeating: 0, count: 256)
        let cpu = omp_shim_cpu_brand(&buf, buf.count) == 0 ? String(cString: buf) : "unknown"
        return .macOS(version: ProcessInfo.processInfo.operatingSystemVersion, arch: arch, kernel: kernel, cpu: cpu)
    }
}

extension BLASKernel {
    /// macOS: the probes use Accelerate, which chooses its own kernels; no flags to read.
    static func currentCPUFlags() -> Set<String> { [] }
}
#endif
