/// Why provisioning an item, or provisioning at all, failed. Every case names the file or
/// command it is about.
package enum ProvisionError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A download's bytes are not the pinned ones.
    case hashMismatch(item: String, file: String, expected: String, actual: String)
    /// A command exited non-zero; `output` is the end of what it printed.
    case commandFailed(command: String, status: Int32, output: String)
    /// A tool the item needs is not on `PATH`.
    case toolMissing(tool: String, hint: String)
    /// The download step saved something else than the pinned file.
    case unexpectedDownload(item: String, expected: String, found: [String])
    /// An archive does not hold the member the pin names.
    case memberMissing(item: String, archive: String, member: String)
    /// A file that should be an OpenMP runtime is not one, or not the expected vendor.
    case notTheExpectedRuntime(item: String, path: String, reason: String)
    /// A system file is missing and the item has no download to fall back on.
    case systemFileMissing(item: String, path: String, package: String)
    /// A copy's original is not provisioned.
    case originalMissing(item: String, original: String)
    /// A file operation in the runtimes directory failed.
    case io(path: String, reason: String)
    /// `--only` named an item the catalog does not have.
    case unknownItem(name: String, known: [String])
    /// A Debian suite reached through the private apt source (`bullseye`, `trixie`) cannot be
    /// fetched from the mirror: the mirror dropped it, or it cannot be reached.
    case suiteUnavailable(suite: String, mirror: String, reason: String)

    package var description: String {
        switch self {
        case .hashMismatch(let item, let file, let expected, let actual):
            return "\(item): \(file) has SHA-256 \(actual), but the pinned SHA-256 is \(expected); refusing to use it"
        case .commandFailed(let command, let status, let output):
            let tail = output.isEmpty ? "" : ": " + output
            return "`\(command)` exited with status \(status)\(tail)"
        case .toolMissing(let tool, let hint):
            return "\(tool) is not on PATH (\(hint))"
        case .unexpectedDownload(let item, let expected, let found):
            return "\(item): expected the download to be \(expected), found \(found.isEmpty ? "nothing" : found.joined(separator: ", "))"
        case .memberMissing(let item, let archive, let member):
            return "\(item): \(archive) has no member \(member)"
        case .notTheExpectedRuntime(let item, let path, let reason):
            return "\(item): \(path) \(reason)"
        case .systemFileMissing(let item, let path, let package):
            return "\(item): \(path) is missing; install the Debian package \(package)"
        case .originalMissing(let item, let original):
            return "\(item): it copies \(original), which is not provisioned"
        case .io(let path, let reason):
            return "\(path): \(reason)"
        case .unknownItem(let name, let known):
            return "no catalog item named \"\(name)\" (known: \(known.joined(separator: ", ")))"
        case .suiteUnavailable(let suite, let mirror, let reason):
            return "suite unavailable: Debian \(suite) at \(mirror) (\(reason))"
        }
    }
}
