#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import COpenBLAS
import OMPProbeCore

/// Timed runs of the probe's native kernels, for the side-by-side comparison with
/// faiss-cpu and numpy (`omp-kernel-bench`, driven by `Bench/kernel_bench.py`).
///
/// Every figure is wall-clock time from `CLOCK_MONOTONIC`; each run also records the
/// process CPU time it used, so the thread count actually at work can be read back
/// as CPU time ÷ wall time. Nothing here changes the kernels: the search is
/// ``FlatIndex``'s own, and the training step is the same maths as the probe's
/// training loop (forward sgemm, bias + MSE gradient in parallel, gW sgemm,
/// bias gradient and Adam in parallel).
public enum KernelBench {
    /// A failure to read inputs, write outputs or load the runtime.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        /// What went wrong, in words.
        public var description: String
    }

    /// Wall and CPU seconds of repeated runs of one figure.
    public struct Timing: Sendable {
        /// Wall seconds of each timed run, in run order.
        public var wall: [Double] = []
        /// Process CPU seconds (user + system) of each timed run, in run order.
        public var cpu: [Double] = []

        /// The median wall time.
        public var median: Double {
            let s = wall.sorted()
            guard !s.isEmpty else { return .nan }
            return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
        }
        /// The fastest run.
        public var min: Double { wall.min() ?? .nan }
        /// The slowest run.
        public var max: Double { wall.max() ?? .nan }
    }

    /// The outcome of ``search(runtimePath:dataPath:queriesPath:nb:nq:d:k:idsOut:scoresOut:repeats:queryBlock:dbBlock:)``.
    public struct SearchResult: Sendable {
        /// Timed searches (one warm-up run is not included).
        public var timing: Timing
        /// Distinct thread ids seen in the search's parallel region (smallest over runs).
        public var team: Int
        /// Whether every timed run returned the same ids as the first.
        public var repeatable: Bool
        /// The scalar Double reference check of sampled queries.
        public var referenceOK: Bool
        /// What the reference check found, in words.
        public var referenceDetail: String
        /// The index's `queryBlock` and `dbBlock` used (before the index caps the query
        /// block at a quarter of the queries).
        public var queryBlock: Int, dbBlock: Int
    }

    /// The outcome of ``train(runtimePath:batch:dim:steps:repeats:)``.
    public struct TrainResult: Sendable {
        /// Wall and CPU seconds per step, one entry per timed step over all repeats.
        public var timing: Timing
        /// Distinct thread ids seen in the step's parallel regions (smallest over all regions).
        public var team: Int
        /// Loss at the first and last timed step of the last repeat.
        public var firstLoss: Float, lastLoss: Float
        /// Whether the first step's parallel Adam update equals the serial one exactly.
        public var adamMatchesSerial: Bool
        /// Whether 32 sampled entries of the first step's gW match a scalar Double dYᵀ·x.
        public var gradientMatchesReference: Bool
    }

    /// The BLAS kernel in this process (`openblas_get_corename()`; `accelerate` on macOS).
    public static var corename: String { String(cString: omp_blas_corename()) }
    /// `openblas_get_config()` in this process (Accelerate's name on macOS).
    public static var config: String { String(cString: omp_blas_config()) }
    /// `openblas_get_num_threads()` in this process; -1 on macOS, where Accelerate decides.
    public static var blasThreads: Int { Int(omp_blas_get_num_threads()) }

    /// Wall seconds now (monotonic).
    static func now() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
    }

    /// Process CPU seconds so far (user + system, all threads).
    static func cpuNow() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
    }

    /// Reads exactly `count` little-endian float32 values from a raw file.
    static func readFloats(_ path: String, count: Int) throws(Failure) -> FloatBuffer {
        guard let f = fopen(path, "rb") else { throw Failure(description: "cannot open \(path)") }
        defer { fclose(f) }
        let buf = FloatBuffer(count, zero: false)
        let got = fread(buf.p, MemoryLayout<Float>.size, count, f)
        guard got == count else { throw Failure(description: "\(path): read \(got) floats, expected \(count)") }
        return buf
    }

    /// Writes an array's raw bytes to a file.
    static func writeRaw<T>(_ path: String, _ a: [T]) throws(Failure) {
        guard let f = fopen(path, "wb") else { throw Failure(description: "cannot create \(path)") }
        defer { fclose(f) }
        let written = a.withUnsafeBytes { fwrite($0.baseAddress!, 1, $0.count, f) == $0.count }
        guard written else { throw Failure(description: "short write to \(path)") }
    }

    static func loadRuntime(_ path: String) throws(Failure) -> LoadedRuntime {
        let rt: LoadedRuntime
        do { rt = try LoadedRuntime(name: "bench", path: path) } catch {
            throw Failure(description: "cannot load OpenMP runtime \(path): \(error)")
        }
        _ = rt.initialize()
        return rt
    }

    /// Flat inner-product search of `nq` queries against `nb` vectors (both raw float32
    /// files, row-major, `d` wide) with ``FlatIndex``, one untimed warm-up and `repeats`
    /// timed runs. Writes the top-`k` ids (int32) and scores (float32) of the last run.
    public static func search(runtimePath: String, dataPath: String, queriesPath: String,
                              nb: Int, nq: Int, d: Int, k: Int, idsOut: String, scoresOut: String?,
                              repeats: Int, queryBlock: Int? = nil, dbBlock: Int? = nil) throws(Failure) -> SearchResult {
        let rt = try loadRuntime(runtimePath)
        let index: FlatIndex
        do {
            let xb = try readFloats(dataPath, count: nb * d)
            index = FlatIndex(dim: d, capacity: nb)
            index.add(xb.p, count: nb)
        }
        if let q = queryBlock { index.queryBlock = q }
        if let b = dbBlock { index.dbBlock = b }
        let xq = try readFloats(queriesPath, count: nq * d)
        let ledger = StepLedger()
        var last = index.search(xq.p, nq: nq, k: k, runtime: rt, ledger: ledger)  // warm-up
        let first = last.ids
        var timing = Timing()
        var repeatable = true
        for _ in 0..<max(repeats, 1) {
            let c0 = cpuNow(), t0 = now()
            last = index.search(xq.p, nq: nq, k: k, runtime: rt, ledger: ledger)
            let t1 = now(), c1 = cpuNow()
            timing.wall.append(t1 - t0); timing.cpu.append(c1 - c0)
            if last.ids != first { repeatable = false }
        }
        let (ok, detail) = checkTopK(index: index, queries: xq.p, nq: nq, k: k, ids: last.ids, sample: 8)
        try writeRaw(idsOut, last.ids)
        if let s = scoresOut { try writeRaw(s, last.scores) }
        let team = ledger.minTeam.map(\.threads).min() ?? 0
        return SearchResult(timing: timing, team: team, repeatable: repeatable, referenceOK: ok, referenceDetail: detail,
                            queryBlock: index.queryBlock, dbBlock: index.dbBlock)
    }

    /// One bare `cblas_sgemm` computing the whole `nq`×`nb` score matrix (queries · dataᵀ),
    /// with OpenBLAS's own threads (`threads`, set for this process), one untimed warm-up
    /// and `repeats` timed calls. C[0,0] is checked against a scalar Double dot product.
    public static func bareSGEMM(dataPath: String, queriesPath: String, nb: Int, nq: Int, d: Int,
                                 threads: Int, repeats: Int) throws(Failure) -> Timing {
        omp_blas_set_num_threads(Int32(threads))
        let xb = try readFloats(dataPath, count: nb * d)
        let xq = try readFloats(queriesPath, count: nq * d)
        let c = FloatBuffer(nq * nb, zero: true)
        let call = {
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(nq), Int32(nb), Int32(d),
                        1, xq.p, Int32(d), xb.p, Int32(d), 0, c.p, Int32(nb))
        }
        call()  // warm-up: thread pool, page faults on C
        var timing = Timing()
        for _ in 0..<max(repeats, 1) {
            let c0 = cpuNow(), t0 = now()
            call()
            let t1 = now(), c1 = cpuNow()
            timing.wall.append(t1 - t0); timing.cpu.append(c1 - c0)
        }
        // Keep the result observable so the call cannot be dropped; sanity-check one entry.
        var ref = 0.0
        for t in 0..<d { ref += Double(xq.p[t]) * Double(xb.p[t]) }
        if !close(Double(c.p[0]), ref, rel: 1e-4, abs: 1e-4) {
            throw Failure(description: "bare sgemm C[0,0] = \(c.p[0]) but scalar reference = \(ref)")
        }
        return timing
    }

    /// Linear `dim`×`dim` + bias trained with Adam at `batch`: the probe's own training step
    /// (``TrainingLoop/step(_:_:on:ledger:checking:lossComputed:)``, on a fresh
    /// ``TrainingLoop/State``), timed per step: `repeats` fresh runs of `steps` steps each. Step 1
    /// of each run is a warm-up, is not timed, and runs the probe's serial checks (forward
    /// samples, loss, every Adam parameter); the timed steps skip the checks. Matrix products in
    /// OpenBLAS, element-wise work in parallel regions of the runtime at `runtimePath`.
    ///
    /// With `fused`, the same maths is laid out differently (a prototype, not what the probe
    /// runs): one parallel region per step in which each thread owns a slice of the output
    /// features and does, for that slice, the forward sgemm, bias + MSE gradient, the gW rows
    /// sgemm, the bias gradient and Adam, so both sgemms use every thread of the team.
    public static func train(runtimePath: String, batch b: Int, dim d: Int = 768,
                             steps: Int, repeats: Int, fused: Bool = false) throws(Failure) -> TrainResult {
        let rt = try loadRuntime(runtimePath)
        let loop = TrainingLoop(dim: d, batch: b, steps: max(steps, 2), quiet: true)
        var timing = Timing()
        var team = Int.max
        var firstLoss: Float = .nan, lastLoss: Float = .nan
        var adamOK = true, gradOK = true
        for _ in 0..<max(repeats, 1) {
            let state = TrainingLoop.State(dim: d, batch: b)
            for step in 1...loop.steps {
                let ledger = StepLedger()
                let c0 = cpuNow(), t0 = now()
                let loss = fused ? fusedStep(step, state, on: rt, ledger: ledger, learningRate: loop.learningRate)
                    : loop.step(step, state, on: rt, ledger: ledger, checking: step == 1)
                let t1 = now(), c1 = cpuNow()
                team = min(team, ledger.minTeam.map(\.threads).min() ?? 0)
                if step == 1 {
                    if fused {
                        adamOK = adamOK && fusedAdamMatchesSerial(state, learningRate: loop.learningRate)
                    } else {
                        adamOK = adamOK && ledger.checks.allSatisfy(\.passed)
                    }
                    // Sampled gW entries against a scalar Double dYᵀ·x.
                    var srng = SplitMix64(seed: 7)
                    for _ in 0..<32 {
                        let j = Int(srng.next() % UInt64(d)), k = Int(srng.next() % UInt64(d))
                        var ref = 0.0
                        for i in 0..<b { ref += Double(state.dY.p[i * d + j]) * Double(state.x.p[i * d + k]) }
                        if !close(Double(state.gW.p[j * d + k]), ref, rel: 1e-3, abs: 1e-7) { gradOK = false }
                    }
                } else {
                    timing.wall.append(t1 - t0); timing.cpu.append(c1 - c0)
                }
                if step == 2 { firstLoss = loss }
                lastLoss = loss
            }
        }
        return TrainResult(timing: timing, team: team == .max ? 0 : team,
                           firstLoss: firstLoss, lastLoss: lastLoss, adamMatchesSerial: adamOK, gradientMatchesReference: gradOK)
    }

    /// The fused prototype of one step (see ``train(runtimePath:batch:dim:steps:repeats:fused:)``).
    static func fusedStep(_ step: Int, _ state: TrainingLoop.State, on rt: LoadedRuntime, ledger: StepLedger,
                          learningRate lr: Float) -> Float {
        let d = state.dim, b = state.batch
        let x = state.x, target = state.target, w = state.w, bias = state.bias
        let mW = state.mW, vW = state.vW, mB = state.mB, vB = state.vB
        let yHat = state.yHat, dY = state.dY, gW = state.gW, gB = state.gB, partial = state.partial
        let beta1: Float = 0.9, beta2: Float = 0.999, eps: Float = 1e-8
        let n = b * d
        let scale = 2 / Float(n)
        let c1 = 1 - powf(beta1, Float(step)), c2 = 1 - powf(beta2, Float(step))
        let adam = AdamKernel(beta1: beta1, beta2: beta2, lr: lr, eps: eps, c1: c1, c2: c2)
        for t in 0..<RegionContext.maxThreads { partial.p[t] = 0 }
        ledger.team(rt, rt.parallelFor(d) { r, tid in
            let lo = r.lowerBound, nc = r.count
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(b), Int32(nc), Int32(d),
                        1, x.p, Int32(d), w.p + lo * d, Int32(d), 0, yHat.p + lo, Int32(d))
            var s: Float = 0
            for i in 0..<b {
                for j in r {
                    let y = yHat.p[i * d + j] + bias.p[j]
                    yHat.p[i * d + j] = y
                    let e = y - target.p[i * d + j]
                    dY.p[i * d + j] = scale * e
                    s += e * e
                }
            }
            partial.p[tid] += s
            cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, Int32(nc), Int32(d), Int32(b),
                        1, dY.p + lo, Int32(d), x.p, Int32(d), 0, gW.p + lo * d, Int32(d))
            for j in r {
                var g: Float = 0
                for i in 0..<b { g += dY.p[i * d + j] }
                gB.p[j] = g
            }
            adam.apply(w.p, gW.p, mW.p, vW.p, (lo * d)..<(r.upperBound * d))
            adam.apply(bias.p, gB.p, mB.p, vB.p, r)
        })
        var loss: Float = 0
        for t in 0..<RegionContext.maxThreads { loss += partial.p[t] }
        return loss / Float(n)
    }

    /// After the first fused step from zero state, every weight equals the serial Adam update.
    static func fusedAdamMatchesSerial(_ state: TrainingLoop.State, learningRate lr: Float) -> Bool {
        let beta1: Float = 0.9, beta2: Float = 0.999, eps: Float = 1e-8
        let c1 = 1 - beta1, c2 = 1 - beta2
        for i in 0..<(state.dim * state.dim) {
            let gi = state.gW.p[i]
            let want = 0 - lr * ((1 - beta1) * gi / c1) / (((1 - beta2) * gi * gi / c2).squareRoot() + eps)
            if state.w.p[i] != want { return false }
        }
        return true
    }
}
