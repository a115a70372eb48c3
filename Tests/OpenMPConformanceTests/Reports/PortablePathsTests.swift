import Foundation
import Testing
@testable import OpenMPConformance

/// Text for people and for the repository names no path of the machine that wrote it: the
/// runtime cache is `$OMP_CONFORMANCE_RUNTIMES/…`, the probe `$OMP_PROBE`, and a line so written
/// still names the same files once bash expands it.
@Suite("Repro lines and checked-in text without machine paths")
struct PortablePathsTests {
    static let cache = "/var/cache/omp test/runtimes"

    /// What bash makes of `line`'s words with the two variables set: one word per output line.
    static func words(_ line: String, runtimes: String = cache, probe: String = "/opt/kit/omp-probe") async throws -> [String] {
        let r = try await TestProcess.run(["/bin/bash", "-c", "printf '%s\\n' " + line],
                                    environment: ["OMP_CONFORMANCE_RUNTIMES": runtimes, "OMP_PROBE": probe, "PATH": "/usr/bin:/bin"])
        #expect(r.terminationStatus == 0, "\(r.errors)")
        return r.output.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
    }

    @Test("a line keeps naming the same files after bash expands it, quoted or not",
          arguments: [["env", "-i", "A=1"], ["K=V"], []])
    func expandsToTheSameFiles(prefix: [String]) async throws {
        let paths = PortablePaths(runtimesDirectories: [Self.cache])
        let argv = prefix + ["/work/x/.build/release/omp-probe", "--runtime", "a=\(Self.cache)/llvm16/libomp.so.5",
                             "--runtime", "b=/usr/lib/llvm-14/lib/libomp.so.5", "--steps", "load a; init a"]
        let line = (prefix.isEmpty ? "" : prefix.joined(separator: " ") + " ") + argv.dropFirst(prefix.count).map(ShellQuote.quote).joined(separator: " ")
        let portable = paths.line(line)
        #expect(!portable.contains(Self.cache) && !portable.contains("/work/"), "\(portable)")
        #expect(portable.contains("$OMP_PROBE --runtime"), "\(portable)")
        // The cache path has a space, so the word is single-quoted: the variable is spliced outside the quotes.
        await #expect(try Self.words(portable) == prefix + ["/opt/kit/omp-probe"] + Array(argv.dropFirst(prefix.count + 1)))
        // Another machine's cache: the same line names its files.
        let elsewhere = try await Self.words(portable, runtimes: "/srv/rt")
        #expect(elsewhere.contains("a=/srv/rt/llvm16/libomp.so.5"), "\(elsewhere)")
        #expect(elsewhere.contains("b=/usr/lib/llvm-14/lib/libomp.so.5"))
    }

    @Test("a results file shown in a report: repro lines, messages, counterexamples and runtime paths")
    func resultsFile() throws {
        let cache = "/root/.cache/openmp-conformance/runtimes"
        var file = ResultsFile(partial: false, startedAt: "2026-12-01T10:00:00Z", finishedAt: nil, host: ReportFixtures.host(),
                               environment: .init(scrubbed: [], passedThrough: [], pinned: [:]), selection: ["all"],
                               results: AnswerFixtures.run(), claims: [])
        file.results[0].repro = "env -i /work/h8/.build/release/omp-probe --runtime a=\(cache)/intel/libiomp5.so --steps 'load a'"
        file.results[0].message = "cannot load \(cache)/intel/libiomp5.so"
        file.host.runtimes[0].path = "\(cache)/llvm16/usr/lib/llvm-16/lib/libomp.so.5"
        let shown = file.portable(PortablePaths(runtimesDirectories: [cache]))
        #expect(shown.results[0].repro == "env -i $OMP_PROBE --runtime a=$OMP_CONFORMANCE_RUNTIMES/intel/libiomp5.so --steps 'load a'")
        #expect(shown.results[0].message == "cannot load $OMP_CONFORMANCE_RUNTIMES/intel/libiomp5.so")
        #expect(shown.host.runtimes[0].path == "$OMP_CONFORMANCE_RUNTIMES/llvm16/usr/lib/llvm-16/lib/libomp.so.5")
        let md = MarkdownReport.render(shown)
        #expect(!md.contains(cache) && !md.contains("/work/h8"))
        // The HTML's evidence names the mapped files too.
        if var p = file.results[0].probe {
            p.runtimesMapped = [.init(path: "\(cache)/intel/libiomp5.so", family: "kmp", afterStep: 0)]
            p.stdout.head = "@omp mapped kmp \(cache)/intel/libiomp5.so\n"
            file.results[0].probe = p
        }
        let cells = HTMLReport.renderCells(file.portable(PortablePaths(runtimesDirectories: [cache])))
        #expect(!cells.contains(cache), "the evidence page names the runtime cache")
    }

