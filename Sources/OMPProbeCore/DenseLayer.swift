import COpenBLAS

/// y = x · Wᵀ for a batch, by OpenBLAS sgemm (row-major: x is batch×inDim, W is outDim×inDim).
@inline(__always)
func sgemmForward(_ x: UnsafePointer<Float>, _ w: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>,
                  batch: Int, inDim: Int, outDim: Int) {
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(batch), Int32(outDim), Int32(inDim),
                1, x, Int32(inDim), w, Int32(inDim), 0, y, Int32(outDim))
}

/// Checks sampled entries of y = x · Wᵀ against a scalar Double dot product.
func checkForwardSamples(_ x: UnsafePointer<Float>, _ w: UnsafePointer<Float>, _ y: UnsafePointer<Float>,
                         batch: Int, dim: Int, samples: Int = 32) -> (Bool, String) {
    var rng = SplitMix64(seed: 99)
    var worst = 0.0
    for _ in 0..<samples {
        let i = Int(rng.next() % UInt64(batch)), j = Int(rng.next() % UInt64(dim))
        var ref = 0.0
        for k in 0..<dim { ref += Double(x[i * dim + k]) * Double(w[j * dim + k]) }
        let got = Double(y[i * dim + j])
        if !close(got, ref) { return (false, "y[\(i),\(j)] = \(fmt(got, 6)) but scalar reference = \(fmt(ref, 6))") }
        worst = max(worst, abs(got - ref))
    }
    return (true, "\(samples) sampled entries match the scalar reference (max abs diff \(fmt(worst, 7)))")
}
