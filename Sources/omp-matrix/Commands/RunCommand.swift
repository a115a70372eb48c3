import ArgumentParser
import Dispatch
import Foundation
import OpenMPConformance
import Synchronization

/// `omp-matrix run`: the bundled matrix on this host, written to one results file.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the matrix on this host and write one results file.",
        discussion: """
        Cells run in parallel (one probe per core by default). The results file is written \
        atomically to results/<hostkey>-<UTC time>-<pid>.json (or --output), checkpointed as \
        'partial' while the run goes on; Ctrl-C, SIGTERM and SIGHUP leave a valid partial file and no probe running. \
        A failed checkpoint stops the run (exit 3) and names the file that holds the results. \
        A refuted prediction of the doc is a finding, not a failure: run exits 0 when every \
        selected cell ran, 1 when --baseline is given and a cell deviates from it.
        """
    )

    @OptionGroup var selection: SelectionOptions

    @Option(help: ArgumentHelp("Where to write the results file: a regular file or a new path (a symlink, FIFO or device is refused); - for standard output.", valueName: "file"))
    var output: String?

    @Option(help: "Probes in flight at once (default: one per core, or OMP_CONFORMANCE_JOBS).")
    var jobs: Int?

    @Option(help: "Seconds a probe's steps may take before the outcome is 'hang'.")
    var timeout: Double = 20

    @Option(help: ArgumentHelp("Also gate against this baseline (exit 1 on a deviation).", valueName: "file"))
    var baseline: String?

    @Flag(help: "Plain progress lines even on a terminal.")
    var plain = false

    func validate() throws {
        if let j = jobs, j < 1 || j > 256 { throw ValidationError("--jobs must be from 1 to 256, got \(j)") }
        if let why = Duration.timeoutRefusal(timeout, largest: 3600) { throw ValidationError(why) }
        if let output, output != "-", let problem = ResultsOutput.refusal(output) {
            throw ValidationError("--output \(output) \(problem)")
        }
    }

    func run() async throws {
        let loaded = try selection.load()
        let cells = loaded.cells
        guard !cells.isEmpty || !loaded.windowsCells.isEmpty else { throw ToolExit.badInput("the selection matches no cell (\(selection.summary))") }
        // No probe, no run: say how to build one, once, instead of failing every cell.
        if cells.contains(where: { $0.testability.reason == nil }) {
            do { _ = try ProbeExecutable.locate() } catch {
                throw ToolExit(code: .internalFailure, message: "omp-matrix: \(error)")
            }
        }
        if let jobs { await ProbeLimiter.shared.setLimit(jobs) }
        // What an earlier runner killed without warning left: its probes, and their registration files.
        let swept = ShmRegistry.cleanUpAfterDeadRunners()
        if !swept.killed.isEmpty || !swept.removed.isEmpty {
            FileHandle.standardError.write(Data(("omp-matrix: cleaned up after an earlier run: \(swept.killed.count) process(es) "
                + "killed, \(swept.removed.count) stale registration file(s) removed\n").utf8))
        }
        let host = HostInfo.current(runtimes: loaded.runtimes)
        let env = HostEnvironment.shared.probeEnvironment.record
        let started = Timestamp.now()
        let out = try ResultsOutput(option: output, defaultPath: "results/\(host.key)-\(Timestamp.compact())-\(getpid()).json")
        defer { out.releaseWriterLock() }
        // With --output -, standard output carries only the results; everything else goes to standard error.
        let toStderr = out.toStandardOutput
        // Written at once (not through print's buffer, which holds everything back when standard output is a pipe).
        let say: @Sendable (String) -> Void = { line in
            (toStderr ? FileHandle.standardError : FileHandle.standardOutput).write(Data((line + "\n").utf8))
        }
        let atlas = AtlasInput.load(hostKey: host.key)
        let wheels = loaded.scanWheels()
        // The Windows column (the real DLLs under Wine): why its selected cells cannot run here, if they cannot.
        let windowsSkipped = Mutex<String?>(loaded.windowsCells.isEmpty ? nil : loaded.windowsInputs.unavailable)
        @Sendable func file(_ results: [CellResult], partial: Bool) -> ResultsFile {
            var f = ResultsFile(partial: partial, startedAt: started, finishedAt: partial ? nil : Timestamp.now(), host: host,
                                environment: env, selection: selection.summaryList, results: results,
                                claims: loaded.claimVerdicts(results, wheels: wheels, atlas: atlas))
            f.wheels = wheels.scanned
            f.windows = loaded.windowsColumn(results, skipped: windowsSkipped.withLock { $0 })
            return f.annotated(atlas: atlas, wheelsMissing: wheels.missing)
        }
        // A first, empty partial file proves the location is writable before any probe runs.
        try out.start(file([], partial: true))

        // Trapped before a wineserver starts, so an interrupt at any point still stops it.
        let signals = SignalTrap([SIGINT, SIGTERM, SIGHUP]) { Cancellation.request() }
        var windowsCells = loaded.windowsCells
        var session: WineSession?
        if windowsCells.contains(where: { $0.testability.isTestable }) {
            let dir = loaded.catalog.manifestURL.deletingLastPathComponent()
            var why: String?
            switch WineLaunch.provisioned(in: dir) {
            case .success(let launch):
                do {
                    session = try WineSession.start(launch)
                    for i in windowsCells.indices { windowsCells[i].wine = launch }
                } catch { why = error.reason }
            case .failure(let e): why = e.reason
            }
            if let why {
                windowsSkipped.withLock { $0 = why }
                for i in windowsCells.indices where windowsCells[i].testability.isTestable {
                    windowsCells[i].testability = .untestable(reason: "\(WineTools.platformLabel): \(why)")
                }
            }
        }
        // No wineserver outlives the run: stopped at the end, on an error and after an interrupt.
        defer { session?.stop() }
        let allCells = cells + windowsCells
        let tty = isatty(1) == 1 && !plain && !out.toStandardOutput && ProcessInfo.processInfo.environment["CI"] == nil
        let sink = ProgressSink(tty: tty, total: allCells.count, say: say, checkpoint: { out.checkpoint(file($0, partial: true)) })
        let runner = MatrixRunner(cells: allCells, timeout: .timeoutOption(seconds: timeout), jobs: jobs)
        say("omp-matrix: \(cells.count) cells (\(cells.filter { $0.testability.isTestable }.count) testable here) on \(host.key), BLAS \(host.blas.corename) (\(host.blas.source))")
        if !windowsCells.isEmpty {
            say("omp-matrix: and \(windowsCells.count) cells of the Windows column (\(WineTools.platformLabel)), \(windowsCells.filter { $0.testability.isTestable }.count) testable here"
                + (windowsSkipped.withLock { $0 }.map { "; not run: \($0)" } ?? ""))
        }
        let heartbeat = sink.heartbeat()
        let results = await runner.run { sink.update($0) }
        heartbeat.cancel()
        sink.finish()
        let interrupted = Cancellation.isRequested
        let partial = interrupted || results.count < allCells.count
        let final = file(results, partial: partial)
        let written = try out.finish(final)
        session?.stop()
        signals.cancel()
        say(SummaryText.render(final))   // escaped by TerminalSummary (fields, then lines), colour added after
        say("results: \(written)\(partial ? " (partial)" : "")")
        if interrupted { throw ToolExit(code: .incomplete, message: "omp-matrix: interrupted; partial results kept in \(written)") }
        if let baseline {
            let report = try GateRun.compare(resultsFile: final, baselinePath: baseline)
            say(TerminalText.block(report.text))
            if !report.passed { throw ToolExit.unexpected }
        }
        // Selected but not run: the Windows column is incomplete here (README: exit 4). Leave it
        // out on purpose with --platform linux-x86_64.
        if let why = windowsSkipped.withLock({ $0 }) {
            throw ToolExit(code: .incomplete, message: "omp-matrix: incomplete: the Windows column (\(WineTools.platformLabel)) did not run: \(why) (--platform linux-x86_64 leaves it out on purpose)")
        }
    }
}

