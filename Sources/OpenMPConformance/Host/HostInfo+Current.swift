import Foundation
import _OpenMPShims
#if canImport(Glibc)
import Glibc
#endif

extension HostInfo {
    /// Reads this host: `/etc/os-release`, `uname`, the C library's version, the CPU,
    /// the BLAS kernel the probes use, and the given runtimes.
    public static func current(runtimes: [RuntimeRecord] = []) -> HostInfo {
        var os = "unknown", osID = "unknown", osVersion = ""
        if let text = try? String(contentsOfFile: "/etc/os-release", encoding: .utf8) {
            var f: [String: String] = [:]
            for l in text.split(separator: "\n") {
                let kv = l.split(separator: "=", maxSplits: 1).map(String.init)
                if kv.count == 2 { f[kv[0]] = kv[1].trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }
            }
            os = f["PRETTY_NAME"] ?? os
            osID = f["ID"] ?? osID
            osVersion = f["VERSION_ID"] ?? ""
        }
        #if os(macOS)
        osID = "macos"
        osVersion = ProcessInfo.processInfo.operatingSystemVersionString
        #endif
        var u = utsname()
        uname(&u)
        func field<T>(_ v: T) -> String {
            withUnsafeBytes(of: v) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        }
        let arch = field(u.machine), kernel = field(u.release)
        #if canImport(Glibc)
        let libc = "glibc" + String(cString: omp_shim_libc_version())
        #else
        let libc = "libSystem"
        #endif
        var cpu = "unknown"
        if let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
           let line = info.split(separator: "\n").first(where: { $0.hasPrefix("model name") }),
           let colon = line.firstIndex(of: ":") {
            cpu = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let major = osVersion.split(separator: ".").first.map(String.init) ?? osVersion
        let key = "\(osID)\(major)-\(arch)-\(libc)"
        return HostInfo(key: key, os: os, osID: osID, osVersion: osVersion, arch: arch, kernel: kernel, libc: libc,
                        cpu: cpu, cores: ProcessInfo.processInfo.activeProcessorCount,
                        blas: HostEnvironment.shared.blas, runtimes: runtimes)
    }
}
