import Foundation

/// The doc's applicability table, its other claims and the runtime profiles, expanded into
/// ``Cell``s: everything the kit will probe, each with the doc's prediction.
///
/// ```swift
/// let matrix = try Matrix.bundled(manifest: runtimesByName)
/// for cell in try matrix.selectFromEnvironment() {
///     guard let config = cell.configuration() else { continue }   // untestable here
///     let result = Verdicts.judge(cell, probe: await Probe.run(config))
/// }
/// ```
///
/// Data lives in `Matrices/` (see its README): `applicability.yaml`, `claims.yaml`, `profiles.yaml`.
public struct Matrix: Sendable {
    /// The applicability table's rows, in file order.
    package var rows: [Row]
    /// The doc's other claims, in file order.
    package var claims: [Claim]
    package var profiles: [Profile]
    /// The runtime names profiles may use.
    package var runtimes: [RuntimeDeclaration]
    package var predictions: PredictionTable
    /// Every cell, in a stable order: rows in file order, then claim probes in file order; a macOS
    /// cell is followed by its Linux analogue.
    package var cells: [Cell]
    /// The platform the cells were expanded for.
    package var host: Platform
    /// The Windows column (`windows-x86_64`): the Windows DLLs' names, the Windows profiles, and
    /// the cells of the rows and claim probes that make sense there (``WindowsExpander``), row
    /// `<row>@windows`. Kept apart from ``cells``: never in the host's counts.
    package var windowsRuntimes: [RuntimeDeclaration] = []
    package var windowsProfiles: [Profile] = []
    package var windowsCells: [Cell] = []
    /// The directory the data came from.
    package var directory: URL

    /// The three files a matrix directory holds.
    package static let fileNames = ["applicability.yaml", "claims.yaml", "profiles.yaml"]

    /// Loads and checks a matrix directory and expands it.
    ///
    /// - Parameters:
    ///   - manifest: the runtimes available on this host, by manifest name (a runtime absent from
    ///     it makes its cells untestable, with the reason).
    ///   - host: the platform to expand for; macOS-only cells are untestable elsewhere.
    /// - Throws: ``MatrixError`` at the `file:line:column` of the first problem.
    ///   - windows: the Windows DLLs and whether Wine can run them (``windowsCells`` are untestable
    ///     with the reason when it cannot).
    package static func load(directory: URL, manifest: [String: RuntimeRecord] = [:], host: Platform = .current,
                             windows: WindowsInputs = .none) throws(MatrixError) -> Matrix {
        let url = { (name: String) in directory.appendingPathComponent(name) }
        let loadedProfiles = try MatrixLoader.profiles(MatrixLoader.read(url("profiles.yaml")))
        let (decls, profiles) = (loadedProfiles.runtimes, loadedProfiles.profiles)
        let profileIDs = profiles.map(\.id)
        let (rows, table) = try MatrixLoader.applicability(MatrixLoader.read(url("applicability.yaml")), profileIDs: profileIDs)
        let (claims, refs) = try MatrixLoader.claims(MatrixLoader.read(url("claims.yaml")), profileIDs: profileIDs)

        let expander = Expander(host: host, manifest: manifest, declared: Dictionary(uniqueKeysWithValues: decls.map { ($0.name, $0) }),
                                profiles: profiles, table: table, fileExists: { FileManager.default.fileExists(atPath: $0) })
        let declared = Dictionary(uniqueKeysWithValues: decls.map { ($0.name, $0) })
        let hostKinds = Dictionary(uniqueKeysWithValues: profiles.map { ($0.id, $0.kind(declared: declared)) })
        let windowsExpander = WindowsExpander(
            profiles: loadedProfiles.windowsProfiles,
            declared: Dictionary(uniqueKeysWithValues: loadedProfiles.windowsRuntimes.map { ($0.name, $0) }),
            hostKinds: hostKinds, table: table, inputs: windows)
        var windowsCells: [Cell] = []
        var cells: [Cell] = []
        var origins: [String: SourceLocation] = [:]
        func add(_ new: [Cell], from loc: SourceLocation) throws(MatrixError) {
            for c in new {
                if let first = origins[c.id] {
                    throw MatrixError(loc, "cell id '\(c.id)' is produced twice (also by the entry at \(first))")
                }
                origins[c.id] = loc
                cells.append(c)
            }
        }
        for r in rows {
            let source = Expander.Source(row: r.id, origin: .row, platform: r.platform, device: r.device, fixNeeded: r.fixNeeded,
                                         workload: r.workload, expansion: r.expansion, tags: r.tags, location: r.location)
            try add(expander.cells(for: source), from: r.location)
            windowsCells += windowsExpander.cells(for: source)
        }
        for c in claims {
            guard let p = c.probe else { continue }
            let source = Expander.Source(row: c.id, origin: .claimProbe, platform: p.platform, device: p.device, fixNeeded: p.fixNeeded,
                                         workload: p.workload, expansion: p.expansion, tags: p.tags, location: c.location)
            try add(expander.cells(for: source), from: c.location)
            windowsCells += windowsExpander.cells(for: source)
        }

        // Evidence: every row a selector names must exist; every selector must pick at least one cell.
        let rowNames = Set(cells.map(\.row))
        for ref in refs where !cells.contains(where: { EvidenceSelector.row(ref.pattern, matches: $0, host: host) }) {
            throw MatrixError(ref.location, "no row, analogue row (<row>@linux) or claim probe matches '\(ref.pattern)' (known: \(rowNames.sorted().joined(separator: ", ")))")
        }
        var index: [String: Int] = [:]
        for (i, c) in cells.enumerated() { index[c.id] = i }
        for claim in claims {
            for s in claim.evidence {
                let picked = cells.filter { s.matches($0, host: host) }
                if picked.isEmpty { throw MatrixError(s.location, "this evidence selector of claim '\(claim.id)' selects no cell") }
                for c in picked where !cells[index[c.id]!].claims.contains(claim.id) { cells[index[c.id]!].claims.append(claim.id) }
            }
            if claim.probe != nil {
                for i in cells.indices where cells[i].origin == .claimProbe && cells[i].row == claim.id && !cells[i].claims.contains(claim.id) {
                    cells[i].claims.append(claim.id)
                }
            }
        }
        // The Windows column's evidence: the same selectors, read for Windows (EvidenceSelector.matchesWindows),
        // and a claim's own probe cells, unless the claim is about macOS's loader (as on Linux, where
        // its analogue cells run but are not its evidence).
        for i in windowsCells.indices {
            for claim in claims where claim.evidence.contains(where: { $0.matchesWindows(windowsCells[i], hostKinds: hostKinds) })
                || (claim.probe.map { $0.platform != .macos } ?? false && windowsCells[i].origin == .claimProbe
                    && windowsCells[i].row == claim.id + WindowsExpander.rowSuffix) {
                windowsCells[i].claims.append(claim.id)
            }
        }
        var m = Matrix(rows: rows, claims: claims, profiles: profiles, runtimes: decls, predictions: table, cells: cells,
                       host: host, directory: directory)
        m.windowsRuntimes = loadedProfiles.windowsRuntimes
        m.windowsProfiles = loadedProfiles.windowsProfiles
        m.windowsCells = windowsCells
        return m
    }

