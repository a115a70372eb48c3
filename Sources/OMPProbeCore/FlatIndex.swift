import COpenBLAS

/// A flat inner-product index, the native analogue of `faiss.IndexFlatIP`.
/// `add` copies vectors (no parallel region, like faiss's add); `search` scores
/// query blocks against database blocks with sgemm and keeps a running top-k per
/// query, with queries split across one parallel region of the assigned runtime.
package final class FlatIndex {
    package let dim: Int
    package private(set) var count = 0
    private var storage: FloatBuffer
    /// Database vectors scored per sgemm call.
    package var dbBlock = 1024
    /// Queries scored per sgemm call.
    package var queryBlock = 256

    package init(dim: Int, capacity: Int = 0) {
        self.dim = dim
        storage = FloatBuffer(max(capacity, 1) * dim, zero: false)
    }

    package var vectors: UnsafePointer<Float> { UnsafePointer(storage.p) }

    package func add(_ x: UnsafePointer<Float>, count n: Int) {
        if (count + n) * dim > storage.count {
            let grown = FloatBuffer(max((count + n) * dim, storage.count * 2), zero: false)
            grown.p.update(from: storage.p, count: count * dim)
            storage = grown
        }
        (storage.p + count * dim).update(from: x, count: n * dim)
        count += n
    }

    /// Top-k ids and scores for `nq` queries, best first; ties go to the lower id.
    package func search(_ q: UnsafePointer<Float>, nq: Int, k: Int, runtime: (any ParallelRuntime)?, ledger: StepLedger?) -> (ids: [Int32], scores: [Float]) {
        let kk = min(k, count)
        var ids = [Int32](repeating: -1, count: nq * k)
        var scores = [Float](repeating: -.infinity, count: nq * k)
        let qb = max(1, min(queryBlock, (nq + 3) / 4)), db = dbBlock, d = dim, n = count
        let blocks = (nq + qb - 1) / qb
        ids.withUnsafeMutableBufferPointer { idp in
            scores.withUnsafeMutableBufferPointer { scp in
                let idBase = idp.baseAddress!, scBase = scp.baseAddress!
                let work: (Range<Int>) -> Void = { r in
                    let buf = FloatBuffer(qb * db, zero: false)
                    for blk in r {
                        let q0 = blk * qb, nqb = min(qb, nq - q0)
                        var j0 = 0
                        while j0 < n {
                            let nb = min(db, n - j0)
                            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(nqb), Int32(nb), Int32(d),
                                        1, q + q0 * d, Int32(d), self.storage.p + j0 * d, Int32(d), 0, buf.p, Int32(nb))
                            for qi in 0..<nqb {
                                TopK.merge(row: buf.p + qi * nb, count: nb, offset: j0, k: kk,
                                           ids: idBase + (q0 + qi) * k, scores: scBase + (q0 + qi) * k)
                            }
                            j0 += nb
                        }
                    }
                }
                if let rt = runtime {
                    let team = rt.parallelFor(blocks) { r, _ in work(r) }
                    ledger?.team(rt, team)
                } else {
                    work(0..<blocks)
                }
            }
        }
        return (ids, scores)
    }
}

/// A sorted top-k list per query, updated block by block.
enum TopK {
    @inline(__always)
    static func merge(row: UnsafePointer<Float>, count: Int, offset: Int, k: Int,
                      ids: UnsafeMutablePointer<Int32>, scores: UnsafeMutablePointer<Float>) {
        guard k > 0 else { return }
        var worst = scores[k - 1]
        for j in 0..<count {
            let s = row[j]
            if s > worst || (s == worst && ids[k - 1] < 0) {
                // Insert keeping the list sorted (descending score, ascending id on ties).
                var p = k - 1
                let id = Int32(offset + j)
                while p > 0 && (scores[p - 1] < s) {
                    scores[p] = scores[p - 1]; ids[p] = ids[p - 1]; p -= 1
                }
                scores[p] = s; ids[p] = id
                worst = scores[k - 1]
            }
        }
    }
}

/// Checks top-k results against a scalar Double reference, allowing only ties.
package func checkTopK(index: FlatIndex, queries: UnsafePointer<Float>, nq: Int, k: Int,
               ids: [Int32], sample: Int = 16) -> (Bool, String) {
    let d = index.dim, n = index.count, kk = min(k, n)
    let stride = max(1, nq / max(1, min(sample, nq)))
    var checked = 0
    var qi = 0
    var ref = [Double](repeating: 0, count: n)
    while qi < nq {
        for j in 0..<n {
            var s = 0.0
            let v = index.vectors + j * d, qv = queries + qi * d
            for t in 0..<d { s += Double(qv[t]) * Double(v[t]) }
            ref[j] = s
        }
        let order = (0..<n).sorted { ref[$0] != ref[$1] ? ref[$0] > ref[$1] : $0 < $1 }
        for r in 0..<kk {
            let want = order[r], got = Int(ids[qi * k + r])
            guard got >= 0 && got < n else { return (false, "query \(qi) rank \(r): id \(got) out of range") }
            if got != want && !close(ref[got], ref[want], rel: 1e-5, abs: 1e-5) {
                return (false, "query \(qi) rank \(r): id \(got) (score \(fmt(ref[got], 6))) but scalar reference says id \(want) (score \(fmt(ref[want], 6)))")
            }
        }
        checked += 1
        qi += stride
    }
    return (true, "top-\(kk) ids of \(checked) of \(nq) queries equal the scalar reference (ties allowed)")
}
