/// The one file a run writes: host, environment, every cell, every claim.
/// `Resources/results.schema.json` is its JSON Schema; `report --format json` writes exactly this.
public struct ResultsFile: Codable, Sendable, Hashable {
    public static let currentSchemaVersion = 1

    public var schemaVersion: Int
    public var tool: Tool
    /// True when the run was interrupted or failed before every selected cell ran.
    public var partial: Bool
    public var startedAt: String
    public var finishedAt: String?
    public var host: HostInfo
    public var environment: EnvironmentRecord
    /// How cells were selected (`all`, or the filters given).
    public var selection: [String]
    public var results: [CellResult]
    public var claims: [ClaimVerdict]

    public init(schemaVersion: Int = ResultsFile.currentSchemaVersion, tool: Tool = Tool(), partial: Bool,
                startedAt: String, finishedAt: String?, host: HostInfo, environment: EnvironmentRecord,
                selection: [String], results: [CellResult], claims: [ClaimVerdict]) {
        self.schemaVersion = schemaVersion; self.tool = tool; self.partial = partial; self.startedAt = startedAt
        self.finishedAt = finishedAt; self.host = host; self.environment = environment; self.selection = selection
        self.results = results; self.claims = claims
    }

    public struct Tool: Codable, Sendable, Hashable {
        public var name: String
        public var version: String
        public init(name: String = "openmp-conformance", version: String = OpenMPConformanceKit.version) {
            self.name = name; self.version = version
        }
    }
}

/// What the supervisor did to the environment it was given.
public struct EnvironmentRecord: Codable, Sendable, Hashable {
    /// Names removed from the parent's environment before launching probes.
    public var scrubbed: [String]
    /// Names passed through untouched on purpose (e.g. `OPENBLAS_CORETYPE`).
    public var passedThrough: [String]
    /// Values the kit pins in every probe (`OMP_NUM_THREADS=2`, ...).
    public var pinned: [String: String]
    public init(scrubbed: [String], passedThrough: [String], pinned: [String: String]) {
        self.scrubbed = scrubbed; self.passedThrough = passedThrough; self.pinned = pinned
    }
}

/// The kit itself. (Not named `OpenMPConformance`: a type with the module's name would hide the
/// module, so `OpenMPConformance.Cell` would stop meaning the module's `Cell`.)
public enum OpenMPConformanceKit {
    /// The kit's version, written into every results file and printed by `omp-matrix --version`.
    public static let version = "0.1.0"
}
