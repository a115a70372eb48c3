import Foundation

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

/// A child process the tests run to completion, its output captured.
///
/// Standard output and error go to temporary files, never pipes: a large output cannot fill a
/// pipe and stall the child, and a probe that a parallel test forks while a pipe is open cannot
/// hold its write end and keep the read here from ending.
enum TestProcess {
    struct Finished {
        var terminationStatus: Int32
        var terminationReason: Process.TerminationReason
        var stdout: Data
        /// Empty when standard error was merged into standard output.
        var stderr: Data
        var output: String { String(decoding: stdout, as: UTF8.self) }
        var errors: String { String(decoding: stderr, as: UTF8.self) }
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// A pid that existed and is now dead: that of a child that exited and was reaped.
    static func reapedPid() throws -> Int32 {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/true")
        try p.run()
        p.waitUntilExit()
        return p.processIdentifier
    }

    /// Runs `argv` (`argv[0]` a path) to completion.
    /// - Parameters:
    ///   - environment: the child's whole environment; nil inherits this process's.
    ///   - directory: the child's working directory; nil inherits this process's.
    ///   - input: the child's standard input; nil inherits this process's.
    ///   - mergingErrors: standard error goes to standard output, interleaved as written.
    static func run(_ argv: [String], environment: [String: String]? = nil, in directory: URL? = nil,
                    input: Data? = nil, mergingErrors: Bool = false) throws -> Finished {
        let fm = FileManager.default
        let dir = try makeTemporaryDirectory("omp-child")
        defer { try? fm.removeItem(at: dir) }
        let (inURL, outURL, errURL) = (dir.appendingPathComponent("in"), dir.appendingPathComponent("out"), dir.appendingPathComponent("err"))
        for url in [outURL, errURL] where !fm.createFile(atPath: url.path, contents: nil) {
            throw Failure(description: "cannot create \(url.path)")
        }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: argv[0])
        p.arguments = Array(argv.dropFirst())
        if let environment { p.environment = environment }
        if let directory { p.currentDirectoryURL = directory }
        if let input {
            try input.write(to: inURL)
            p.standardInput = try FileHandle(forReadingFrom: inURL)
        }
        let out = try FileHandle(forWritingTo: outURL)
        p.standardOutput = out
        p.standardError = mergingErrors ? out : try FileHandle(forWritingTo: errURL)
        try p.run()
        p.waitUntilExit()
        return Finished(terminationStatus: p.terminationStatus, terminationReason: p.terminationReason,
                        stdout: try Data(contentsOf: outURL), stderr: try Data(contentsOf: errURL))
    }
}
