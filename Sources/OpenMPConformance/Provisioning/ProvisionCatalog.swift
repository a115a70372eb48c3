/// The pinned catalog `omp-matrix provision` puts in the runtimes directory: every runtime the
/// matrix and the atlas name, and the wheels read statically.
///
/// Every download is pinned by version and SHA-256 (of the `.deb` or the wheel, checked before
/// use) and every unpacked runtime by the SHA-256 of the file itself. The names are a contract
/// shared with the matrix profiles and the atlas; never rename one.
///
/// What a first run downloads (bytes, from the pins): see `ProvisionCatalog/downloadSize`.
package enum ProvisionCatalog {
    private typealias Deb = ProvisionItem.DebianPin
    private typealias Wheel = ProvisionItem.WheelPin

    private static func llvm(_ major: Int, package: String? = nil, version: String, suite: String? = nil, sha256: String,
                             size: Int, fileSHA256: String, excluded: String? = nil) -> ProvisionItem {
        let member = "usr/lib/llvm-\(major)/lib/libomp.so.5"
        return ProvisionItem(
            name: "llvm\(major)",
            kind: .debian(Deb(package: package ?? "libomp5-\(major)", version: version, sha256: sha256, size: size,
                              member: member, suite: suite)),
            path: "llvm\(major)/\(member)", fileSHA256: fileSHA256, excluded: excluded)
    }

    /// Why LLVM 17 and 18 are listed but not provisioned. Debian ships them only in trixie,
    /// built against glibc 2.38 (`GLIBC_2.38` symbol versions); this host's glibc is older, so
    /// `dlopen` fails. Run by hand through trixie's own ld.so and libc 2.41 (unpacked from
    /// trixie's libc6, never installed, `ld-linux-x86-64.so.2 --library-path …`) the probe does
    /// run them (LLVM 17 then 16: Error #15; LLVM 17 or 18 with LLVM 11: both start), but the
    /// kit's probes do not launch through another loader and glibc, and a cell run that way
    /// would not be the same process as the rest of the atlas: they stay out until it does.
    static let needsNewerGlibc = "needs glibc 2.38 (Debian trixie's build); this kit's probes run on the host's glibc"

    private static func intel(_ name: String, version: String, platform: String, sha256: String, size: Int,
                              fileSHA256: String) -> ProvisionItem {
        let file = "intel_openmp-\(version)-py2.py3-none-\(platform).whl"
        let pin = Wheel(project: "intel-openmp", version: version, file: file, sha256: sha256, size: size,
                        platforms: [platform], pythonVersion: "3.11")
        return ProvisionItem(name: name, kind: .wheelLibrary(pin, member: "intel_openmp-\(version).data/data/lib/libiomp5.so"),
                             path: "\(name)/libiomp5.so", fileSHA256: fileSHA256)
    }

    /// Debian 12's libomp 14, the one the system package `libomp-dev` installs.
    private static let libomp14 = Deb(
        package: "libomp5-14", version: "1:14.0.6-12",
        sha256: "348a9d81c23fe7f2b632c44345bf0c1dfdefe40144e7684a07678755a3deaec9", size: 383_468,
        member: "usr/lib/llvm-14/lib/libomp.so.5")

    /// Every item, in the order the manifest lists them (an original before its copies).
    package static let items: [ProvisionItem] = addingMacOS(to: [
        ProvisionItem(name: "gnu", kind: .system(path: "/usr/lib/x86_64-linux-gnu/libgomp.so.1", package: "libgomp1", fallback: nil),
                      path: "/usr/lib/x86_64-linux-gnu/libgomp.so.1"),
        // The registration generations (see AtlasCatalog): LLVM 9 and 11 and Intel 2018 and
        // 2019 register through an environment variable only, LLVM 13+ and Intel 2021+ through
        // shared memory. Debian ships LLVM 9 and 11 in bullseye only: a private apt source.
        llvm(9, version: "1:9.0.1-16.1", suite: "bullseye",
             sha256: "bae1f2d53730023cc72007ee2f10e43fb3085fe10bd61842409ecd03e20b4673",
             size: 334_528, fileSHA256: "fd45c1de057abc04f115cdd57ef5eea24758ca5b5c364320fe48097705cbf36d"),
        llvm(11, version: "1:11.0.1-2", suite: "bullseye",
             sha256: "69b887ebf7320a66a0a3a919f4ad27542c053a81fc028afebd8271c8ec9c6c75",
             size: 346_456, fileSHA256: "62c5cca360b6e6852d3d3334568e131f8376ae89c9f2e3a853183349814e56b9"),
        llvm(13, version: "1:13.0.1-11+b2", sha256: "47eefe72866118ddc42c26328533283911c0d5aee5aebf4dec504963592a22db",
             size: 358_316, fileSHA256: "237f13c63120006944188ae14c525a82bb7312ff9b94b4bb6420da364c9d2826"),
        ProvisionItem(name: "llvm14", kind: .system(path: "/usr/lib/llvm-14/lib/libomp.so.5", package: "libomp5-14", fallback: libomp14),
                      path: "/usr/lib/llvm-14/lib/libomp.so.5"),
        llvm(15, version: "1:15.0.6-4+b1", sha256: "4c6ec1fc89b93d1c401be9043971cdbaf747445bfc886f5672ebf1dc6d0874d5",
             size: 478_284, fileSHA256: "0083a0ef769b0f9bcece7845e3d87e157fd469c4e91adfb7e38cd7d62a6662eb"),
        llvm(16, version: "1:16.0.6-15~deb12u1", sha256: "bb0373aaacb5a4f22ae136e4eb1ee985082e777fe154d8a52cb3f288580ee85a",
             size: 587_512, fileSHA256: "6280721703b4428ffd12f4e5aa323ac7badd9c3c4cc320965ce0176a38fb61f2"),
        llvm(17, package: "libomp5-17t64", version: "1:17.0.6-22+b2", suite: "trixie",
             sha256: "832808cd2d702f74c5c36cd02c167ee62dbae5e0b1daf42d7a700a63cd39e1d2", size: 565_344,
             fileSHA256: "14d7a8110e955819e7a1cdcd8e4310193ccde6eb3cab20039f18688d7e40918f", excluded: needsNewerGlibc),
        llvm(18, version: "1:18.1.8-18+b1", suite: "trixie",
             sha256: "76728b161476589d4bc56f19acd9d3b08f123c99c9f4fbff7c6ead5a9c78d287", size: 610_412,
             fileSHA256: "0d8cdcb72933d2d29c3ecefd7aa5e89d2de61c33b626bf6ec27e8edd548d5979", excluded: needsNewerGlibc),
        llvm(19, version: "1:19.1.7-3~deb12u1", sha256: "b994122e353bda568e0bd64e1c12b580c61b7b93bc3141f79407e6bf58642335",
             size: 640_968, fileSHA256: "a325b385161f49ce5593f1f341fe30c6f9c95a22502855ad7c3b1a83c93397bd"),
        intel("intel-2018", version: "2018.0.3", platform: "manylinux1_x86_64",
              sha256: "53213d2583662c1a38b9d19d9cdcc63a065283b7f8616b5db63726a7c35a3822", size: 714_557,
              fileSHA256: "63374374ff4d14e9fea59c8bbdcffac1a7201f88c9938815823d788a44a52436"),
        intel("intel-2019", version: "2019.0", platform: "manylinux1_x86_64",
              sha256: "cf200f136a7b582254179a0452aaca580c8b19471b3ef2efd374df90c33cd927", size: 729_645,
              fileSHA256: "13fdec814b59c12de8d74e6a83de194082de18d871812e33a6d8a5c44b85bdae"),
        intel("intel-2021", version: "2021.4.0", platform: "manylinux1_x86_64",
              sha256: "e2240ab8d01472fed04f3544a878cda5da16c26232b7ea1b59132dbfb48b186e", size: 9_946_392,
              fileSHA256: "1b715c7feba2dbd327b4cb73ab138039629f657bfc57451d16628a0961d02828"),
        intel("intel-2023", version: "2023.2.4", platform: "manylinux1_x86_64",
              sha256: "15c601fce77757142fdbda700ca158895ceaf972230dc27c89ee4aa90b26f79f", size: 20_248_303,
              fileSHA256: "82f48c515121c7b3c70aaa1914e375cb6db39c78d877d7e75271af49778e707e"),
        intel("intel-2024", version: "2024.2.1", platform: "manylinux1_x86_64",
              sha256: "21892ea07a9c6e164707d2b44e6f396f9f2ab6cc7e108755011fad59b596182a", size: 29_565_156,
              fileSHA256: "9c6d353bb4a555cb82bcf6baff47c0a019f994abfafa18e3d6ec073dedc3a606"),
        intel("intel", version: "2025.2.1", platform: "manylinux_2_28_x86_64",
              sha256: "4656e8e864998db776dbb6d045067f75c227f78c72943e07e15b0d1d65ff45c2", size: 73_411_361,
              fileSHA256: "31023e22f5705be758d3c4460674b6766f4b6c0b223a2ad5f9ca3e2bb2a82fe9"),
        intel("intel-2026", version: "2026.2.0", platform: "manylinux_2_28_x86_64",
              sha256: "2308a1a3e74718a9cd8cccf218c34d8cd80b43d3b89dfbb01b38dee205c50980", size: 50_322_489,
              fileSHA256: "7d4777c0bf44310fdbd85db70e5e8a7b1e048b0c7bb20f03b54279223a3fb728"),
        ProvisionItem(name: "llvm14-copy", kind: .copy(of: "llvm14"), path: "vendored/libomp.so.5"),
        ProvisionItem(name: "intel-copy", kind: .copy(of: "intel"), path: "intel-copy/libiomp5.so"),
        wheel("faiss-cpu", Wheel(project: "faiss-cpu", version: "1.15.1",
                                 file: "faiss_cpu-1.15.1-cp310-abi3-manylinux_2_27_x86_64.manylinux_2_28_x86_64.whl",
                                 sha256: "f2c31b7f2f6647eb76829a5cfe3c398fb9346df9f26b1d4db35269c91eb58c33", size: 18_834_180,
                                 platforms: ["manylinux_2_28_x86_64"], pythonVersion: "3.11")),
        wheel("torch-macos-arm64", Wheel(project: "torch", version: "2.15.0",
                                         file: "torch-2.15.0-cp312-cp312-macosx_14_0_arm64.whl",
                                         sha256: "593e5fd0c204284890d1c3dff643be34e549e1d24523e13402510f960d4da438",
                                         size: 138_558_517, platforms: ["macosx_14_0_arm64"], pythonVersion: "3.12")),
        wheel("faiss-cpu-macos-arm64", Wheel(project: "faiss-cpu", version: "1.15.1",
                                             file: "faiss_cpu-1.15.1-cp310-abi3-macosx_14_0_arm64.whl",
                                             sha256: "ea9e12d540ca8ac0347b831d034c0f6d7ff5eed20523a247db44b3543ad2aad4",
                                             size: 4_987_669, platforms: ["macosx_14_0_arm64"], pythonVersion: "3.12")),
    ]) + windowsItems

    private static func wheel(_ name: String, _ pin: Wheel) -> ProvisionItem {
        ProvisionItem(name: name, kind: .wheel(pin), path: "wheels/\(pin.file)", linuxX86Only: false)
    }

    /// The item called `name`, or nil.
    package static func item(named name: String) -> ProvisionItem? { items.first { $0.name == name } }

    /// Every name, in catalog order.
    package static var names: [String] { items.map(\.name) }

    /// What a first run downloads on a host with the system packages installed (bytes).
    package static var downloadSize: Int {
        items.reduce(0) { total, item in
            if case .system = item.kind { return total }
            if item.excluded != nil { return total }
            return total + item.downloadSize
        }
    }
}
