/// Joins per-host results files into one ``MergedMatrix``.
///
/// Files with the same host key are treated as shards of one host's run and combined, provided
/// they describe the same host: same OS, OS version, architecture, libc, and the same runtimes
/// (name and sha256). Otherwise the merge is refused, since one key would then stand for two
/// different machines. A cell measured in two shards must agree (a ran cell wins over a skipped
/// one); two different outcomes for one cell on one host are refused too.
package enum Merge {
    /// Why a merge was refused.
    package struct MergeError: Error, Sendable, Hashable, CustomStringConvertible {
        package var message: String
        package init(_ message: String) { self.message = message }
        package var description: String { "cannot merge: \(message)" }
    }

    /// Merges results files; inputs are named `#1`, `#2`, ... in errors.
    /// - Throws: ``MergeError``.
    package static func merge(_ files: [ResultsFile]) throws -> MergedMatrix {
        try merge(named: files.enumerated().map { (name: "#\($0.offset + 1)", results: $0.element) })
    }

    /// Merges results files, naming each input (for example by path) in errors and in
    /// ``MergedMatrix/Host/inputs``.
    /// - Throws: ``MergeError`` when there are no inputs, two inputs share a host key but not
    ///   host info, or one host has two different outcomes for a cell.
    package static func merge(named inputs: [(name: String, results: ResultsFile)]) throws -> MergedMatrix {
        guard !inputs.isEmpty else { throw MergeError("no results files given") }

        var hostOrder: [String] = []
        var hosts: [String: MergedMatrix.Host] = [:]
        var cellOrder: [String] = []
        var cells: [String: MergedMatrix.Cell] = [:]
        var cellSource: [String: String] = [:]  // "cell\u{0}host" -> input name
        var claimOrder: [String] = []
        var claims: [String: MergedMatrix.Claim] = [:]

        for (name, results) in inputs {
            let key = results.host.key
            if var host = hosts[key] {
                let differences = conflicts(host.info, results.host)
                if !differences.isEmpty {
                    throw MergeError("\(host.inputs.joined(separator: ", ")) and \(name) both say host \"\(key)\" but differ in \(differences.joined(separator: "; "))")
                }
                host.inputs.append(name)
                host.partial = host.partial || results.partial
                host.selection = Array(Set(host.selection + results.selection)).sorted()
                if results.startedAt < host.startedAt { host.startedAt = results.startedAt }
                if let f = results.finishedAt, host.finishedAt.map({ f > $0 }) ?? true { host.finishedAt = f }
                hosts[key] = host
            } else {
                hostOrder.append(key)
                hosts[key] = MergedMatrix.Host(info: results.host, inputs: [name], toolVersion: results.tool.version,
                                               startedAt: results.startedAt, finishedAt: results.finishedAt,
                                               partial: results.partial, selection: results.selection)
            }

            for cell in results.results {
                let sourceKey = cell.id + "\u{0}" + key
                if cells[cell.id] == nil {
                    cellOrder.append(cell.id)
                    cells[cell.id] = MergedMatrix.Cell(id: cell.id, row: cell.row, profile: cell.profile,
                                                       envMode: cell.envMode, ordering: cell.ordering,
                                                       importMeaning: cell.importMeaning, byHost: [:])
                }
                let incoming = MergedMatrix.HostCell(cell)
                if let existing = cells[cell.id]!.byHost[key] {
                    let earlier = cellSource[sourceKey] ?? "?"
                    switch (existing.status, incoming.status) {
                    case (.ran, .ran):
                        if existing.outcome != incoming.outcome {
                            throw MergeError("cell \"\(cell.id)\" on host \"\(key)\" is \(existing.outcome?.rawValue ?? "without outcome") in \(earlier) but \(incoming.outcome?.rawValue ?? "without outcome") in \(name)")
                        }
                    case (.skipped, .ran):
                        cells[cell.id]!.byHost[key] = incoming
                        cellSource[sourceKey] = name
                    default:
                        break
                    }
                } else {
                    cells[cell.id]!.byHost[key] = incoming
                    cellSource[sourceKey] = name
                }
            }

            for claim in results.claims {
                if claims[claim.id] == nil {
                    claimOrder.append(claim.id)
                    claims[claim.id] = MergedMatrix.Claim(id: claim.id, statement: claim.statement, source: claim.source,
                                                          byHost: [:], counterexamples: [:])
                }
                // Shards of one host: the worse verdict stands (refuted over confirmed over untestable).
                let previous = claims[claim.id]!.byHost[key]
                if previous == nil || rank(claim.verdict) > rank(previous!) {
                    claims[claim.id]!.byHost[key] = claim.verdict
                }
                if claim.verdict == .refuted, let cx = claim.counterexample, claims[claim.id]!.counterexamples[key] == nil {
                    claims[claim.id]!.counterexamples[key] = cx
                }
            }
        }

        return MergedMatrix(hosts: hostOrder.sorted().map { hosts[$0]! },
                            cells: cellOrder.map { cells[$0]! },
                            claims: claimOrder.map { claims[$0]! })
    }

    private static func rank(_ v: Verdict) -> Int {
        switch v {
        case .untestable: 0
        case .confirmed: 1
        case .refuted: 2
        }
    }

    /// The host-info fields in which two records of one host key disagree.
    static func conflicts(_ a: HostInfo, _ b: HostInfo) -> [String] {
        var out: [String] = []
        if a.os != b.os { out.append("os (\(a.os) vs \(b.os))") }
        if a.osID != b.osID { out.append("osID (\(a.osID) vs \(b.osID))") }
        if a.osVersion != b.osVersion { out.append("osVersion (\(a.osVersion) vs \(b.osVersion))") }
        if a.arch != b.arch { out.append("arch (\(a.arch) vs \(b.arch))") }
        if a.libc != b.libc { out.append("libc (\(a.libc) vs \(b.libc))") }
        let ra = Dictionary(a.runtimes.map { ($0.name, $0.sha256) }, uniquingKeysWith: { x, _ in x })
        let rb = Dictionary(b.runtimes.map { ($0.name, $0.sha256) }, uniquingKeysWith: { x, _ in x })
        for name in Set(ra.keys).union(rb.keys).sorted() {
            switch (ra[name], rb[name]) {
            case let (x?, y?) where x != y:
                out.append("runtime \(name) sha256 (\(x.prefix(12))… vs \(y.prefix(12))…)")
            case (_?, nil), (nil, _?):
                out.append("runtime \(name) (present in only one)")
            default:
                break
            }
        }
        return out
    }
}
