import OMPPlan

extension Matrix {
    /// One of the doc's claims outside the applicability table, with how it is tested here.
    package struct Claim: Sendable, Hashable, Identifiable {
        package var id: String
        /// The claim in our words.
        package var statement: String
        package var source: DocSource
        /// How the claim is tested here, or why it cannot be.
        package var method: String
        /// Cells of the expansion that are its evidence (a union of selectors).
        package var evidence: [EvidenceSelector]
        /// A probe the claim defines for itself; its cells have `row == id`.
        package var probe: ClaimProbe?
        /// A static check of published wheels instead of (or besides) probes.
        package var wheels: WheelCheck?
        /// Set when nothing here can test the claim.
        package var untestableReason: String?
        package var location: SourceLocation
        /// Which cells count: `kmpPairs` shows controls and GNU-mixed profiles apart.
        package var scope: Scope = .any
        /// The outcomes the claim is about, most relevant first (counterexample choice).
        package var failures: [Outcome] = []
        /// The finding sentence per state, in our words, with `{placeholders}` filled from counts.
        package var findings: [ClaimState: String] = [:]
        /// Readings of the claim's words, each shown with its own evidence.
        package var readings: [Reading] = []

        /// Which profiles are evidence.
        package enum Scope: String, Sendable, Hashable {
            /// Any profile counts.
            case any
            /// The claim is about two KMP-family runtimes: controls and GNU-mixed profiles are shown apart.
            case kmpPairs = "kmp-pairs"
        }

        /// A reading of the claim's words: the cells that test it, picked by env mode and import meaning.
        package struct Reading: Sendable, Hashable {
            package var words: String
            package var envModes: [Cell.EnvMode]
            package var imports: [Cell.ImportMeaning]
            package init(words: String, envModes: [Cell.EnvMode], imports: [Cell.ImportMeaning]) {
                self.words = words; self.envModes = envModes; self.imports = imports
            }
            package func matches(_ r: CellResult) -> Bool {
                (envModes.isEmpty || envModes.map(\.rawValue).contains(r.envMode))
                    && (imports.isEmpty || imports.map(\.rawValue).contains(r.importMeaning))
            }
        }

        package init(id: String, statement: String, source: DocSource, method: String, evidence: [EvidenceSelector],
                    probe: ClaimProbe?, wheels: WheelCheck?, untestableReason: String?, location: SourceLocation) {
            self.id = id; self.statement = statement; self.source = source; self.method = method
            self.evidence = evidence; self.probe = probe; self.wheels = wheels
            self.untestableReason = untestableReason; self.location = location
        }
    }

    /// Picks cells: every listed dimension must match (an empty list matches anything).
    /// Row patterns may use `*` as a wildcard, e.g. `*@linux` for every Linux analogue.
    package struct EvidenceSelector: Sendable, Hashable {
        package var rows: [String]
        package var profiles: [String]
        package var envModes: [Cell.EnvMode]
        package var orderings: [Cell.Ordering]
        package var imports: [Cell.ImportMeaning]
        package var location: SourceLocation

        package init(rows: [String] = [], profiles: [String] = [], envModes: [Cell.EnvMode] = [],
                    orderings: [Cell.Ordering] = [], imports: [Cell.ImportMeaning] = [], location: SourceLocation) {
            self.rows = rows; self.profiles = profiles; self.envModes = envModes
            self.orderings = orderings; self.imports = imports; self.location = location
        }

        /// Whether the cell is picked. On a host that is not Linux there are no analogues: a
        /// pattern `<row>@linux` then picks the macOS cells of `<row>` they would stand in for.
        package func matches(_ cell: Cell, host: Matrix.Platform = .linux) -> Bool {
            (rows.isEmpty || rows.contains { Self.row($0, matches: cell, host: host) })
                && (profiles.isEmpty || profiles.contains(cell.profile))
                && (envModes.isEmpty || envModes.contains(cell.envMode))
                && (orderings.isEmpty || orderings.contains(cell.ordering))
                && (imports.isEmpty || imports.contains(cell.importMeaning))
                // A stack-shape cell is evidence for no claim: judging claims by shape is the claims' own work.
                && cell.stack == .ownHandle
        }

        /// Row pattern matching, with analogue patterns falling back to the macOS cells off Linux.
        static func row(_ pattern: String, matches cell: Cell, host: Matrix.Platform) -> Bool {
            if Matrix.glob(pattern, matches: cell.row) { return true }
            guard host != .linux, pattern.hasSuffix("@linux"), cell.platform == .macos else { return false }
            return Matrix.glob(String(pattern.dropLast("@linux".count)), matches: cell.row)
        }
    }

    /// A claim's own probe: a workload with a platform and the fix-needed reading its predictions follow.
    package struct ClaimProbe: Sendable, Hashable {
        package var workload: Plan
        package var platform: Platform
        package var device: Device
        package var fixNeeded: FixNeeded
        package var expansion: Expansion
        package var tags: [String]
        package init(workload: Plan, platform: Platform, device: Device, fixNeeded: FixNeeded, expansion: Expansion, tags: [String]) {
            self.workload = workload; self.platform = platform; self.device = device
            self.fixNeeded = fixNeeded; self.expansion = expansion; self.tags = tags
        }
    }

    /// Which OpenMP runtime family each named package's wheels should bundle, on one platform.
    package struct WheelCheck: Sendable, Hashable {
        package var platform: Platform
        package var expectations: [Expectation]
        package init(platform: Platform, expectations: [Expectation]) {
            self.platform = platform; self.expectations = expectations
        }

        package struct Expectation: Sendable, Hashable {
            /// Distribution name, normalized (`faiss-cpu`, `torch`).
            package var package: String
            package var bundles: WheelScan.Library.Kind
            /// Why this half cannot be checked even when no wheel is present (e.g. not downloaded).
            package var note: String?
            package init(package: String, bundles: WheelScan.Library.Kind, note: String?) {
                self.package = package; self.bundles = bundles; self.note = note
            }
        }
    }

    /// `*` matches any run of characters; everything else literally.
    static func glob(_ pattern: String, matches s: String) -> Bool {
        guard pattern.contains("*") else { return pattern == s }
        let parts = pattern.split(separator: "*", omittingEmptySubsequences: false).map(String.init)
        var rest = Substring(s)
        guard rest.hasPrefix(parts[0]) else { return false }
        rest = rest.dropFirst(parts[0].count)
        for (i, p) in parts.enumerated().dropFirst() {
            if i == parts.count - 1 { return rest.hasSuffix(p) }
            guard let r = rest.range(of: p) else { return false }
            rest = rest[r.upperBound...]
        }
        return true
    }
}
