/// The Windows part of the pinned catalog: the OpenMP DLLs that Windows wheels ship, taken out
/// of pinned `win_amd64` wheels (`pip download --no-deps --only-binary=:all: --platform
/// win_amd64 --python-version 3.12`), a second file of one of them, and the Windows probe with
/// its Wine prefix. They are probed under Wine (the `windows-x86_64` platform) and recorded in
/// the manifest's `windows` list, never among the Linux runtimes.
///
/// Each DLL is pinned by the wheel's version and SHA-256 and by the DLL's own SHA-256; the
/// version resource (FileVersion) is recorded as read on 2026-12-06.
extension ProvisionCatalog {
    private typealias Wheel = ProvisionItem.WheelPin
    private typealias DLL = ProvisionItem.WindowsDLL

    /// A DLL kept out of a pinned `win_amd64` wheel, at `<name>/<file name of member>`.
    private static func dll(_ name: String, _ project: String, _ version: String, file: String, sha256: String, size: Int,
                            member: String, _ dll: DLL, fileSHA256: String) -> ProvisionItem {
        let pin = Wheel(project: project, version: version, file: file, sha256: sha256, size: size,
                        platforms: ["win_amd64"], pythonVersion: "3.12")
        let kept = member.split(separator: "/").last.map(String.init) ?? member
        return ProvisionItem(name: name, kind: .windowsDLL(pin, member: member, dll: dll), path: "\(name)/\(kept)",
                             fileSHA256: fileSHA256)
    }

    private static func intelDLL(_ name: String, version: String, sha256: String, size: Int, fileVersion: String,
                                 fileSHA256: String) -> ProvisionItem {
        dll(name, "intel-openmp", version, file: "intel_openmp-\(version)-py2.py3-none-win_amd64.whl", sha256: sha256, size: size,
            member: "intel_openmp-\(version).data/data/Library/bin/libiomp5md.dll",
            DLL(family: "kmp", vendor: "intel", release: version, version: "5.0.\(fileVersion)"), fileSHA256: fileSHA256)
    }

    private static func ctranslate2DLL(version: String, sha256: String, size: Int, fileVersion: String,
                                       fileSHA256: String) -> ProvisionItem {
        dll("win-ctranslate2-\(version)", "ctranslate2", version, file: "ctranslate2-\(version)-cp312-cp312-win_amd64.whl",
            sha256: sha256, size: size, member: "ctranslate2/libiomp5md.dll",
            DLL(family: "kmp", vendor: "intel", release: "\(fileVersion) (ctranslate2 \(version))", version: "5.0.\(fileVersion)"),
            fileSHA256: fileSHA256)
    }

    /// The Windows items, in manifest order (an original before its copy).
    static let windowsItems: [ProvisionItem] = [
        intelDLL("win-intel-2021", version: "2021.4.0",
                 sha256: "eef4c8bcc8acefd7f5cd3b9384dbf73d59e2c99fc56545712ded913f43c4a94f", size: 3_516_906, fileVersion: "20210804",
                 fileSHA256: "7dbe32d07a43996afbc109d3ef0d49c3a1ab1e14b10690323f53f1f3deb76dbb"),
        intelDLL("win-intel-2023", version: "2023.2.4",
                 sha256: "2d1e9696b3692fdf47e1a90067cdb72afc2e128f2d8e6934b1b0db638d03dc33", size: 4_547_105, fileVersion: "20231107",
                 fileSHA256: "a79ad10b77b139d6fe30f579992f744196c4beec13fc73b54fe600ca028522bf"),
        intelDLL("win-intel-2024", version: "2024.2.1",
                 sha256: "b1fb47eefc6cbc2358216684dd87bd2315464e6d29ac84f9313819fe1528d969", size: 3_602_212, fileVersion: "20240320",
                 fileSHA256: "7f37e24b28383b21a06a198927c3adda2f0e3a780d553922b3819220e84f7615"),
        intelDLL("win-intel-2025", version: "2025.2.1",
                 sha256: "ac69973d6c489ec3697bb320ccce0b274de4462f463e5ea0f078abbcbb933e09", size: 34_021_986, fileVersion: "20250422",
                 fileSHA256: "d9d66ed25f1a0ea725fa3a41b22cfd5d182c19dbe4771d9c90ca02ad7466f6a1"),
        intelDLL("win-intel-2026", version: "2026.2.0",
                 sha256: "0fcd60701d6dcf8f17cd40c9733d7046ff3b82921a0a039bea2e6a68fb12c152", size: 23_199_644, fileVersion: "20260828",
                 fileSHA256: "b0d2c2beac01b5c2d0f74912cb3e5bc50ab0b060d9d5ceb62b76fdfa690ceec5"),
        ctranslate2DLL(version: "4.4.0",
                       sha256: "3b39c69ecd2f3a71de37b0bcc911416d570c47e4456434a961846359df01b0ba", size: 19_328_235,
                       fileVersion: "20221004", fileSHA256: "0b63b72e3db22583c64f21f4675738152adf9674b3c47011a7acb4744dc7d992"),
        ctranslate2DLL(version: "4.8.5",
                       sha256: "16b1478f9dccd3c6eedb7a1b2e23cb2a41f03976266b71afa1bd9019df7c7014", size: 20_407_486,
                       fileVersion: "20250910", fileSHA256: "982233366b0afcda1e0f55a0b134097e35b779613f54ddb69e685e6cd06b755f"),
        dll("win-vcomp140", "msvc-runtime", "14.51.36231", file: "msvc_runtime-14.51.36231-cp312-cp312-win_amd64.whl",
            sha256: "89f70d1a37bb64164cdb09d02dd82d6b1400e1310be2995b4ed5a9f23efe2222", size: 2_052_033,
            member: "msvc_runtime-14.51.36231.data/data/vcomp140.dll",
            DLL(family: "vcomp", vendor: "microsoft", release: "14.51.36247", version: "14.51.36247.0"),
            fileSHA256: "95d4ce4a6802d1e18b5e0e1722cc30ea72ca7e033f83828f05c0b7b993fe7cbf"),
        // torch 2.15.0 ships intel-openmp 2026.2.0's libiomp5md.dll byte for byte: a second file of it.
        ProvisionItem(name: "win-intel-2026-copy", kind: .windowsCopy(of: "win-intel-2026"),
                      path: "win-intel-2026-copy/libiomp5md.dll"),
        ProvisionItem(name: "win-probe", kind: .wineProbe, path: "wine-probe/omp-probe-windows.exe"),
    ]
}
