import Foundation
import Testing
@testable import OpenMPConformance

/// The lines and links a report prints work as printed: the wheel repro runs from any folder with
/// the runtime cache spelled `$OMP_CONFORMANCE_RUNTIMES`, and the HTML's second page holds every
/// anchor the first page links to.
@Suite("Report repro lines and pages")
struct ReportPagesTests {
    /// A macOS wheel in the runtime cache, when provisioned.
    static let cache = try? RuntimeCatalog.directory()
    static var macWheel: String? {
        guard let dir = cache?.appendingPathComponent("wheels").path else { return nil }
        return (try? FileManager.default.contentsOfDirectory(atPath: dir))?.sorted().first { $0.hasPrefix("faiss") && $0.contains("macosx") }
    }

    @Test("a wheel claim's repro line runs as shown, from another folder, and reads the wheel (exit 0 or 1, never 2)",
          .enabled(if: macWheel != nil && TestProducts.ompMatrix != nil, "needs a provisioned macOS wheel and omp-matrix built beside the tests"))
    func wheelRepro() async throws {
        let wheel = try #require(Self.macWheel)
        // The line exactly as the verdict writes it for a wheel counterexample.
        let c = try #require(MatrixFixtures.linux.claim(id: "pytorch-intel-faiss-llvm"))
        let wrong = WheelScan.Wheel(file: wheel, package: "faiss-cpu", version: "1", platformTag: "macosx_14_0_arm64",
                                    libraries: [.init(path: "faiss/.dylibs/libomp.dylib", kind: .gnu)], error: nil)
        let line = try #require(Verdicts.claim(c, results: [], wheels: [wrong]).counterexampleRepro)
        #expect(line.hasPrefix("omp-matrix scan \"$OMP_CONFORMANCE_RUNTIMES/wheels/"))
        let bin = URL(fileURLWithPath: try #require(TestProducts.ompMatrix)).deletingLastPathComponent().path
        let dir = try makeTemporaryDirectory("repro")
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try await TestProcess.run(["/bin/bash", "-c", line],
                                    environment: ["PATH": bin + ":/usr/bin:/bin", "OMP_CONFORMANCE_RUNTIMES": try #require(Self.cache).path],
                                    in: dir, mergingErrors: true)
        #expect(r.terminationStatus == 0 || r.terminationStatus == 1, "\(line) exited \(r.terminationStatus): \(r.output)")
        #expect(r.output.contains("libomp"), "\(r.output)")
    }

    @Test("matrix.html on two pages: the first links every test case to the second, which holds each anchor")
    func twoPages() throws {
        let results = ReportFixtures.hostileResults()
        let first = HTMLReport.render(results, cellsPage: "matrix-cells.html")
        let second = HTMLReport.renderCells(results)
        let one = HTMLReport.render(results)
        #expect(!first.contains("<section class=\"evidence"), "the first page keeps no evidence section")
        #expect(first.utf8.count < one.utf8.count)
        let links = first.components(separatedBy: "href=\"matrix-cells.html#").dropFirst().map { String($0.prefix { $0 != "\"" }) }
        #expect(links.count >= results.results.count, "every grid mark links to the second page")
        for anchor in Set(links) { #expect(second.contains("id=\"\(anchor)\""), "no anchor \(anchor) on the second page") }
        #expect(!first.contains("href=\"#cell-"), "no link left pointing into the first page")
        #expect(!second.contains("<script>alert(1)</script>"), "hostile strings stay escaped on the second page")
    }
}
