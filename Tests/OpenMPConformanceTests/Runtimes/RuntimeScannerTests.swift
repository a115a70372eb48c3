import Foundation
import Testing
@testable import OpenMPConformance

extension RuntimesTests {
    @Suite("Runtime scanner")
    struct RuntimeScannerTests {
        @Test("a vendored copy (its SONAME renamed) is a conflict pair, a symlink is the same runtime, GNU conflicts with nothing",
              .enabled(if: LoaderFixtures.canBuild, LoaderFixtures.buildReason))
        func tree() async throws {
            guard let l14 = RuntimeFixtures.runtime("llvm14"), let gnu = RuntimeFixtures.runtime("gnu"),
                  let libm = RuntimeFixtures.systemFile(RuntimeFixtures.libm) else { return }
            let fm = FileManager.default
            let root = try RuntimeFixtures.temporaryDirectory("scan")
            defer { try? fm.removeItem(at: root) }
            let lib = root.appendingPathComponent("prefix/lib")
            let vendored = root.appendingPathComponent("site-packages/pkg.libs")
            try fm.createDirectory(at: lib, withIntermediateDirectories: true)
            try fm.createDirectory(at: vendored, withIntermediateDirectories: true)
            let a = lib.appendingPathComponent("libomp.so.5")
            let b = vendored.appendingPathComponent("libomp-5f3a9c1e.so.5")
            try fm.copyItem(atPath: l14.path, toPath: a.path)
            // As auditwheel vendors it: a copy whose SONAME is its new name (a plain copy keeps libomp.so.5,
            // and the loader maps one file of one SONAME: one runtime, see LoaderRuleTests).
            try await LoaderFixtures.vendor(l14.path, to: b.path, soname: "libomp-5f3a9c1e.so.5")
            try fm.createSymbolicLink(atPath: lib.appendingPathComponent("libiomp5.so").path, withDestinationPath: "libomp.so.5")
            try fm.createSymbolicLink(atPath: lib.appendingPathComponent("libgomp.so.1").path, withDestinationPath: gnu.path)
            try fm.createSymbolicLink(atPath: lib.appendingPathComponent("libm.so.6").path, withDestinationPath: libm)
            try "not a library".write(to: lib.appendingPathComponent("libfake.so"), atomically: true, encoding: .utf8)
            try "notes".write(to: root.appendingPathComponent("README.txt"), atomically: true, encoding: .utf8)
            try fm.createSymbolicLink(atPath: root.appendingPathComponent("prefix/loop").path, withDestinationPath: root.path)
            try fm.createSymbolicLink(atPath: lib.appendingPathComponent("libdangling.so").path, withDestinationPath: "nowhere.so")

            let report = try RuntimeScanner().scan(paths: [root.path])
            let realA = try #require(RuntimeIdentity.resolvedPath(a.path))
            let realB = try #require(RuntimeIdentity.resolvedPath(b.path))
            #expect(Set(report.runtimes.map(\.path)) == [realA, realB, try #require(RuntimeIdentity.resolvedPath(gnu.path))])
            let ra = try #require(report.runtimes.first { $0.path == realA })
            #expect(ra.alsoKnownAs.contains { $0.hasSuffix("prefix/lib/libiomp5.so") }, "the symlink is listed under A")
            #expect(ra.vendor == .llvm && ra.family == .kmp)
            #expect(report.runtimes(of: .gnu).count == 1)

            #expect(report.conflicts.count == 1)
            let c = try #require(report.conflicts.first)
            #expect(Set([c.first, c.second]) == [realA, realB])
            #expect(!c.sameContent, "the renamed SONAME changes the bytes")
            #expect(c.prediction.contains("Error #15"))
            #expect(c.fix.contains("KMP_DUPLICATE_LIB_OK=TRUE is not a fix"))
            #expect(c.fix.contains(c.second))
            #expect(report.notes.contains { $0.contains("GNU libgomp") })
            #expect(report.text.contains("Predicted conflicts (1)"))
            // README.txt is never read; libomp, the copy, libgomp, libm and libfake.so are.
            #expect(report.filesExamined == 5)
        }

        @Test("one runtime reached only through symlinks is one runtime, with no conflict")
        func symlinksOnly() throws {
            guard let l16 = RuntimeFixtures.runtime("llvm16") else { return }
            let fm = FileManager.default
            let root = try RuntimeFixtures.temporaryDirectory("scan-links")
            defer { try? fm.removeItem(at: root) }
            for name in ["libomp.so", "libomp.so.5", "libiomp5.so", "libgomp.so.1"] {
                try fm.createSymbolicLink(atPath: root.appendingPathComponent(name).path, withDestinationPath: l16.path)
            }
            let report = try RuntimeScanner().scan(paths: [root.path])
            #expect(report.runtimes.count == 1)
            #expect(report.runtimes.first?.alsoKnownAs.count == 4)
            #expect(report.conflicts.isEmpty)
        }

