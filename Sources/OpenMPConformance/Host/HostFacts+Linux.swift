#if os(Linux)
import Foundation
import _OpenMPShims

extension HostFacts {
    /// This host: `/etc/os-release`, `uname`, glibc's version, `/proc/cpuinfo`.
    public static var current: HostFacts {
        var osName = "unknown", osID = "unknown", osVersion = ""
        if let text = try? String(contentsOfFile: "/etc/os-release", encoding: .utf8) {
            let f = osRelease(text)
            osName = f["PRETTY_NAME"] ?? osName
            osID = f["ID"] ?? osID
            osVersion = f["VERSION_ID"] ?? ""
        }
        let (arch, kernel) = uname()
        var cpu = "unknown"
        if let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
           let line = info.split(separator: "\n").first(where: { $0.hasPrefix("model name") }),
           let colon = line.firstIndex(of: ":") {
            cpu = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return HostFacts(platform: .linux, osName: osName, osID: osID, osVersion: osVersion, arch: arch, kernel: kernel,
                         libc: "glibc" + String(cString: omp_shim_libc_version()), cpu: cpu)
    }

    /// `KEY=value` lines of os-release(5), quotes removed.
    static func osRelease(_ text: String) -> [String: String] {
        var f: [String: String] = [:]
        for l in text.split(separator: "\n") {
            let kv = l.split(separator: "=", maxSplits: 1).map(String.init)
            if kv.count == 2 { f[kv[0]] = kv[1].trimmingCharacters(in: CharacterSet(charactersIn: "\"'")) }
        }
        return f
    }
}

extension BLASKernel {
    /// This CPU's flags, from `/proc/cpuinfo`.
    static func currentCPUFlags() -> Set<String> {
        cpuFlags(cpuinfo: try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8))
    }
}
#endif
