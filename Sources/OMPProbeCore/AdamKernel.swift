/// The Adam update over a slice of parameters, 16 lanes at a time.
///
/// Lane arithmetic is the scalar formula, op for op (IEEE `sqrt` and `/` are correctly
/// rounded, and nothing is fused), so the result is bitwise what the serial reference
/// in ``TrainingLoop`` computes element by element.
package struct AdamKernel {
    let beta1: Float, beta2: Float, lr: Float, eps: Float
    /// Bias corrections `1 - β₁ᵗ` and `1 - β₂ᵗ` for this step.
    let c1: Float, c2: Float

    package init(beta1: Float, beta2: Float, lr: Float, eps: Float, c1: Float, c2: Float) {
        self.beta1 = beta1; self.beta2 = beta2; self.lr = lr; self.eps = eps; self.c1 = c1; self.c2 = c2
    }

    @inline(__always)
    package func apply(_ p: UnsafeMutablePointer<Float>, _ g: UnsafeMutablePointer<Float>,
               _ m: UnsafeMutablePointer<Float>, _ v: UnsafeMutablePointer<Float>, _ r: Range<Int>) {
        typealias V = SIMD16<Float>
        let b1 = V(repeating: beta1), b2 = V(repeating: beta2)
        let ob1 = V(repeating: 1 - beta1), ob2 = V(repeating: 1 - beta2)
        let vlr = V(repeating: lr), vc1 = V(repeating: c1), vc2 = V(repeating: c2), veps = V(repeating: eps)
        var i = r.lowerBound
        while i + 16 <= r.upperBound {
            let gi = UnsafeRawPointer(g + i).loadUnaligned(as: V.self)
            let mi = b1 * UnsafeRawPointer(m + i).loadUnaligned(as: V.self) + ob1 * gi
            let vi = b2 * UnsafeRawPointer(v + i).loadUnaligned(as: V.self) + ob2 * gi * gi
            UnsafeMutableRawPointer(m + i).storeBytes(of: mi, as: V.self)
            UnsafeMutableRawPointer(v + i).storeBytes(of: vi, as: V.self)
            let step = vlr * (mi / vc1) / ((vi / vc2).squareRoot() + veps)
            UnsafeMutableRawPointer(p + i).storeBytes(of: UnsafeRawPointer(p + i).loadUnaligned(as: V.self) - step, as: V.self)
            i += 16
        }
        while i < r.upperBound {
            let gi = g[i]
            let mi = beta1 * m[i] + (1 - beta1) * gi
            let vi = beta2 * v[i] + (1 - beta2) * gi * gi
            m[i] = mi; v[i] = vi
            p[i] -= lr * (mi / c1) / ((vi / c2).squareRoot() + eps)
            i += 1
        }
    }
}
