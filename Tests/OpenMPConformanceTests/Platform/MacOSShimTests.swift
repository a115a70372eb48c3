import Foundation
import Testing

/// The C shim's Darwin branches, compiled and linked for both macOS targets by zig on
/// this machine (Scripts/check-macos-shim.sh). The only macOS code that is built here.
@Suite("macOS shim compile-and-link check", .serialized, .tags(.macosShim))
struct MacOSShimTests {
    static let script = TestRuntimes.root + "/Scripts/check-macos-shim.sh"

    struct Run { var status: Int32; var output: String }

    func check(shimDir: String? = nil) async throws -> Run {
        var env = ProcessInfo.processInfo.environment
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("omp-shim-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: out) }
        env["OMP_SHIM_CHECK_DIR"] = out.path
        if let shimDir { env["OMP_SHIM_DIR"] = shimDir }
        let p = try await TestProcess.run(["/bin/bash", Self.script], environment: env, mergingErrors: true)
        return Run(status: p.terminationStatus, output: p.output)
    }

    /// Exit 77 means zig's compiler could not be installed: the check is skipped, with why.
    func skipIfNoZig(_ r: Run) throws {
        if r.status == 77 { try Test.cancel(Comment(rawValue: "zig is unavailable here: \(r.output)")) }
    }

    @Test("the shim compiles and links for aarch64-macos and x86_64-macos")
    func bothTargetsBuild() async throws {
        let r = try await check()
        try skipIfNoZig(r)
        #expect(r.status == 0, "\(r.output)")
        #expect(r.output.contains("ok aarch64-macos"), "\(r.output)")
        #expect(r.output.contains("ok x86_64-macos"), "\(r.output)")
    }

    @Test("a shim whose Darwin branch does not compile fails the check for both targets")
    func brokenDarwinBranchFails() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("omp-badshim-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.copyItem(atPath: TestRuntimes.root + "/Sources/_OpenMPShims", toPath: root.path)
        let source = root.appendingPathComponent("shims.c")
        let text = try String(contentsOf: source, encoding: .utf8)
        let line = "    return (int)_dyld_image_count();"
        try #require(text.contains(line), "the shim's dyld call moved; update this test")
        // A call that exists on no Apple SDK, inside the __APPLE__ branch only: Linux builds stay green.
        try text.replacingOccurrences(of: line, with: "    return (int)_dyld_image_count() + omp_no_such_darwin_call();")
            .write(to: source, atomically: true, encoding: .utf8)
        let r = try await check(shimDir: root.path)
        try skipIfNoZig(r)
        #expect(r.status == 1, "\(r.output)")
        #expect(r.output.contains("FAIL aarch64-macos"), "\(r.output)")
        #expect(r.output.contains("FAIL x86_64-macos"), "\(r.output)")
    }
}

extension Tag {
    @Tag static var macosShim: Self
}
