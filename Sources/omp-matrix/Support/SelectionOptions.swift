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
    @Option(name: .customLong("platform"), help: ArgumentHelp(
        "Only this platform's cells (repeatable): linux-x86_64 (the host's own), windows-x86_64 (the Windows column: the real DLLs under Wine 8.0, not Windows). Default: both; leaving windows-x86_64 out is the way to exclude the Windows column on purpose.",
        valueName: "id"))
    var platforms: [String] = []

    /// The platform ids `--platform` takes.
    static let hostPlatform = "linux-x86_64"
    static let platformIDs = [hostPlatform, WineTools.platform]
    var wantsHost: Bool { platforms.isEmpty || platforms.contains(Self.hostPlatform) }
    var wantsWindows: Bool { platforms.isEmpty || platforms.contains(WineTools.platform) }

    var summaryList: [String] {
        var s: [String] = []
        s += rows.map { "row=\($0)" }; s += claims.map { "claim=\($0)" }; s += profiles.map { "profile=\($0)" }
        s += envModes.map { "env=\($0)" }; s += tags.map { "tag=\($0)" }; s += platforms.map { "platform=\($0)" }
        return s.isEmpty ? ["all"] : s
    }
    var summary: String { summaryList.joined(separator: ", ") }

    struct Loaded {
        var matrix: Matrix
        /// The host's selected cells.
        var cells: [Cell]
        /// The Windows column's selected cells (untestable with the reason when Wine cannot run here).
        var windowsCells: [Cell] = []
        /// What the Windows column found on this host (its DLLs; why Wine cannot run, if it cannot).
        var windowsInputs: Matrix.WindowsInputs = .none
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

        /// The Windows column's rows and claims, judged over its cells only; nil when none was selected.
        func windowsColumn(_ results: [CellResult], skipped: String?) -> ResultsFile.PlatformColumn? {
            windowsCells.isEmpty ? nil : Verdicts.windows(matrix, results: results, skipped: skipped)
        }
    }

    func load() throws -> Loaded {
        let catalog: RuntimeCatalog
        do { catalog = try RuntimeCatalog() } catch {
            throw ToolExit.badInput("\(error)")
        }
        let runtimes = catalog.runtimes
        let manifest = Dictionary(runtimes.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        for p in platforms where !Self.platformIDs.contains(p) {
            throw ToolExit.badInput("--platform '\(p)' is not a platform id (known: \(Self.platformIDs.joined(separator: ", ")))")
        }
        let windows = wantsWindows
            ? Matrix.WindowsInputs.provisioned(manifest: catalog.manifest, directory: catalog.manifestURL.deletingLastPathComponent())
            : .none
        let m: Matrix
        do {
            if let matrix { m = try Matrix.load(directory: URL(fileURLWithPath: matrix), manifest: manifest, windows: windows) }
            else { m = try Matrix.bundled(manifest: manifest, windows: windows) }
        } catch { throw ToolExit.badInput("\(error)") }
        var modes: [Cell.EnvMode] = []
        for e in envModes {
            guard let mode = Cell.EnvMode(rawValue: e) else {
                throw ToolExit.badInput("--env-mode '\(e)' is not an environment mode (known: \(Cell.EnvMode.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            modes.append(mode)
        }
        let chosen = Matrix.Selection(rows: rows, claims: claims, profiles: profiles, envModes: modes, tags: tags)
        var cells = wantsHost ? m.select(chosen) : []
        var windowsCells = wantsWindows ? m.windowsCells.filter(chosen.matches) : []
        do {
            let env = try m.selectionFromEnvironment()
            cells = cells.filter { env.matches($0) }
            windowsCells = windowsCells.filter { env.matches($0) }
        } catch {
            throw ToolExit.badInput("\(error)")
        }
        let allRows = Set(m.cells.map(\.row) + m.windowsCells.map(\.row))
        let allProfiles = Set(m.profiles.map(\.id) + m.windowsProfiles.map(\.id))
        for (flag, values, known) in [("--row", rows, allRows), ("--profile", profiles, allProfiles),
                                      ("--claim", claims, Set(m.claims.map(\.id)))] {
            for v in values where !known.contains(v) {
                throw ToolExit.badInput("\(flag) '\(v)' is not in the matrix (known: \(known.sorted().joined(separator: ", ")))")
            }
        }
        return Loaded(matrix: m, cells: cells, windowsCells: windowsCells, windowsInputs: windows, catalog: catalog)
    }
}
