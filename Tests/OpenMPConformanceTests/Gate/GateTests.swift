import Foundation
import Testing
@testable import OpenMPConformance

@Suite("Gate compare and update")
struct GateTests {
    let results = ReportFixtures.results()
    var ranCells: [CellResult] { results.results.filter { $0.status == .ran } }

    @Test func baselineFromTheSameResultsPasses() {
        let baseline = Gate.update(baseline: nil, results: results)
        #expect(baseline.hostKey == results.host.key)
        #expect(baseline.cells.count == ranCells.count)  // skipped cells have no observation to record
        let report = Gate.compare(results: results, baseline: baseline)
        #expect(report.passed, "\(report.text)")
        #expect(report.compared == ranCells.count)
        #expect(report.asExpected == ranCells.count)
        #expect(report.findings.isEmpty)
        #expect(report.text.hasPrefix("gate: PASSED\n"))
    }

    @Test func changedExpectationFailsWithAClearList() throws {
        var baseline = Gate.update(baseline: nil, results: results)
        let victim = ranCells.first { $0.outcome == .duplicateRuntimeAbort }!
        baseline.cells[victim.id] = .init(allowed: [.pass], note: "we hoped the variable was not needed")
        let report = Gate.compare(results: results, baseline: baseline)
        #expect(!report.passed)
        #expect(report.failures.count == 1)
        let f = try #require(report.failures.first)
        #expect(f.kind == .unexpected)
        #expect(f.cellID == victim.id)
        #expect(f.observed == .duplicateRuntimeAbort)
        #expect(f.allowed == [.pass])
        #expect(f.repro == victim.repro)
        #expect(f.note == "we hoped the variable was not needed")
        let text = report.text
        #expect(text.hasPrefix("gate: FAILED (1 unexpected)\n"))
        #expect(text.contains("✗ UNEXPECTED (outcome not allowed by the baseline): 1\n  \(victim.id)\n    observed duplicate-runtime-abort; allowed pass\n"))
        #expect(text.contains("    repro: \(victim.repro)\n"))
        #expect(text.contains("    note: we hoped the variable was not needed\n"))
    }

    @Test func unexpectedPassFails() throws {
        var baseline = Gate.update(baseline: nil, results: results)
        let passing = ranCells.first { $0.outcome == .pass }!
        baseline.cells[passing.id] = .init(allowed: [.duplicateRuntimeAbort])
        let report = Gate.compare(results: results, baseline: baseline)
        #expect(!report.passed)
        let f = try #require(report.failures.first)
        #expect(f.kind == .unexpected && f.observed == .pass)
        #expect(f.detail.hasPrefix("unexpected pass"))
    }

    @Test func multiOutcomeEntryAcceptsEitherOutcome() {
        var baseline = Gate.update(baseline: nil, results: results)
        let hang = ranCells.first { $0.outcome == .hangAtExit }!
        baseline.cells[hang.id] = .init(allowed: [.hangAtExit, .pass], note: "flaky")
        #expect(Gate.compare(results: results, baseline: baseline).passed)
    }

    @Test func missingSkippedAndNewCells() throws {
        var baseline = Gate.update(baseline: nil, results: results)
        let skipped = results.results.first { $0.status == .skipped }!
        baseline.cells[skipped.id] = .init(allowed: [.duplicateRuntimeAbort])
        baseline.cells["linux-cpu-training/retired-cell"] = .init(allowed: [.pass])
        let newCell = ranCells.last!
        baseline.cells[newCell.id] = nil

        let report = Gate.compare(results: results, baseline: baseline)
        #expect(report.findings(.skipped).map(\.cellID) == [skipped.id])
        #expect(report.findings(.skipped).allSatisfy { !$0.isFailure })
        #expect(report.findings(.missing).map(\.cellID) == ["linux-cpu-training/retired-cell"])
        #expect(report.findings(.missing).allSatisfy { $0.isFailure })
        #expect(report.findings(.new).map(\.cellID) == [newCell.id])
        #expect(report.findings(.new).allSatisfy { !$0.isFailure && $0.repro == newCell.repro })
        #expect(report.failures.map(\.kind) == [.missing])

        let strict = Gate.compare(results: results, baseline: baseline, options: .init(strict: true))
        #expect(Set(strict.failures.map(\.kind)) == [.missing, .new])

        // After a filtered run, cells outside the selection are listed but do not fail.
        var filtered = results
        filtered.selection = ["row=linux-cpu-training"]
        let partialSelection = Gate.compare(results: filtered, baseline: baseline)
        #expect(partialSelection.findings(.notSelected).map(\.cellID) == ["linux-cpu-training/retired-cell"])
        #expect(partialSelection.passed)
    }

