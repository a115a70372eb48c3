#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// A web-server-like loop: `threads` worker threads take requests from a shared counter;
/// each request runs inference in runtime A and a search in runtime B, as a FastAPI
/// service wrapping a model and a FAISS index would.
final class Server: @unchecked Sendable {
    let a: any ParallelRuntime, b: any ParallelRuntime
    let requests: Int, threads: Int
    let infer: Inference
    let model: Inference.Model
    let index: FlatIndex
    let queries: Int, k: Int
    let next = Atomic<Int>(0)
    let lock = Mutex<[StepLedger]>([])

    init(a: any ParallelRuntime, b: any ParallelRuntime, requests: Int, threads: Int, infer: Inference,
         index: FlatIndex, queries: Int, k: Int) {
        self.a = a; self.b = b; self.requests = requests; self.threads = threads
        self.infer = infer; self.index = index; self.queries = queries; self.k = k
        model = Inference.Model(dim: infer.dim, seed: infer.seed)
    }

    func worker() {
        let ledger = StepLedger()
        var rng = SplitMix64(seed: UInt64(currentThreadID()))
        let q = FloatBuffer(queries * index.dim, zero: false)
        var served = 0
        while true {
            let r = next.wrappingAdd(1, ordering: .relaxed).oldValue
            if r >= requests { break }
            infer.run(on: a, model: model, ledger: ledger, inputSeed: UInt64(r + 1))
            rng.fill(q.p, queries * index.dim)
            let res = index.search(q.p, nq: queries, k: k, runtime: b, ledger: ledger)
            let (ok, why) = checkTopK(index: index, queries: q.p, nq: queries, k: k, ids: res.ids, sample: 2)
            if !ok { ledger.check("serve-search", false, "request \(r): \(why)") }
            served += 1
        }
        ledger.check("serve-worker", true, "served \(served) requests")
        lock.withLock { $0.append(ledger) }
    }

    func run(into ledger: StepLedger) {
        let started = runConcurrently((0..<threads).map { _ in { @Sendable in self.worker() } })
        let all = lock.withLock { $0 }
        var failures: [Check] = []
        var servedDetail: [String] = []
        for l in all {
            for c in l.checks where !c.passed { failures.append(c) }
            for c in l.checks where c.name == "serve-worker" { servedDetail.append(c.detail) }
            for (rt, n) in l.minTeam {
                let r = rt == a.name ? a : b
                ledger.team(r, n)
            }
        }
        ledger.check("serve-threads", started == threads, "\(started) of \(threads) worker threads started")
        let done = next.load(ordering: .relaxed) >= requests
        ledger.check("serve-requests", done, done ? "all \(requests) requests served (\(servedDetail.joined(separator: ", ")))" : "requests left unserved")
        if let f = failures.first {
            ledger.check(f.name, false, f.detail + (failures.count > 1 ? " (and \(failures.count - 1) more)" : ""))
        } else {
            ledger.check("serve-results", true, "every request's inference and search matched the serial reference")
        }
    }
}
