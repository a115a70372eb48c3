import Foundation

/// What one provisioning run did, item by item.
package struct ProvisionReport: Sendable, Hashable {
    package enum State: Sendable, Hashable {
        /// Already there, with the pinned bytes: nothing downloaded.
        case present
        /// Downloaded (or copied) and checked in this run.
        case provisioned
        /// Could not be provisioned; the reason names the command, file or hash.
        case notProvisioned(reason: String)
        /// Not for this host (a Linux x86_64 runtime on another host); not counted as missing.
        case notForThisHost(reason: String)
        /// Excluded by the catalog (it cannot run honestly here); listed, not counted as missing.
        case excluded(reason: String)
    }

    package struct Entry: Sendable, Hashable {
        package var name: String
        package var state: State
        /// Bytes downloaded for this item in this run.
        package var downloadedBytes: Int
        package var seconds: Double
        /// In words, e.g. `LLVM 16.0.6` or `wheel torch 2.15.0 (vendors llvm kmp 19.1)`.
        package var summary: String
    }

    package var directory: URL
    package var entries: [Entry]

    package var manifestURL: URL { directory.appendingPathComponent(RuntimeManifest.fileName) }
    package var downloadedBytes: Int { entries.reduce(0) { $0 + $1.downloadedBytes } }
    /// The number of items downloaded (or copied) in this run.
    package var downloads: Int { entries.filter { $0.downloadedBytes > 0 }.count }
    /// The items that could not be provisioned, with their reasons.
    package var failures: [(name: String, reason: String)] {
        entries.compactMap { e in
            if case .notProvisioned(let r) = e.state { return (e.name, r) }
            return nil
        }
    }
    /// True when every item meant for this host is in place.
    package var isComplete: Bool { failures.isEmpty }

    /// One line per item and a total, for the terminal.
    package var text: String {
        var lines: [String] = []
        let width = max(12, entries.map(\.name.count).max() ?? 0)
        for e in entries {
            let name = e.name.padding(toLength: width, withPad: " ", startingAt: 0)
            switch e.state {
            case .present:
                lines.append("  \(name)  present          \(e.summary)")
            case .provisioned:
                let size = e.downloadedBytes > 0
                    ? String(format: ", %@ downloaded in %.1f s", Self.megabytes(e.downloadedBytes), e.seconds) : ""
                lines.append("  \(name)  provisioned      \(e.summary)\(size)")
            case .notProvisioned(let r):
                lines.append("  \(name)  NOT PROVISIONED  \(r)")
            case .notForThisHost(let r):
                lines.append("  \(name)  not for this host: \(r)")
            case .excluded(let r):
                lines.append("  \(name)  excluded: \(r)")
            }
        }
        let total = downloadedBytes == 0
            ? "nothing downloaded"
            : "downloaded \(Self.megabytes(downloadedBytes)) (\(downloads) item\(downloads == 1 ? "" : "s"))"
        let missing = failures.count
        lines.append("\(total); \(entries.count - missing) of \(entries.count) items ready"
                     + (missing > 0 ? "; \(missing) not provisioned" : "") + "; manifest \(manifestURL.path)")
        return lines.joined(separator: "\n")
    }

    /// `12.3 MB` (10^6 bytes).
    static func megabytes(_ bytes: Int) -> String { String(format: "%.1f MB", Double(bytes) / 1_000_000) }
}
