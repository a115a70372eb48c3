import ArgumentParser
import Foundation
import OpenMPConformance

/// `omp-matrix atlas`: every ordered pair of the catalog's runtimes, measured here.
struct AtlasCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "atlas",
        abstract: "Run every ordered pair of real OpenMP runtimes, with and without the variable, and print the grid.",
        discussion: """
        Per ordered pair (A started first, B second): without the variable (load A, start A, load B, start B); \
        with KMP_DUPLICATE_LIB_OK=TRUE exported, in the same order; and exported with B loaded first. The \
        diagonal pairs a runtime with its copy where the catalog has one, else loads the same file twice as a \
        control. A probe that neither passes nor aborts runs twice more. The atlas file (JSON) is written \
        atomically to results/atlas-<hostkey>-<UTC time>-<pid>.json, checkpointed as partial; Ctrl-C leaves a \
        valid partial file and no probe. Exit: 0 complete; 1 a cell differs from --baseline; 2 bad usage \
        (an unknown runtime name); 4 incomplete (a runtime not provisioned, or interrupted).
        """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case summary, md, json, html }

    /// Where the pairs run: this Linux host, or the Windows DLLs under Wine.
    enum Platform: String, ExpressibleByArgument, CaseIterable {
        case linux = "linux-x86_64"
        case windows = "windows-x86_64"
    }

    @Option(help: ArgumentHelp("linux-x86_64 (the runtimes this host loads) or windows-x86_64 (the Windows DLLs wheels ship, probed under Wine 8.0, not Windows).", valueName: "id"))
    var platform: Platform = .linux

    @Option(help: ArgumentHelp("Runtimes for the axes, comma-separated catalog names, or 'all'.", valueName: "names"))
    var runtimes: String = "all"

    @Option(help: "What to print or write: summary, md, json or html.") var format: Format = .summary

    @Option(help: ArgumentHelp("Write the rendering here instead of standard output.", valueName: "file"))
    var output: String?

    @Option(help: ArgumentHelp("Compare with this atlas file (exit 1 on any changed cell).", valueName: "file"))
    var baseline: String?

    @Option(help: ArgumentHelp("Render this atlas file instead of measuring.", valueName: "file"))
    var from: String?

    @Option(help: ArgumentHelp("Where the atlas file goes while measuring.", valueName: "file"))
    var results: String?

    @Flag(help: "Also write the snapshot Matrices/atlas/<host key>.json (windows-x86_64: Matrices/atlas/windows-x86_64/<host key>.json; a complete atlas only).")
    var writeSnapshot = false

    @Option(help: ArgumentHelp("Rewrite this README's generated atlas section from the atlas (nothing else is printed unless --output is given).", valueName: "file"))
    var readme: String?

    @Option(help: "Probes in flight at once (default: one per core, or OMP_CONFORMANCE_JOBS; windows-x86_64: two per core).") var jobs: Int?

    @Option(help: "Seconds a probe's steps may take before the outcome is 'hang'.") var timeout: Double = 20

    func validate() throws {
        if let j = jobs, j < 1 || j > 256 { throw ValidationError("--jobs must be from 1 to 256, got \(j)") }
        if let why = Duration.timeoutRefusal(timeout, largest: 3600) { throw ValidationError(why) }
        let names = runtimes.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        if names.contains(where: \.isEmpty) { throw ValidationError("--runtimes has an empty name: '\(runtimes)'") }
        if from != nil, writeSnapshot { throw ValidationError("--write-snapshot needs a measured atlas, not --from") }
    }

    func run() async throws {
        let atlas: AtlasResults
        if let from {
            do { atlas = try AtlasCodec.read(URL(fileURLWithPath: from)) } catch { throw ToolExit.badInput("\(error)") }
        } else {
            atlas = try await measure()
        }
        // What people read and what is checked in: no path of this machine (PortablePaths).
        let shown = atlas.portable(runtimesDirectories: PortablePaths.current().roots)
        // With --readme alone the README is the output; a rendering is printed only when asked for.
        if readme == nil || output != nil { try emit(format == .json ? atlas : shown) }
        if let readme {
            guard let text = try? String(contentsOfFile: readme, encoding: .utf8) else { throw ToolExit.badInput("cannot read \(readme)") }
            let new: String
            do { new = try AtlasReadmeSection.splice(AtlasReadmeSection.render(shown), into: text) } catch { throw ToolExit.badInput("\(readme): \(error)") }
            do { try AtomicFile.write(Data(new.utf8), to: URL(fileURLWithPath: readme)) } catch {
                throw ToolExit.internal("\(error)")
            }
            FileHandle.standardError.write(Data("omp-matrix: rewrote the atlas section of \(readme)\n".utf8))
        }
        if atlas.partial { throw ToolExit(code: .incomplete, message: "omp-matrix: the atlas is partial (interrupted)") }
        if let baseline {
            let base: AtlasResults
            do { base = try AtlasCodec.read(URL(fileURLWithPath: baseline)) } catch { throw ToolExit.badInput("\(error)") }
            // The one gate (`omp-matrix gate` takes an atlas file too).
            let report = Gate.compare(atlas: atlas, baseline: base)
            FileHandle.standardError.write(Data((TerminalText.block(report.text) + "\n").utf8))
            if !report.passed { throw ToolExit.unexpected }
        }
        if !atlas.notProvisioned.isEmpty {
            throw ToolExit(code: .incomplete, message: "omp-matrix: incomplete atlas: not provisioned: "
                           + atlas.notProvisioned.map(\.name).joined(separator: ", "))
        }
    }

    func emit(_ atlas: AtlasResults) throws {
        let text: String
        switch format {
        case .summary: text = AtlasSummaryReport.render(atlas) + "\n"
        case .md: text = AtlasMarkdownReport.render(atlas)
        case .html: text = AtlasHTMLReport.render(atlas)
        case .json:
            // In the current format, also for an older file given with --from.
            do { text = String(decoding: try ResultsDocument.atlas(atlas).current.encoded(), as: UTF8.self) } catch { throw ToolExit.internal("\(error)") }
        }
        if let output {
            do { try AtomicFile.write(Data(text.utf8), to: URL(fileURLWithPath: output)) } catch {
                throw ToolExit.writeFailed(output, error)
            }
        } else {
            FileHandle.standardOutput.write(Data(text.utf8))
        }
    }

    func measure() async throws -> AtlasResults {
        let catalog: RuntimeCatalog
        do { catalog = try RuntimeCatalog() } catch {
            throw ToolExit(code: .incomplete, message: "omp-matrix: \(error)")
        }
        let names: [String]? = runtimes == "all" ? nil
            : runtimes.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        // Trapped before a wineserver starts, so an interrupt at any point still stops it.
        let signals = SignalTrap([SIGINT, SIGTERM]) { Cancellation.request() }
        let plan: AtlasPlan
        var session: WineSession?
        do {
            switch platform {
            case .linux: plan = try AtlasPlan.make(catalog: catalog, names: names)
            case .windows:
                let dir = catalog.manifestURL.deletingLastPathComponent()
                var wine = WineLaunch.provisioned(in: dir)
                if case .success(let launch) = wine {
                    do { session = try WineSession.start(launch) } catch { wine = .failure(error) }
                }
                plan = try WindowsAtlas.plan(directory: dir, manifest: catalog.manifest, names: names, wine: wine)
                if case .failure(let why) = wine {
                    FileHandle.standardError.write(Data("omp-matrix: the Windows atlas is skipped: \(why)\n".utf8))
                }
            }
        } catch let e as AtlasError {
            throw ToolExit.badInput("--runtimes: \(e)")
        } catch { throw ToolExit.badInput("\(error)") }
        // No wineserver outlives the run: stopped at the end, on an error and after an interrupt.
        defer { session?.stop() }
        // Under Wine a probe mostly waits (Wine's server, the 500 ms an Error #15 abort takes): two per core.
        let twoPerCore = platform == .windows && ProcessInfo.processInfo.environment["OMP_CONFORMANCE_JOBS"] == nil
        let parallel = jobs ?? (twoPerCore ? 2 * ProbeLimiter.defaultLimit : ProbeLimiter.defaultLimit)
        if jobs != nil || platform == .windows { await ProbeLimiter.shared.setLimit(parallel) }
        let host = HostInfo.current(runtimes: catalog.runtimes)
        let atlasPlatform: AtlasPlatform? = platform == .windows ? .windows : nil
        let env = HostEnvironment.shared.probeEnvironment.record
        let started = Timestamp.now()
        let suffix = platform == .windows ? "-\(platform.rawValue)" : ""
        let url = URL(fileURLWithPath: results ?? "results/atlas-\(host.key)\(suffix)-\(Timestamp.compact())-\(getpid()).json")
        do { try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true) } catch {
            throw ToolExit.internal("cannot create \(url.deletingLastPathComponent().path): \(error)")
        }
        func file(_ cells: [AtlasCell], partial: Bool, timing: AtlasTiming? = nil) -> AtlasResults {
            AtlasResults(partial: partial, startedAt: started, finishedAt: partial ? nil : Timestamp.now(), host: host,
                         environment: env, runtimes: plan.runtimes, standIns: plan.standIns, cells: cells, timing: timing,
                         platform: atlasPlatform)
        }
        let empty = AtlasRunner.cells(of: plan)
        do { try AtlasCodec.write(file(empty, partial: true), to: url) } catch { throw ToolExit.internal("\(error)") }

        let runnable = plan.pairs.filter { $0.notRun == nil }.count
        FileHandle.standardError.write(Data("omp-matrix: \(platform == .windows ? "Windows atlas (\(WineTools.platformLabel))" : "atlas") of \(plan.runtimes.count) runtimes, \(runnable) of \(plan.pairs.count) pairs runnable, \(runnable * AtlasVariant.allCases.count) probes before repeats, on \(host.key)\n".utf8))
        let tty = isatty(2) == 1 && ProcessInfo.processInfo.environment["CI"] == nil
        let clock = ContinuousClock()
        let t0 = clock.now
        var lastCheckpoint = t0
        // Concurrent first use, nesting and the stack shapes are Linux probes (the Windows probe has no
        // race, nest or consumer steps).
        let linux = platform != .windows
        let runner = AtlasRunner(plan: plan, timeout: .timeoutOption(seconds: timeout), jobs: parallel, concurrency: linux,
                                 consumers: linux ? StackConsumers(runtimesDirectory: catalog.directory) : nil)
        let run = await runner.run { p in
            if tty {
                FileHandle.standardError.write(Data("\r[\(p.done)/\(p.total)] \(p.cell) \(p.step): \(p.outcome.rawValue)\u{1B}[K".utf8))
            } else if p.done % 50 == 0 || p.done == p.total {
                FileHandle.standardError.write(Data("[\(p.done)/\(p.total)] \(p.cell) \(p.step): \(p.outcome.rawValue)\n".utf8))
            }
            if clock.now - lastCheckpoint > .seconds(2) {
                lastCheckpoint = clock.now
                // A failed checkpoint is not fatal: the final write below reports its own failure.
                do { try AtlasCodec.write(file(p.cells, partial: true), to: url) } catch {
                    FileHandle.standardError.write(Data("omp-matrix: checkpoint failed: \(error)\n".utf8))
                }
            }
        }
        if tty { FileHandle.standardError.write(Data("\n".utf8)) }
        let wall = clock.now - t0
        let timing = AtlasTiming(wallSeconds: wall.secondsValue, probes: run.probes, repeats: run.repeats,
                                 peakRSSKiB: BenchCommand.peakRSSKiB(), jobs: parallel)
        var final = file(run.cells, partial: run.interrupted, timing: timing)
        final.concurrency = run.concurrency.isEmpty ? nil : run.concurrency
        final.shapes = run.shapes.isEmpty ? nil : run.shapes
        do { try AtlasCodec.write(final, to: url) } catch { throw ToolExit.internal("\(error)") }
        signals.cancel()
        FileHandle.standardError.write(Data("omp-matrix: atlas file \(url.path)\(final.partial ? " (partial)" : "")\n".utf8))
        if writeSnapshot {
            guard final.isComplete else {
                throw ToolExit(code: .incomplete, message: "omp-matrix: not writing the snapshot: the atlas is incomplete (\(final.partial ? "interrupted" : "not provisioned: " + final.notProvisioned.map(\.name).joined(separator: ", ")))")
            }
            let root = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
            let snapURL = platform == .windows ? WindowsAtlas.snapshotURL(hostKey: host.key, packageRoot: root)
                : Atlas.snapshotURL(hostKey: host.key, packageRoot: root)
            guard let snap = snapURL else {
                throw ToolExit.internal("no package root")
            }
            // Checked in: no path of this machine (runtime files relative to the cache, repro lines
            // with $OMP_CONFORMANCE_RUNTIMES and $OMP_PROBE), for either platform.
            let cache = catalog.directory.path
            let snapshot = final.portable(runtimesDirectories: [cache, catalog.directory.resolvingSymlinksInPath().path])
            do {
                try FileManager.default.createDirectory(at: snap.deletingLastPathComponent(), withIntermediateDirectories: true)
                try AtlasCodec.write(snapshot, to: snap)
            } catch { throw ToolExit.internal("\(error)") }
            FileHandle.standardError.write(Data("omp-matrix: wrote the snapshot \(snap.path)\n".utf8))
        }
        return final
    }
}
