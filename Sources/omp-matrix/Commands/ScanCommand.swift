import ArgumentParser
import Foundation
import OpenMPConformance

/// `omp-matrix scan`: OpenMP runtimes under trees, read from the files, never loaded.
struct ScanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scan", abstract: "List OpenMP runtimes under a venv, conda prefix, app bundle or wheel folder, and predict conflicts.",
        discussion: "Exit status: 1 when two distinct KMP-family runtimes are found (a predicted conflict), 0 when none is; 2 for a path that does not exist.")

    @Argument(help: "Files or directories to scan.") var paths: [String]
    @Option(help: "text or json.") var format: String = "text"

    func validate() throws {
        guard !paths.isEmpty else { throw ValidationError("scan needs at least one path") }
        guard ["text", "json"].contains(format) else { throw ValidationError("--format must be text or json, got '\(format)'") }
    }

    func run() async throws {
        let report: ScanReport
        do { report = try RuntimeScanner().scan(paths: paths) } catch { throw ToolExit.badInput("\(error)") }
        print(format == "json" ? String(decoding: try ResultsCodec.encode(report), as: UTF8.self) : report.text)
        if !report.conflicts.isEmpty { throw ToolExit.unexpected }
    }
}
