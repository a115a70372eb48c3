import OpenMPConformance
import OpenMPConformanceTesting
import Testing

/// Every cell of the bundled matrix, run on this host with a real probe — exactly what a
/// downstream package writes to opt in.
@Test("bundled matrix cell", .conformanceSummary, arguments: try Matrix.bundledForTesting())
func bundledMatrixCell(_ cell: Cell) async throws {
    try await Conformance.check(cell)
}
