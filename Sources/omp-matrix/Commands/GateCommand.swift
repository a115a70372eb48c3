import ArgumentParser
import Foundation
import OpenMPConformance

/// `omp-matrix gate`: a results file (a matrix run or an atlas) against its checked-in baseline.
struct GateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gate", abstract: "Compare results with a baseline; exit 1 on any unexpected result, including an unexpected pass.")

    @Option(help: ArgumentHelp("The baseline file.", valueName: "file")) var baseline: String
    @Argument(help: "The results file: a matrix run, or an atlas (then --baseline names an atlas too, e.g. the snapshot). Default: the newest matrix results in results/.") var results: String?
    @Flag(help: "Write the baseline from the results (keeps multi-outcome entries and notes).") var update = false
    @Flag(help: "Cells missing from the baseline fail too.") var strict = false
    @Flag(help: "Compare even when the host keys differ.") var allowHostMismatch = false

    func run() async throws {
        let path = try results ?? ReportCommand.newest(in: "results")
        let r: ResultsFile
        switch try ResultsInput.read(path) {
        case .matrix(let m): r = m
        // An atlas file is gated by the same rules against an atlas (the checked-in snapshot).
        case .atlas(let a): return try gateAtlas(a, path: path)
        }
        let url = URL(fileURLWithPath: baseline)
        if update {
            let old: Baseline? = FileManager.default.fileExists(atPath: baseline) ? try GateRun.readBaseline(baseline) : nil
            let new = Gate.update(baseline: old, results: r)
            do {
                // A fresh package has no Matrices/baselines yet: the first baseline makes it.
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try ResultsCodec.write(new, to: url)
            } catch { throw ToolExit.writeFailed(baseline, error) }
            print("wrote \(baseline): \(new.cells.count) cells for \(new.hostKey)")
            return
        }
        // Repro lines as the reports show them: $OMP_CONFORMANCE_RUNTIMES/… and $OMP_PROBE.
        let report = Gate.compare(results: r.portable(.current()), baseline: try GateRun.readBaseline(baseline),
                                  options: .init(strict: strict, allowHostMismatch: allowHostMismatch))
        print(TerminalText.block(report.text))
        if !report.passed { throw ToolExit.unexpected }
    }
}

extension GateCommand {
    func gateAtlas(_ run: AtlasResults, path: String) throws {
        if update {
            throw ToolExit.badInput("\(path) is an atlas: its baseline is the snapshot itself; rewrite it with `omp-matrix atlas --write-snapshot`")
        }
        let base: AtlasResults
        let against = "an atlas results file is gated against an atlas (Matrices/atlas/<host key>.json)"
        do {
            switch try ResultsDocument.read(URL(fileURLWithPath: baseline)) {
            case .atlas(let a): base = a
            case .matrix: throw ToolExit.badInput("\(baseline): not an atlas file but matrix results; \(against)")
            }
        } catch let error as InputError { throw ToolExit.badInput("not an atlas file: \(error); \(against)") }
        let report = Gate.compare(atlas: run, baseline: base, options: .init(strict: strict, allowHostMismatch: allowHostMismatch))
        print(TerminalText.block(report.text))
        if !report.passed { throw ToolExit.unexpected }
    }
}

enum GateRun {
    static func readBaseline(_ path: String) throws -> Baseline {
        do { return try Baseline.read(URL(fileURLWithPath: path)) } catch { throw ToolExit.badInput("\(error)") }
    }
    static func compare(resultsFile: ResultsFile, baselinePath: String) throws -> GateReport {
        Gate.compare(results: resultsFile.portable(.current()), baseline: try readBaseline(baselinePath))
    }
}
