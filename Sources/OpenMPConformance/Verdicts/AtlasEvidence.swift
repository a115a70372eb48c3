import Foundation
import OMPPlan

/// Observations of runtime pairs from an atlas (a separate, wider sweep of pairs and orders),
/// in the shape the answer needs. An adapter from the atlas model fills it; the answer works
/// without it.
package struct AtlasEvidence: Sendable, Hashable {
    package struct Observation: Sendable, Hashable {
        /// The runtime that starts first and the one that starts second, in words.
        package var first: String
        package var second: String
        package var variable: Bool
        package var outcome: Outcome
        package init(first: String, second: String, variable: Bool, outcome: Outcome) {
            self.first = first; self.second = second; self.variable = variable; self.outcome = outcome
        }
    }
    /// Where it came from, e.g. `Matrices/atlas/debian12-x86_64-glibc2.36.json`.
    package var source: String
    package var observations: [Observation]
    /// Every ordered pair with all its runs (what the three questions read).
    package var pairs: [Pair]
    /// The packages behind the macOS stand-ins, paired.
    package var packagePairs: [PackagePair]
    /// The doc's macOS packages that could not be answered, with why.
    package var macOSUnanswered: [String] = []
    /// The doc's Windows packages, measured on the Windows atlas (the real DLLs under Wine), when one is checked in.
    package var windows: Packages?
    /// Sampled pairs in each stack shape, and concurrent or nested use (empty when the atlas has none).
    package var shapes: [ShapeRun] = []
    package var concurrent: [ConcurrentRun] = []
    /// The Windows atlas's ordered pairs (the real DLLs under Wine), counted apart, and its file.
    package var windowsPairs: [Pair] = []
    package var windowsSource: String?
    /// The wheel catalog (`Matrices/wheels/catalog.yaml`), read beside the atlas: which runtime each wheel brings.
    package var wheelCatalog: WheelCatalog?
    package init(source: String, observations: [Observation], pairs: [Pair] = [], packagePairs: [PackagePair] = []) {
        self.source = source; self.observations = observations; self.pairs = pairs; self.packagePairs = packagePairs
    }
}

extension AtlasEvidence {
    /// The atlas snapshot for a host, `Matrices/atlas/<host key>.json` under `root`, read by the
    /// atlas's own reader (``Atlas/snapshot(hostKey:packageRoot:)``). Nil when there is none.
    /// - Throws: ``InputError`` naming the file when it exists but cannot be read.
    package static func snapshot(hostKey: String, root: URL) throws -> AtlasEvidence? {
        guard let atlas = try Atlas.snapshot(hostKey: hostKey, packageRoot: root) else { return nil }
        // The doc's packages in package words: the wheel catalog and the Windows atlas, when checked in.
        let catalogURL = root.appendingPathComponent("Matrices/wheels/\(WheelCatalog.fileName)")
        let catalog = FileManager.default.fileExists(atPath: catalogURL.path) ? try WheelCatalog.load(catalogURL) : nil
        var windows: (AtlasResults, String)?
        if let url = WindowsAtlas.snapshotURL(hostKey: hostKey, packageRoot: root), FileManager.default.fileExists(atPath: url.path) {
            windows = (try AtlasCodec.read(url), "Matrices/atlas/\(WineTools.platform)/\(hostKey).json")
        }
        var e = AtlasEvidence(atlas, source: "Matrices/atlas/\(hostKey).json", catalog: catalog, windows: windows)
        // The claims read the Windows atlas's pairs (counted apart) and the wheel catalog too.
        if let windows { e.windowsPairs = pairs(windows.0); e.windowsSource = windows.1 }
        e.wheelCatalog = catalog
        if catalog != nil, windows == nil {
            // Said, not left out: the Windows pairs have nothing measured to cite on this host.
            e.windows = Packages(source: "", pairs: [], bystanders: [],
                                 unanswered: ["no Windows atlas snapshot (Matrices/atlas/\(WineTools.platform)/\(hostKey).json) is checked in for this host"])
        }
        return e
    }

    /// The off-diagonal cells of two KMP-family runtimes, one observation per distinct outcome
    /// of each variant; with a wheel catalog, the doc's packages on macOS (by stand-ins) and, with a
    /// Windows atlas, on Windows.
    package init(_ atlas: AtlasResults, source: String, catalog: WheelCatalog? = nil, windows: (atlas: AtlasResults, source: String)? = nil) {
        var out: [Observation] = []
        for c in atlas.cells where c.diagonal == nil && c.firstIdentity?.family == "kmp" && c.secondIdentity?.family == "kmp" {
            for o in c.observations {
                // Every variant starts the first runtime first; only "without" lacks the variable.
                for outcome in Set(o.outcomes) {
                    out.append(Observation(first: Self.label(c.firstIdentity, c.first), second: Self.label(c.secondIdentity, c.second),
                                           variable: o.variant != .withoutVariable, outcome: outcome))
                }
            }
        }
        let mac = Self.macOSPackages(atlas, source: source, catalog: catalog, packages: Answer.docPackages(.macos))
        self.init(source: source, observations: out, pairs: Self.pairs(atlas), packagePairs: mac.pairs)
        macOSUnanswered = mac.unanswered
        if let catalog, let windows {
            self.windows = Self.packages(Self.measured(Answer.docPackages(.windows), platform: .windows, catalog: catalog, atlas: windows.atlas),
                                         atlas: windows.atlas, source: windows.source)
        }
        shapes = Self.shapeRuns(atlas)
        concurrent = Self.concurrentRuns(atlas)
    }
}
