import Foundation
import Testing
@testable import OpenMPConformance

/// The probe is found, never built: `OMP_PROBE`, or the build products beside the running
/// executable; otherwise an error that says how to build one, and no build process.
@Suite("Probe executable lookup")
struct ProbeExecutableTests {
    static let products = TestProducts.directory

    @Test("a missing probe is an error that names the commands that build one")
    func missing() throws {
        let dir = try RuntimeFixtures.temporaryDirectory("noprobe")
        defer { try? FileManager.default.removeItem(at: dir) }
        do {
            let found = try ProbeExecutable.find(environment: [:], executable: dir.appendingPathComponent("omp-matrix").path)
            Issue.record("found \(found) where there is none")
        } catch {
            #expect(error.description.contains(dir.path))
            #expect(error.description.contains("swift build --product omp-probe"))
            #expect(error.description.contains(#".product(name: "omp-probe", package: "openmp-conformance")"#))
        }
        #expect(throws: ProbeExecutable.NotFound.self) {
            try ProbeExecutable.find(environment: [ProbeExecutable.variable: dir.path + "/nothing"], executable: "/x")
        }
    }

    @Test("OMP_PROBE wins; otherwise the omp-probe beside the running executable or test bundle")
    func order() throws {
        let sibling = Self.products.appendingPathComponent("omp-probe").path
        try #require(FileManager.default.isExecutableFile(atPath: sibling), "swift build builds omp-probe beside the tests")
        #expect(try ProbeExecutable.find(environment: [:], executable: CommandLine.arguments[0]) == sibling)
        #expect(try ProbeExecutable.find(environment: [ProbeExecutable.variable: "/bin/sh"], executable: CommandLine.arguments[0]) == "/bin/sh")
        #expect(ProbeExecutable.productsDirectory(of: "/b/debug/Kit.xctest/Contents/MacOS/Kit").path == "/b/debug")
        #expect(ProbeExecutable.productsDirectory(of: "/b/debug/KitPackageTests.xctest").path == "/b/debug")
    }

    @Test("omp-matrix run without a probe exits 3 with the build command, and starts no build",
          .enabled(if: TestProducts.ompMatrix != nil))
    func noBuildProcess() async throws {
        let fm = FileManager.default
        let dir = try RuntimeFixtures.temporaryDirectory("nobuild")
        defer { try? fm.removeItem(at: dir) }
        // omp-matrix alone in a folder, and `swift`/`swiftc` on PATH that leave a mark if started.
        let cli = dir.appendingPathComponent("omp-matrix").path
        try await copyExecutable(Self.products.appendingPathComponent("omp-matrix").path, to: cli)
        let bin = dir.appendingPathComponent("bin")
        try fm.createDirectory(at: bin, withIntermediateDirectories: true)
        let mark = dir.appendingPathComponent("build-started").path
        for tool in ["swift", "swift-build", "swiftc"] {
            let path = bin.appendingPathComponent(tool).path
            try "#!/bin/sh\necho \"$0 $*\" >> '\(mark)'\nexit 1\n".write(toFile: path, atomically: true, encoding: .utf8)
            chmod(path, 0o755)
        }
        var env = ProcessInfo.processInfo.environment
        env[ProbeExecutable.variable] = nil
        env["PATH"] = bin.path + ":" + (env["PATH"] ?? "/usr/bin:/bin")
        let p = try await TestProcess.run([cli, "run", "--row", "linux-cpu-training", "--output", dir.appendingPathComponent("r.json").path],
                                    environment: env, in: dir)
        let text = p.errors
        #expect(p.terminationStatus == 3, "\(text)")
        #expect(text.contains("no omp-probe") && text.contains("swift build --product omp-probe"), "\(text)")
        #expect(!fm.fileExists(atPath: mark), "a build tool was started: \((try? String(contentsOfFile: mark, encoding: .utf8)) ?? "")")
    }
}
