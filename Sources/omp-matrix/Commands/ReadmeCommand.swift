import ArgumentParser
import Foundation
import OpenMPConformance

/// `omp-matrix readme`: regenerates the README's results section from a real run.
struct ReadmeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "readme", abstract: "Write the verdict snapshot of a results file and rewrite the README section from it.")

    @Argument(help: "The results file (default: the newest in results/).") var results: String?
    @Option(help: "The README to rewrite.") var readme: String = "README.md"
    @Option(help: "Where the snapshot goes (default: Matrices/baselines/<host key>.verdicts.json).") var snapshot: String?

    func run() async throws {
        let path = try results ?? ReportCommand.newest(in: "results")
        var r: ResultsFile
        r = try ResultsInput.matrix(path, use: "the README's results section comes from matrix results (of `omp-matrix run`); its atlas section is written by `omp-matrix atlas --readme README.md`")
        // The answer with the atlas snapshot beside the cells, as the reports give it.
        if let atlas = AtlasInput.load(hostKey: r.host.key) {
            r.answer = r.resolvedAnswer(atlas: atlas)
            // The claims judged with the same atlas (a file written before it existed has them without).
            let manifest = Dictionary(r.host.runtimes.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
            do { r.claims = r.claimsJudged(with: try Matrix.bundled(manifest: manifest), atlas: atlas) } catch {
                throw ToolExit.badInput("\(error)")
            }
        }
        guard !r.partial else { throw ToolExit.badInput("\(path) is a partial run; the README needs a complete one") }
        // Checked in: no path of this machine.
        let snap = ReadmeSection.Snapshot(r.portable(.current()))
        let snapPath = snapshot ?? "Matrices/baselines/\(r.host.key).verdicts.json"
        try ResultsCodec.write(snap, to: URL(fileURLWithPath: snapPath))
        guard let text = try? String(contentsOfFile: readme, encoding: .utf8) else { throw ToolExit.badInput("cannot read \(readme)") }
        let new = try ReadmeSection.splice(ReadmeSection.render(snap), into: text)
        try AtomicFile.write(Data(new.utf8), to: URL(fileURLWithPath: readme))
        print("wrote \(snapPath) and the results section of \(readme)")
    }
}
