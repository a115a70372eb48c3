import Foundation

/// The environment a probe starts with: the parent's, scrubbed of everything that could
/// change an OpenMP outcome, plus pinned values for determinism, plus the cell's own.
package struct ProbeEnvironment: Sendable {
    /// Prefixes and names removed from the parent's environment. Every dynamic-loader variable
    /// goes (`LD_*`: `LD_PRELOAD`, `LD_AUDIT`, `LD_LIBRARY_PATH`, `LD_BIND_NOW`, …; `DYLD_*` on
    /// macOS; glibc's `GLIBC_TUNABLES`): each can change which runtime loads or how. Only a cell
    /// (or the kit's own `doctor` runs) may set them, and the repro line then shows them.
    package static let scrubbedPrefixes = ["KMP_", "OMP_", "GOMP_", "MKL_", "__KMP_REGISTERED_LIB_", "KMP_DUPLICATE_LIB_OK",
                                          "LD_", "DYLD_"]
    /// Names outside those prefixes (the `LD_` and `DYLD_` prefixes already cover every loader variable).
    package static let scrubbedNames = ["GLIBC_TUNABLES"]
    /// Passed through as they are, on purpose.
    package static let passedThroughNames = ["OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"]
    /// Pinned in every probe.
    package static let pinned: [String: String] = [
        "OMP_NUM_THREADS": "2",
        "OPENBLAS_NUM_THREADS": "1",
        // The Swift runtime's crash backtracer is slow and noisy; the runtime's own words matter here.
        "SWIFT_BACKTRACE": "enable=no",
    ]

    package static func isScrubbed(_ name: String) -> Bool {
        scrubbedNames.contains(name) || scrubbedPrefixes.contains(where: { name.hasPrefix($0) })
    }

    /// The base environment for every probe of this process (without cell extras).
    package let base: [String: String]
    /// Names the parent had that were removed.
    package let scrubbed: [String]
    /// Names the parent had that were passed through on purpose.
    package let passedThrough: [String]

    package init(parent: [String: String] = ProcessInfo.processInfo.environment, blasOverride: [String: String] = [:]) {
        var env: [String: String] = [:]
        var scrubbed: [String] = []
        var passed: [String] = []
        for (k, v) in parent {
            if Self.isScrubbed(k) { scrubbed.append(k); continue }
            if Self.passedThroughNames.contains(k) { passed.append(k) }
            env[k] = v
        }
        for (k, v) in Self.pinned { env[k] = v }
        for (k, v) in blasOverride where env[k] == nil { env[k] = v }
        base = env
        self.scrubbed = scrubbed.sorted()
        self.passedThrough = passed.sorted()
    }

    /// The variables that decide a probe's behaviour, for repro lines: pinned, passed through, and extras.
    package func significant(extra: [String: String]) -> [(String, String)] {
        var keys = Set(Self.pinned.keys)
        for k in Self.passedThroughNames where base[k] != nil { keys.insert(k) }
        var out = keys.sorted().compactMap { k in base[k].map { (k, $0) } }
        for k in extra.keys.sorted() { out.removeAll { $0.0 == k }; out.append((k, extra[k]!)) }
        return out
    }

    package var record: EnvironmentRecord {
        EnvironmentRecord(scrubbed: scrubbed, passedThrough: passedThrough,
                          pinned: Self.pinned.merging(base.filter { Self.passedThroughNames.contains($0.key) }) { a, _ in a })
    }
}
