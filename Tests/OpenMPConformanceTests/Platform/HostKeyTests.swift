import Foundation
import Testing
@testable import OpenMPConformance

@Suite("Host keys from the platform's facts")
struct HostKeyTests {
    static let debian12 = """
    PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"
    NAME="Debian GNU/Linux"
    VERSION_ID="12"
    VERSION="12 (bookworm)"
    ID=debian
    """

    @Test("Linux: os-release ID and VERSION_ID's major, the architecture, the C library")
    func linux() {
        let f = HostFacts.linux(osRelease: Self.debian12, arch: "x86_64", kernel: "6.1.0", libc: "glibc2.36", cpu: "x")
        #expect(f.key == "debian12-x86_64-glibc2.36")
        #expect(f.osName == "Debian GNU/Linux 12 (bookworm)")
        let ubuntu = HostFacts.linux(osRelease: "ID=ubuntu\nVERSION_ID=\"24.04\"\n", arch: "aarch64", kernel: "6.8",
                                     libc: "glibc2.39", cpu: "x")
        #expect(ubuntu.key == "ubuntu24-aarch64-glibc2.39")
    }

    @Test("macOS: the major release from operatingSystemVersion, and the architecture", arguments: [
        (OperatingSystemVersion(majorVersion: 14, minorVersion: 5, patchVersion: 0), "arm64", "macos14-arm64", "14.5"),
        (OperatingSystemVersion(majorVersion: 15, minorVersion: 1, patchVersion: 0), "arm64", "macos15-arm64", "15.1"),
        (OperatingSystemVersion(majorVersion: 15, minorVersion: 1, patchVersion: 1), "x86_64", "macos15-x86_64", "15.1.1"),
        (OperatingSystemVersion(majorVersion: 10, minorVersion: 15, patchVersion: 7), "x86_64", "macos10.15-x86_64", "10.15.7"),
    ])
    func macOS(_ version: OperatingSystemVersion, _ arch: String, _ key: String, _ text: String) {
        let f = HostFacts.macOS(version: version, arch: arch, kernel: "24.1.0", cpu: "Apple M2")
        #expect(f.key == key)
        #expect(f.osVersion == text)
        #expect(f.osName == "macOS \(text)")
        #expect(f.libc == "libSystem")
    }

    @Test("this host's key is built from this host's facts")
    func current() {
        let f = HostFacts.current
        #expect(HostInfo.current().key == f.key)
        #expect(!f.key.contains("unknown"), "\(f)")
    }
}

extension OperatingSystemVersion: @retroactive CustomTestStringConvertible {
    public var testDescription: String { "\(majorVersion).\(minorVersion).\(patchVersion)" }
}
