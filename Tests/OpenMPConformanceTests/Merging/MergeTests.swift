import Foundation
import Testing
@testable import OpenMPConformance

@Suite("Merge across hosts")
struct MergeTests {
    /// A macOS run of the same matrix: macOS cells run there, Linux cells are skipped, and one
    /// Linux-named cell ends differently.
    static func macResults() -> ResultsFile {
        var r = ReportFixtures.results(hostKey: "macos14-arm64")
        r.host.os = "macOS"; r.host.osID = "macos"; r.host.osVersion = "14.5"; r.host.arch = "arm64"; r.host.libc = "libSystem"
        r.host.runtimes = Array(r.host.runtimes.dropFirst())  // no libgomp on this Mac
        for i in r.results.indices {
            if r.results[i].row.hasPrefix("macos") {
                r.results[i].status = .ran
                r.results[i].outcome = .duplicateRuntimeAbort
                r.results[i].verdict = r.results[i].allowed.contains(.duplicateRuntimeAbort) ? .confirmed : .refuted
                r.results[i].reason = nil
            } else if r.results[i].profile == "gnu+llvm14" {
                r.results[i].status = .skipped
                r.results[i].outcome = nil
                r.results[i].verdict = .untestable
                r.results[i].reason = "runtime gnu is not installed"
            } else if r.results[i].outcome == .hangAtExit {
                r.results[i].outcome = .pass
                r.results[i].verdict = .confirmed
            }
        }
        r.claims[2].byProfile = ["intel+llvm14": .refuted]
        r.claims[2].verdict = .refuted
        r.claims[2].counterexample = r.results.last!.id
        return r
    }

    @Test func mergesTwoHosts() throws {
        let linux = ReportFixtures.results()
        let mac = Self.macResults()
        let merged = try Merge.merge(named: [(name: "results/debian.json", results: linux), (name: "results/mac.json", results: mac)])
        #expect(merged.hostKeys == ["debian12-x86_64-glibc2.36", "macos14-arm64"])
        #expect(merged.hosts.map(\.inputs) == [["results/debian.json"], ["results/mac.json"]])
        #expect(merged.cells.map(\.id) == linux.results.map(\.id))
        let hang = linux.results.first { $0.outcome == .hangAtExit }!
        #expect(merged[cell: hang.id, host: "debian12-x86_64-glibc2.36"]?.outcome == .hangAtExit)
        #expect(merged[cell: hang.id, host: "debian12-x86_64-glibc2.36"]?.verdict == .refuted)
        #expect(merged[cell: hang.id, host: "macos14-arm64"]?.outcome == .pass)
        let macCell = linux.results.last!.id
        #expect(merged[cell: macCell, host: "debian12-x86_64-glibc2.36"]?.status == .skipped)
        #expect(merged[cell: macCell, host: "macos14-arm64"]?.outcome == .duplicateRuntimeAbort)
        #expect(merged.cells.filter(\.outcomesDiffer).map(\.id) == linux.results.filter { $0.outcome == .hangAtExit }.map(\.id))

        let claim = try #require(merged.claims.first { $0.id == "macos-mps" })
        #expect(claim.byHost == ["debian12-x86_64-glibc2.36": .untestable, "macos14-arm64": .refuted])
        #expect(claim.verdict == .refuted)
        #expect(claim.counterexamples == ["macos14-arm64": macCell])

        // JSON round trip.
        let data = try ResultsCodec.encode(merged)
        let back = try ResultsCodec.decode(MergedMatrix.self, from: data, file: "merged.json",
                                           schemaVersion: MergedMatrix.currentSchemaVersion)
        #expect(back == merged)
        #expect(String(decoding: data, as: UTF8.self).contains("\"kind\" : \"merged-matrix\""))

        // Markdown.
        let md = MergedMarkdownReport.render(merged)
        #expect(md.hasPrefix("# OpenMP conformance across 2 hosts\n"))
        #expect(md.contains("| Cell | debian12-x86\\_64-glibc2.36 | macos14-arm64 |"))
        #expect(md.contains("| `\(hang.id)` | **hang-at-exit ✗** | pass |"))
        #expect(md.contains("## Cells whose outcome differs between hosts (2)"))
        #expect(md.contains("| `\(macCell)` | skipped | **duplicate-runtime-abort ✗** |"))
        #expect(md.contains("| macos-mps: On macOS with MPS the abort also happens. | **refuted** | untestable | **refuted** |"))
    }

    @Test func shardsOfOneHostCombine() throws {
        let full = ReportFixtures.results()
        var first = full, second = full
        first.results = Array(full.results.prefix(10))
        second.results = Array(full.results.dropFirst(10))
        second.host.kernel = "6.1.0-29-amd64"  // another CI machine of the same image: fine
        let merged = try Merge.merge([first, second])
        #expect(merged.hosts.count == 1)
        #expect(merged.hosts[0].inputs == ["#1", "#2"])
        #expect(merged.cells.count == full.results.count)
        #expect(merged.cells.allSatisfy { $0.byHost.count == 1 })
    }

    @Test func refusesConflictingHostInfo() throws {
        let a = ReportFixtures.results()
        var b = ReportFixtures.results()
        b.host.runtimes[1].sha256 = String(repeating: "0", count: 64)
        b.host.libc = "glibc 2.37"
        let error = try #require(throws: Merge.MergeError.self) {
            try Merge.merge(named: [(name: "a.json", results: a), (name: "b.json", results: b)])
        }
        #expect(error.description.hasPrefix("cannot merge: a.json and b.json both say host \"debian12-x86_64-glibc2.36\" but differ in "))
        #expect(error.message.contains("libc (glibc 2.36 vs glibc 2.37)"))
        #expect(error.message.contains("runtime llvm14 sha256"))

        var c = ReportFixtures.results()
        c.host.arch = "aarch64"
        #expect(throws: Merge.MergeError.self) { try Merge.merge([a, c]) }
    }

    @Test func refusesTwoOutcomesForOneCellOnOneHost() throws {
        let a = ReportFixtures.results()
        var b = a
        let i = b.results.firstIndex { $0.outcome == .hangAtExit }!
        b.results[i].outcome = .pass
        let error = try #require(throws: Merge.MergeError.self) { try Merge.merge([a, b]) }
        #expect(error.message.contains("is hang-at-exit in #1 but pass in #2"))
        #expect(throws: Merge.MergeError.self) { try Merge.merge([]) }
        // The same outcome twice is fine.
        #expect(try Merge.merge([a, a]).cells.count == a.results.count)
    }
}
