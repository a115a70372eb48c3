import ArgumentParser
import Foundation
import OMPPlan
import OpenMPConformance

/// `omp-matrix bench`: how long the kit's own measurements take on this host.
///
/// Times one training probe, the hang-at-exit verdict, the whole default matrix, and
/// (optionally) the Python anchor `Bench/python_verification.py`, and prints the BLAS
/// kernel and thread counts the probes ran with. Not part of CI.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Time a probe, the hang-at-exit verdict, the default matrix and (optionally) the Python anchor.",
        discussion: """
        Figures are median, min and max over --repeats runs (the matrix runs once). Build in release \
        mode and point OMP_PROBE at a release omp-probe, or the figures measure a debug build.
        """
    )

    @Option(help: "Runs per timed figure.")
    var repeats: Int = 15

    @Flag(help: "Do not run the whole default matrix.")
    var skipMatrix = false

    @Option(help: ArgumentHelp("A Python with numpy and faiss-cpu: also time Bench/python_verification.py with it.", valueName: "path"))
    var python: String?

    @Option(help: "Output format: text or json.")
    var format: TextOrJSON = .text

    func validate() throws {
        guard repeats >= 1, repeats <= 1000 else { throw ValidationError("--repeats must be between 1 and 1000, got \(repeats)") }
        if let python, !FileManager.default.isExecutableFile(atPath: python) {
            throw ValidationError("--python '\(python)' is not an executable file")
        }
    }

    func run() async throws {
        let catalog: RuntimeCatalog
        do { catalog = try RuntimeCatalog() } catch { throw ToolExit.badInput("\(error)") }
        guard let l14 = catalog.runtime(named: "llvm14"), let l16 = catalog.runtime(named: "llvm16") else {
            throw ToolExit.badInput("bench needs runtimes 'llvm14' and 'llvm16' in \(catalog.manifestURL.path) (have: \(catalog.names.joined(separator: ", ")))")
        }
        var report = BenchReport(repeats: repeats)
        let blas = HostEnvironment.shared.blas
        report.blas = .init(corename: blas.corename, source: blas.source, openblasGuess: blas.openblasGuess,
                            cpuFlagsBest: blas.cpuFlagsBest,
                            ompNumThreads: ProbeEnvironment.pinned["OMP_NUM_THREADS"] ?? "?",
                            openblasNumThreads: ProbeEnvironment.pinned["OPENBLAS_NUM_THREADS"] ?? "?")

        // 1. One training probe.
        let trainPlan = "load a; init a; train a"
        let trainConfig = Probe.Configuration(runtimes: [RuntimeBinding(name: "a", path: l14.path)],
                                              plan: try Plan.parse(trainPlan))
        report.probe = await Self.timeProbes(trainConfig, plan: trainPlan, runtimes: "a=llvm14", repeats: repeats)
        progress("probe: \(report.probe!.summaryLine)")

        // 2. Hang-at-exit verdict latency.
        let hangPlan = "load a; init a; load b; init b; parallel a; parallel b"
        let hangConfig = Probe.Configuration(runtimes: [RuntimeBinding(name: "a", path: l14.path), RuntimeBinding(name: "b", path: l16.path)],
                                             plan: try Plan.parse(hangPlan), environment: ["KMP_DUPLICATE_LIB_OK": "TRUE"])
        report.hangAtExit = await Self.timeProbes(hangConfig, plan: hangPlan, runtimes: "a=llvm14 b=llvm16, KMP_DUPLICATE_LIB_OK=TRUE",
                                                  repeats: repeats)
        progress("hang-at-exit: \(report.hangAtExit!.summaryLine)")

        // 3. The whole default matrix, once.
        if !skipMatrix {
            let loaded = try SelectionOptions.parse([]).load()
            let before = Self.peakRSSKiB()
            let clock = ContinuousClock()
            let start = clock.now
            let results = await MatrixRunner(cells: loaded.cells).run()
            let wall = Self.seconds(clock.now - start)
            let testable = loaded.cells.filter { $0.testability.isTestable }
            report.matrix = .init(cells: loaded.cells.count, testableCells: testable.count,
                                  distinctProbes: Set(testable.map(\.probeKey)).count,
                                  resultsReturned: results.count,
                                  refuted: results.filter { $0.verdict == .refuted }.count,
                                  wallSeconds: wall, cellsPerSecond: wall > 0 ? Double(loaded.cells.count) / wall : 0,
                                  peakRSSKiBBefore: before, peakRSSKiB: Self.peakRSSKiB())
            progress(String(format: "matrix: %d cells in %.2f s", loaded.cells.count, wall))
        }

        // 4. The Python anchor.
        if let python {
            report.python = try Self.timePython(python, repeats: repeats)
            if let p = report.python, let probe = report.probe, probe.wallMilliseconds.median > 0 {
                report.pythonOverProbe = p.wallMilliseconds.median / probe.wallMilliseconds.median
            }
        }

        if format == .json {
            let enc = JSONEncoder()
            enc.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try enc.encode(report), as: UTF8.self))
        } else {
            print(report.text)
        }
    }

    private func progress(_ s: String) {
        FileHandle.standardError.write(Data(("bench: " + s + "\n").utf8))
    }

    static func timeProbes(_ config: Probe.Configuration, plan: String, runtimes: String, repeats: Int) async -> BenchReport.ProbeFigures {
        let clock = ContinuousClock()
        var wall: [Double] = [], own: [Double] = [], exitWait: [Double] = []
        var outcomes: [String: Int] = [:]
        for _ in 0..<repeats {
            let start = clock.now
            let r = await Probe.run(config)
            wall.append(seconds(clock.now - start) * 1000)
            own.append(r.durationSeconds * 1000)
            if let w = r.exitWaitMilliseconds { exitWait.append(w) }
            outcomes[r.outcome.rawValue, default: 0] += 1
        }
        return .init(plan: plan, runtimes: runtimes, outcomes: outcomes, wallMilliseconds: .init(wall),
                     durationMilliseconds: .init(own), exitWaitMilliseconds: exitWait.isEmpty ? nil : .init(exitWait),
                     exitWaitSamples: exitWait.count)
    }

    static func timePython(_ python: String, repeats: Int) throws -> BenchReport.PythonFigures {
        let script = Self.pythonScript()
        guard FileManager.default.fileExists(atPath: script) else {
            throw ToolExit.badInput("cannot find the Python anchor at \(script)")
        }
        var env = ProcessInfo.processInfo.environment
        env["OMP_NUM_THREADS"] = ProbeEnvironment.pinned["OMP_NUM_THREADS"]
        env["OPENBLAS_NUM_THREADS"] = ProbeEnvironment.pinned["OPENBLAS_NUM_THREADS"]
        let clock = ContinuousClock()
        var wall: [Double] = []
        var failures = 0
        for _ in 0..<repeats {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: python)
            p.arguments = [script]
            p.environment = env
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            let start = clock.now
            do { try p.run() } catch { throw ToolExit.badInput("cannot run \(python): \(error)") }
            p.waitUntilExit()
            wall.append(seconds(clock.now - start) * 1000)
            if p.terminationStatus != 0 || p.terminationReason != .exit { failures += 1 }
        }
        return .init(python: python, script: script, failures: failures, wallMilliseconds: .init(wall))
    }

    /// `Bench/python_verification.py` under the package root (or the current directory).
    static func pythonScript() -> String {
        let rel = "Bench/python_verification.py"
        if let root = RuntimeCatalog.packageRoot() {
            let p = root.appendingPathComponent(rel).path
            if FileManager.default.fileExists(atPath: p) { return p }
        }
        return URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(rel).path
    }

    static func seconds(_ d: Duration) -> Double {
        let c = d.components
        return Double(c.seconds) + Double(c.attoseconds) / 1e18
    }

    /// This process's peak resident set in KiB (`getrusage`: `ru_maxrss` is KiB on Linux, bytes on macOS).
    static func peakRSSKiB() -> Int? {
        var u = rusage()
        guard getrusage(0 /* RUSAGE_SELF on Linux and macOS */, &u) == 0 else { return nil }
        #if canImport(Darwin)
        return Int(u.ru_maxrss) / 1024
        #else
        return Int(u.ru_maxrss)
        #endif
    }
}

