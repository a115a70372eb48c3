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
        var rng = SplitMix64(seed: UInt64(bitPattern: Int64(pthread_self_id())))
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
        var tids: [pthread_t] = []
        let box = Unmanaged.passRetained(self)
        for _ in 0..<threads {
            #if canImport(Glibc)
            var t = pthread_t()
            #else
            var t: pthread_t? = nil
            #endif
            let rc = pthread_create(&t, nil, { raw in
                Unmanaged<Server>.fromOpaque(raw!).takeUnretainedValue().worker()
                return nil
            }, box.toOpaque())
            if rc == 0 {
                #if canImport(Glibc)
                tids.append(t)
                #else
                tids.append(t!)
                #endif
            }
        }
        for t in tids { pthread_join(t, nil) }
        box.release()
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
        ledger.check("serve-threads", tids.count == threads, "\(tids.count) of \(threads) worker threads started")
        let done = next.load(ordering: .relaxed) >= requests
        ledger.check("serve-requests", done, done ? "all \(requests) requests served (\(servedDetail.joined(separator: ", ")))" : "requests left unserved")
        if let f = failures.first {
            ledger.check(f.name, false, f.detail + (failures.count > 1 ? " (and \(failures.count - 1) more)" : ""))
        } else {
            ledger.check("serve-results", true, "every request's inference and search matched the serial reference")
        }
    }
}

private func pthread_self_id() -> Int {
    #if canImport(Glibc)
    return Int(bitPattern: UInt(pthread_self()))
    #else
    return Int(bitPattern: pthread_self())
    #endif
}