/// Progress: a rewriting line on a terminal, plain lines elsewhere (CI), at least one every
/// 10 seconds there (``heartbeat(every:)``); checkpoints the results file.
final class ProgressSink: Sendable {
    let tty: Bool
    let total: Int
    let say: @Sendable (String) -> Void
    let checkpoint: @Sendable ([CellResult]) -> Void
    private struct State {
        var results: [CellResult] = []
        var lastCheckpoint = ContinuousClock.now
        var lastLine = ContinuousClock.now
    }
    private let state = Mutex(State())
    private let started = ContinuousClock.now

    init(tty: Bool, total: Int, say: @escaping @Sendable (String) -> Void, checkpoint: @escaping @Sendable ([CellResult]) -> Void) {
        self.tty = tty; self.total = total; self.say = say; self.checkpoint = checkpoint
    }

    /// Off a terminal, a line whenever `interval` has passed without one (cells that share a slow
    /// probe can keep the count still for a while): CI logs and pipes never go quiet.
    func heartbeat(every interval: Duration = .seconds(10)) -> Task<Void, Never> {
        Task { [self] in
            guard !tty else { return }
            while !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(500))
                let now = ContinuousClock.now
                let line: String? = state.withLock { s in
                    guard now - s.lastLine >= interval - .milliseconds(500) else { return nil }
                    s.lastLine = now
                    return "[\(s.results.count)/\(total)] running, \(Int((now - started).secondsValue)) s so far"
                }
                if let line, !Task.isCancelled { say(line) }
            }
        }
    }

    func update(_ p: MatrixRunner.Progress) {
        state.withLock { update(p, &$0) }
    }

    private func update(_ p: MatrixRunner.Progress, _ state: inout State) {
        state.results.append(p.last)
        let eta = p.eta.map { String(format: " eta %.0fs", $0.secondsValue) } ?? ""
        if tty {
            let line = String(format: "\r[%d/%d] %d refuted%@  %@", p.done, p.total, p.unexpected, eta, String(p.last.id.prefix(70)))
            FileHandle.standardOutput.write(Data((line + "\u{1B}[K").utf8))
        } else if p.done == p.total || p.done % 25 == 0 || p.last.verdict == .refuted {
            let o = p.last.outcome?.rawValue ?? "skipped"
            state.lastLine = .now
            say("[\(p.done)/\(p.total)] \(p.last.verdict.rawValue) \(o) \(TerminalText.field(p.last.id))\(eta)")
        }
        if ContinuousClock.now - state.lastCheckpoint > .seconds(2) {
            state.lastCheckpoint = .now
            checkpoint(state.results)
        }
    }

    func finish() { if tty { print("") } }
}

/// Turns SIGINT/SIGTERM/SIGHUP into a cancellation request instead of dying mid-write.
final class SignalTrap: @unchecked Sendable {
    private var sources: [DispatchSourceSignal] = []
    init(_ signals: [Int32], handler: @escaping @Sendable () -> Void) {
        for s in signals {
            signal(s, SIG_IGN)
            let src = DispatchSource.makeSignalSource(signal: s, queue: .global())
            src.setEventHandler(handler: handler)
            src.resume()
            sources.append(src)
        }
    }
    func cancel() { for s in sources { s.cancel() } }
}

enum Timestamp {
    static func now() -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        return f.string(from: Date())
    }
    static func compact() -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        return f.string(from: Date())
    }
}

extension Duration {
    var secondsValue: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
