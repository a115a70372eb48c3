/// A forward pass only: z = x·Wᵀ by sgemm, then bias and ReLU in a parallel region of the
/// assigned runtime (element-wise work, as a framework's inference does), checked in full.
struct Inference {
    var dim = 768, batch = 8, seed: UInt64 = 0x1F3

    final class Model {
        let dim: Int
        let w: FloatBuffer, bias: FloatBuffer
        init(dim: Int, seed: UInt64) {
            self.dim = dim
            var rng = SplitMix64(seed: seed)
            w = FloatBuffer(dim * dim, zero: false); rng.fill(w.p, dim * dim, scale: 0.05)
            bias = FloatBuffer(dim, zero: false); rng.fill(bias.p, dim, scale: 0.1)
        }
    }

    func run(on rt: any ParallelRuntime, model: Model? = nil, ledger: StepLedger, inputSeed: UInt64 = 7) {
        let d = dim, b = batch
        let m = model ?? Model(dim: d, seed: seed)
        var rng = SplitMix64(seed: inputSeed)
        let x = FloatBuffer(b * d, zero: false); rng.fill(x.p, b * d)
        let z = FloatBuffer(b * d), out = FloatBuffer(b * d)
        sgemmForward(x.p, m.w.p, z.p, batch: b, inDim: d, outDim: d)
        ledger.team(rt, rt.parallelFor(b * d) { r, _ in
            for i in r {
                let v = z.p[i] + m.bias.p[i % d]
                out.p[i] = v > 0 ? v : 0
            }
        })
        let (ok, why) = checkForwardSamples(x.p, m.w.p, z.p, batch: b, dim: d, samples: 8)
        var bad = -1
        for i in 0..<(b * d) {
            let v = z.p[i] + m.bias.p[i % d]
            if out.p[i] != (v > 0 ? v : 0) { bad = i; break }
        }
        ledger.check("infer-matmul", ok, why)
        ledger.check("infer-bias-relu-parallel-vs-serial", bad < 0,
                     bad < 0 ? "all \(b * d) activations equal the serial computation" : "activation \(bad) differs from the serial computation")
    }
}
