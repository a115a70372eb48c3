import Foundation
import OpenMPConformance
import Synchronization

/// Where `run` writes its results, and what happens when writing fails.
///
/// The path rule: `--output PATH` names a regular file or a path that does not exist yet. A
/// symlink (to anything), a FIFO, a socket, a device or a directory is refused before any
/// probe runs (exit 2), and is checked again before every write, so a non-regular file is
/// never replaced. `--output -` writes the final results to standard output (no checkpoints;
/// progress and the summary then go to standard error).
///
/// A checkpoint that fails stops the run at once (``Cancellation``). The last good
/// checkpoint stays on disk (writes are atomic). Before exiting with 3 (environment failure)
/// the kit tries once more to write everything to the same path, then to a fallback file
/// beside it (`NAME.rescue-PID.json`), and names the file that holds the results.
final class ResultsOutput: Sendable {
    let url: URL?
    private struct State {
        var firstFailure: String?
        var goodCount: Int?
        /// One writer per results file: `PATH.lock`, held (flock) from the first write to the end of the
        /// process, so a second run naming the same `--output` stops before its first probe instead of
        /// both reporting success while one run's results are lost. -1: not held.
        var writerLock: Int32 = -1
    }
    private let state = Mutex(State())

    var toStandardOutput: Bool { url == nil }
    var failure: String? { state.withLock { $0.firstFailure } }

    init(option: String?, defaultPath: String) throws {
        if option == "-" { url = nil; return }
        let u = URL(fileURLWithPath: option ?? defaultPath)
        if let problem = Self.refusal(u.path) { throw ToolExit.badInput("--output \(u.path) \(problem)") }
        url = u
    }

    /// Why `path` may not be written, or nil when it is a regular file or does not exist.
    static func refusal(_ path: String) -> String? {
        var st = stat()
        guard lstat(path, &st) == 0 else {
            return errno == ENOENT ? nil : "cannot be examined (\(String(cString: strerror(errno))))"
        }
        switch st.st_mode & S_IFMT {
        case S_IFREG: return nil
        case S_IFLNK: return "is a symbolic link; name the file itself (the kit never writes through a link)"
        case S_IFIFO: return "is a FIFO; use --output - to write to standard output"
        case S_IFCHR, S_IFBLK: return "is a device; use --output - to write to standard output"
        case S_IFSOCK: return "is a socket"
        case S_IFDIR: return "is a directory"
        default: return "is not a regular file"
        }
    }

    /// Writes `file` to the path; nil on success, else the reason.
    private func write(_ file: ResultsFile, to u: URL) -> String? {
        if let problem = Self.refusal(u.path) { return "\(u.path) \(problem)" }
        do { try ResultsCodec.write(file, to: u) } catch { return "\(error)" }
        return nil
    }

    /// The first write, before any probe runs. Throws exit 2 when another run writes the same
    /// file, exit 3 when it fails.
    func start(_ file: ResultsFile) throws {
        guard let url else { return }
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        } catch {
            throw ToolExit(code: .internalFailure, message: "omp-matrix: cannot create \(url.deletingLastPathComponent().path): \(error)")
        }
        let lockPath = url.path + ".lock"
        let fd = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o644)
        guard fd >= 0 else {
            throw ToolExit(code: .internalFailure, message: "omp-matrix: cannot create \(lockPath): \(String(cString: strerror(errno)))")
        }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            close(fd)
            throw ToolExit.badInput("--output \(url.path) is being written by another omp-matrix run (it holds \(lockPath)); name another file")
        }
        state.withLock { $0.writerLock = fd }
        if let reason = write(file, to: url) {
            throw ToolExit(code: .internalFailure, message: "omp-matrix: cannot write the results file: \(reason)")
        }
        state.withLock { $0.goodCount = 0 }
    }

    /// A checkpoint while the run goes on. The first failure stops the run.
    func checkpoint(_ file: ResultsFile) {
        guard let url else { return }
        guard failure == nil else { return }
        if let reason = write(file, to: url) {
            state.withLock { if $0.firstFailure == nil { $0.firstFailure = reason } }
            Cancellation.request()
        } else {
            state.withLock { $0.goodCount = file.results.count }
        }
    }

    deinit { releaseWriterLock() }

    /// Removes `PATH.lock` and lets it go (at the end of the run, however it ends).
    func releaseWriterLock() {
        guard let url else { return }
        let fd = state.withLock { s in defer { s.writerLock = -1 }; return s.writerLock }
        guard fd >= 0 else { return }
        unlink(url.path + ".lock")
        close(fd)
    }

    /// The final write. Returns where the results are; throws exit 3 when the run was stopped by
    /// a failed checkpoint or the final write fails, after trying the same path and a fallback.
    func finish(_ file: ResultsFile) throws -> String {
        guard let url else {
            do { FileHandle.standardOutput.write(try ResultsCodec.encode(file)) } catch {
                throw ToolExit(code: .internalFailure, message: "omp-matrix: cannot encode the results: \(error)")
            }
            return "standard output"
        }
        let earlier = failure
        var reasons: [String] = []
        if let r = write(file, to: url) { reasons.append(r) } else if earlier == nil { return url.path }
        var written: String? = reasons.isEmpty ? url.path : nil
        if written == nil {
            let fallback = url.deletingLastPathComponent()
                .appendingPathComponent(url.deletingPathExtension().lastPathComponent + ".rescue-\(getpid()).json")
            if let r = write(file, to: fallback) { reasons.append(r) } else { written = fallback.path }
        }
        let cause = earlier.map { "a checkpoint failed (\($0)), so the run stopped early" } ?? "the final write failed"
        let good = state.withLock { $0.goodCount }
        if let written {
            throw ToolExit(code: .internalFailure, message: "omp-matrix: \(cause); all \(file.results.count) results gathered "
                           + "were then written to \(written)")
        }
        let kept = good.map { "the last good checkpoint (\($0) results) is \(url.path)" } ?? "no results file could be written"
        throw ToolExit(code: .internalFailure, message: "omp-matrix: \(cause); writing the \(file.results.count) results again "
                       + "failed (\(reasons.joined(separator: "; "))); \(kept)")
    }
}