        @Test("runtimes inside a wheel are read from deflated and stored members")
        func wheel() async throws {
            guard let l16 = RuntimeFixtures.runtime("llvm16"), let gnu = RuntimeFixtures.runtime("gnu"),
                  let libm = RuntimeFixtures.systemFile(RuntimeFixtures.libm) else { return }
            let root = try RuntimeFixtures.temporaryDirectory("scan-wheel")
            defer { try? FileManager.default.removeItem(at: root) }
            let wheel = root.appendingPathComponent("demo-1.0-py3-none-linux_x86_64.whl").path
            let script = """
            import sys, zipfile
            wheel, l16, gnu, libm = sys.argv[1:5]
            with zipfile.ZipFile(wheel, "w") as z:
                z.write(l16, "demo.libs/libomp-0a1b2c3d.so.5", compress_type=zipfile.ZIP_DEFLATED)
                z.write(gnu, "demo.libs/libgomp-4e5f6a7b.so.1.0.0", compress_type=zipfile.ZIP_STORED)
                z.write(libm, "demo/_native.cpython-311-x86_64-linux-gnu.so", compress_type=zipfile.ZIP_DEFLATED)
                z.writestr("demo/__init__.py", "")
            """
            let made = try await RuntimeFixtures.run(["python3", "-c", script, wheel, l16.path, gnu.path, libm])
            try #require(made.status == 0, "python3 could not build the test wheel")

            let report = try RuntimeScanner().scan(paths: [root.path])
            #expect(report.skipped.isEmpty, "\(report.skipped)")
            #expect(report.filesExamined == 3)
            let kmp = try #require(report.runtimes.first { $0.family == .kmp })
            #expect(kmp.path == wheel + "!demo.libs/libomp-0a1b2c3d.so.5")
            #expect(kmp.archive == wheel)
            #expect(kmp.sha256 == l16.sha256, "inflated bytes equal the original file")
            #expect(kmp.version == "16.0")
            let g = try #require(report.runtimes.first { $0.family == .gnu })
            #expect(g.sha256 == gnu.sha256, "stored member read as is")
            #expect(report.conflicts.isEmpty)

            let small = try RuntimeScanner(options: .init(maxArchiveMemberSize: 500_000)).scan(paths: [wheel])
            #expect(small.runtimes.map(\.family) == [.gnu], "libgomp (<500 kB) is read, libomp is not")
            #expect(small.skipped.count == 2)
            #expect(small.skipped.allSatisfy { $0.reason.contains("limit") })

            let off = try RuntimeScanner(options: .init(readArchives: false)).scan(paths: [root.path])
            #expect(off.runtimes.isEmpty)
        }

        @Test("the faiss-cpu wheel vendors GNU libgomp (Swift reader agrees with the manifest)")
        func faissWheel() throws {
            guard let catalog = RuntimeFixtures.catalog() else { return }
            let record = catalog.manifest.wheels.first { $0.name == "faiss-cpu" }
            let wheel = record.map { $0.path.hasPrefix("/") ? $0.path : catalog.directory.appendingPathComponent($0.path).path }
            guard let wheel, FileManager.default.fileExists(atPath: wheel), let record else {
                Issue.record("the faiss-cpu wheel is not provisioned; run `swift run omp-matrix provision`")
                return
            }
            let report = try RuntimeScanner().scan(paths: [wheel])
            #expect(report.skipped.isEmpty, "\(report.skipped)")
            #expect(report.runtimes.map(\.family) == [.gnu])
            #expect(report.conflicts.isEmpty)
            #expect(report.runtimes.map(\.sha256) == record.vendors.map(\.sha256))
            #expect(report.runtimes.map { String($0.path.split(separator: "!").last ?? "") } == record.vendors.map(\.member))
        }

        @Test("a missing root is an error; a damaged wheel is listed as skipped")
        func errors() throws {
            #expect(throws: RuntimeScanError.rootNotFound("/nonexistent/venv")) {
                try RuntimeScanner().scan(paths: ["/nonexistent/venv"])
            }
            let root = try RuntimeFixtures.temporaryDirectory("scan-broken")
            defer { try? FileManager.default.removeItem(at: root) }
            try "not a zip".write(to: root.appendingPathComponent("broken-1.0-py3-none-any.whl"), atomically: true, encoding: .utf8)
            let report = try RuntimeScanner().scan(paths: [root.path])
            #expect(report.skipped.count == 1)
            #expect(report.skipped.first?.reason.contains("zip") == true)
        }

        @Test("scanning 200 libraries takes well under a second")
        func speed() throws {
            guard let small = RuntimeFixtures.systemFile("/usr/lib/x86_64-linux-gnu/libdl.so.2"),
                  let l14 = RuntimeFixtures.runtime("llvm14"), let gnu = RuntimeFixtures.runtime("gnu") else { return }
            let fm = FileManager.default
            let root = try RuntimeFixtures.temporaryDirectory("scan-speed")
            defer { try? fm.removeItem(at: root) }
            for i in 0..<198 {
                let sub = root.appendingPathComponent("pkg\(i % 20)")
                try? fm.createDirectory(at: sub, withIntermediateDirectories: true)
                try fm.copyItem(atPath: small, toPath: sub.appendingPathComponent("libmod\(i).so").path)
            }
            try fm.copyItem(atPath: l14.path, toPath: root.appendingPathComponent("libomp.so.5").path)
            // copyItem copies a symlink as a symlink: copy the file it points to.
            try fm.copyItem(atPath: try #require(RuntimeIdentity.resolvedPath(gnu.path)),
                            toPath: root.appendingPathComponent("libgomp.so.1").path)
            // Best of three, so that other tests sharing the CPU do not decide the result.
            let clock = ContinuousClock()
            var report: ScanReport?
            var times: [Duration] = []
            for _ in 0..<3 { times.append(try clock.measure { report = try RuntimeScanner().scan(paths: [root.path]) }) }
            let elapsed = times.min()!
            print("scanner: \(report?.filesExamined ?? 0) files, \(report?.runtimes.count ?? 0) runtimes; runs \(times)")
            #expect(report?.filesExamined == 200)
            #expect(report?.runtimes.count == 2)
            #expect(elapsed < .seconds(1))
        }
    }
}
