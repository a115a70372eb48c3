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
    ///
    /// - Throws: `ProbeExecutable.NotFound` when no probe binary is found (see
    ///   `ProbeExecutable`), and ``RuntimesNotProvisioned`` when the manifest is missing, or lacks a runtime
    ///   the matrix names (or its file), so that one failure, naming the provision command,
    ///   stands for all the cells instead of one per cell. Runtimes the provisioner recorded as
    ///   not for this host leave their cells untestable, with that reason.
    public static func bundledForTesting() throws -> [Cell] {
        let catalog: RuntimeCatalog
        do { catalog = try RuntimeCatalog() } catch { throw RuntimesNotProvisioned(error) }
        let manifest = Dictionary(catalog.runtimes.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        let m = try Matrix.bundled(manifest: manifest)
        var missing: [String] = []
        for p in m.profiles {
            for case .named(let name) in [p.framework, p.index] where !missing.contains(name) {
                if let r = manifest[name] {
                    if !FileManager.default.fileExists(atPath: r.path) { missing.append("\(name) (\(r.path) is gone)") }
                } else if let reason = catalog.manifest.notProvisionedReason(name) {
                    if !reason.hasPrefix("not for this host") { missing.append("\(name) (\(reason))") }
                } else {
                    missing.append(name)
                }
            }
        }
        if !missing.isEmpty {
            throw RuntimesNotProvisioned(detail: "\(catalog.manifestURL.path) lacks \(missing.joined(separator: ", "))")
        }
        let cells = try m.selectFromEnvironment()
        // One failure naming the build command, rather than a launch failure per cell.
        if cells.contains(where: { $0.testability.reason == nil }) { _ = try ProbeExecutable.locate() }
        return cells
    }
}

/// The runtimes the bundled matrix needs are not provisioned: one error for the whole matrix.
public struct RuntimesNotProvisioned: Error, CustomStringConvertible {
    /// What is missing: the manifest, or the runtimes it lacks.
    public var detail: String
    package init(detail: String) { self.detail = detail }
    /// From the error that loading the catalog gave.
    package init(_ error: any Error) {
        if case RuntimeManifestError.missing(let path)? = error as? RuntimeManifestError {
            detail = "there is no \(path)"
        } else {
            detail = "\(error)"
        }
    }
    public var description: String {
        "OpenMP runtimes not provisioned: \(detail). Run `swift run omp-matrix provision` in this package "
            + "(a clone of the kit: bash Scripts/provision-runtimes.sh); it fills the per-user cache once for every package."
    }
}
