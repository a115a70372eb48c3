/// The catalog's runtime names the atlas measures by default (fixed across the kit:
/// provisioning writes them, the atlas and the answers read them). Copies are not axes of the
/// grid; each is the second file on its runtime's diagonal.
///
/// Two registration generations are on the axes (see ``AtlasRuntimesRan``): LLVM 9 and 11
/// (Debian bullseye) and Intel 2018 and 2019 register through the environment variable
/// `__KMP_REGISTERED_LIB_<pid>` only; LLVM 13 and later and Intel 2021 and later through shared
/// memory. A pair across the two generations starts both runtimes without Error #15 ("runs,
/// two runtimes undetected"); a pair within one generation aborts. LLVM 17 and 18 (trixie)
/// are listed in the provisioning catalog as excluded (glibc 2.38), not as axes.
package enum AtlasCatalog {
    package struct Name: Sendable, Hashable {
        package var name: String
        /// For a copy: the runtime it is a second file of.
        package var copyOf: String?
    }

    package static let names: [Name] = [
        "gnu", "llvm9", "llvm11", "llvm13", "llvm14", "llvm15", "llvm16", "llvm19",
        "intel-2018", "intel-2019", "intel-2021", "intel-2023", "intel-2024", "intel", "intel-2026",
    ].map { Name(name: $0, copyOf: nil) } + [
        Name(name: "llvm14-copy", copyOf: "llvm14"),
        Name(name: "intel-copy", copyOf: "intel"),
    ]

    /// The default axes, in order.
    package static var axes: [String] { names.filter { $0.copyOf == nil }.map(\.name) }
}
