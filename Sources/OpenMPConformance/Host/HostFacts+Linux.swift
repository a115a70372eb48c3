#if os(Linux)
import Foundation
import _OpenMPShims

extension HostFacts {
    /// This host: `/etc/os-release`, `uname`, glibc's version, `/proc/cpuinfo`.
    package static var current: HostFacts {
        let release = (try? String(contentsOfFile: "/etc/os-release", encoding: .utf8)) ?? ""
        let (arch, kernel) = uname()
        var cpu = "unknown"
        if let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
           let line = info.split(separator: "\n").first(where: { $0.hasPrefix("model name") }),
           let colon = line.firstIndex(of: ":") {
            cpu = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return .linux(osRelease: release, arch: arch, kernel: kernel,
                      libc: "glibc" + String(cString: omp_shim_libc_version()), cpu: cpu)
    }
}

extension BLASKernel {
    /// This CPU's flags, from `/proc/cpuinfo`.
    static func currentCPUFlags() -> Set<String> {
        cpuFlags(cpuinfo: try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8))
    }
}
#endif
