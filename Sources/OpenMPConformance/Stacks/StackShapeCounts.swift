/// Per stack shape, what the matrix's stack cells did: outcomes counted, how many runtimes the
/// passing cells observed starting, and the cells skipped (with their reasons). `own-handle` counts
/// only the cells that have a stack counterpart (the same row, profile and variable), so the rows
/// compare like with like. Read by the reports; a claim's judging may read it too.
package struct StackShapeCounts: Sendable, Hashable {
    package struct Row: Sendable, Hashable {
        package var shape: StackShape
        package var outcomes: [Outcome: Int] = [:]
        /// Passing cells by runtimes observed starting (nil key: starts not observed).
        package var passStarted: [Int?: Int] = [:]
        package var skipped: [String: Int] = [:]
        package var ran: Int { outcomes.values.reduce(0, +) }

        /// E.g. "2 duplicate-runtime-abort, 4 pass (4 with one runtime started)".
        package var outcomeWords: String {
            guard ran > 0 else { return "none ran" }
            let parts = Outcome.allCases.compactMap { o in outcomes[o].map { "\($0) \(o.rawValue)" } }
            let started = passStarted.keys.sorted { ($0 ?? -1) < ($1 ?? -1) }.map { k in
                "\(passStarted[k]!) with " + (k.map { WhatRanText.runtimes($0) + " started" } ?? "starts not observed")
            }
            return parts.joined(separator: ", ") + (started.isEmpty ? "" : " (passes: " + started.joined(separator: ", ") + ")")
        }

        /// E.g. "2: the two runtimes have different SONAMEs …".
        package var skippedWords: String {
            skipped.keys.sorted().map { "\(skipped[$0]!): \($0)" }.joined(separator: "; ")
        }
    }

    /// In ``StackShape`` order; empty when the results hold no stack cell.
    package var rows: [Row]

    package init(_ results: [CellResult]) {
        let stacked = results.filter { $0.stack != .ownHandle }
        guard !stacked.isEmpty else { rows = []; return }
        // The own-handle id of a stack cell: its id without the `/<shape>` suffix.
        let counterparts = Set(stacked.map { String($0.id.dropLast($0.stack.rawValue.count + 1)) })
        var byShape: [StackShape: Row] = [:]
        for r in results where r.stack != .ownHandle || counterparts.contains(r.id) {
            var row = byShape[r.stack] ?? Row(shape: r.stack)
            if let o = r.outcome, r.status == .ran {
                row.outcomes[o, default: 0] += 1
                if o == .pass { row.passStarted[r.probe?.startedCount, default: 0] += 1 }
            } else {
                row.skipped[r.reason ?? "skipped", default: 0] += 1
            }
            byShape[r.stack] = row
        }
        rows = StackShape.allCases.compactMap { byShape[$0] }
    }
}
