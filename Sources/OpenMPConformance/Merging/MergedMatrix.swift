/// Several hosts' results joined on cell id: one cross-platform matrix
/// (cell id → host key → outcome and verdict). Made by ``Merge/merge(_:)``; encodes as JSON with
/// `ResultsCodec/encode(_:)` and reads back with
/// `ResultsCodec.decode(MergedMatrix.self, from:file:schemaVersion: MergedMatrix.currentSchemaVersion)`.
package struct MergedMatrix: Codable, Sendable, Hashable {
    package static let currentSchemaVersion = 1
    /// The value of ``kind``; tells a merged file from a results file.
    package static let kindName = "merged-matrix"

    package var schemaVersion: Int
    /// Always ``kindName``.
    package var kind: String
    /// One entry per host, sorted by key.
    package var hosts: [Host]
    /// Every cell any host has, in the order cells first appear across the inputs.
    package var cells: [Cell]
    /// Every claim any host evaluated, in first-appearance order.
    package var claims: [Claim]

    package init(hosts: [Host], cells: [Cell], claims: [Claim]) {
        self.schemaVersion = MergedMatrix.currentSchemaVersion; self.kind = MergedMatrix.kindName
        self.hosts = hosts; self.cells = cells; self.claims = claims
    }

    /// A host and what its run(s) covered.
    package struct Host: Codable, Sendable, Hashable {
        package var info: HostInfo
        /// Names of the inputs merged for this host (file paths, or `#1`, `#2`, ...).
        package var inputs: [String]
        package var toolVersion: String
        package var startedAt: String
        package var finishedAt: String?
        /// True when any input for this host was a partial run.
        package var partial: Bool
        package var selection: [String]
        package var key: String { info.key }
    }

    /// One cell across hosts.
    package struct Cell: Codable, Sendable, Hashable, Identifiable {
        package var id: String
        package var row: String
        package var profile: String
        package var envMode: String
        package var ordering: String
        package var importMeaning: String
        /// Host key → what that host saw.
        package var byHost: [String: HostCell]

        /// True when two hosts that ran the cell saw different outcomes.
        package var outcomesDiffer: Bool {
            Set(byHost.values.filter { $0.status == .ran }.compactMap(\.outcome)).count > 1
        }
    }

    /// One cell on one host.
    package struct HostCell: Codable, Sendable, Hashable {
        package var status: CellResult.Status
        package var outcome: Outcome?
        package var allowed: [Outcome]
        package var verdict: Verdict
        package var reason: String?
        package var analogueOf: String?
        package var message: String
        package var repro: String

        package init(_ cell: CellResult) {
            status = cell.status; outcome = cell.outcome; allowed = cell.allowed; verdict = cell.verdict
            reason = cell.reason; analogueOf = cell.analogueOf; message = cell.message; repro = cell.repro
        }
    }

    /// One claim across hosts.
    package struct Claim: Codable, Sendable, Hashable, Identifiable {
        package var id: String
        package var statement: String
        package var source: String
        /// Host key → the claim's verdict there.
        package var byHost: [String: Verdict]
        /// Host key → counterexample cell, where refuted.
        package var counterexamples: [String: String]
        /// `refuted` if any host refutes it, else `confirmed` if any confirms it, else `untestable`.
        package var verdict: Verdict {
            byHost.values.contains(.refuted) ? .refuted : byHost.values.contains(.confirmed) ? .confirmed : .untestable
        }
    }

    /// What host `hostKey` saw for cell `cellID`, if it has the cell.
    package subscript(cell cellID: String, host hostKey: String) -> HostCell? {
        cells.first { $0.id == cellID }?.byHost[hostKey]
    }

    /// Host keys in column order.
    package var hostKeys: [String] { hosts.map(\.key) }
}
