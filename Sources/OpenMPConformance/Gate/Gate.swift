/// Compares a run with a host's baseline (the CI gate), and rewrites a baseline from a run the way
/// `wpt update-expectations` does.
///
/// Rules of ``compare(results:baseline:options:)``:
/// - A cell that ran fails the gate when its outcome is not in the baseline's `allowed` list,
///   **including an unexpected pass**: a pass where an abort was expected means the world changed,
///   and the baseline (and the claims resting on it) must be looked at.
/// - A baseline cell absent from a full run (selection `all`) fails as `missing`; absent from a
///   filtered run it is listed as `not-selected`; present but skipped it is listed as `skipped`.
///   Neither of the last two fails: a missing runtime is a property of the host, reported elsewhere.
/// - A cell that ran but has no baseline entry is `new`: listed, failing only with `Options/strict`
///   (so adding cells to the matrix does not break CI until the baseline is updated, unless asked).
/// - Results from another host than the baseline's fail (`host-mismatch`): outcomes depend on the
///   OS, libc and runtimes, so comparing against another host's expectations proves nothing. Pass
///   `Options/allowHostMismatch` to downgrade it to a listed warning.
/// - A partial (interrupted) run fails: the cells it never reached went unchecked.
package enum Gate {
    /// How strict the comparison is.
    package struct Options: Sendable, Hashable, Codable {
        /// New cells (ran, not in the baseline) fail the gate.
        package var strict: Bool
        /// A host-key mismatch is listed but does not fail the gate.
        package var allowHostMismatch: Bool

        /// `strict`: a baseline that lacks a cell fails. `allowHostMismatch`: a baseline for another host key is a warning, not a failure.
        package init(strict: Bool = false, allowHostMismatch: Bool = false) {
            self.strict = strict; self.allowHostMismatch = allowHostMismatch
        }
    }

    /// A run's selection covers the whole matrix when it is empty or exactly `["all"]`.
    package static func isFullRun(_ results: ResultsFile) -> Bool {
        results.selection.isEmpty || results.selection == ["all"]
    }

    /// Compares a matrix run with a baseline; see the rules above.
    package static func compare(results: ResultsFile, baseline: Baseline, options: Options = Options()) -> GateReport {
        compare(GateSubject(results), baseline: baseline, options: options)
    }

    /// Compares an atlas run with the atlas it is gated against (the checked-in snapshot), by the
    /// same rules: each pair and variant is a cell whose outcomes must be ones the baseline saw
    /// (a varying cell: the same set), and where both recorded how many runtimes ran, that too;
    /// a runtime file that changed (other SHA-256) fails as `runtime-changed`.
    /// `onlyRun`: the run measured a sample of the cells, so those it lacks are not selected, not missing.
    package static func compare(atlas: AtlasResults, baseline: AtlasResults, options: Options = Options(),
                                onlyRun: Bool = false) -> GateReport {
        var subject = GateSubject(atlas, against: baseline)
        if onlyRun { subject.selection = ["the cells this run measured"] }
        return compare(subject, baseline: Baseline(atlas: baseline), options: options)
    }

    /// The one comparison every source's results go through; see the rules above.
    package static func compare(_ subject: GateSubject, baseline: Baseline, options: Options = Options()) -> GateReport {
        var byKind: [GateReport.Finding.Kind: [GateReport.Finding]] = [:]
        func add(_ f: GateReport.Finding) { byKind[f.kind, default: []].append(f) }

        if subject.hostKey != baseline.hostKey {
            add(.init(kind: .hostMismatch,
                      detail: "results are from host \(subject.hostKey) but the baseline is for \(baseline.hostKey)",
                      isFailure: !options.allowHostMismatch))
        }
        if subject.partial {
            add(.init(kind: .partialRun, detail: "the run was interrupted before every selected cell ran (partial: true)",
                      isFailure: true))
        }
        for change in subject.runtimeChanges { add(.init(kind: .runtimeChanged, detail: change, isFailure: true)) }

        var seen = Set<String>()
        var compared = 0, asExpected = 0
        for cell in subject.cells {
            guard seen.insert(cell.id).inserted else {
                add(.init(kind: .duplicateCell, cellID: cell.id, detail: "this cell id appears more than once in the results",
                          repro: cell.repro, isFailure: true))
                continue
            }
            let entry = baseline.cells[cell.id]
            guard cell.ran else {
                if let entry {
                    add(.init(kind: .skipped, cellID: cell.id, allowed: entry.allowed, note: entry.note,
                              detail: cell.reason ?? "skipped", isFailure: false))
                }
                continue
            }
            guard let entry else {
                add(.init(kind: .new, cellID: cell.id, observed: cell.outcome,
                          detail: "ran, and the baseline has no entry for it", repro: cell.repro,
                          isFailure: options.strict))
                continue
            }
            compared += 1
            guard let outcome = cell.outcome else {
                add(.init(kind: .unexpected, cellID: cell.id, allowed: entry.allowed, note: entry.note,
                          detail: "the cell ran but recorded no outcome", repro: cell.repro, isFailure: true))
                continue
            }
            // How many runtimes ran is compared where both sides recorded it (the atlas).
            let ranChanged = cell.runtimesRan.flatMap { ran in entry.runtimesRan.map { !Set(ran).isSubset(of: Set($0)) } } ?? false
            if cell.matches(entry.allowed) && !ranChanged {
                asExpected += 1
            } else {
                let what = ranChanged
                    ? "runtimes that ran: \(cell.runtimesRan!.map(\.rawValue).joined(separator: ", ")); the baseline saw \(entry.runtimesRan!.map(\.rawValue).joined(separator: ", "))"
                    : cell.varying != nil ? "varying, and the baseline does not record the same outcomes"
                    : outcome == .pass ? "unexpected pass" : "unexpected \(outcome.rawValue)"
                let message = cell.message.isEmpty ? what : "\(what): \(cell.message)"
                add(.init(kind: .unexpected, cellID: cell.id, observed: outcome, allowed: entry.allowed,
                          note: entry.note, detail: message, repro: cell.repro, isFailure: true))
            }
        }

        let full = subject.isFullRun
        for id in baseline.cells.keys.sorted() where !seen.contains(id) {
            let entry = baseline.cells[id]!
            if full {
                let detail = subject.partial
                    ? "in the baseline, not reached before the run was interrupted"
                    : "in the baseline but not in this full run; if the matrix dropped it, `update` removes it"
                add(.init(kind: .missing, cellID: id, allowed: entry.allowed, note: entry.note, detail: detail,
                          isFailure: true))
            } else {
                add(.init(kind: .notSelected, cellID: id, allowed: entry.allowed, note: entry.note,
                          detail: "outside this run's selection (\(subject.selection.joined(separator: " ")))",
                          isFailure: false))
            }
        }

        let findings = GateReport.Finding.Kind.allCases.flatMap { byKind[$0] ?? [] }
        return GateReport(resultsHostKey: subject.hostKey, baselineHostKey: baseline.hostKey, options: options,
                          compared: compared, asExpected: asExpected, findings: findings)
    }

    /// What `updateDetailed(baseline:results:)` changed.
    package struct BaselineUpdate: Sendable, Hashable {
        /// The new baseline.
        package var baseline: Baseline
        /// Cells that ran and had no entry.
        package var added: [String]
        /// Cells whose `allowed` list was replaced by the observed outcome.
        package var replaced: [String]
        /// Multi-outcome entries kept because they still include the observed outcome.
        package var keptMultiOutcome: [String]
        /// Cells dropped: in the old baseline, absent from a full run.
        package var dropped: [String]
    }

    /// The baseline rewritten from a run; see `updateDetailed(baseline:results:)`.
    package static func update(baseline: Baseline?, results: ResultsFile) -> Baseline {
        updateDetailed(baseline: baseline, results: results).baseline
    }

    /// Rewrites a baseline from a run, like `wpt update-expectations`:
    /// - a cell that ran with a multi-outcome entry that includes the observed outcome keeps its entry;
    /// - any other cell that ran gets `allowed = [observed]` (single-outcome entries are replaced,
    ///   multi-outcome entries that no longer include the observation too), keeping the note;
    /// - a cell that ran with no entry is added;
    /// - skipped cells keep their entries untouched (a skip is no observation);
    /// - a baseline cell absent from the run is dropped only when the run was full (selection
    ///   `all`, not partial): then the matrix no longer has it and it was not run. After a
    ///   filtered or interrupted run it is kept.
    ///
    /// The host key becomes the run's. Pass `nil` to start a baseline from scratch.
    package static func updateDetailed(baseline: Baseline?, results: ResultsFile) -> BaselineUpdate {
        let old = baseline?.cells ?? [:]
        var cells = old
        var added: [String] = [], replaced: [String] = [], kept: [String] = [], dropped: [String] = []
        var present = Set<String>()
        for cell in results.results {
            let firstTime = present.insert(cell.id).inserted
            guard firstTime, cell.status == .ran, let outcome = cell.outcome else { continue }
            // A varying cell records the set it showed (HangConfirmation), which it then matches.
            let observed = cell.varying.map { $0.sorted() } ?? [outcome]
            if let entry = old[cell.id] {
                if entry.allowed.count > 1 && HangConfirmation.matches(cell, outcome: outcome, allowed: entry.allowed) {
                    kept.append(cell.id)
                } else if entry.allowed != observed {
                    cells[cell.id] = Baseline.Entry(allowed: observed, note: entry.note)
                    replaced.append(cell.id)
                }
            } else {
                cells[cell.id] = Baseline.Entry(allowed: observed)
                added.append(cell.id)
            }
        }
        if isFullRun(results) && !results.partial {
            for id in old.keys.sorted() where !present.contains(id) {
                cells[id] = nil
                dropped.append(id)
            }
        }
        let updated = Baseline(hostKey: results.host.key, cells: cells).normalized()
        return BaselineUpdate(baseline: updated, added: added, replaced: replaced, keptMultiOutcome: kept, dropped: dropped)
    }
}
