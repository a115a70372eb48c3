import ArgumentParser
import Foundation
import OpenMPConformance

/// `omp-matrix list`: the cells, their plans and predictions, without running anything.
struct ListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List cells with plans and predictions (a dry run).")

    @OptionGroup var selection: SelectionOptions
    @Option(help: "How to print the cells.") var format: TextOrJSON = .text

    func run() async throws {
        let loaded = try selection.load()
        if format == .json {
            struct Row: Encodable { var id, plan, launcher, testability: String; var allowed: [String]; var environment: [String: String]; var claims: [String]; var platform: String? }
            let rows = (loaded.cells + loaded.windowsCells).map { c in
                Row(id: c.id, plan: c.plan.text, launcher: c.launcher.rawValue,
                    testability: c.testability.reason.map { "untestable: \($0)" } ?? "testable",
                    allowed: c.allowed.map(\.rawValue), environment: c.environment, claims: c.claims,
                    platform: c.platform == .windows ? WineTools.platform : nil)
            }
            print(String(decoding: try ResultsCodec.encode(rows), as: UTF8.self))
            return
        }
        for c in loaded.cells + loaded.windowsCells {
            let t = c.testability.reason.map { "  [untestable: \($0)]" } ?? ""
            print("\(c.id)\n    predicts: \(c.allowed.map(\.rawValue).joined(separator: " | "))\(t)\n    plan: \(c.plan.text)"
                  + (c.environment.isEmpty ? "" : "\n    env: " + c.environment.map { "\($0)=\($1)" }.sorted().joined(separator: " "))
                  + (c.launcher == .direct ? "" : "\n    launcher: \(c.launcher.rawValue)"))
        }
        let testable = loaded.cells.filter { $0.testability.isTestable }.count
        let windows = loaded.windowsCells.isEmpty ? ""
            : "; and \(loaded.windowsCells.count) cells of the Windows column (\(WineTools.platformLabel)), \(loaded.windowsCells.filter { $0.testability.isTestable }.count) testable here"
        print("\(loaded.cells.count) cells, \(testable) testable here, \(Set(loaded.cells.filter { $0.testability.isTestable }.map(\.probeKey)).count) distinct probes\(windows); matrix \(loaded.matrix.directory.path)")
    }
}
