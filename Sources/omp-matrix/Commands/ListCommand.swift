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
            struct Row: Encodable { var id, plan, launcher, testability: String; var allowed: [String]; var environment: [String: String]; var claims: [String] }
            let rows = loaded.cells.map { c in
                Row(id: c.id, plan: c.plan.text, launcher: c.launcher.rawValue,
                    testability: c.testability.reason.map { "untestable: \($0)" } ?? "testable",
                    allowed: c.allowed.map(\.rawValue), environment: c.environment, claims: c.claims)
            }
            print(String(decoding: try ResultsCodec.encode(rows), as: UTF8.self))
            return
        }
        for c in loaded.cells {
            let t = c.testability.reason.map { "  [untestable: \($0)]" } ?? ""
            print("\(c.id)\n    predicts: \(c.allowed.map(\.rawValue).joined(separator: " | "))\(t)\n    plan: \(c.plan.text)"
                  + (c.environment.isEmpty ? "" : "\n    env: " + c.environment.map { "\($0)=\($1)" }.sorted().joined(separator: " "))
                  + (c.launcher == .direct ? "" : "\n    launcher: \(c.launcher.rawValue)"))
        }
        let testable = loaded.cells.filter { $0.testability.isTestable }.count
        print("\(loaded.cells.count) cells, \(testable) testable here, \(Set(loaded.cells.filter { $0.testability.isTestable }.map(\.probeKey)).count) distinct probes; matrix \(loaded.matrix.directory.path)")
    }
}
