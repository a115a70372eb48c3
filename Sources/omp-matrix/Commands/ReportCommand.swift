import ArgumentParser
import Foundation
import OpenMPConformance

/// `omp-matrix report`: a results file as Markdown, JSON, JUnit, HTML, or a terminal summary.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "report", abstract: "Render a results file (default: the newest in results/).")

    @Argument(help: "The results file.") var file: String?
    @Option(help: "md, json, junit, html or summary.") var format: String = "md"
    @Option(help: ArgumentHelp("Write here instead of standard output (atomically).", valueName: "file")) var output: String?
    @Option(help: "Where to look for the newest results file.") var resultsDir: String = "results"
    @Flag(help: "Print the path of the newest results file and exit.") var printLatest = false

    func validate() throws {
        guard ["md", "json", "junit", "html", "summary"].contains(format) else {
            throw ValidationError("--format must be md, json, junit, html or summary, got '\(format)'")
        }
    }

    func run() async throws {
        let path = try file ?? Self.newest(in: resultsDir)
        if printLatest { print(path); return }
        let results: ResultsFile
        do { results = try ResultsCodec.read(URL(fileURLWithPath: path)) } catch { throw ToolExit.badInput("\(error)") }
        let text: String
        switch format {
        case "md": text = MarkdownReport.render(results)
        case "json": text = String(decoding: try ResultsCodec.encode(results), as: UTF8.self)
        case "junit": text = JUnitReport.render(results)
        case "html": text = HTMLReport.render(results)
        default: text = SummaryText.render(results)
        }
        if let output, output != "-" {
            do { try ResultsCodec.writeAtomically(Data(text.utf8), to: URL(fileURLWithPath: output)) } catch {
                throw ToolExit.writeFailed(output, error)
            }
        } else {
            print(format == "summary" ? TerminalText.block(text) : text)
        }
    }

    static func newest(in dir: String) throws -> String {
        let fm = FileManager.default
        guard let names = try? fm.contentsOfDirectory(atPath: dir) else {
            throw ToolExit.badInput("no results directory '\(dir)': run `omp-matrix run` first, or name a results file")
        }
        let files = names.filter { $0.hasSuffix(".json") }.map { dir + "/" + $0 }
        let dated = files.compactMap { p -> (String, Date)? in
            (try? fm.attributesOfItem(atPath: p)[.modificationDate] as? Date).map { (p, $0) }
        }
        guard let newest = dated.max(by: { $0.1 < $1.1 }) else { throw ToolExit.badInput("no results file in '\(dir)'") }
        return newest.0
    }
}

/// The terminal summary printed after a run.
enum SummaryText {
    static func render(_ r: ResultsFile) -> String {
        let s = ResultsSummary(r)
        var lines: [String] = []
        let f = TerminalText.field
        lines.append("host \(f(r.host.key)) (\(f(r.host.os)), kernel \(f(r.host.kernel)), BLAS \(f(r.host.blas.corename)) via \(f(r.host.blas.source)))\(r.partial ? " — PARTIAL" : "")")
        lines.append("cells: \(s.cells) (ran \(s.ran), skipped \(s.skipped)); verdicts: " +
                     Verdict.allCases.map { "\(s.verdicts[$0] ?? 0) \($0.rawValue)" }.joined(separator: ", "))
        lines.append("outcomes: " + Outcome.allCases.compactMap { o in s.outcomes[o].map { "\($0) \(o.rawValue)" } }.joined(separator: ", "))
        for row in s.rows {
            lines.append(String(format: "  %-38@ %@ (%d ran, %d skipped)", f(row.id) as NSString, row.verdict.rawValue, row.ran, row.skipped))
        }
        if !r.claims.isEmpty {
            lines.append("claims:")
            for c in r.claims { lines.append("  \(c.verdict.rawValue.padding(toLength: 10, withPad: " ", startingAt: 0)) \(f(c.id))") }
        }
        return lines.joined(separator: "\n")
    }
}
