import Foundation
import Testing
@testable import OpenMPConformance

/// `omp-matrix run` as users run it, as a real subprocess: interrupted, and run twice at once.
@Suite("omp-matrix run under interrupts and concurrency", .serialized)
struct RunInterruptTests {
    static var cli: String? { TestProducts.ompMatrix }

    /// Starts `omp-matrix args...` in the background, its output discarded.
    static func start(_ args: [String], in dir: URL? = nil) throws -> TestProcess.Started {
        try TestProcess.start([try #require(Self.cli, "omp-matrix not built beside the tests")] + args, in: dir,
                              standardOutput: FileHandle.nullDevice, standardError: FileHandle.nullDevice)
    }

    /// Polls (every 20 ms, at most 60 s) until `checkpoint` holds `marker` at least `atLeast`
    /// times, collecting the children of `pid` seen meanwhile, then sends `pid` the signal `then`.
    /// A cheap byte count, not a parse, on a thread of its own that also sends the signal: the
    /// cooperative pool may be kept busy by other tests, and a poll or a signal waiting for one of
    /// its threads could come after the run has ended.
    static func waitForProgress(of pid: Int32, checkpoint: URL, marker: String, atLeast: Int, then signal: Int32,
                                children: @escaping @Sendable (Int32) throws -> [Int32]) async throws -> Set<Int32> {
        try await onOwnThread {
            let needle = Array(marker.utf8)
            let deadline = ContinuousClock.now + .seconds(60)
            var seen: Set<Int32> = []
            var polls = 0
            while ContinuousClock.now < deadline {
                // The children every 100 ms (a walk of every process), the checkpoint every 20 ms.
                if polls % 5 == 0 || seen.isEmpty { seen.formUnion(try children(pid)) }
                polls += 1
                if let data = FileManager.default.contents(atPath: checkpoint.path), occurrences(of: needle, in: data) >= atLeast,
                   !seen.isEmpty { break }
                usleep(20_000)
            }
            kill(pid, signal)
            return seen
        }
    }

    static func occurrences(of needle: [UInt8], in data: Data) -> Int {
        guard !needle.isEmpty, data.count >= needle.count else { return 0 }
        var n = 0
        data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            let b = raw.bindMemory(to: UInt8.self)
            var i = 0
            while i <= b.count - needle.count {
                if b[i] == needle[0] && Array(b[i..<i + needle.count]) == needle { n += 1; i += needle.count } else { i += 1 }
            }
        }
        return n
    }

    /// Processes whose parent is `pid` (direct children: the probes' session leaders).
    static func children(of pid: Int32) throws -> [Int32] {
        try ProcessTree.snapshot().filter { $0.ppid == pid }.map(\.pid)
    }

    @Test("SIGINT, SIGTERM and SIGHUP leave a valid partial results file, no probe, no shm file", arguments: [SIGINT, SIGTERM, SIGHUP])
    func interrupted(_ sig: Int32) async throws {
        let dir = try makeTemporaryDirectory("omp-int")
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("r.json")
        // One probe at a time: the first checkpoint (2 s in) is what the wait needs, and a second probe
        // in flight would only double the CPU spent until then.
        let p = try Self.start(["run", "--plain", "--platform", "linux-x86_64", "--jobs", "1", "--output", out.path], in: dir)
        // Wait until some probes have run (the checkpoint holds ran cells), then interrupt.
        let seenProbes = try await Self.waitForProgress(of: p.pid, checkpoint: out, marker: #""status" : "ran""#, atLeast: 3,
                                                        then: sig) { try Self.children(of: $0) }
        let ended = await p.exit()
        #expect(ended.status == 4 && !ended.bySignal, "interrupted runs exit 4 (incomplete)")
        let r = try ResultsCodec.read(out)
        #expect(r.partial)
        #expect(!r.results.isEmpty && r.results.count < 419)
        #expect(try Self.children(of: p.pid).isEmpty)
        for pid in seenProbes { #expect(sessionIsGone(pid), "probe session \(pid) survived") }
        let shm = ShmRegistry.entries().filter { e in r.results.contains { $0.probe?.pid == e.pid } }
        #expect(shm.isEmpty, "shm files left: \(shm.map(\.path))")
    }

    @Test("two runs started at once in the same folder write two valid files")
    func concurrent() async throws {
        let dir = try makeTemporaryDirectory("omp-two")
        defer { try? FileManager.default.removeItem(at: dir) }
        let args = ["run", "--plain", "--jobs", "1"] + MatrixFixtures.quickRun
        let a = try Self.start(args, in: dir), b = try Self.start(args, in: dir)
        let (endA, endB) = (await a.exit(), await b.exit())
        #expect(endA.status == 0 && !endA.bySignal && endB.status == 0 && !endB.bySignal)
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("results").path).filter { $0.hasSuffix(".json") }
        #expect(files.count == 2, "\(files)")
        for f in files {
            let r = try ResultsCodec.read(dir.appendingPathComponent("results/" + f))
            #expect(!r.partial && r.results.count == MatrixFixtures.quickRunCells)
        }
    }
}
