import ArgumentParser
import Foundation
import OpenMPConformance

/// `omp-matrix doctor`: the user's own environment, answered from real probes of its own files.
struct DoctorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Diagnose your own environment: which OpenMP runtimes meet, what they do together, and which fix works here.",
        usage: """
        omp-matrix doctor PATH... [options]
        omp-matrix doctor --pid PID [options]
        omp-matrix doctor [options] -- COMMAND ARGS...
        omp-matrix doctor --packages PKG[SPECIFIERS][; MARKER]... | --requirements FILE [--platform ID] [--python 3.12] [options]
        """,
        discussion: """
        PATH: a venv, conda prefix, site-packages, wheel file or folder, app bundle. The runtimes are found by \
        content; each pair that could meet in one process is probed with the kit's probe (both start orders, \
        without and with KMP_DUPLICATE_LIB_OK, a checked training loop in one and a checked index in the other, \
        2 threads), then the fixes are tried on copies in a temporary folder that is removed afterwards.
        --pid PID: names the runtimes mapped in a live process, then probes their files as above.
        -- COMMAND: runs your command supervised (own session, --timeout, the whole process tree killed at the \
        end), observed by the kit's LD_AUDIT library and exit hook (Linux): up to four runs (as given, with the \
        variable, once per fix); --observe-only runs it once.
        --packages / --requirements: before anything is installed, from the wheel catalog \
        (Matrices/wheels/catalog.yaml) and the atlas snapshot: which runtime each package's wheel brings on \
        --platform (linux-x86_64, macos-arm64, windows-x86_64; default this host's), which pairs meet under \
        that platform's loader rules, and what each pair does, cited from atlas cells. A package not in the \
        catalog is downloaded (pip's choice of wheel for --platform, verified against the index's SHA-256, \
        recorded in <runtime cache>/wheel-catalog; OMP_WHEEL_INDEX names another index). Version specifiers are \
        matched as pip does (PEP 440); markers are evaluated for --platform and --python (default 3.12). Exit \
        status there: 1 a pair aborts or hangs at exit, 0 none does, 4 incomplete (a package that could not be \
        resolved, a release not measured, a marker the target does not decide, a URL, path or -r line not read), \
        2 a requirements line pip would reject (named).
        Your files are never changed. The answer comes first; --format json carries the same content.
        Exit status: 0 no OpenMP conflict seen or predicted (a command that failed otherwise: 0, or 1 with \
        --strict); 1 a conflict (an abort, an exit hang, or two KMP-family runtimes that both start); 2 bad \
        input (a missing path, a gone or unreadable pid, a command that cannot start); 3 internal failure; 4 an \
        incomplete answer (interrupted by SIGINT or SIGTERM, or not probed: the answer from what finished, no verdict \
        from a probe that did not run).
        """)

    @Argument(help: "Paths to diagnose (options may come before or after them); or, after --, the command to run.")
    var words: [String] = []
    @Option(help: "Diagnose a live process.") var pid: Int32?
    @Option(help: "Seconds each run of the command may take (default 600); for paths, each probe (default 20).")
    var timeout: Double?
    @Option(help: "How to print the answer.") var format: DoctorFormat = .text
    @Option(help: "Paths: skip plain files larger than this many bytes (default 1 GiB), as scan does.")
    var maxFileSize: Int = RuntimeScanner.Options().maxFileSize
    @Flag(help: "Do not try the fixes.") var noFixCheck = false
    @Flag(help: "Command form: run the command once, observe, verify nothing.") var observeOnly = false
    @Flag(help: "Command form: exit 1 also when the command failed for a reason other than OpenMP.") var strict = false
    @Option(parsing: .upToNextOption, help: "Requirements to answer for before installing, as a requirements line (name, name==1.2, 'name>=1,<2', 'name; sys_platform == \"darwin\"').") var packages: [String] = []
    @Option(help: "A requirements file to answer for before installing.") var requirements: String?
    @Option(help: "With --packages or --requirements: linux-x86_64, macos-arm64 or windows-x86_64 (default this host's).") var platform: String?
    @Option(help: "With --packages or --requirements: the Python the packages are for (3.12, or 3.12.4 for python_full_version markers).")
    var python = "3.12"

    /// The paths and the command: ArgumentParser gives every word after `--` as a positional
    /// value too (options stay parseable anywhere before it), so the command is the last words,
    /// as many as follow the first `--` of the command line.
    static func split(_ words: [String], arguments: [String] = CommandLine.arguments) -> (paths: [String], command: [String]) {
        guard let i = arguments.firstIndex(of: "--") else { return (words, []) }
        let k = min(words.count, arguments.count - i - 1)
        return (Array(words.dropLast(k)), Array(words.suffix(k)))
    }

    func run() async throws {
        let (paths, command) = Self.split(words)
        if !packages.isEmpty || requirements != nil {
            guard paths.isEmpty, command.isEmpty, pid == nil else {
                throw ToolExit.badInput("--packages and --requirements take no PATH, --pid or -- COMMAND")
            }
            return try await PackageDoctorForm.run(packages: packages, requirements: requirements, platform: platform, python: python,
                                                  format: format.rawValue)
        }
        let forms = (paths.isEmpty ? 0 : 1) + (pid == nil ? 0 : 1) + (command.isEmpty ? 0 : 1)
        guard forms == 1 else {
            throw ToolExit.badInput(forms == 0 ? "doctor needs PATH..., --pid PID, or -- COMMAND ARGS..."
                                               : "give one of PATH..., --pid PID, or -- COMMAND, not several")
        }
        if let t = timeout, let why = Duration.timeoutRefusal(t, largest: 86_400) { throw ToolExit.badInput(why) }
        guard maxFileSize > 0 else { throw ToolExit.badInput("--max-file-size must be positive, got \(maxFileSize)") }
        if let p = pid, p <= 0 { throw ToolExit.badInput("--pid must be a positive process id, got \(p)") }
        var options = Doctor.Options(fixCheck: !noFixCheck, observeOnly: observeOnly)
        options.scan.maxFileSize = maxFileSize
        if let t = timeout {
            let d = Duration.timeoutOption(seconds: t)
            if command.isEmpty { options.probeTimeout = d } else { options.commandTimeout = d }
        }
        options.progress = { line in FileHandle.standardError.write(Data((TerminalText.block(line) + "\n").utf8)) }
        // Ctrl-C or SIGTERM ends the running probe or command (whole tree); the answer from what finished
        // is printed, marked incomplete (exit 4).
        let signals = SignalTrap([SIGINT, SIGTERM]) { Cancellation.request() }
        defer { _ = signals }
        let report: DoctorReport
        do {
            if let pid { report = try await Doctor.diagnose(pid: pid, options: options) }
            else if !command.isEmpty { report = try await Doctor.diagnose(command: command, options: options) }
            else { report = try await Doctor.diagnose(paths: paths, options: options) }
        } catch {
            switch error {
            case .badInput(let m): throw ToolExit.badInput(m)
            case .environment(let m): throw ToolExit.internal(m)
            }
        }
        switch format {
        case .json: print(String(decoding: try ResultsCodec.encode(report), as: UTF8.self))
        case .md: print(report.markdown, terminator: "")
        case .text: print(TerminalText.block(report.text))
        }
        switch report.exitStatus(strict: strict) {
        case 0: break
        case 4: throw ToolExit(code: .incomplete, message: "omp-matrix: doctor: the answer is incomplete (\(TerminalText.field(report.incomplete ?? "")))")
        default: throw ToolExit.unexpected
        }
    }
}
