#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import COpenBLAS
import OMPPlan

/// The child side of a probe: parses its arguments, runs the plan step by step and
/// reports every event on stdout with ``ProbeProtocol`` records.
///
/// Exit status: 0 all checks passed; 1 a workload check failed; 2 bad usage;
/// 3 a runtime could not be loaded or is not an OpenMP runtime.
package enum ProbeEngine {
    /// Opens a runtime named in `--runtime NAME=PATH`.
    package typealias Opener = (_ name: String, _ path: String) throws(LoadedRuntime.LoadError) -> any ParallelRuntime
    /// Writes one ``ProbeProtocol`` record.
    package typealias Reporter = (_ kind: ProbeProtocol.Kind, _ fields: String) -> Void

    /// `omp-probe`: runtimes are opened by path (``openByPath(_:_:)``), records go to stdout
    /// (``writeRecord(_:_:)``).
    package static func main(_ arguments: [String]) -> Int32 {
        main(arguments, open: openByPath, report: writeRecord)
    }

    /// Opens a runtime with `dlopen`, as a ``LoadedRuntime``.
    package static func openByPath(_ name: String, _ path: String) throws(LoadedRuntime.LoadError) -> any ParallelRuntime {
        try LoadedRuntime(name: name, path: path)
    }

    /// Writes one record to stdout, unbuffered.
    package static func writeRecord(_ kind: ProbeProtocol.Kind, _ fields: String) { Output.record(kind, fields) }

    /// The engine with its two dependencies named: how a runtime is opened, and where the
    /// records go. Every record of the run passes through `report`, in order, on the thread
    /// that runs the plan.
    package static func main(_ arguments: [String], open: @escaping Opener, report: @escaping Reporter) -> Int32 {
        let lifeline = Lifeline.start()
        var tool: Observation.Tool?
        var runtimes: [(String, String)] = []
        var stepsText: String?
        var quiet = false
        var i = 1
        func usage(_ why: String) -> Int32 {
            Output.error("omp-probe: \(why)\nusage: omp-probe --runtime NAME=PATH ... --steps 'load NAME; init NAME; ...' [--ompt-tool PATH] [--quiet]\n       omp-probe --blas-info")
            return 2
        }
        while i < arguments.count {
            let a = arguments[i]
            switch a {
            case "--runtime":
                guard i + 1 < arguments.count else { return usage("--runtime needs NAME=PATH") }
                let kv = arguments[i + 1].split(separator: "=", maxSplits: 1).map(String.init)
                guard kv.count == 2, !kv[1].isEmpty else { return usage("--runtime needs NAME=PATH, got '\(arguments[i + 1])'") }
                runtimes.append((kv[0], kv[1]))
                i += 2
            case "--steps":
                guard i + 1 < arguments.count else { return usage("--steps needs a plan") }
                stepsText = arguments[i + 1]
                i += 2
            case "--ompt-tool":
                guard i + 1 < arguments.count else { return usage("--ompt-tool needs the path of the kit's OMPT tool library") }
                tool = Observation.Tool(path: arguments[i + 1])
                i += 2
            case "--quiet":
                quiet = true; i += 1
            case "--blas-info":
                Output.line(String(cString: omp_blas_corename()))
                return 0
            default:
                return usage("unknown argument '\(a)'")
            }
        }
        guard let stepsText else { return usage("--steps is required") }
        let plan: Plan
        do {
            plan = try Plan.parse(stepsText)
            try plan.validate(declared: runtimes.map(\.0))
        } catch {
            return usage("bad plan: \(error)")
        }
        var runner = Runner(paths: Dictionary(runtimes, uniquingKeysWith: { $1 }), quiet: quiet, open: open, report: report)
        runner.tool = tool
        runner.lifelineThreads = lifeline ? 1 : 0
        return runner.run(plan)
    }
}

