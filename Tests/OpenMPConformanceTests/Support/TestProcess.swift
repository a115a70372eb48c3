import Foundation
import Synchronization

/// The kit's executables as `swift build` leaves them: in the build products folder, beside
/// the test bundle.
enum TestProducts {
    static let directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()

    /// The product `name` beside the tests, or nil when it is not built there.
    static func executable(_ name: String) -> String? {
        let path = directory.appendingPathComponent(name).path
        return FileManager.default.isExecutableFile(atPath: path) ? path : nil
    }

    /// `omp-matrix` beside the tests, or nil.
    static var ompMatrix: String? { executable("omp-matrix") }
}

/// Runs `body` on a thread of its own and awaits its result.
///
/// Swift Testing runs tests on the cooperative pool, one thread per core: on a 2-core machine two
/// tests blocked in a wait (a child's exit, a polling loop) stall every other test. A blocking
/// wait belongs here instead; a polling loop here also keeps pace with what it watches while
/// other tests keep the pool's threads busy.
func onOwnThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { (c: CheckedContinuation<T, Error>) in
        Thread { c.resume(with: Result { try body() }) }.start()
    }
}

/// A child process the tests run to completion, its output captured.
///
/// Standard output and error go to temporary files, never pipes: a large output cannot fill a
/// pipe and stall the child, and a probe that a parallel test forks while a pipe is open cannot
/// hold its write end and keep the read here from ending.
///
/// Waiting holds no thread: ``run(_:environment:in:input:mergingErrors:)`` and
/// ``Started/exit()`` suspend until the child's termination handler resumes them. A cancelled
/// test ends its child's process group (Foundation starts each child as a group leader).
enum TestProcess {
    struct Finished {
        var terminationStatus: Int32
        var terminationReason: Process.TerminationReason
        var stdout: Data
        /// Empty when standard error was merged into standard output.
        var stderr: Data
        /// When the child's end was seen (by its termination handler, not by the awaiting test, which
        /// a busy cooperative pool may resume later).
        var endedAt: ContinuousClock.Instant
        var output: String { String(decoding: stdout, as: UTF8.self) }
        var errors: String { String(decoding: stderr, as: UTF8.self) }
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// How a started child ended.
    struct Ended: Sendable {
        var status: Int32
        /// True when a signal ended it (`status` is then the signal's number).
        var bySignal: Bool
        /// When its end was seen (see ``Finished/endedAt``).
        var at: ContinuousClock.Instant = .now
    }

    /// A child running in the background: its pid, and its end to await.
    final class Started: Sendable {
        let pid: Int32
        private let process: Process
        private let state = StateBox()

        private struct State {
            var ended: Ended?
            var waiters: [CheckedContinuation<Ended, Never>] = []
        }

        /// The child's end and who awaits it, shared with its termination handler.
        private final class StateBox: Sendable {
            let mutex = Mutex(State())
        }

        fileprivate init(_ process: Process) throws {
            self.process = process
            process.terminationHandler = { [state] p in
                let ended = Ended(status: p.terminationStatus, bySignal: p.terminationReason == .uncaughtSignal)
                let waiters = state.mutex.withLock { s in
                    s.ended = ended
                    defer { s.waiters = [] }
                    return s.waiters
                }
                for w in waiters { w.resume(returning: ended) }
            }
            try process.run()
            pid = process.processIdentifier
        }

        /// True once the child has ended (and was reaped).
        var hasEnded: Bool { state.mutex.withLock { $0.ended != nil } }

        /// Awaits the child's end without holding a thread. When the awaiting task is cancelled,
        /// the child's process group gets SIGTERM, then SIGKILL a second later if it still runs.
        @discardableResult
        func exit() async -> Ended {
            await withTaskCancellationHandler {
                await withCheckedContinuation { (c: CheckedContinuation<Ended, Never>) in
                    let done = state.mutex.withLock { s -> Ended? in
                        if let e = s.ended { return e }
                        s.waiters.append(c)
                        return nil
                    }
                    if let done { c.resume(returning: done) }
                }
            } onCancel: {
                endGroup()
            }
        }

        /// Blocks this thread until the child ends (see the blocking ``TestProcess/run(_:environment:in:input:mergingErrors:)``).
        @available(*, noasync, message: "await exit(): a blocking wait holds a thread of the cooperative pool")
        func waitBlocking() -> Ended {
            process.waitUntilExit()
            return Ended(status: process.terminationStatus, bySignal: process.terminationReason == .uncaughtSignal)
        }

