import Foundation
import Testing
@testable import OpenMPConformance

/// Namespace for the doctor's suites (`swift test --filter DoctorTests`).
enum DoctorTests {}

/// User-shaped trees and programs the doctor tests point the doctor at, built in each test from
/// copies of the provisioned runtimes: a venv-like tree, a Python stack whose two consumer
/// libraries find their runtimes by rpath (one a vendored copy renamed with patchelf, as
/// auditwheel does), and the hashes that prove the doctor changed none of it.
enum DoctorFixtures {
    static let clang = ["/opt/swift/usr/bin/clang", "/usr/bin/clang", "/usr/bin/cc"].first { FileManager.default.isExecutableFile(atPath: $0) }
    static let patchelf = ["/usr/bin/patchelf", "/usr/local/bin/patchelf"].first { FileManager.default.isExecutableFile(atPath: $0) }
    static let python = ["/usr/bin/python3"].first { FileManager.default.isExecutableFile(atPath: $0) }
    static var canBuildStack: Bool { clang != nil && patchelf != nil && python != nil }
    static let stackReason = "needs clang (/opt/swift/usr/bin/clang), Debian's patchelf and /usr/bin/python3 (Scripts/test.sh installs patchelf)"

    static func runtimePath(_ name: String) throws -> String {
        let r = try #require(TestRuntimes.named(name), "runtime \(name) not provisioned: \(TestRuntimes.missingReason)")
        return r.path
    }

    static func temporaryDirectory(_ label: String) throws -> String {
        try makeTemporaryDirectory("omp-doctor-test-\(label)").path
    }

