/// One sentence per vendor pairing (which vendor started first, which second), computed from
/// the cells: how many pairs abort without the variable, and what the variable turns them into.
package struct AtlasPairing: Codable, Sendable, Hashable {
    /// Vendor of the runtime started first / second (`llvm`, `intel`, `gnu`).
    package var firstVendor: String
    package var secondVendor: String
    /// Cells counted: ran all three probes, not a same-file control.
    package var pairs: Int
    /// Outcomes without the variable and with it (start order), one per pair (nil: varied).
    package var without: [String: Int]
    package var with: [String: Int]
    /// Pairs whose outcome changed with the load order (variable set).
    package var loadOrderChanges: Int
    /// Pairs that ran two runtimes without the variable and without Error #15: they do not
    /// detect each other (``AtlasRuntimesRan/twoUndetected``).
    package var twoUndetected: Int
    package var sentence: String

    /// Every pairing present among the complete, non-control cells, in vendor order.
    package static func all(in atlas: AtlasResults) -> [AtlasPairing] {
        let order = ["llvm", "intel", "gnu", "microsoft"]
        func rank(_ v: String) -> Int { order.firstIndex(of: v) ?? order.count }
        // Keyed by [first vendor, second vendor].
        var groups: [[String]: [AtlasCell]] = [:]
        for c in atlas.cells where c.isComplete && c.diagonal != .control {
            guard let f = c.firstIdentity?.vendor, let s = c.secondIdentity?.vendor else { continue }
            groups[[f, s], default: []].append(c)
        }
        return groups.keys.sorted { a, b in (rank(a[0]), rank(a[1])) < (rank(b[0]), rank(b[1])) }
            .map { key in make(groups[key]!, atlas: atlas) }
    }

    static func make(_ cells: [AtlasCell], atlas: AtlasResults) -> AtlasPairing {
        let fv = cells[0].firstIdentity!, sv = cells[0].secondIdentity!
        func label(_ name: String) -> String { atlas.runtime(named: name)?.label ?? name }
        func tally(_ v: AtlasVariant) -> (words: [Outcome], counts: [String: Int], varying: [AtlasCell]) {
            var words: [Outcome] = [], counts: [String: Int] = [:], varying: [AtlasCell] = []
            for c in cells {
                guard let o = c.observation(v) else { continue }
                if let single = o.outcome { words.append(single); counts[single.rawValue, default: 0] += 1 } else { varying.append(c) }
            }
            return (words, counts, varying)
        }
        let without = tally(.withoutVariable), with = tally(.withVariable)
        let n = cells.count
        /// "(of those that run: 3 with two runtimes undetected)" after a summary.
        func ran(_ v: AtlasVariant) -> String {
            guard let words = AtlasWords.passesByRuntimes(cells.compactMap { $0.observation(v) }) else { return "" }
            return " (of those that run: \(words))"
        }
        let undetected = cells.filter { $0.observation(.withoutVariable)?.ran == .twoUndetected }.count
        func summary(_ t: (words: [Outcome], counts: [String: Int], varying: [AtlasCell])) -> String {
            var s: String
            if Set(t.words).count == 1, t.varying.isEmpty {
                s = "\(AtlasWords.singular(t.words[0])) in \(n) of \(n) pair\(n == 1 ? "" : "s")"
            } else {
                s = AtlasWords.counts(t.words)
                if !t.varying.isEmpty { s += (s.isEmpty ? "" : ", ") + "\(t.varying.count) vary" }
            }
            return s
        }
        // Name the pairs of each minority outcome with the variable, so the exception is visible:
        // by the runtime they share when they share one ("LLVM 16.0.6 second"), else one by one.
        var exceptions: [String] = []
        if Set(with.words).count > 1 || !with.varying.isEmpty {
            var byOutcome: [Outcome: Int] = [:]
            for o in with.words { byOutcome[o, default: 0] += 1 }
            let majority = byOutcome.max { $0.value != $1.value ? $0.value < $1.value : $0.key > $1.key }?.key
            var groups: [String: [AtlasCell]] = [:]
            var order: [String] = []
            for c in cells {
                guard let o = c.observation(.withVariable), o.outcome != majority || o.varies else { continue }
                let word = AtlasWords.observation(o)
                if groups[word] == nil { order.append(word) }
                groups[word, default: []].append(c)
            }
            for word in order {
                let g = groups[word]!
                if g.count > 1, Set(g.map(\.second)).count == 1 {
                    exceptions.append("\(word): \(label(g[0].second)) second in all \(g.count)")
                } else if g.count > 1, Set(g.map(\.first)).count == 1 {
                    exceptions.append("\(word): \(label(g[0].first)) first in all \(g.count)")
                } else {
                    exceptions.append("\(word): " + AtlasWords.list(g.map { "\(label($0.first)) then \(label($0.second))" }))
                }
            }
        }
        let changes = cells.filter(\.loadOrderMatters).count
        var sentence = "\(sv.vendorWord) started after \(fv.vendorWord): \(summary(without))\(ran(.withoutVariable)) without the variable; "
            + "with it, \(summary(with))\(ran(.withVariable))"
        if !exceptions.isEmpty { sentence += " (" + exceptions.joined(separator: "; ") + ")" }
        if changes > 0 {
            sentence += "; loading the second runtime first changes the outcome in \(changes) of \(n) pair\(n == 1 ? "" : "s")"
        }
        sentence += "."
        return AtlasPairing(firstVendor: fv.vendor, secondVendor: sv.vendor, pairs: n, without: without.counts,
                            with: with.counts, loadOrderChanges: changes, twoUndetected: undetected, sentence: sentence)
    }
}