        /// SIGTERM to the child's process group, then SIGKILL a second later if the child still runs.
        func endGroup() {
            guard !hasEnded else { return }
            kill(-pid, SIGTERM)
            Thread { [self] in
                Thread.sleep(forTimeInterval: 1)
                if !hasEnded { kill(-pid, SIGKILL) }
            }.start()
        }
    }

    /// Starts `argv` (`argv[0]` a path) in the background. Standard streams not given are
    /// inherited; `nil` environment or directory inherit this process's.
    static func start(_ argv: [String], environment: [String: String]? = nil, in directory: URL? = nil,
                      standardInput: FileHandle? = nil, standardOutput: FileHandle? = nil,
                      standardError: FileHandle? = nil) throws -> Started {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: argv[0])
        p.arguments = Array(argv.dropFirst())
        if let environment { p.environment = environment }
        if let directory { p.currentDirectoryURL = directory }
        if let standardInput { p.standardInput = standardInput }
        if let standardOutput { p.standardOutput = standardOutput }
        if let standardError { p.standardError = standardError }
        return try Started(p)
    }

    /// A pid that existed and is now dead: that of a child that exited and was reaped.
    static func reapedPid() async throws -> Int32 {
        let child = try start(["/bin/true"])
        await child.exit()
        return child.pid
    }

    /// The files a run's output goes to, in a temporary folder the caller removes.
    private struct Capture {
        let dir: URL
        let inURL: URL, outURL: URL, errURL: URL

        init() throws {
            dir = try makeTemporaryDirectory("omp-child")
            (inURL, outURL, errURL) = (dir.appendingPathComponent("in"), dir.appendingPathComponent("out"), dir.appendingPathComponent("err"))
            for url in [outURL, errURL] where !FileManager.default.createFile(atPath: url.path, contents: nil) {
                throw Failure(description: "cannot create \(url.path)")
            }
        }

        func start(_ argv: [String], environment: [String: String]?, in directory: URL?, input: Data?, mergingErrors: Bool) throws -> Started {
            var stdin: FileHandle?
            if let input {
                try input.write(to: inURL)
                stdin = try FileHandle(forReadingFrom: inURL)
            }
            let out = try FileHandle(forWritingTo: outURL)
            return try TestProcess.start(argv, environment: environment, in: directory, standardInput: stdin, standardOutput: out,
                                         standardError: mergingErrors ? out : try FileHandle(forWritingTo: errURL))
        }

        func finished(_ ended: Ended) throws -> Finished {
            Finished(terminationStatus: ended.status, terminationReason: ended.bySignal ? .uncaughtSignal : .exit,
                     stdout: try Data(contentsOf: outURL), stderr: try Data(contentsOf: errURL), endedAt: ended.at)
        }
    }

    /// Runs `argv` (`argv[0]` a path) to completion; waiting holds no thread, and a cancelled
    /// test ends the child's process group.
    /// - Parameters:
    ///   - environment: the child's whole environment; nil inherits this process's.
    ///   - directory: the child's working directory; nil inherits this process's.
    ///   - input: the child's standard input; nil inherits this process's.
    ///   - mergingErrors: standard error goes to standard output, interleaved as written.
    static func run(_ argv: [String], environment: [String: String]? = nil, in directory: URL? = nil,
                    input: Data? = nil, mergingErrors: Bool = false) async throws -> Finished {
        let capture = try Capture()
        defer { try? FileManager.default.removeItem(at: capture.dir) }
        let child = try capture.start(argv, environment: environment, in: directory, input: input, mergingErrors: mergingErrors)
        return try capture.finished(await child.exit())
    }

    /// The blocking form, for what cannot await: a static initializer's one look at the host
    /// (is python3 there, may this process unshare). Async code uses the other one.
    @available(*, noasync, message: "await TestProcess.run: a blocking wait holds a thread of the cooperative pool")
    static func run(_ argv: [String], environment: [String: String]? = nil, in directory: URL? = nil,
                    input: Data? = nil, mergingErrors: Bool = false) throws -> Finished {
        let capture = try Capture()
        defer { try? FileManager.default.removeItem(at: capture.dir) }
        let child = try capture.start(argv, environment: environment, in: directory, input: input, mergingErrors: mergingErrors)
        return try capture.finished(child.waitBlocking())
    }
}