    static func copy(_ src: String, to dest: String) throws {
        try FileManager.default.createDirectory(atPath: (dest as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: URL(fileURLWithPath: src).resolvingSymlinksInPath().path, toPath: dest)
    }

    /// A venv-like tree: Intel's runtime as `lib/libiomp5.so` (where the intel-openmp wheel puts it)
    /// and an LLVM runtime vendored under `site-packages/<pkg>.libs/` with a hashed name.
    static func venv(kmp second: String = "llvm16") throws -> (root: String, intel: String, vendored: String) {
        let root = try temporaryDirectory("venv")
        let intel = root + "/lib/libiomp5.so"
        let vendored = root + "/lib/python3.11/site-packages/fakepkg.libs/libomp-4f2a91c0.so.5"
        try copy(try runtimePath("intel"), to: intel)
        try copy(try runtimePath(second), to: vendored)
        try "home = /usr/bin\n".write(toFile: root + "/pyvenv.cfg", atomically: true, encoding: .utf8)
        // What pip writes for the intel-openmp wheel: a CSV RECORD (CRLF lines) naming the file relative to site-packages.
        let distInfo = root + "/lib/python3.11/site-packages/intel_openmp-2025.2.1.dist-info"
        try FileManager.default.createDirectory(atPath: distInfo, withIntermediateDirectories: true)
        try "intel_openmp-2025.2.1.dist-info/METADATA,,\r\n../../libiomp5.so,sha256=x,1\r\n".write(toFile: distInfo + "/RECORD", atomically: true, encoding: .utf8)
        return (root, intel, vendored)
    }

    /// SHA-256 of every file under `root` (links by their target text), keyed by path.
    static func hashes(_ root: String) throws -> [String: String] {
        var out: [String: String] = [:]
        let fm = FileManager.default
        guard let e = fm.enumerator(atPath: root) else { return out }
        for case let rel as String in e {
            let p = root + "/" + rel
            let attrs = try fm.attributesOfItem(atPath: p)
            if attrs[.type] as? FileAttributeType == .typeSymbolicLink {
                out[p] = "link:" + (try fm.destinationOfSymbolicLink(atPath: p))
            } else if attrs[.type] as? FileAttributeType == .typeRegular {
                out[p] = SHA256.hex(of: Array(try Data(contentsOf: URL(fileURLWithPath: p))))
            }
        }
        return out
    }

    /// How the Python stack reaches its second runtime.
    enum Reach: String, CaseIterable, CustomTestStringConvertible, Sendable {
        /// Both consumer libraries are linked against their runtime by name (NEEDED + rpath), as wheels are.
        case byName = "linked by name"
        /// The second consumer's work runs, then the program calls the vendored runtime itself through ctypes.
        case byHandle = "called through its own handle"
        var testDescription: String { rawValue }
    }

    /// A Python program shaped like a real stack: `libconsa.so` linked against Intel's runtime in
    /// `lib/`, `libconsb.so` linked against a vendored LLVM copy renamed `libomp-7f3e2a.so.5`
    /// (file name and SONAME, by patchelf) in `pkg.libs/`, each found by `$ORIGIN` rpath; `app.py`
    /// loads both with ctypes and calls a parallel function in each, checking 2 threads and the sum.
    static func pythonStack(_ reach: Reach = .byName) async throws -> (root: String, command: [String], a: String, b: String) {
        let clang = try #require(clang), patchelf = try #require(patchelf), python = try #require(python)
        let root = try temporaryDirectory("stack")
        let a = root + "/lib/libiomp5.so", b = root + "/pkg.libs/libomp-7f3e2a.so.5"
        try copy(try runtimePath("intel"), to: a)
        try copy(try runtimePath("llvm16"), to: b)
        try await run([patchelf, "--set-soname", "libomp-7f3e2a.so.5", b])
        for (n, rt, rpath) in [("a", a, "$ORIGIN/lib"), ("b", b, "$ORIGIN/pkg.libs")] {
            let src = """
            extern int omp_get_num_threads(void);
            int cons\(n)_work(void) {
              int n = 0; long sum = 0;
              #pragma omp parallel reduction(+:sum)
              {
                #pragma omp single
                n = omp_get_num_threads();
                #pragma omp for
                for (int i = 0; i < 100000; i++) sum += i;
              }
              return sum == 4999950000L ? n : -1;
            }
            """
            try src.write(toFile: root + "/cons\(n).c", atomically: true, encoding: .utf8)
            try await run([clang, "-fopenmp", "-fPIC", "-c", root + "/cons\(n).c", "-o", root + "/cons\(n).o"])
            try await run([clang, "-shared", root + "/cons\(n).o", rt, "-Wl,-rpath,\(rpath)", "-o", root + "/libcons\(n).so"])
            try FileManager.default.removeItem(atPath: root + "/cons\(n).o")
        }
        let handleCall = reach == .byHandle
            ? "rt = ctypes.CDLL(os.path.join(here, 'pkg.libs', 'libomp-7f3e2a.so.5'))\nrt.omp_set_num_threads(2)\nok = ok and rt.omp_get_max_threads() == 2\n"
            : ""
        let app = """
        import ctypes, os, sys
        here = os.path.dirname(os.path.abspath(__file__))
        a = ctypes.CDLL(os.path.join(here, "libconsa.so"))
        b = ctypes.CDLL(os.path.join(here, "libconsb.so"))
        ok = a.consa_work() == 2 and b.consb_work() == 2
        \(handleCall)print("ok" if ok else "wrong", flush=True)
        sys.exit(0 if ok else 3)
        """
        try app.write(toFile: root + "/app.py", atomically: true, encoding: .utf8)
        return (root, [python, root + "/app.py"], a, b)
    }

    /// A small C program built in the test (`cc -o`), for the exit-signal checks.
    static func cProgram(_ name: String, source: String) async throws -> String {
        let clang = try #require(clang)
        let dir = try temporaryDirectory("c-\(name)")
        try source.write(toFile: dir + "/\(name).c", atomically: true, encoding: .utf8)
        try await run([clang, "-O1", "-o", dir + "/\(name)", dir + "/\(name).c"])
        return dir + "/\(name)"
    }

    @discardableResult
    static func run(_ argv: [String]) async throws -> String {
        let p = try await TestProcess.run(argv, mergingErrors: true)
        let text = p.output
        try #require(p.terminationStatus == 0, "\(argv.joined(separator: " ")) failed: \(text)")
        return text
    }

    /// Temporary folders of the doctor named in a report (repro lines, evidence): all must be gone.
    static func doctorFolders(in report: DoctorReport) -> Set<String> {
        let data = (try? ResultsCodec.encode(report)).map { String(decoding: $0, as: UTF8.self) } ?? ""
        var out: Set<String> = []
        var rest = Substring(data)
        while let r = rest.range(of: "/omp-doctor-") {
            let name = rest[r.lowerBound...].dropFirst().prefix(while: { $0 != "/" && $0 != "\"" && $0 != " " })
            if name.count == "omp-doctor-XXXXXX".count { out.insert(DoctorWorkspace.base + "/" + name) }
            rest = rest[r.upperBound...]
        }
        return out
    }

    #if os(Linux)
    /// Processes whose command line holds `marker` (only ours: the marker is unique per test).
    static func processes(marked marker: String) throws -> [Int32] {
        let me = getpid()
        return try ProcessTree.snapshot().compactMap { e in
            guard e.pid != me, e.state != "Z",
                  let data = FileManager.default.contents(atPath: "/proc/\(e.pid)/cmdline") else { return nil }
            return String(decoding: data, as: UTF8.self).contains(marker) ? e.pid : nil
        }
    }
    #endif
}