struct Runner {
    let paths: [String: String]
    let quiet: Bool
    let openRuntime: ProbeEngine.Opener
    let report: ProbeEngine.Reporter
    var loaded: [String: any ParallelRuntime] = [:]
    var maps = MappedRuntimes()
    var index: FlatIndex?
    /// The kit's OMPT tool, when it was given and could be opened.
    var tool: Observation.Tool?
    /// Threads of the probe's own that are not the work's (the lifeline).
    var lifelineThreads = 0
    let mainThread = currentThreadID()

    init(paths: [String: String], quiet: Bool, open: @escaping ProbeEngine.Opener, report: @escaping ProbeEngine.Reporter) {
        self.paths = paths; self.quiet = quiet; self.openRuntime = open; self.report = report
    }

    mutating func run(_ plan: Plan) -> Int32 {
        report(.pid, String(getpid()))
        report(.blas, String(cString: omp_blas_corename()))
        reportMapped()
        var failed = 0
        for (n, step) in plan.steps.enumerated() {
            let no = n + 1
            report(.begin, "\(no) \(step.text)")
            let ledger = StepLedger()
            if let code = execute(step, no: no, ledger: ledger) { return code }
            ledger.checkTeams()
            for c in ledger.checks {
                report(.check, "\(no) \(c.name) \(c.passed ? "pass" : "fail") \(oneLine(c.detail))")
                if !c.passed { failed += 1 }
            }
            for (rt, t) in ledger.minTeam { report(.threads, "\(no) \(rt) \(t)") }
            report(.end, String(no))
        }
        reportObservations(plan)
        report(.done, "\(plan.steps.count) \(failed)")
        return failed == 0 ? 0 : 1
    }

    private mutating func reportMapped() {
        for (fam, path) in maps.scan() { report(.mapped, "\(fam.rawValue) \(path)") }
    }

    /// `started`, `teamthreads` and `osthreads` records, after the last step.
    private func reportObservations(_ plan: Plan) {
        let osThreads = Observation.osThreads()
        let bases = tool?.startedBases() ?? []
        var all: Set<UInt> = []
        var reported: Set<UInt> = []
        for name in plan.loadedRuntimes {
            guard let r = loaded[name] as? LoadedRuntime else { continue }
            // Two names of one file the loader mapped once are one runtime: reported under the first name.
            if reported.insert(r.objectBase).inserted, let (yes, how) = Observation.started(r, tool: tool, startedBases: bases) {
                report(.started, "\(name) \(yes ? "yes" : "no") \(how)")
            }
            let team = r.teamThreads
            guard !team.isEmpty else { continue }
            let counted = team.union([mainThread])
            all.formUnion(counted)
            report(.teamthreads, "\(name) \(counted.count)")
        }
        // Runtimes reached through consumer libraries (or preloaded): named by their file.
        if tool != nil {
            for m in maps.seen where m.family == .kmp && !reported.contains(m.base) {
                reported.insert(m.base)
                guard MappedRuntimes.defines("ompt_start_tool", path: m.path, base: m.base) else { continue }
                let file = String((m.path.split(separator: "/").last ?? "").map { $0 == " " ? "_" : $0 })
                report(.started, "\(file.isEmpty ? "runtime" : file) \(bases.contains(m.base) ? "yes" : "no") ompt")
            }
        }
        if !all.isEmpty { report(.teamthreads, "* \(all.count)") }
        if let osThreads { report(.osthreads, String(osThreads - lifelineThreads)) }
    }

    private func rt(_ name: String) -> any ParallelRuntime { loaded[name]! }

