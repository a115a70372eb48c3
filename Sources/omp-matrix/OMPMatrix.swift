import ArgumentParser
import Foundation
import OpenMPConformance

/// `omp-matrix`: run the doc's matrix on this host, report it, gate it, merge hosts,
/// scan trees and inspect processes.
@main
struct OMPMatrix: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "omp-matrix",
        abstract: "Measure what KMP_DUPLICATE_LIB_OK really does with real OpenMP runtimes.",
        discussion: """
        Exit status, for every subcommand: 0 ok; 1 findings (regressions against a baseline, unexpected \
        outcomes, OpenMP conflicts seen or predicted); 2 bad usage, or unreadable input named on the command \
        line (the message names the file:line or the argument); 3 an internal or environment failure (a write \
        fails, the disk is full); 4 incomplete (runtimes not provisioned, or interrupted).
        """,
        version: OpenMPConformanceKit.version,
        subcommands: [RunCommand.self, ProvisionCommand.self, ListCommand.self, ReportCommand.self, GateCommand.self, MergeCommand.self,
                      ScanCommand.self, InspectCommand.self, DoctorCommand.self, CleanShmCommand.self, ProbeCommand.self, ReadmeCommand.self, BenchCommand.self, AtlasCommand.self, WheelsCommand.self]
    )

    static func main() async {
        #if os(Linux)
        if let why = ResourceFloor.shortfall() { exit(with: ToolExit.internal(why)) }
        // No free process slot: no probe can start (nor a thread, and then Swift's tasks wait forever).
        // The doctor answers "not probed" (incomplete, exit 4); the other subcommands stop as above.
        if let why = ResourceFloor.processSlotShortfall() {
            if CommandLine.arguments.dropFirst().first == "doctor" {
                exit(with: ToolExit(code: .incomplete, message: "omp-matrix: doctor: not probed: " + TerminalText.field(why)))
            }
            exit(with: ToolExit.internal(why))
        }
        #endif
        do {
            var command = try parseAsRoot()
            if var async = command as? AsyncParsableCommand {
                try await async.run()
            } else {
                try command.run()
            }
        } catch {
            exit(with: error)
        }
    }

    static func exit(with error: Error) -> Never {
        if let e = error as? ToolExit {
            if !e.message.isEmpty { FileHandle.standardError.write(Data((TerminalText.block(e.message) + "\n").utf8)) }
            Foundation.exit(e.code.rawValue)
        }
        let code = exitCode(for: error)
        if code == .success {
            print(fullMessage(for: error))
            Foundation.exit(0)
        }
        let message = fullMessage(for: error)
        // An error about an input file quotes its values raw: one line, every control escaped.
        let shown = error is InputError || error is MatrixError ? TerminalText.field(message) : TerminalText.block(message)
        if !message.isEmpty { FileHandle.standardError.write(Data(("omp-matrix: " + shown + "\n").utf8)) }
        if code == .validationFailure || error is ValidationError || code.rawValue == 64 {
            Foundation.exit(ToolExit.Code.badInput.rawValue)
        }
        if error is InputErrorConvertible { Foundation.exit(ToolExit.Code.badInput.rawValue) }
        Foundation.exit(ToolExit.Code.internalFailure.rawValue)
    }
}

/// Errors that are the user's input, not ours: exit 2.
protocol InputErrorConvertible: Error {}

/// A deliberate exit with the kit's exit-code table.
struct ToolExit: Error {
    enum Code: Int32 {
        case ok = 0
        case unexpected = 1
        case badInput = 2
        case internalFailure = 3
        /// Runtimes not provisioned, or the run was interrupted: what ran is kept, but it is not all.
        case incomplete = 4
    }
    var code: Code
    var message: String

    /// Bad input, on one line: the message names the input and may quote it, so it is escaped as a field.
    static func badInput(_ m: String) -> ToolExit { ToolExit(code: .badInput, message: "omp-matrix: " + TerminalText.field(m)) }
    static func `internal`(_ m: String) -> ToolExit { ToolExit(code: .internalFailure, message: "omp-matrix: internal failure: " + m) }
    static let unexpected = ToolExit(code: .unexpected, message: "")
    /// A failed write: exit 3 (environment), or 2 when the path names something the kit refuses
    /// to replace (a symlink, FIFO, device, directory).
    static func writeFailed(_ path: String, _ error: Error) -> ToolExit {
        let refused = (error as? FileWriteError)?.operation == "replace it"
        return ToolExit(code: refused ? .badInput : .internalFailure, message: "omp-matrix: cannot write \(path): \(error)")
    }
}