/// Everything `omp-matrix bench` measured.
struct BenchReport: Codable {
    var repeats: Int
    var blas: BLAS?
    var probe: ProbeFigures?
    var hangAtExit: ProbeFigures?
    var matrix: MatrixFigures?
    var python: PythonFigures?
    /// Python anchor median wall time over the probe's median wall time.
    var pythonOverProbe: Double?

    init(repeats: Int) { self.repeats = repeats }

    /// Median, min and max of a sample.
    struct Stats: Codable {
        var median: Double, min: Double, max: Double, count: Int
        init(_ xs: [Double]) {
            let s = xs.sorted()
            count = s.count
            min = s.first ?? 0; max = s.last ?? 0
            if s.isEmpty { median = 0 } else if s.count % 2 == 1 { median = s[s.count / 2] } else { median = (s[s.count / 2 - 1] + s[s.count / 2]) / 2 }
        }
        var line: String { String(format: "median %8.1f  min %8.1f  max %8.1f  (n=%d)", median, min, max, count) }
    }

    struct BLAS: Codable {
        var corename: String, source: String, openblasGuess: String?, cpuFlagsBest: String?
        var ompNumThreads: String, openblasNumThreads: String
    }

    struct ProbeFigures: Codable {
        var plan: String
        var runtimes: String
        var outcomes: [String: Int]
        var wallMilliseconds: Stats
        var durationMilliseconds: Stats
        var exitWaitMilliseconds: Stats?
        var exitWaitSamples: Int
        var outcomeLine: String { outcomes.keys.sorted().map { "\($0) ×\(outcomes[$0]!)" }.joined(separator: ", ") }
        var summaryLine: String { String(format: "median wall %.1f ms; ", wallMilliseconds.median) + outcomeLine }
    }