    /// Runs one step; returns an exit code when the probe must stop.
    private mutating func execute(_ step: Step, no: Int, ledger: StepLedger) -> Int32? {
        switch step {
        case .load(let name):
            guard let path = paths[name] else { return fail(no, "runtime '\(name)' has no path") }
            do {
                loaded[name] = try openRuntime(name, path)
            } catch {
                switch error {
                case .dlopen(let why): return fail(no, "dlopen: \(why)")
                case .notOpenMP(let why): return fail(no, "not-openmp: \(why)")
                }
            }
            reportMapped()
        case .initialize(let name):
            let n = rt(name).initialize()
            ledger.check("init-\(name)", n >= 1, "omp_get_max_threads() = \(n)")
        case .setenv(let k, let v):
            setenv(k, v, 1)
        case .unsetenv(let k):
            unsetenv(k)
        case .parallel(let name):
            let r = rt(name)
            ledger.team(r, r.parallelFor(r.initialize() > 0 ? 1024 : 0) { _, _ in })
        case .train(let name, let s):
            TrainingLoop(dim: s.value("dim", default: Sizes.Defaults.dim),
                         batch: s.value("batch", default: Sizes.Defaults.batch),
                         steps: s.value("steps", default: Sizes.Defaults.steps),
                         quiet: quiet).run(on: rt(name), ledger: ledger)
        case .infer(let name, let s):
            Inference(dim: s.value("dim", default: Sizes.Defaults.dim),
                      batch: s.value("batch", default: Sizes.Defaults.batch)).run(on: rt(name), ledger: ledger)
        case .add(_, let s):
            addVectors(s)
            ledger.check("add", true, "\(index!.count) vectors of dim \(index!.dim) in the index (no parallel region)")
        case .index(let name, let s):
            addVectors(s)
            search(name, s, ledger: ledger)
        case .search(let name, let s):
            search(name, s, ledger: ledger)
        case .serve(let a, let b, let s):
            if index == nil { addVectors(s) }
            let server = Server(a: rt(a), b: rt(b),
                                requests: s.value("requests", default: Sizes.Defaults.requests),
                                threads: s.value("threads", default: Sizes.Defaults.threads),
                                infer: Inference(dim: index!.dim, batch: s.value("batch", default: Sizes.Defaults.batch)),
                                index: index!, queries: s.value("queries", default: 1), k: s.value("k", default: Sizes.Defaults.k))
            server.run(into: ledger)
        case .race(let a, let b):
            Concurrency.race(rt(a), rt(b), into: ledger)
        case .nest(let a, let b):
            Concurrency.nest(outer: rt(a), inner: rt(b), into: ledger)
        case .consumer(let name, let global):
            guard let path = paths[name] else { return fail(no, "consumer '\(name)' has no path") }
            switch Consumer.open(path, global: global) {
            case .failure(.dlopen(let why)): return fail(no, "dlopen: \(why)")
            case .failure(.notOpenMP(let why)): return fail(no, "not-openmp: \(why)")
            case .success(let f):
                reportMapped()
                Consumer.run(name, f, into: ledger)
            }
        }
        return nil
    }

    private mutating func addVectors(_ s: Sizes) {
        let d = s.value("dim", default: index?.dim ?? Sizes.Defaults.dim)
        let n = s.value("n", default: Sizes.Defaults.vectors)
        var rng = SplitMix64(seed: 0xFA155)
        let data = FloatBuffer(n * d, zero: false); rng.fill(data.p, n * d)
        if index == nil || index!.dim != d { index = FlatIndex(dim: d, capacity: n) }
        index!.add(data.p, count: n)
    }

    private func search(_ name: String, _ s: Sizes, ledger: StepLedger) {
        let idx = index!
        let nq = s.value("queries", default: Sizes.Defaults.queries), k = s.value("k", default: Sizes.Defaults.k)
        var rng = SplitMix64(seed: 0x9E7)
        let q = FloatBuffer(nq * idx.dim, zero: false); rng.fill(q.p, nq * idx.dim)
        let res = idx.search(q.p, nq: nq, k: k, runtime: rt(name), ledger: ledger)
        let (ok, why) = checkTopK(index: idx, queries: q.p, nq: nq, k: k, ids: res.ids)
        ledger.check("search-topk", ok, why)
        if !quiet {
            let top = (0..<min(k, idx.count)).map { String(res.ids[$0]) }.joined(separator: ",")
            Output.line("Search: \(nq) queries over \(idx.count) vectors, query 0 top-\(min(k, idx.count)) = [\(top)]")
        }
    }

    private func fail(_ no: Int, _ why: String) -> Int32 {
        report(.error, "\(no) \(oneLine(why))")
        return 3
    }

    private func oneLine(_ s: String) -> String {
        String(s.map { $0 == "\n" || $0 == "\r" ? " " : $0 })
    }
}
