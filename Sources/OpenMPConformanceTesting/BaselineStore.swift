import Foundation
import OpenMPConformance

/// Finds the baseline for this host, and says plainly when there is none or when the one found
/// cannot be used.
///
/// Where it looks, first match wins:
/// 1. `OMP_CONFORMANCE_BASELINE`: one file, named explicitly. It must exist, parse, and be for
///    this host's key; anything else makes it ``Lookup/unusable(file:reason:)``.
/// 2. `OMP_CONFORMANCE_BASELINES`: a directory; only `<dir>/<host key>.json` is looked at.
/// 3. Otherwise `Matrices/baselines/<host key>.json` in the current directory (the package
///    `swift test` runs in: yours, when you depend on the kit), then in the kit's own
///    `Matrices/baselines`.
///
/// A file found by its host key that cannot be read or parsed, or that holds another host's
/// baseline, is unusable too: it fails the comparison in every mode. No file at all is
/// ``Lookup/none(reason:)``: each comparison is skipped with the reason and the command that
/// records one, and fails in strict mode (``Conformance/isStrict``).
public enum BaselineStore {
    /// Names one baseline file explicitly.
    package static let fileVariable = "OMP_CONFORMANCE_BASELINE"
    /// Names the one directory to look in for `<host key>.json`.
    package static let directoryVariable = "OMP_CONFORMANCE_BASELINES"
    /// `1`, `true` or `yes`: a missing baseline fails instead of being skipped.
    package static let strictVariable = "OMP_CONFORMANCE_STRICT"

    /// What the search found.
    public enum Lookup: Sendable, Hashable {
        /// A baseline for this host, and the file it came from.
        case found(Baseline, file: String)
        /// No baseline exists for this host; the reason names the host key and where it looked.
        case none(reason: String)
        /// A baseline file that must not be ignored and cannot be used: corrupt, unreadable,
        /// or for another host.
        case unusable(file: String, reason: String)

        /// The baseline, when one was found.
        package var baseline: Baseline? {
            if case .found(let b, _) = self { return b }
            return nil
        }
    }

    package static var hostKey: String { HostInfo.current().key }

    /// The lookup for this process, made once.
    public static let forThisHost: Lookup = lookup()

    /// True when the environment asks for strict mode.
    package static func strictFromEnvironment(_ env: [String: String] = ProcessInfo.processInfo.environment) -> Bool {
        strictSetting(env) != nil
    }

    /// `OMP_CONFORMANCE_STRICT=<value>` as set, when it asks for strict mode; nil otherwise.
    package static func strictSetting(_ env: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        guard let v = env[strictVariable], ["1", "true", "yes", "on"].contains(v.lowercased()) else { return nil }
        return "\(strictVariable)=\(v)"
    }

    /// The commands that record a baseline for `hostKey` in the current package, to commit.
    package static func recordCommand(hostKey: String) -> String {
        "swift run omp-matrix run --output results/\(hostKey).json; "
            + "swift run omp-matrix gate --update --baseline Matrices/baselines/\(hostKey).json results/\(hostKey).json"
    }

    /// Searches as described above.
    package static func lookup(hostKey: String = BaselineStore.hostKey,
                              environment: [String: String] = ProcessInfo.processInfo.environment,
                              directories: [URL]? = nil) -> Lookup {
        if let named = environment[fileVariable], !named.isEmpty {
            guard FileManager.default.fileExists(atPath: named) else {
                return .unusable(file: named, reason: "named by \(fileVariable), but there is no such file")
            }
            return read(named, hostKey: hostKey, how: "named by \(fileVariable)")
        }
        let dirs: [URL]
        if let d = environment[directoryVariable], !d.isEmpty {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: d, isDirectory: &isDirectory), isDirectory.boolValue else {
                return .none(reason: "no baseline for host key \(hostKey): the baselines folder \(d) named by \(directoryVariable) does not exist")
            }
            dirs = [URL(fileURLWithPath: d, isDirectory: true)]
        } else {
            dirs = directories ?? defaultDirectories()
        }
        for dir in dirs {
            let file = dir.appendingPathComponent("\(hostKey).json").path
            if FileManager.default.fileExists(atPath: file) {
                return read(file, hostKey: hostKey, how: "found by this host's key")
            }
        }
        let searched = dirs.map(\.path).joined(separator: ", ")
        return .none(reason: "no baseline for host key \(hostKey) (looked for \(hostKey).json in \(searched))")
    }

    /// `./Matrices/baselines`, then the kit's own `Matrices/baselines` (once each).
    package static func defaultDirectories() -> [URL] {
        var dirs = [URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true)
            .appendingPathComponent("Matrices/baselines", isDirectory: true)]
        if let kit = Matrix.bundledDirectory()?.appendingPathComponent("baselines", isDirectory: true),
           !dirs.contains(where: { $0.standardizedFileURL.path == kit.standardizedFileURL.path }) {
            dirs.append(kit)
        }
        return dirs
    }

    static func read(_ file: String, hostKey: String, how: String) -> Lookup {
        let b: Baseline
        do { b = try Baseline.read(URL(fileURLWithPath: file)) } catch {
            return .unusable(file: file, reason: "cannot be used as a baseline: \(error)")
        }
        guard b.hostKey == hostKey else {
            return .unusable(file: file, reason: "\(how), it is the baseline of host \(b.hostKey), and this host is \(hostKey)")
        }
        return .found(b, file: file)
    }
}
