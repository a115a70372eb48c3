import Foundation
import OpenMPConformance
import Testing

extension Cell: CustomTestStringConvertible {
    /// Test case names carry the cell id.
    public var testDescription: String { id }
}

extension Matrix {
    /// The bundled matrix's cells, resolved against the provisioned runtimes and narrowed by
    /// `OMP_CONFORMANCE_SELECT` (e.g. `row=linux-cpu-training,profile=intel+llvm`), since
    /// `swift test` cannot filter parameterized cases by tag.
    public static func bundledForTesting() throws -> [Cell] {
        let catalog = try RuntimeCatalog()
        let manifest = Dictionary(catalog.runtimes.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        let m = try Matrix.bundled(manifest: manifest)
        return try m.selectFromEnvironment()
    }
}
