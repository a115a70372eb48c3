import Foundation
import Testing
@testable import OpenMPConformance

/// Untrusted strings (host fields, file and member names, invalid enum values) never reach
/// the terminal raw: no ESC, BEL, NUL, C1 control or bidi override, and no faked line.
@Suite("Terminal output is escaped")
struct TerminalSafetyTests {
    static let evil = "x\u{1B}]0;pwned\u{07}\u{1B}[2J\u{0}\u{202E}gnp.exe\nFAKE LINE\r\u{9B}31m"

    static func unsafeScalars(_ s: String) -> [UInt32] {
        s.unicodeScalars.map(\.value).filter { v in
            v != 0x0A && v != 0x09 && TerminalText.needsEscape(v)
        }
    }

    /// Runs omp-matrix and returns (status, stdout + stderr).
    static func run(_ args: [String]) async throws -> (Int32, String) {
        let exe = try #require(TestProducts.ompMatrix, "omp-matrix not built beside the tests")
        let p = try await TestProcess.run([exe] + args, mergingErrors: true)
        return (p.terminationStatus, p.output)
    }

    func tempDir() throws -> URL {
        let dir = try makeTemporaryDirectory("omp-term")
        return dir
    }

    @Test func fieldEscapesEverythingAndBlockKeepsLayout() {
        let f = TerminalText.field(Self.evil)
        #expect(Self.unsafeScalars(f).isEmpty && !f.contains("\n"))
        #expect(f.contains("\\e]0;pwned\\a") && f.contains("\\u{202E}") && f.contains("\\nFAKE LINE\\r") && f.contains("\\0"))
        let b = TerminalText.block("line one\n\tline \u{1B}two")
        #expect(b == "line one\n\tline \\etwo")
        #expect(TerminalText.field("plain é 漢字") == "plain é 漢字")
    }

    @Test func summaryReportEscapesHostFields() async throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        var r = ReportFixtures.results()
        r.host.key = "host-" + Self.evil
        r.host.os = Self.evil
        r.host.kernel = Self.evil
        r.host.blas.corename = Self.evil
        let file = dir.appendingPathComponent("r.json")
        try ResultsCodec.write(r, to: file)
        let (status, text) = try await Self.run(["report", "--format", "summary", file.path])
        #expect(status == 0, "\(text)")
        #expect(Self.unsafeScalars(text).isEmpty, "\(Self.unsafeScalars(text))")
        #expect(!text.contains("\nFAKE LINE"))
        #expect(text.contains("host-x"), "the host key is shown, made inert: \(text)")
    }

    @Test func scanEscapesFileNames() async throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let name = "lib\u{1B}]0;pwned\u{07}\u{202E}\nFAKE LINE.so"
        try Data([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]).write(to: dir.appendingPathComponent(name))
        let (status, text) = try await Self.run(["scan", dir.path])
        #expect(status == 0, "\(text)")
        #expect(Self.unsafeScalars(text).isEmpty, "\(Self.unsafeScalars(text))")
        #expect(!text.contains("\nFAKE LINE"))
        #expect(text.contains("\\nFAKE LINE.so"), "\(text)")
    }

    @Test func errorMessagesEscapeInvalidValues() async throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("r.json")
        try ResultsCodec.write(ReportFixtures.results(), to: file)
        var text = try String(contentsOf: file, encoding: .utf8)
        let outcome = try #require(text.range(of: "\"outcome\" : \"") ?? text.range(of: "\"outcome\": \""))
        text.insert(contentsOf: "\\u001b]0;pwned\\u0007\\u202e\\nFAKE LINE", at: outcome.upperBound)
        try text.write(to: file, atomically: true, encoding: .utf8)
        let (status, out) = try await Self.run(["report", "--format", "summary", file.path])
        #expect(status == 2, "\(out)")
        #expect(Self.unsafeScalars(out).isEmpty, "\(Self.unsafeScalars(out))")
        #expect(!out.contains("\nFAKE LINE"), "\(out)")
    }
}
