import OMPProbeCore
#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

// omp-kernel-bench: the native side of Bench/kernel_bench.py. Prints `key value` lines.
//   omp-kernel-bench info
//   omp-kernel-bench search --runtime LIB --data F --queries F --nb N --nq N --d N --k N --ids F [--scores F] [--repeats N] [--qblock N] [--dblock N]
//   omp-kernel-bench sgemm --data F --queries F --nb N --nq N --d N [--threads N] [--repeats N]
//   omp-kernel-bench train --runtime LIB --batch N [--steps N] [--repeats N] [--fused 1]

func fail(_ message: String, code: Int32 = 2) -> Never {
    let line = "omp-kernel-bench: \(message)\n"
    _ = line.withCString { write(2, $0, strlen($0)) }
    exit(code)
}

let args = Array(CommandLine.arguments.dropFirst())
let opts: [String: String] = {
    var o: [String: String] = [:]
    var i = 1
    while i < args.count {
        guard args[i].hasPrefix("--"), i + 1 < args.count else { fail("unexpected argument \(args[i])") }
        o[String(args[i].dropFirst(2))] = args[i + 1]
        i += 2
    }
    return o
}()
func str(_ k: String) -> String {
    guard let v = opts[k] else { fail("missing --\(k)") }
    return v
}
func int(_ k: String, _ def: Int? = nil) -> Int {
    if let v = opts[k] {
        guard let n = Int(v) else { fail("--\(k) wants an integer") }
        return n
    }
    guard let d = def else { fail("missing --\(k)") }
    return d
}
func env(_ k: String) -> String { getenv(k).map { String(cString: $0) } ?? "" }
func list(_ xs: [Double]) -> String { xs.map { "\($0)" }.joined(separator: " ") }
func timing(_ prefix: String, _ t: KernelBench.Timing) {
    print("\(prefix)_wall \(list(t.wall))")
    print("\(prefix)_cpu \(list(t.cpu))")
}
func common() {
    print("corename \(KernelBench.corename)")
    print("coretype_env \(env("OPENBLAS_CORETYPE").isEmpty ? "-" : env("OPENBLAS_CORETYPE"))")
    print("omp_num_threads_env \(env("OMP_NUM_THREADS").isEmpty ? "-" : env("OMP_NUM_THREADS"))")
    print("openblas_num_threads_env \(env("OPENBLAS_NUM_THREADS").isEmpty ? "-" : env("OPENBLAS_NUM_THREADS"))")
}

do {
    switch args.first ?? "" {
    case "info":
        common()
        print("config \(KernelBench.config)")
        print("blas_threads \(KernelBench.blasThreads)")
    case "search":
        common()
        let r = try KernelBench.search(
            runtimePath: str("runtime"), dataPath: str("data"), queriesPath: str("queries"),
            nb: int("nb"), nq: int("nq"), d: int("d"), k: int("k"), idsOut: str("ids"), scoresOut: opts["scores"],
            repeats: int("repeats", 5), queryBlock: opts["qblock"].flatMap { Int($0) }, dbBlock: opts["dblock"].flatMap { Int($0) })
        print("blas_threads \(KernelBench.blasThreads)")
        timing("search", r.timing)
        print("team \(r.team)")
        print("blocks queryBlock=\(r.queryBlock) dbBlock=\(r.dbBlock)")
        print("repeatable \(r.repeatable)")
        print("reference_ok \(r.referenceOK)")
        print("reference_detail \(r.referenceDetail)")
    case "sgemm":
        common()
        let t = try KernelBench.bareSGEMM(dataPath: str("data"), queriesPath: str("queries"),
                                          nb: int("nb"), nq: int("nq"), d: int("d"),
                                          threads: int("threads", 2), repeats: int("repeats", 5))
        print("blas_threads \(KernelBench.blasThreads)")
        timing("sgemm", t)
    case "train":
        common()
        let r = try KernelBench.train(runtimePath: str("runtime"), batch: int("batch"),
                                      steps: int("steps", 50), repeats: int("repeats", 3),
                                      fused: opts["fused"] == "1")
        print("blas_threads \(KernelBench.blasThreads)")
        timing("step", r.timing)
        print("team \(r.team)")
        print("loss_first \(r.firstLoss)")
        print("loss_last \(r.lastLoss)")
        print("adam_matches_serial \(r.adamMatchesSerial)")
        print("grad_matches_reference \(r.gradientMatchesReference)")
    default:
        fail("usage: omp-kernel-bench info | search ... | sgemm ... | train ...")
    }
} catch {
    fail("\(error)", code: 1)
}
