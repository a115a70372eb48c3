import ArgumentParser
import Foundation
import OpenMPConformance

/// Cell selection shared by `run` and `list`.
struct SelectionOptions: ParsableArguments {
    @Option(name: .customLong("row"), help: "Only cells of this applicability row or analogue (repeatable).")
    var rows: [String] = []
    @Option(name: .customLong("claim"), help: "Only cells that are evidence for this claim (repeatable).")
    var claims: [String] = []
    @Option(name: .customLong("profile"), help: "Only cells of this runtime profile (repeatable).")
    var profiles: [String] = []
    @Option(name: .customLong("env-mode"), help: "Only cells with this environment mode (repeatable).")
    var envModes: [String] = []
    @Option(name: .customLong("tag"), help: "Only cells with this tag (repeatable).")
    var tags: [String] = []
    @Option(help: ArgumentHelp("The matrix directory (default: the bundled Matrices/).", valueName: "dir"))
    var matrix: String?

    var summaryList: [String] {
        var s: [String] = []
        s += rows.map { "row=\($0)" }; s += claims.map { "claim=\($0)" }; s += profiles.map { "profile=\($0)" }
        s += envModes.map { "env=\($0)" }; s += tags.map { "tag=\($0)" }
        return s.isEmpty ? ["all"] : s
    }
    var summary: String { summaryList.joined(separator: ", ") }

    struct Loaded {
        var matrix: Matrix
        var cells: [Cell]
        var catalog: RuntimeCatalog
        var runtimes: [RuntimeRecord] { catalog.runtimes }

        /// The kept wheels, read for the claims about what wheels vendor, and why the macOS ones
        /// are missing when they are. Only `run` judges claims; reading the wheels inflates
        /// their libraries (most of a second, and the process's peak memory), so it is done on
        /// demand, not by every command that loads the matrix.
        struct Wheels {
            var scanned: [WheelScan.Wheel]
            var missing: String?
        }
        func scanWheels() -> Wheels {
            let scanned = WheelScan.scan(catalog: catalog)
            return Wheels(scanned: scanned, missing: WheelScan.macOSMissing(catalog: catalog, scanned: scanned))
        }

        /// The nine rows (and their Linux analogues), then every other claim.
        func claimVerdicts(_ results: [CellResult], wheels: Wheels, atlas: AtlasEvidence? = nil) -> [ClaimVerdict] {
            Verdicts.rows(matrix, results: results, runtimes: runtimes, atlas: atlas)
                + Verdicts.claims(matrix, results: results, wheels: wheels.scanned, runtimes: runtimes, atlas: atlas)
        }
    }

    func load() throws -> Loaded {
        let catalog: RuntimeCatalog
        do { catalog = try RuntimeCatalog() } catch {
            throw ToolExit.badInput("\(error)")
        }
        let runtimes = catalog.runtimes
        let manifest = Dictionary(runtimes.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        let m: Matrix
        do {
            if let matrix { m = try Matrix.load(directory: URL(fileURLWithPath: matrix), manifest: manifest) }
            else { m = try Matrix.bundled(manifest: manifest) }
        } catch { throw ToolExit.badInput("\(error)") }
        var modes: [Cell.EnvMode] = []
        for e in envModes {
            guard let mode = Cell.EnvMode(rawValue: e) else {
                throw ToolExit.badInput("--env-mode '\(e)' is not an environment mode (known: \(Cell.EnvMode.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            modes.append(mode)
        }
        var cells = m.select(rows: rows, claims: claims, profiles: profiles, envModes: modes, tags: tags)
        do { let env = try m.selectionFromEnvironment(); cells = cells.filter { env.matches($0) } } catch {
            throw ToolExit.badInput("\(error)")
        }
        for (flag, values, known) in [("--row", rows, Set(m.cells.map(\.row))), ("--profile", profiles, Set(m.profiles.map(\.id))),
                                      ("--claim", claims, Set(m.claims.map(\.id)))] {
            for v in values where !known.contains(v) {
                throw ToolExit.badInput("\(flag) '\(v)' is not in the matrix (known: \(known.sorted().joined(separator: ", ")))")
            }
        }
        return Loaded(matrix: m, cells: cells, catalog: catalog)
    }
}
