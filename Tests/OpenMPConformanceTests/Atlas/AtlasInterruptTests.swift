import Foundation
import Testing
@testable import OpenMPConformance

@Suite("Atlas: interrupting omp-matrix atlas")
struct AtlasInterruptTests {
    @Test("SIGINT and SIGTERM leave a valid partial atlas file, no probe, no shm file", arguments: [SIGINT, SIGTERM])
    func interrupted(_ sig: Int32) async throws {
        let dir = try makeTemporaryDirectory("omp-atlas-int")
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("atlas.json")
        // Four runtimes (16 cells, 48 variants, about 12 s one probe at a time) outlast the first
        // checkpoints by far; the whole catalog only made the start and the checkpoints dearer.
        let p = try RunInterruptTests.start(["atlas", "--runtimes", "gnu,llvm14,llvm16,intel", "--jobs", "1", "--results", out.path,
                                             "--output", dir.appendingPathComponent("summary.txt").path])
        // A poll on its own thread with a cheap byte count (see RunInterruptTests.waitForProgress): the
        // wait must keep pace with the atlas even when the suite's other tests fill the cooperative pool.
        let seenProbes = try await RunInterruptTests.waitForProgress(of: p.pid, checkpoint: out, marker: "\"variant\"", atLeast: 15,
                                                                     then: sig) { try RunInterruptTests.children(of: $0) }
        let ended = await p.exit()
        #expect(ended.status == 4 && !ended.bySignal, "an interrupted atlas exits 4 (incomplete)")
        let a = try AtlasCodec.read(out)
        #expect(a.partial)
        #expect(a.cells.contains { !$0.observations.isEmpty } && a.cells.contains { !$0.isComplete })
        #expect(try RunInterruptTests.children(of: p.pid).isEmpty)
        #expect(!seenProbes.isEmpty, "probes were seen running before the signal")
        for pid in seenProbes { #expect(sessionIsGone(pid), "probe session \(pid) survived") }
        let shm = ShmRegistry.entries().filter { seenProbes.contains($0.pid) }
        #expect(shm.isEmpty, "shm files left: \(shm.map(\.path))")
    }
}
