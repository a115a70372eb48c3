import Foundation

/// Finds the `omp-probe` binary.
///
/// In order: the `OMP_PROBE` environment variable; an `omp-probe` beside the running
/// executable when that is a release build; otherwise a release build of it made on
/// demand in `<package root>/.build-probe` (the probe's workloads are timed, so a debug
/// build would distort every figure). The package root is where this source file lives,
/// which for a downstream package is its checkout of this one.
public enum ProbeExecutable {
    public struct NotFound: Error, CustomStringConvertible {
        public var description: String
    }

    private static let cache = LockedCache()

    public static func locate() throws -> String {
        try cache.get(find)
    }

    static func find() throws -> String {
        let fm = FileManager.default
        if let env = ProcessInfo.processInfo.environment["OMP_PROBE"], !env.isEmpty {
            guard fm.isExecutableFile(atPath: env) else { throw NotFound(description: "OMP_PROBE=\(env) is not an executable file") }
            return env
        }
        let exe = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath()
        var dir = exe.deletingLastPathComponent()
        if dir.pathExtension == "xctest" { dir = dir.deletingLastPathComponent() }
        let sibling = dir.appendingPathComponent("omp-probe").path
        if fm.isExecutableFile(atPath: sibling) && dir.path.contains("/release") { return sibling }
        let root = packageRoot
        let built = root + "/.build-probe/release/omp-probe"
        if let made = try? buildRelease(root: root), fm.isExecutableFile(atPath: made) { return made }
        if fm.isExecutableFile(atPath: built) { return built }
        if fm.isExecutableFile(atPath: sibling) { return sibling }
        throw NotFound(description: "no omp-probe found: set OMP_PROBE, or run `swift build -c release --product omp-probe` in \(root)")
    }

    /// The package root: the nearest directory above this file that has a Package.swift.
    public static var packageRoot: String {
        RuntimeCatalog.packageRoot()?.path ?? FileManager.default.currentDirectoryPath
    }

    /// `swift build -c release --product omp-probe --scratch-path <root>/.build-probe`, once per process.
    static func buildRelease(root: String, product: String = "omp-probe") throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["swift", "build", "-c", "release", "--product", product,
                       "--package-path", root, "--scratch-path", root + "/.build-probe"]
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "OMP_PROBE")
        p.environment = env
        let log = Pipe()
        p.standardOutput = log
        p.standardError = log
        try p.run()
        let out = log.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else {
            throw NotFound(description: "building \(product) failed:\n" + String(decoding: out.suffix(4000), as: UTF8.self))
        }
        return root + "/.build-probe/release/" + product
    }

    /// Computes the path once; concurrent callers wait for the first.
    final class LockedCache: @unchecked Sendable {
        private let lock = NSLock()
        private var value: String?
        func get(_ compute: () throws -> String) throws -> String {
            lock.lock()
            defer { lock.unlock() }
            if let value { return value }
            let v = try compute()
            value = v
            return v
        }
    }
}