    @Test func hostMismatchAndPartialRun() {
        let baseline = Gate.update(baseline: nil, results: results)
        var other = results
        other.host.key = "macos14-arm64"
        let mismatch = Gate.compare(results: other, baseline: baseline)
        #expect(mismatch.failures.map(\.kind) == [.hostMismatch])
        #expect(mismatch.text.contains("results are from host macos14-arm64 but the baseline is for debian12-x86_64-glibc2.36"))
        let allowed = Gate.compare(results: other, baseline: baseline, options: .init(allowHostMismatch: true))
        #expect(allowed.passed && allowed.findings.map(\.kind) == [.hostMismatch])

        var partial = results
        partial.partial = true
        #expect(Gate.compare(results: partial, baseline: baseline).failures.map(\.kind) == [.partialRun])
    }

    @Test func textListsEveryUnexpectedCellButCapsTheOtherGroups() {
        var baseline = Gate.update(baseline: nil, results: results)
        for n in 0..<70 { baseline.cells["retired/\(n)"] = .init(allowed: [.pass]) }
        for cell in ranCells { baseline.cells[cell.id] = .init(allowed: [.crash]) }  // every ran cell now unexpected
        let text = Gate.compare(results: results, baseline: baseline).text
        #expect(text.hasPrefix("gate: FAILED (\(ranCells.count) unexpected, 70 missing)\n"))
        for cell in ranCells { #expect(text.contains("  \(cell.id)\n    observed ")) }
        #expect(text.contains("  … and 20 more (the JSON form of this report lists them all)\n"))
        var interrupted = results
        interrupted.partial = true
        let partialText = Gate.compare(results: interrupted, baseline: baseline).text
        #expect(partialText.contains("MISSING (in the baseline, not reached before the run was interrupted): 70"))
    }

    @Test func duplicateCellInResultsFails() {
        var doubled = results
        doubled.results.append(doubled.results[0])
        let report = Gate.compare(results: doubled, baseline: Gate.update(baseline: nil, results: results))
        #expect(report.failures.map(\.kind) == [.duplicateCell])
    }

    @Test func updateKeepsMultiOutcomeEntriesAndNotes() {
        let hang = ranCells.first { $0.outcome == .hangAtExit }!
        let abort = ranCells.first { $0.outcome == .duplicateRuntimeAbort }!
        let pass = ranCells.first { $0.outcome == .pass }!
        let other = ranCells.first { $0.outcome == .pass && $0.id != pass.id }!
        let skipped = results.results.first { $0.status == .skipped }!
        var old = Gate.update(baseline: nil, results: results)
        old.cells[hang.id] = .init(allowed: [.pass, .hangAtExit], note: "Error #13 then a hang; flaky")  // still includes observed
        old.cells[abort.id] = .init(allowed: [.pass], note: "person's note")                          // single, wrong
        old.cells[pass.id] = .init(allowed: [.hang, .crash], note: "stale multi")                      // multi, excludes observed
        old.cells[other.id] = nil                                                                      // new
        old.cells[skipped.id] = .init(allowed: [.duplicateRuntimeAbort, .pass], note: "macOS only")   // skipped: untouched
        old.cells["gone/from/the/matrix"] = .init(allowed: [.pass], note: "old")

        let update = Gate.updateDetailed(baseline: old, results: results)
        let new = update.baseline
        #expect(new.cells[hang.id] == .init(allowed: [.hangAtExit, .pass], note: "Error #13 then a hang; flaky"))
        #expect(new.cells[abort.id] == .init(allowed: [.duplicateRuntimeAbort], note: "person's note"))
        #expect(new.cells[pass.id] == .init(allowed: [.pass], note: "stale multi"))
        #expect(new.cells[other.id] == .init(allowed: [.pass]))
        #expect(new.cells[skipped.id] == .init(allowed: [.duplicateRuntimeAbort, .pass], note: "macOS only"))
        #expect(new.cells["gone/from/the/matrix"] == nil)
        #expect(update.keptMultiOutcome == [hang.id])
        #expect(Set(update.replaced) == [abort.id, pass.id])
        #expect(update.added == [other.id])
        #expect(update.dropped == ["gone/from/the/matrix"])
        #expect(Gate.compare(results: results, baseline: new).passed)

        // After a filtered run, cells outside the selection are kept.
        var filtered = results
        filtered.selection = ["profile=intel+llvm14"]
        #expect(Gate.update(baseline: old, results: filtered).cells["gone/from/the/matrix"] != nil)
        var interrupted = results
        interrupted.partial = true
        #expect(Gate.update(baseline: old, results: interrupted).cells["gone/from/the/matrix"] != nil)
    }

    @Test func updatedBaselineRoundTripsThroughAFile() throws {
        let dir = try ResultsCodecTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("debian12.json")
        var baseline = Gate.update(baseline: nil, results: results)
        baseline.cells[ranCells[0].id]!.note = "note"
        baseline.cells[ranCells[1].id]!.allowed = [.pass, .duplicateRuntimeAbort]
        try baseline.write(to: url)
        let read = try Baseline.read(url)
        #expect(read == baseline.normalized())
        #expect(read.cells[ranCells[1].id]!.allowed == [.duplicateRuntimeAbort, .pass])  // rule order
        let text = try String(contentsOf: url, encoding: .utf8)
        #expect(text.contains("\"note\" : \"note\""))
        #expect(try baseline.encoded() == Data(contentsOf: url))
    }
}
