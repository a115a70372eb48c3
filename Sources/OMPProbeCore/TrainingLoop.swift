#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import COpenBLAS

/// A linear layer (dim×dim + bias) trained with Adam on a real regression target
/// (y = x·W*ᵀ + b*), the native analogue of the seed doc's verification loop.
/// Matrix products run in OpenBLAS; element-wise work and the Adam update run in
/// parallel regions of the assigned runtime, and are checked against serial maths.
package struct TrainingLoop {
    package var dim = 768, batch = 8, steps = 5
    package var learningRate: Float = 0.0005
    package var quiet = false

    /// The data, the model and Adam's moments: everything the steps read and write.
    /// Data and target come from a fixed seed, so every probe trains on the same problem.
    package final class State {
        package let dim: Int, batch: Int
        package let x: FloatBuffer, target: FloatBuffer
        package let w: FloatBuffer, bias: FloatBuffer
        package let mW: FloatBuffer, vW: FloatBuffer, mB: FloatBuffer, vB: FloatBuffer
        package let yHat: FloatBuffer, dY: FloatBuffer, gW: FloatBuffer, gB: FloatBuffer
        /// Per-thread partial losses.
        package let partial: FloatBuffer

        package init(dim d: Int, batch b: Int) {
            dim = d; batch = b
            var rng = SplitMix64(seed: 0x5EED)
            x = FloatBuffer(b * d, zero: false); rng.fill(x.p, b * d)
            let wTrue = FloatBuffer(d * d, zero: false); rng.fill(wTrue.p, d * d, scale: 0.05)
            let bTrue = FloatBuffer(d, zero: false); rng.fill(bTrue.p, d, scale: 0.5)
            target = FloatBuffer(b * d, zero: false)
            sgemmForward(x.p, wTrue.p, target.p, batch: b, inDim: d, outDim: d)
            for i in 0..<b { for j in 0..<d { target.p[i * d + j] += bTrue.p[j] } }

            w = FloatBuffer(d * d); bias = FloatBuffer(d)
            mW = FloatBuffer(d * d); vW = FloatBuffer(d * d); mB = FloatBuffer(d); vB = FloatBuffer(d)
            yHat = FloatBuffer(b * d, zero: false); dY = FloatBuffer(b * d, zero: false)
            gW = FloatBuffer(d * d, zero: false); gB = FloatBuffer(d, zero: false)
            partial = FloatBuffer(RegionContext.maxThreads)
        }
    }

    package init(dim: Int = 768, batch: Int = 8, steps: Int = 5, learningRate: Float = 0.0005, quiet: Bool = false) {
        self.dim = dim; self.batch = batch; self.steps = steps; self.learningRate = learningRate; self.quiet = quiet
    }

    /// Returns the per-step losses.
    @discardableResult
    func run(on rt: any ParallelRuntime, ledger: StepLedger) -> [Float] {
        let state = State(dim: dim, batch: batch)
        var losses: [Float] = []
        for step in 1...steps {
            let loss = self.step(step, state, on: rt, ledger: ledger, checking: true) { loss in
                if !quiet { Output.line("Step \(step)/\(steps): loss=\(fmt(loss))") }
            }
            losses.append(loss)
        }
        if !ledger.checks.contains(where: { $0.name == "train-loss-parallel-vs-serial" }) {
            ledger.check("train-loss-parallel-vs-serial", true, "every step's parallel loss equals the serial sum")
        }
        let finite = losses.allSatisfy { $0.isFinite }
        let decreased = losses.count >= 2 ? losses.last! < losses.first! : finite
        ledger.check("train-loss-finite", finite, finite ? "all \(losses.count) losses are finite" : "a loss is not finite")
        ledger.check("train-loss-decreases", decreased,
                     "loss \(fmt(losses.first ?? .nan)) -> \(fmt(losses.last ?? .nan)) over \(losses.count) steps")
        return losses
    }

    /// One training step (1-based `step`: Adam's bias correction depends on it). Team sizes go
    /// to `ledger`. With `checking`, the step also runs the serial checks into `ledger`: on step 1
    /// sampled forward outputs and every parameter of the Adam update, on every step the loss.
    /// `lossComputed` sees the loss as soon as it is known, before the backward pass.
    /// - Returns: the step's mean squared error (before the update).
    @discardableResult
    package func step(_ step: Int, _ state: State, on rt: any ParallelRuntime, ledger: StepLedger, checking: Bool,
                      lossComputed: (Float) -> Void = { _ in }) -> Float {
        let d = state.dim, b = state.batch
        let x = state.x, target = state.target, w = state.w, bias = state.bias
        let mW = state.mW, vW = state.vW, mB = state.mB, vB = state.vB
        let yHat = state.yHat, dY = state.dY, gW = state.gW, gB = state.gB, partial = state.partial
        let beta1: Float = 0.9, beta2: Float = 0.999, eps: Float = 1e-8, lr = learningRate
        let n = b * d
        let scale = 2 / Float(n)

        // Forward (BLAS), then bias, residual, gradient of the MSE and partial losses (runtime).
        sgemmForward(x.p, w.p, yHat.p, batch: b, inDim: d, outDim: d)
        if checking && step == 1 {
            let (ok, why) = checkForwardSamples(x.p, w.p, yHat.p, batch: b, dim: d)
            ledger.check("train-forward", ok, why)
        }
        for t in 0..<RegionContext.maxThreads { partial.p[t] = 0 }
        ledger.team(rt, rt.parallelFor(n) { r, tid in
            var s: Float = 0
            for i in r {
                let y = yHat.p[i] + bias.p[i % d]
                yHat.p[i] = y
                let e = y - target.p[i]
                dY.p[i] = scale * e
                s += e * e
            }
            partial.p[tid] += s
        })
        var loss: Float = 0
        for t in 0..<RegionContext.maxThreads { loss += partial.p[t] }
        loss /= Float(n)
        if checking {
            // Serial reference for the loss, from the same outputs.
            var ref = 0.0
            for i in 0..<n { let e = Double(yHat.p[i]) - Double(target.p[i]); ref += e * e }
            ref /= Double(n)
            if !close(Double(loss), ref, rel: 1e-3, abs: 1e-6) {
                ledger.check("train-loss-parallel-vs-serial", false, "step \(step): parallel loss \(fmt(loss, 6)) but serial \(fmt(ref, 6))")
            }
        }
        lossComputed(loss)

        // Backward: gW = dYᵀ·x (BLAS); gB = column sums of dY (runtime).
        cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, Int32(d), Int32(d), Int32(b),
                    1, dY.p, Int32(d), x.p, Int32(d), 0, gW.p, Int32(d))
        ledger.team(rt, rt.parallelFor(d) { r, _ in
            for j in r {
                var s: Float = 0
                for i in 0..<b { s += dY.p[i * d + j] }
                gB.p[j] = s
            }
        })
        // Adam (runtime).
        let c1 = 1 - powf(beta1, Float(step)), c2 = 1 - powf(beta2, Float(step))
        let adam = AdamKernel(beta1: beta1, beta2: beta2, lr: lr, eps: eps, c1: c1, c2: c2)
        ledger.team(rt, rt.parallelFor(d * d) { r, _ in adam.apply(w.p, gW.p, mW.p, vW.p, r) })
        ledger.team(rt, rt.parallelFor(d) { r, _ in adam.apply(bias.p, gB.p, mB.p, vB.p, r) })
        if checking && step == 1 {
            // From zero state the serial Adam result is known exactly: check every parameter.
            // Count mismatches without an early exit (so the loop vectorizes); find the first after.
            func want(_ i: Int) -> Float {
                let gi = gW.p[i]
                let mi = (1 - beta1) * gi, vi = (1 - beta2) * gi * gi
                return 0 - lr * (mi / c1) / ((vi / c2).squareRoot() + eps)
            }
            var mismatches = 0
            for i in 0..<(d * d) { mismatches &+= w.p[i] != want(i) ? 1 : 0 }
            var bad = -1
            if mismatches > 0 { bad = (0..<(d * d)).first { w.p[$0] != want($0) } ?? -1 }
            var badB = -1
            for j in 0..<d {
                var s: Float = 0
                for i in 0..<b { s += dY.p[i * d + j] }
                let mi = (1 - beta1) * s, vi = (1 - beta2) * s * s
                if bias.p[j] != 0 - lr * (mi / c1) / ((vi / c2).squareRoot() + eps) { badB = j; break }
            }
            ledger.check("train-adam-parallel-vs-serial", bad < 0 && badB < 0,
                         bad >= 0 ? "weight \(bad) differs from the serial Adam update"
                         : badB >= 0 ? "bias \(badB) differs from the serial Adam update"
                         : "all \(d * d + d) parameters equal the serial Adam update")
        }
        return loss
    }
}