    @Test("omp-matrix atlas renders a measured atlas without this machine's runtime cache, in every format for people",
          .enabled(if: TestProducts.ompMatrix != nil, "needs omp-matrix beside the tests (swift build)"),
          arguments: ["md", "summary", "html"])
    func atlasRenderings(format: String) async throws {
        var atlas = try #require(try AtlasFixtures.committed(AnswerQuestionsTests.committedAtlas))
        // As measured: the repro lines name the cache by its path on this machine.
        let cache = "/srv/omp cache/runtimes"
        atlas.cells = atlas.cells.map { c in
            var c = c
            c.observations = c.observations.map { var o = $0; o.repro = o.repro.replacingOccurrences(of: "$OMP_CONFORMANCE_RUNTIMES/", with: cache + "/"); return o }
            return c
        }
        let dir = try makeTemporaryDirectory("omp-atlas-paths")
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("atlas.json")
        try AtlasCodec.write(atlas, to: file)
        #expect(try String(contentsOf: file, encoding: .utf8).contains(cache))
        let r = try await TestProcess.run([TestProducts.ompMatrix!, "atlas", "--from", file.path, "--format", format],
                                    environment: ["OMP_CONFORMANCE_RUNTIMES": cache, "PATH": "/usr/bin:/bin", "NO_COLOR": "1"])
        #expect(r.terminationStatus == 0 || r.terminationStatus == 4, "\(r.errors)")
        #expect(!r.output.isEmpty)
        #expect(!r.output.contains(cache) && !r.output.contains(XMLText.text(cache)), "the \(format) rendering names the cache")
    }

    /// An absolute path of a machine (a home, a build or work folder, a cache, a temporary folder).
    static var machinePath: Regex<AnyRegexOutput> { try! Regex(#"(^|[\s=`'"(])(/root/|/home/|/Users/|/work/|/tmp/|/var/folders/|/private/)|\.cache/openmp-conformance/runtimes/"#) }

    /// The checked-in files the kit writes: verdict snapshots, atlas snapshots, the README's generated sections.
    static var checkedIn: [String] {
        let root = URL(fileURLWithPath: TestRuntimes.root)
        var out: [String] = []
        for dir in ["Matrices/baselines", "Matrices/atlas", "Matrices/atlas/windows-x86_64"] {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent(dir).path)) ?? []
            out += names.filter { $0.hasSuffix(".json") }.sorted().map { "\(dir)/\($0)" }
        }
        return out + ["README.md"]
    }

    @Test("checked-in snapshots and the README's generated sections hold no machine path", arguments: checkedIn)
    func noMachinePaths(file: String) throws {
        var text = try String(contentsOfFile: TestRuntimes.root + "/" + file, encoding: .utf8)
        if file == "README.md" {
            // Only what the kit writes: the generated sections.
            var generated = ""
            var rest = Substring(text)
            while let b = rest.range(of: "<!-- BEGIN GENERATED"), let e = rest[b.upperBound...].range(of: "<!-- END GENERATED") {
                generated += rest[b.upperBound..<e.lowerBound]
                rest = rest[e.upperBound...]
            }
            #expect(!generated.isEmpty, "the README has no generated section")
            text = generated
        }
        let pattern = Self.machinePath
        let hits = text.split(separator: "\n").filter { $0.contains(pattern) }
        #expect(hits.isEmpty, "\(file) names a machine path: \(hits.prefix(3).joined(separator: "\n"))")
    }
}
