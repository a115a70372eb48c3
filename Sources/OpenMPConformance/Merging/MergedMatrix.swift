/// Several hosts' results joined on cell id: one cross-platform matrix
/// (cell id → host key → outcome and verdict). Made by ``Merge/merge(_:)``; encodes as JSON with
/// ``ResultsCodec/encode(_:)`` and reads back with
/// `ResultsCodec.decode(MergedMatrix.self, from:file:schemaVersion: MergedMatrix.currentSchemaVersion)`.
public struct MergedMatrix: Codable, Sendable, Hashable {
    public static let currentSchemaVersion = 1
    /// The value of ``kind``; tells a merged file from a results file.
    public static let kindName = "merged-matrix"

    public var schemaVersion: Int
    /// Always ``kindName``.
    public var kind: String
    /// One entry per host, sorted by key.
    public var hosts: [Host]
    /// Every cell any host has, in the order cells first appear across the inputs.
    public var cells: [Cell]
    /// Every claim any host evaluated, in first-appearance order.
    public var claims: [Claim]

    public init(hosts: [Host], cells: [Cell], claims: [Claim]) {
        self.schemaVersion = MergedMatrix.currentSchemaVersion; self.kind = MergedMatrix.kindName
        self.hosts = hosts; self.cells = cells; self.claims = claims
    }

    /// A host and what its run(s) covered.
    public struct Host: Codable, Sendable, Hashable {
        public var info: HostInfo
        /// Names of the inputs merged for this host (file paths, or `#1`, `#2`, ...).
        public var inputs: [String]
        public var toolVersion: String
        public var startedAt: String
        public var finishedAt: String?
        /// True when any input for this host was a partial run.
        public var partial: Bool
        public var selection: [String]
        public var key: String { info.key }
    }

    /// One cell across hosts.
    public struct Cell: Codable, Sendable, Hashable, Identifiable {
        public var id: String
        public var row: String
        public var profile: String
        public var envMode: String
        public var ordering: String
        public var importMeaning: String
        /// Host key → what that host saw.
        public var byHost: [String: HostCell]

        /// True when two hosts that ran the cell saw different outcomes.
        public var outcomesDiffer: Bool {
            Set(byHost.values.filter { $0.status == .ran }.compactMap(\.outcome)).count > 1
        }
    }

    /// One cell on one host.
    public struct HostCell: Codable, Sendable, Hashable {
        public var status: CellResult.Status
        public var outcome: Outcome?
        public var allowed: [Outcome]
        public var verdict: Verdict
        public var reason: String?
        public var analogueOf: String?
        public var message: String
        public var repro: String

        public init(_ cell: CellResult) {
            status = cell.status; outcome = cell.outcome; allowed = cell.allowed; verdict = cell.verdict
            reason = cell.reason; analogueOf = cell.analogueOf; message = cell.message; repro = cell.repro
        }
    }

    /// One claim across hosts.
    public struct Claim: Codable, Sendable, Hashable, Identifiable {
        public var id: String
        public var statement: String
        public var source: String
        /// Host key → the claim's verdict there.
        public var byHost: [String: Verdict]
        /// Host key → counterexample cell, where refuted.
        public var counterexamples: [String: String]
        /// `refuted` if any host refutes it, else `confirmed` if any confirms it, else `untestable`.
        public var verdict: Verdict {
            byHost.values.contains(.refuted) ? .refuted : byHost.values.contains(.confirmed) ? .confirmed : .untestable
        }
    }

    /// What host `hostKey` saw for cell `cellID`, if it has the cell.
    public subscript(cell cellID: String, host hostKey: String) -> HostCell? {
        cells.first { $0.id == cellID }?.byHost[hostKey]
    }

    /// Host keys in column order.
    public var hostKeys: [String] { hosts.map(\.key) }
}
