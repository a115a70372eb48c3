import Foundation
import Testing
@testable import OpenMPConformance

/// `run --output`: never through a link or into a FIFO or device, `-` for standard output, and
/// a disk that fills mid-run stops the run with exit 3 and keeps the last good checkpoint.
@Suite("omp-matrix run --output safety", .serialized)
struct OutputSafetyTests {
    static let args = ["run", "--plain"] + MatrixFixtures.quickRun

    static func run(_ args: [String], in dir: URL) async throws -> (status: Int32, stdout: Data, stderr: String) {
        let p = try await TestProcess.run([try #require(RunInterruptTests.cli, "omp-matrix not built beside the tests")] + args, in: dir)
        return (p.terminationStatus, p.stdout, p.errors)
    }

    func tempDir() throws -> URL {
        let dir = try makeTemporaryDirectory("omp-out")
        return dir
    }

    @Test("a symlink, a FIFO and a directory are refused with exit 2 and left as they are")
    func refusals() async throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let target = dir.appendingPathComponent("target.txt")
        try "keep me\n".write(to: target, atomically: true, encoding: .utf8)
        let link = dir.appendingPathComponent("link.json")
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: target)
        let fifo = dir.appendingPathComponent("fifo.json")
        #expect(mkfifo(fifo.path, 0o600) == 0)
        let sub = dir.appendingPathComponent("sub.json")
        try FileManager.default.createDirectory(at: sub, withIntermediateDirectories: true)
        for (path, words) in [(link, "symbolic link"), (fifo, "FIFO"), (sub, "directory")] {
            let r = try await Self.run(Self.args + ["--output", path.path], in: dir)
            #expect(r.status == 2, "\(path.lastPathComponent): \(r.stderr)")
            #expect(r.stderr.contains(words), "\(r.stderr)")
        }
        #expect(try String(contentsOf: target, encoding: .utf8) == "keep me\n")
        var st = stat()
        #expect(lstat(link.path, &st) == 0 && st.st_mode & S_IFMT == S_IFLNK, "the link is still a link")
        #expect(lstat(fifo.path, &st) == 0 && st.st_mode & S_IFMT == S_IFIFO, "the FIFO is still a FIFO")
    }

    @Test("a device node is refused and stays a device", .enabled(if: getuid() == 0, "needs root to make a device node"))
    func device() async throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        // A private null device (1:3), so that a regression could never replace the real /dev/null.
        let node = dir.appendingPathComponent("null.json")
        #expect(mknod(node.path, S_IFCHR | 0o666, dev_t(ProcessInspector.makeDevice(major: 1, minor: 3))) == 0)
        let dev = try await Self.run(Self.args + ["--output", node.path], in: dir)
        #expect(dev.status == 2 && dev.stderr.contains("device"), "\(dev.stderr)")
        var st = stat()
        #expect(lstat(node.path, &st) == 0 && st.st_mode & S_IFMT == S_IFCHR)
    }

    @Test("atomic writes replace only regular files (report, merge, gate --update use them too)")
    func atomicWriteRefusesNonRegular() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let target = dir.appendingPathComponent("target.txt")
        try "keep me\n".write(to: target, atomically: true, encoding: .utf8)
        let link = dir.appendingPathComponent("link")
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: target)
        let fifo = dir.appendingPathComponent("fifo")
        #expect(mkfifo(fifo.path, 0o600) == 0)
        for path in [link, fifo] {
            #expect(throws: FileWriteError.self) { try AtomicFile.write(Data("x".utf8), to: path) }
        }
        #expect(try String(contentsOf: target, encoding: .utf8) == "keep me\n")
        try AtomicFile.write(Data("new".utf8), to: target)
        #expect(try String(contentsOf: target, encoding: .utf8) == "new")
    }

    @Test("--output - writes the results to standard output and nothing else there")
    func standardOutput() async throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try await Self.run(Self.args + ["--output", "-"], in: dir)
        #expect(r.status == 0, "\(r.stderr)")
        let file = dir.appendingPathComponent("r.json")
        try r.stdout.write(to: file)
        let results = try ResultsCodec.read(file)
        #expect(!results.partial && results.results.count == MatrixFixtures.quickRunCells)
        #expect(r.stderr.contains("results: standard output"))
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("results").path))
    }

    /// True when this process may mount a tmpfs (root, and the container allows it).
    static let canMountTmpfs: Bool = {
        guard getuid() == 0 else { return false }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("omp-mnt-probe-\(getpid())")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        guard mount("tmpfs", dir.path, "tmpfs", 0, "size=16k") == 0 else { return false }
        umount(dir.path)
        return true
    }()

    @Test("a disk that fills mid-run: exit 3 at once, the last good checkpoint survives, the message names the file",
          .enabled(if: canMountTmpfs, "needs root and permission to mount a tmpfs"))
    func diskFull() async throws {
        let dir = try tempDir()
        defer { umount(dir.path); try? FileManager.default.removeItem(at: dir) }
        // Room for the first, empty checkpoint (~44 KB with the three questions and the atlas's
        // pairs in its answer) and not much more; the whole run's file is over 1 MB.
        #expect(mount("tmpfs", dir.path, "tmpfs", 0, "size=64k") == 0)
        let out = dir.appendingPathComponent("r.json")
        let r = try await Self.run(["run", "--plain", "--platform", "linux-x86_64", "--output", out.path], in: FileManager.default.temporaryDirectory)
        #expect(r.status == 3, "\(r.stderr)")
        #expect(r.stderr.contains("a checkpoint failed") && r.stderr.contains("stopped early"), "\(r.stderr)")
        #expect(r.stderr.contains(out.path), "the message names the file: \(r.stderr)")
        let kept = try ResultsCodec.read(out)
        #expect(kept.partial, "the last good checkpoint is a valid partial file")
        #expect(!r.stderr.contains("[419/419]") && !r.stderr.contains("[420/420]"), "the run stopped early")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasPrefix(".r.json.tmp") }
        #expect(leftovers.isEmpty, "temporary files removed: \(leftovers)")
    }
}
