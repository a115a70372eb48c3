/// A small deterministic generator (SplitMix64), so every probe sees the same data.
package struct SplitMix64 {
    var state: UInt64
    package init(seed: UInt64) { state = seed }
    package mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    /// Uniform in [-1, 1).
    mutating func uniform() -> Float {
        Float(next() >> 40) / Float(1 << 24) * 2 - 1
    }
    mutating func fill(_ p: UnsafeMutablePointer<Float>, _ n: Int, scale: Float = 1) {
        for i in 0..<n { p[i] = uniform() * scale }
    }
}

/// A heap-allocated Float buffer with explicit lifetime.
package final class FloatBuffer {
    package let count: Int
    package let p: UnsafeMutablePointer<Float>
    package init(_ count: Int, zero: Bool = true) {
        self.count = count
        p = UnsafeMutablePointer<Float>.allocate(capacity: max(count, 1))
        if zero { p.initialize(repeating: 0, count: max(count, 1)) }
    }
    deinit { p.deallocate() }
}
