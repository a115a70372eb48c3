/// The one file a run writes: host, environment, every cell, every claim. A results file of
/// kind `matrix` (``ResultsDocument``); `Resources/results.schema.json` is its JSON Schema;
/// `report --format json` writes exactly this.
package struct ResultsFile: Codable, Sendable, Hashable {
    /// 2 adds `answer`, `wheels`, each claim's `state`/`finding`/`quote`/…, and each cell's
    /// `roleRuntimes` and `words`; all optional, so schema 1 files still read, report and merge.
    /// 3 adds what ran in each probe: `runtimesStarted`, `teamThreads`, `osThreads` (optional: absent
    /// means not observed), so schema 1 and 2 files still read.
    /// 4 (shared with the atlas, ``ResultsDocument/currentSchemaVersion``) adds `kind`.
    package static let currentSchemaVersion = ResultsDocument.currentSchemaVersion
    /// The versions this tool reads.
    package static let readableSchemaVersions = ResultsDocument.readableVersions(.matrix)

    /// `matrix`. Written from schema 4 on; set by ``ResultsDocument`` when an older file is read.
    package var kind: ResultsKind?
    package var schemaVersion: Int
    package var tool: Tool
    /// True when the run was interrupted or failed before every selected cell ran.
    package var partial: Bool
    package var startedAt: String
    package var finishedAt: String?
    /// The host the cells ran on.
    package var host: HostInfo
    package var environment: EnvironmentRecord
    /// How cells were selected (`all`, or the filters given).
    package var selection: [String]
    /// One result per selected cell, in matrix order.
    package var results: [CellResult]
    /// The verdict of each row and claim that the results bear on.
    package var claims: [ClaimVerdict]
    /// The wheels read statically for the run (the macOS ones say what the real wheels bundle).
    package var wheels: [WheelScan.Wheel]?
    /// The answer section, as structured fields (schema 2).
    package var answer: Answer?
    /// The Windows column: its rows and claims judged over the `windows-x86_64` cells only
    /// (absent when no Windows cell was selected). Its cells are in ``results`` with
    /// `platform` set; every host count and the answer leave them out (``hostResults``).
    package var windows: PlatformColumn?

    package init(schemaVersion: Int = ResultsFile.currentSchemaVersion, tool: Tool = Tool(), partial: Bool,
                startedAt: String, finishedAt: String?, host: HostInfo, environment: EnvironmentRecord,
                selection: [String], results: [CellResult], claims: [ClaimVerdict]) {
        self.kind = .matrix; self.schemaVersion = schemaVersion; self.tool = tool; self.partial = partial; self.startedAt = startedAt
        self.finishedAt = finishedAt; self.host = host; self.environment = environment; self.selection = selection
        self.results = results; self.claims = claims
    }

    /// The answer for this file: the stored one, or computed from its cells (schema 1 files).
    package func resolvedAnswer(atlas: AtlasEvidence? = nil, wheelsMissing: String? = nil) -> Answer {
        if let answer, answer.questions != nil, atlas == nil, wheelsMissing == nil { return answer }
        return Answer.compute(results: hostResults, runtimes: host.runtimes, wheels: wheels,
                              wheelsMissing: wheelsMissing ?? (wheels == nil ? "this results file records no wheel scan (written by schema \(schemaVersion))" : nil),
                              atlas: atlas, hostKey: host.key)
    }

    /// The file with every cell's words and the answer filled in.
    package func annotated(atlas: AtlasEvidence? = nil, wheelsMissing: String? = nil) -> ResultsFile {
        var out = self
        let words = CellWords(runtimes: host.runtimes)
        for i in out.results.indices where out.results[i].words == nil { out.results[i].words = words.describe(out.results[i]) }
        out.answer = nil
        out.answer = out.resolvedAnswer(atlas: atlas, wheelsMissing: wheelsMissing)
        return out
    }

    /// The host's own cells: every result without a `platform` (the Windows column's are left out).
    package var hostResults: [CellResult] { results.filter { $0.platform == nil } }

    /// The cells of one platform: nil for the host's, ``WineTools/platform`` for the Windows column's.
    package func results(platform: String?) -> [CellResult] { results.filter { $0.platform == platform } }

    /// The host's part of the file, to render the host's sections with: the Windows column's cells
    /// and verdicts left out.
    package var hostPart: ResultsFile {
        var r = self
        r.results = hostResults
        r.windows = nil
        return r
    }

    /// The Windows column as a file of its own, to render with the same code: its cells, its rows
    /// and claims; nil when the run selected no Windows cell.
    package var windowsPart: ResultsFile? {
        guard let w = windows else { return nil }
        var r = self
        r.results = results(platform: w.platform.id)
        r.claims = w.claims
        r.windows = nil
        r.answer = nil
        r.wheels = nil
        return r
    }

    /// A platform's rows and claims, judged apart from the host's.
    package struct PlatformColumn: Codable, Sendable, Hashable {
        /// `windows-x86_64`, "Windows: the real DLLs under Wine 8.0, not Windows".
        package var platform: AtlasPlatform
        /// Why its cells did not run here, when they did not.
        package var skipped: String?
        /// Its rows (`<row>@windows`) and the doc's claims, judged over its cells only.
        package var claims: [ClaimVerdict]
        package init(platform: AtlasPlatform, skipped: String?, claims: [ClaimVerdict]) {
            self.platform = platform; self.skipped = skipped; self.claims = claims
        }
    }

    package struct Tool: Codable, Sendable, Hashable {
        package var name: String
        package var version: String
        package init(name: String = "openmp-conformance", version: String = OpenMPConformanceKit.version) {
            self.name = name; self.version = version
        }
    }
}

/// What the supervisor did to the environment it was given.
package struct EnvironmentRecord: Codable, Sendable, Hashable {
    /// Names removed from the parent's environment before launching probes.
    package var scrubbed: [String]
    /// Names passed through untouched on purpose (e.g. `OPENBLAS_CORETYPE`).
    package var passedThrough: [String]
    /// Values the kit pins in every probe (`OMP_NUM_THREADS=2`, ...).
    package var pinned: [String: String]
    package init(scrubbed: [String], passedThrough: [String], pinned: [String: String]) {
        self.scrubbed = scrubbed; self.passedThrough = passedThrough; self.pinned = pinned
    }
}

/// The kit itself. (Not named `OpenMPConformance`: a type with the module's name would hide the
/// module, so `OpenMPConformance.Cell` would stop meaning the module's `Cell`.)
package enum OpenMPConformanceKit {
    /// The kit's version, written into every results file and printed by `omp-matrix --version`.
    package static let version = "0.1.0"
}
