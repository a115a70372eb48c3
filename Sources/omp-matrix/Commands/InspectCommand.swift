import ArgumentParser
import Foundation
import OpenMPConformance

/// `omp-matrix inspect`: the OpenMP runtimes mapped in a live process.
struct InspectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect", abstract: "List the OpenMP runtimes mapped in a live process; warn when two of the KMP family are.",
        discussion: "Exit status: 1 when two distinct KMP-family runtimes are mapped (a conflict seen), 0 when not; 2 for a pid that is gone or may not be read.")

    @Argument(help: "The process id.") var pid: Int32
    @Option(help: "How to print the inspection.") var format: TextOrJSON = .text

    func validate() throws {
        guard pid > 0 else { throw ValidationError("PID must be a positive process id, got \(pid)") }
    }

    func run() async throws {
        let report: ProcessInspection
        do { report = try ProcessInspector.report(pid: pid) } catch { throw ToolExit.badInput("\(error)") }
        print(format == .json ? String(decoding: try ResultsCodec.encode(report), as: UTF8.self) : TerminalText.block(Self.text(report)))
        if !report.warnings.isEmpty { throw ToolExit.unexpected }
    }

    static func text(_ r: ProcessInspection) -> String {
        let f = TerminalText.field
        var lines = ["pid \(r.pid): \(r.runtimes.count) OpenMP runtime\(r.runtimes.count == 1 ? "" : "s") mapped"]
        for o in r.runtimes {
            let id = o.identity
            lines.append("  \(id?.family.rawValue ?? "?")  \(id?.vendor.rawValue ?? "?") \(f(id?.version ?? ""))  \(f(o.path))\(o.deleted ? " (deleted)" : "")")
            if id?.family == .kmp { lines.append("      \(f(MappedObject.startWords(o)))") }
        }
        if let reg = r.registeredKMPRuntime { lines.append("registered KMP runtime: \(f(reg))") }
        for w in r.warnings { lines.append("warning: \(f(w))") }
        return lines.joined(separator: "\n")
    }
}
