/// The catalog's runtime names the atlas measures by default (fixed across the kit:
/// provisioning writes them, the atlas and the answers read them). Copies are not axes of the
/// grid; each is the second file on its runtime's diagonal.
package enum AtlasCatalog {
    package struct Name: Sendable, Hashable {
        package var name: String
        /// For a copy: the runtime it is a second file of.
        package var copyOf: String?
    }

    package static let names: [Name] = [
        "gnu", "llvm13", "llvm14", "llvm15", "llvm16", "llvm19",
        "intel-2021", "intel-2023", "intel-2024", "intel", "intel-2026",
    ].map { Name(name: $0, copyOf: nil) } + [
        Name(name: "llvm14-copy", copyOf: "llvm14"),
        Name(name: "intel-copy", copyOf: "intel"),
    ]

    /// The default axes, in order.
    package static var axes: [String] { names.filter { $0.copyOf == nil }.map(\.name) }
}
