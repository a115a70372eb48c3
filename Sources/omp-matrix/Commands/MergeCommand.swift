import ArgumentParser
import Foundation
import OpenMPConformance

/// `omp-matrix merge`: several hosts' results joined on cell id.
struct MergeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "merge", abstract: "Join results files from several hosts into one cross-platform matrix.")

    @Argument(help: "Results files, one or more per host.") var files: [String]
    @Option(help: ArgumentHelp("Write the merged matrix (JSON) here.", valueName: "file")) var output: String?
    @Option(help: "What to print on standard output.") var format: MergeFormat = .md

    func validate() throws {
        guard !files.isEmpty else { throw ValidationError("merge needs at least one results file") }
    }

    func run() async throws {
        var inputs: [(name: String, results: ResultsFile)] = []
        for f in files {
            // Atlases are not merged: an atlas is one host's pairs, compared with `gate`, not joined on cell id.
            inputs.append((f, try ResultsInput.matrix(f, use: "merge takes matrix results files (of `omp-matrix run`); compare an atlas with its snapshot by `omp-matrix gate --baseline Matrices/atlas/<host key>.json`")))
        }
        let merged: MergedMatrix
        do { merged = try Merge.merge(named: inputs) } catch { throw ToolExit.badInput("\(error)") }
        if let output {
            do { try ResultsCodec.write(merged, to: URL(fileURLWithPath: output)) } catch { throw ToolExit.writeFailed(output, error) }
        }
        print(format == .json ? String(decoding: try ResultsCodec.encode(merged), as: UTF8.self) : MergedMarkdownReport.render(merged))
    }
}
