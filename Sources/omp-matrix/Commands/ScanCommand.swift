import ArgumentParser
import Foundation
import OpenMPConformance

/// `omp-matrix scan`: OpenMP runtimes under trees, read from the files, never loaded.
struct ScanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scan", abstract: "List OpenMP runtimes under a venv, conda prefix, app bundle or wheel folder, and predict conflicts.",
        discussion: "Exit status: 1 when two distinct KMP-family runtimes are found (a predicted conflict), 0 when none is; 2 for a path that does not exist.")

    @Argument(help: "Files or directories to scan.") var paths: [String]
    @Option(help: "How to print the scan.") var format: TextOrJSON = .text
    @Option(help: "Skip plain files larger than this many bytes (default 1 GiB).")
    var maxFileSize: Int = RuntimeScanner.Options().maxFileSize
    @Option(help: "Skip wheel members larger than this many bytes uncompressed (default 64 MiB).")
    var maxMemberSize: Int = RuntimeScanner.Options().maxArchiveMemberSize
    @Option(help: "Inflate at most this many bytes from one wheel in total (default 1 GiB).")
    var maxArchiveSize: Int = RuntimeScanner.Options().maxArchiveTotalSize

    func validate() throws {
        guard !paths.isEmpty else { throw ValidationError("scan needs at least one path") }
        guard maxFileSize > 0, maxMemberSize > 0, maxArchiveSize > 0 else { throw ValidationError("size limits must be positive") }
    }

    func run() async throws {
        let report: ScanReport
        do { report = try RuntimeScanner(options: .init(maxArchiveMemberSize: maxMemberSize, maxFileSize: maxFileSize,
                                                           maxArchiveTotalSize: maxArchiveSize)).scan(paths: paths) } catch { throw ToolExit.badInput("\(error)") }
        print(format == .json ? String(decoding: try ResultsCodec.encode(report), as: UTF8.self) : TerminalText.block(report.text))
        if !report.conflicts.isEmpty { throw ToolExit.unexpected }
    }
}
