import Foundation

/// What the platform says about this host, before it becomes a ``HostInfo``. Read by
/// `HostFacts+Linux.swift` / `HostFacts+Darwin.swift`; injectable, so the key is testable
/// for any platform on any platform.
package struct HostFacts: Sendable, Hashable {
    package enum Platform: String, Sendable, Hashable { case linux, macos }
    package var platform: Platform
    /// `PRETTY_NAME` (Linux) or `macOS 15.1` (macOS).
    package var osName: String
    /// `ID` (Linux, e.g. `debian`) or `macos`.
    package var osID: String
    /// `VERSION_ID` (Linux, e.g. `12`) or `ProcessInfo.operatingSystemVersion` as text (`15.1`).
    package var osVersion: String
    /// The process's architecture as `uname -m` gives it (`x86_64`, `aarch64`, `arm64`).
    package var arch: String
    package var kernel: String
    /// `glibc2.36` or `libSystem`.
    package var libc: String
    package var cpu: String

    package init(platform: Platform, osName: String, osID: String, osVersion: String, arch: String,
                kernel: String, libc: String, cpu: String) {
        self.platform = platform; self.osName = osName; self.osID = osID; self.osVersion = osVersion
        self.arch = arch; self.kernel = kernel; self.libc = libc; self.cpu = cpu
    }

    /// The key that names this host's baselines and atlas: `debian12-x86_64-glibc2.36` on
    /// Linux (the C library decides what loads), `macos15-arm64` on macOS (libSystem ships
    /// with the OS, so the major release says it). macOS 10.x keeps its minor: `macos10.15-x86_64`.
    package var key: String {
        let parts = osVersion.split(separator: ".").map(String.init)
        let major = parts.first ?? osVersion
        switch platform {
        case .linux:
            return "\(osID)\(major)-\(arch)-\(libc)"
        case .macos:
            let release = major == "10" && parts.count > 1 ? "10.\(parts[1])" : major
            return "macos\(release)-\(arch)"
        }
    }

    /// Linux facts from the text of `/etc/os-release` and the rest as read.
    package static func linux(osRelease text: String, arch: String, kernel: String, libc: String, cpu: String) -> HostFacts {
        let f = osRelease(text)
        return HostFacts(platform: .linux, osName: f["PRETTY_NAME"] ?? "unknown", osID: f["ID"] ?? "unknown",
                         osVersion: f["VERSION_ID"] ?? "", arch: arch, kernel: kernel, libc: libc, cpu: cpu)
    }

    /// macOS facts from `ProcessInfo.operatingSystemVersion` and the rest as read.
    package static func macOS(version: OperatingSystemVersion, arch: String, kernel: String, cpu: String) -> HostFacts {
        let text = versionText(version)
        return HostFacts(platform: .macos, osName: "macOS \(text)", osID: "macos", osVersion: text, arch: arch,
                         kernel: kernel, libc: "libSystem", cpu: cpu)
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

    /// `14.5.0` style text for an `OperatingSystemVersion`, without a zero patch (`14.5`).
    package static func versionText(_ v: OperatingSystemVersion) -> String {
        v.patchVersion == 0 ? "\(v.majorVersion).\(v.minorVersion)" : "\(v.majorVersion).\(v.minorVersion).\(v.patchVersion)"
    }
}

extension HostInfo {
    /// Reads this host: the OS (platform files), the CPU, the BLAS kernel the probes use,
    /// and the given runtimes.
    package static func current(runtimes: [RuntimeRecord] = []) -> HostInfo {
        HostInfo(facts: .current, runtimes: runtimes)
    }

    package init(facts f: HostFacts, runtimes: [RuntimeRecord] = [], blas: BLASInfo? = nil) {
        self.init(key: f.key, os: f.osName, osID: f.osID, osVersion: f.osVersion, arch: f.arch, kernel: f.kernel,
                  libc: f.libc, cpu: f.cpu, cores: ProcessInfo.processInfo.activeProcessorCount,
                  blas: blas ?? HostEnvironment.shared.blas, runtimes: runtimes)
    }
}

extension HostFacts {
    /// `uname(2)`: the machine and the kernel release.
    static func uname() -> (machine: String, release: String) {
        var u = utsname()
        _ = Foundation.uname(&u)
        func field<T>(_ v: T) -> String {
            withUnsafeBytes(of: v) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        }
        return (field(u.machine), field(u.release))
    }
}
