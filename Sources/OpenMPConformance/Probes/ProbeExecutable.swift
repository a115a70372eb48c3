import Foundation
import Synchronization

/// Finds the `omp-probe` binary. It is never built here: a library that starts a package
/// build inside someone's test run would be a surprise (and a slow one).
///
/// In order:
/// 1. `OMP_PROBE`, when set: it must name an executable file.
/// 2. `omp-probe` in the build products directory of the running executable (its real file,
///    however it was started: through `PATH`, a link in a bin folder): beside
///    `omp-matrix`, or beside the test bundle (`.build/debug/…PackageTests.xctest`). SwiftPM puts
///    it there when the package builds it: in this repository `swift build` does; in your
///    package, make the test target depend on the kit's `omp-probe` product.
///
/// Anything else is ``NotFound``, whose message gives the commands that build one.
package enum ProbeExecutable {
    /// Names the probe binary explicitly.
    package static let variable = "OMP_PROBE"

    package struct NotFound: Error, CustomStringConvertible {
        package var description: String
    }

    private static let cache = LockedCache<String>()

    /// The probe for this process (looked up once).
    package static func locate() throws -> String {
        try cache.get { try find() }
    }

    /// Looks the probe up; nothing is cached, built or launched.
    /// - Parameters:
    ///   - environment: where `OMP_PROBE` is read.
    ///   - executable: the running executable (``runningExecutable``).
    package static func find(environment: [String: String] = ProcessInfo.processInfo.environment,
                            executable: String = runningExecutable) throws(NotFound) -> String {
        let fm = FileManager.default
        if let env = environment[variable], !env.isEmpty {
            guard fm.isExecutableFile(atPath: env) else {
                throw NotFound(description: "\(variable)=\(env) is not an executable file")
            }
            return env
        }
        let dir = productsDirectory(of: executable)
        let sibling = dir.appendingPathComponent("omp-probe").path
        if fm.isExecutableFile(atPath: sibling) { return sibling }
        throw NotFound(description: """
            no omp-probe: \(variable) is not set and there is none in \(dir.path) (beside \(executable)). \
            Build it with `swift build --product omp-probe` (for timed figures a release one: \
            `swift build -c release --product omp-probe` and OMP_PROBE=$PWD/.build/release/omp-probe), \
            or, in your own package, add .product(name: "omp-probe", package: "openmp-conformance") to the \
            test target's dependencies so that `swift test` builds it
            """)
    }

    /// The file of the running executable, from the kernel or the loader
    /// (``platformExecutablePath()``), never from `argv[0]`: started through `PATH`, `argv[0]` is
    /// a bare name that would resolve against the working directory.
    package static var runningExecutable: String {
        platformExecutablePath() ?? Bundle.main.executablePath ?? CommandLine.arguments.first ?? ""
    }

    /// The build products directory holding `executable`: its directory, or, inside a test
    /// bundle (`X.xctest/Contents/MacOS/X`), the directory holding the bundle.
    static func productsDirectory(of executable: String) -> URL {
        let exe = URL(fileURLWithPath: executable).resolvingSymlinksInPath()
        var dir = exe.deletingLastPathComponent()
        let components = dir.pathComponents
        if let bundle = components.lastIndex(where: { $0.hasSuffix(".xctest") }) {
            dir = URL(fileURLWithPath: NSString.path(withComponents: Array(components[..<bundle])), isDirectory: true)
        }
        return dir
    }
}

/// A value computed once per process; concurrent callers wait for the first. A computation
/// that throws leaves nothing behind, so the next caller tries again.
final class LockedCache<Value: Sendable>: Sendable {
    private let value = Mutex<Value?>(nil)
    func get<E: Error>(_ compute: () throws(E) -> Value) throws(E) -> Value {
        try value.withLock { (cached: inout Value?) throws(E) -> Value in
            if let cached { return cached }
            let v = try compute()
            cached = v
            return v
        }
    }
}