    /// Loads the kit's `Matrices/`.
    ///
    /// - Parameter root: a package root whose `Matrices/` to load; nil loads the library's own
    ///   copy (see `bundledDirectory()`), which needs no source tree.
    package static func bundled(root: URL? = nil, manifest: [String: RuntimeRecord] = [:], host: Platform = .current,
                                windows: WindowsInputs = .none) throws(MatrixError) -> Matrix {
        let directory: URL
        if let root {
            directory = root.appendingPathComponent("Matrices", isDirectory: true)
        } else if let d = bundledDirectory() {
            directory = d
        } else {
            throw MatrixError(file: #filePath, line: 1, column: 1,
                              message: "the library's copy of Matrices/ is missing (built without its resource) and no source tree is here; pass --matrix DIR")
        }
        return try load(directory: directory, manifest: manifest, host: host, windows: windows)
    }

    /// The kit's own `Matrices/`: the library's resource copy (``MatrixResources``), else the
    /// source tree's, else nil.
    package static func bundledDirectory() -> URL? {
        if let d = try? MatrixResources.directory() { return d }
        guard let root = packageRoot() else { return nil }
        let dir = root.appendingPathComponent("Matrices", isDirectory: true)
        return FileManager.default.fileExists(atPath: dir.path) ? dir : nil
    }

    /// The nearest directory at or above `path` that holds a `Package.swift`.
    package static func packageRoot(from path: String = #filePath) -> URL? {
        RuntimeCatalog.packageRoot(startingAt: path)
    }

    /// The cell with this id, if the matrix has one.
    package func cell(id: String) -> Cell? { cells.first { $0.id == id } }
    package func row(id: String) -> Row? { rows.first { $0.id == id } }
    package func claim(id: String) -> Claim? { claims.first { $0.id == id } }
    package func profile(id: String) -> Profile? { profiles.first { $0.id == id } }
}
