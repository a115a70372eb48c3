import Foundation
import Testing
@testable import OpenMPConformance

extension DoctorTests {
    /// `doctor PATH` on trees built from copies of the provisioned runtimes.
    @Suite("doctor PATH", .enabled(if: !TestRuntimes.all.isEmpty, Comment(rawValue: TestRuntimes.missingReason)))
    struct PathTests {
        @Test("venv with Intel lib/libiomp5.so and a vendored LLVM copy: both found, abort without the variable, the with-variable outcome as observed, the link fix verified, no user file changed")
        func venvWithTwoKMP() async throws {
            let v = try DoctorFixtures.venv()
            defer { try? FileManager.default.removeItem(atPath: v.root) }
            let before = try DoctorFixtures.hashes(v.root)
            let report = try await Doctor.diagnose(paths: [v.root])
            #expect(try DoctorFixtures.hashes(v.root) == before, "the doctor changed a user file")

            #expect(Set(report.runtimes.map(\.path)) == [v.intel, v.vendored])
            #expect(report.runtimes.allSatisfy { $0.family == .kmp })
            #expect(Set(report.runtimes.map(\.vendor)) == [.intel, .llvm])
            #expect(report.runtimes.first { $0.path == v.intel }?.installedBy == "intel-openmp 2025.2.1", "release from the wheel's RECORD")
            #expect(report.conflict)
            #expect(report.exitStatus(strict: false) == 1)
            let pair = try #require(report.pairs.first)
            #expect(pair.bothKMP && pair.conflict && pair.needsVariable)
            let unset = pair.observations.filter { $0.label.hasSuffix("variable unset") && !$0.label.contains("fix") }
            #expect(unset.count == 2)
            #expect(unset.allSatisfy { $0.outcome == .duplicateRuntimeAbort }, "\(unset.map(\.outcome))")
            // With the variable: whatever was observed is what the answer says.
            let set = pair.observations.filter { $0.label.hasSuffix("KMP_DUPLICATE_LIB_OK=TRUE") }
            #expect(set.count == 2)
            let variable = try #require(pair.fixes.first { $0.kind == .variable })
            if set.allSatisfy({ $0.outcome == .pass }) {
                #expect(variable.status == .verified)
                #expect(pair.variableSafety.hasPrefix("ran clean"))
            } else {
                #expect(variable.status == .failed)
                for o in set where o.outcome != .pass { #expect(pair.variableSafety.contains(o.outcome.rawValue)) }
            }
            // One runtime by a link, keeping the newer release (nothing in the tree imports what either
            // lacks): verified on a copy, both orders passing.
            let links = pair.fixes.filter { $0.kind == .link }
            #expect(links.count == 1)
            #expect(links.contains { $0.status == .verified }, "\(links.map(\.evidence))")
            #expect(links.first?.command?.hasPrefix("mv \(v.vendored) ") == true, "Intel 2025 is newer than LLVM 16: \(links.first?.command ?? "")")
            let linkRuns = pair.observations.filter { $0.label.hasPrefix("link fix") }
            #expect(linkRuns.count == 2)
            for o in linkRuns { #expect(!o.repro.contains(v.root), "a fix was probed on the user's own tree: \(o.repro)") }
            // Preloading: the probe calls each runtime by its own handle; measured, and said so.
            let preload = try #require(pair.fixes.first { $0.kind == .preload })
            let preloadRuns = pair.observations.filter { $0.label.hasPrefix("preload fix") }
            #expect(preloadRuns.allSatisfy { $0.repro.contains("LD_PRELOAD=\(v.intel)") }, "the repro line shows the kit's LD_PRELOAD")
            #expect(preload.status == (preloadRuns.allSatisfy { $0.outcome == .pass } ? .verified : .notApplicable))
            // The answer comes first, in plain words, naming the pair by path and release.
            let text = report.text
            let answerEnd = try #require(text.range(of: "Details"))
            let answer = String(text[..<answerEnd.lowerBound])
            #expect(answer.contains(v.intel) && answer.contains(v.vendored))
            #expect(answer.contains("Intel 5.0") && answer.contains("LLVM 16.0") && answer.contains("intel-openmp 2025.2.1"))
            #expect(answer.contains("Need KMP_DUPLICATE_LIB_OK?") && answer.contains("Is it safe for this pair?"))
            #expect(answer.contains("[verified here]"))
            // The copies are gone.
            for f in DoctorFixtures.doctorFolders(in: report) { #expect(!FileManager.default.fileExists(atPath: f), "\(f) left behind") }
            // JSON carries the same content.
            let json = try JSONSerialization.jsonObject(with: try ResultsCodec.encode(report)) as? [String: Any]
            #expect((json?["answer"] as? [String]) == report.answer)
            #expect(json?["conflict"] as? Bool == true)
        }

        @Test("GNU libgomp plus one KMP runtime: no conflict, exit 0, no fix offered")
        func gnuPlusOneKMP() async throws {
            let root = try DoctorFixtures.temporaryDirectory("gnu")
            defer { try? FileManager.default.removeItem(atPath: root) }
            try DoctorFixtures.copy(try DoctorFixtures.runtimePath("gnu"), to: root + "/lib/python3.11/site-packages/faiss.libs/libgomp-a34b3233.so.1")
            try DoctorFixtures.copy(try DoctorFixtures.runtimePath("llvm16"), to: root + "/lib/libomp.so.5")
            let before = try DoctorFixtures.hashes(root)
            let report = try await Doctor.diagnose(paths: [root])
            #expect(try DoctorFixtures.hashes(root) == before)
            #expect(report.runtimes.count == 2)
            #expect(!report.conflict)
            #expect(report.exitStatus(strict: true) == 0)
            #expect(report.pairs.allSatisfy { $0.fixes.isEmpty })
            #expect(report.pairs.flatMap(\.observations).allSatisfy { $0.outcome == .pass }, "\(report.pairs.flatMap(\.observations).map(\.outcome))")
            #expect(report.answer.first?.lowercased().contains("no conflict") == true, "\(report.answer)")
            #expect(!report.text.contains("Do:"))
        }

        @Test("a damaged runtime file is reported unreadable and never loaded; the rest still runs")
        func damagedRuntime() async throws {
            let root = try DoctorFixtures.temporaryDirectory("damaged")
            defer { try? FileManager.default.removeItem(atPath: root) }
            let good = root + "/lib/libiomp5.so", bad = root + "/pkg.libs/libomp-deadbeef.so.5"
            try DoctorFixtures.copy(try DoctorFixtures.runtimePath("intel"), to: good)
            let whole = try Data(contentsOf: URL(fileURLWithPath: try DoctorFixtures.runtimePath("llvm16")))
            try FileManager.default.createDirectory(atPath: root + "/pkg.libs", withIntermediateDirectories: true)
            try whole.prefix(4096).write(to: URL(fileURLWithPath: bad)) // truncated: header and a little more
            let report = try await Doctor.diagnose(paths: [root])
            #expect(report.unreadable.contains { $0.path == bad && $0.reason.contains("unreadable") }, "\(report.unreadable)")
            #expect(report.runtimes.map(\.path) == [good])
            let reproLines = report.pairs.flatMap(\.observations).map(\.repro)
            #expect(!reproLines.contains { $0.contains(bad) }, "the damaged file was handed to a probe")
            #expect(!report.conflict)
            #expect(report.answer.contains { $0.contains(bad) && $0.contains("never loaded") })
        }

        @Test("a path that does not exist: bad input naming it")
        func missingPath() async throws {
            let missing = "/nonexistent/omp-doctor-\(UUID().uuidString)"
            await #expect { try await Doctor.diagnose(paths: [missing]) } throws: { e in
                guard let e = e as? DoctorError, case .badInput(let m) = e else { return false }
                return m.contains(missing)
            }
        }

        @Test("omp-matrix doctor and scan exit 1 on the venv, 2 on a missing path; doctor --format json carries the answer")
        func cliExitStatus() async throws {
            let cli = try #require(DoctorCLI.path, "omp-matrix not built beside the tests")
            let v = try DoctorFixtures.venv()
            defer { try? FileManager.default.removeItem(atPath: v.root) }
            let doctor = try await DoctorCLI.run(cli, ["doctor", "--format", "json", "--no-fix-check", v.root])
            #expect(doctor.status == 1)
            let json = try JSONSerialization.jsonObject(with: Data(doctor.stdout.utf8)) as? [String: Any]
            #expect((json?["answer"] as? [String])?.first?.contains("Conflict") == true)
            #expect(try await DoctorCLI.run(cli, ["scan", v.root]).status == 1)
            let missing = try await DoctorCLI.run(cli, ["doctor", "/nonexistent/omp-doctor-cli"])
            #expect(missing.status == 2)
            #expect(missing.stderr.contains("/nonexistent/omp-doctor-cli"))
        }
    }
}

/// The `omp-matrix` binary beside the test bundle, run as users run it.
enum DoctorCLI {
    static var path: String? {
        let alt = TestRuntimes.root + "/.build/debug/omp-matrix"
        return TestProducts.ompMatrix ?? (FileManager.default.isExecutableFile(atPath: alt) ? alt : nil)
    }

    static func run(_ cli: String, _ args: [String]) async throws -> (status: Int32, stdout: String, stderr: String) {
        let p = try await TestProcess.run([cli] + args)
        return (p.terminationStatus, p.output, p.errors)
    }
}