    struct MatrixFigures: Codable {
        var cells: Int, testableCells: Int, distinctProbes: Int, resultsReturned: Int, refuted: Int
        var wallSeconds: Double, cellsPerSecond: Double
        /// VmHWM before the matrix ran (the earlier sections' peak) and after it.
        var peakRSSKiBBefore: Int?, peakRSSKiB: Int?
    }

    struct PythonFigures: Codable {
        var python: String, script: String, failures: Int
        var wallMilliseconds: Stats
    }

    var text: String {
        var out: [String] = ["omp-matrix bench (repeats: \(repeats))", ""]
        if let b = blas {
            out.append("OpenBLAS kernel")
            out.append("  corename          \(b.corename)")
            out.append("  source            \(b.source)")
            out.append("  openblas guess    \(b.openblasGuess ?? "-")")
            out.append("  cpu-flags best    \(b.cpuFlagsBest ?? "-")")
            out.append("  threads           OMP_NUM_THREADS=\(b.ompNumThreads) (pinned), OPENBLAS_NUM_THREADS=\(b.openblasNumThreads)")
            out.append("")
        }
        for (title, f) in [("Probe", probe), ("Hang-at-exit verdict", hangAtExit)] {
            guard let f else { continue }
            out.append("\(title): \(f.plan)   [\(f.runtimes)]")
            out.append("  outcomes                 \(f.outcomeLine)")
            out.append("  wall per probe (ms)      \(f.wallMilliseconds.line)")
            out.append("  probe duration (ms)      \(f.durationMilliseconds.line)")
            if let e = f.exitWaitMilliseconds { out.append("  exit wait (ms)           \(e.line)") }
            else if title != "Probe" { out.append("  exit wait (ms)           none reported") }
            out.append("")
        }
        if let m = matrix {
            out.append("Default matrix (one run)")
            out.append("  cells                    \(m.cells) (testable \(m.testableCells), distinct probes \(m.distinctProbes))")
            out.append("  results                  \(m.resultsReturned) (refuted \(m.refuted))")
            out.append(String(format: "  wall                     %.2f s   (%.2f cells/s)", m.wallSeconds, m.cellsPerSecond))
            out.append("  runner peak RSS (VmHWM)  \(m.peakRSSKiB.map { "\($0) KiB" } ?? "-") (before the matrix: \(m.peakRSSKiBBefore.map { "\($0) KiB" } ?? "-"))")
            out.append("")
        }
        if let p = python {
            out.append("Python anchor: \(p.python) \(p.script)")
            out.append("  wall per process (ms)    \(p.wallMilliseconds.line)")
            out.append("  failed runs              \(p.failures)")
            if let probe {
                out.append(String(format: "  median python %.1f ms vs probe %.1f ms: ratio (python / probe) %.2f",
                                  p.wallMilliseconds.median, probe.wallMilliseconds.median, pythonOverProbe ?? .nan))
            }
        }
        return out.joined(separator: "\n")
    }
}
