/// A requirement's version specifiers (`>=2.0, <3`, `~=1.15`, `==1.*`, `!=2.1.0`, `===1.0`), read
/// and matched as pip does (PEP 440 through `packaging`): comparisons by ``PythonVersion`` order,
/// local labels ignored except by `==`/`!=` with a local label, pre-releases only when a clause
/// names one or nothing else matches.
package struct VersionSpecifier: Sendable, Hashable, CustomStringConvertible {
    package enum Operator: String, Sendable, Hashable, CaseIterable {
        case arbitrary = "===", compatible = "~=", equal = "==", notEqual = "!=", lessEqual = "<=", greaterEqual = ">=", less = "<", greater = ">"
    }

    /// One clause: an operator and its version text.
    package struct Clause: Sendable, Hashable, CustomStringConvertible {
        package var op: Operator
        /// As written, without the `.*` of a prefix match.
        package var text: String
        /// `==1.*` / `!=1.*`.
        package var wildcard: Bool
        /// Nil only for `===` with text that is not a version.
        package var version: PythonVersion?
        package var description: String { op.rawValue + text + (wildcard ? ".*" : "") }
    }

    package var clauses: [Clause]
    package var description: String { clauses.map(\.description).joined(separator: ",") }
    package var isEmpty: Bool { clauses.isEmpty }

    /// Reads a comma-separated list of clauses; the reason pip would give when one is not valid.
    package static func parse(_ text: String) -> Result<VersionSpecifier, SpecifierError> {
        var clauses: [Clause] = []
        let trimmed = text.trimmingWhitespace
        if trimmed.isEmpty { return .success(VersionSpecifier(clauses: [])) }
        for raw in trimmed.split(separator: ",", omittingEmptySubsequences: false) {
            let part = String(raw).trimmingWhitespace
            guard let op = Operator.allCases.first(where: { part.hasPrefix($0.rawValue) }) else {
                return .failure(.init(message: "'\(part)' does not start with a comparison (==, !=, <=, >=, <, >, ~=, ===)"))
            }
            let value = String(part.dropFirst(op.rawValue.count)).trimmingWhitespace
            func bad(_ why: String) -> Result<VersionSpecifier, SpecifierError> { .failure(.init(message: "'\(part)': \(why)")) }
            guard !value.isEmpty else { return bad("no version after '\(op.rawValue)'") }
            guard !value.contains(where: { $0 == " " || $0 == "\t" }) else { return bad("'\(value)' is not a version") }
            if op == .arbitrary {
                clauses.append(Clause(op: op, text: value, wildcard: false, version: PythonVersion(value)))
                continue
            }
            let wildcard = value.hasSuffix(".*")
            let body = wildcard ? String(value.dropLast(2)) : value
            guard let v = PythonVersion(body) else { return bad("'\(value)' is not a version") }
            if wildcard {
                guard op == .equal || op == .notEqual else { return bad("'.*' is only allowed with == and !=") }
                guard v.pre == nil, v.post == nil, v.dev == nil, v.local == nil else { return bad("'.*' follows a release number only (N.N.*)") }
            }
            if v.local != nil, op != .equal, op != .notEqual { return bad("a local version label (+…) is only allowed with == and !=") }
            if op == .compatible, v.release.count < 2 { return bad("~= needs at least two release numbers (~=1.4, not ~=1)") }
            clauses.append(Clause(op: op, text: body, wildcard: wildcard, version: v))
        }
        return .success(VersionSpecifier(clauses: clauses))
    }

    package struct SpecifierError: Error, Sendable, Hashable { package var message: String }

    /// True when a clause other than `!=` and `==X.*` names a pre-release (pip then takes pre-releases).
    package var allowsPrereleases: Bool {
        clauses.contains { c in c.op != .notEqual && !c.wildcard && c.version?.isPrerelease == true }
    }

    /// True when `candidate` satisfies every clause (pre-releases taken as asked; see ``filter(_:)``).
    package func matches(_ candidate: String, prereleases: Bool? = nil) -> Bool {
        guard let v = PythonVersion(candidate) else {
            // pip matches a version it cannot read only by ===.
            return !clauses.isEmpty && clauses.allSatisfy { $0.op == .arbitrary && $0.text.lowercased() == candidate.lowercased() }
        }
        if v.isPrerelease, !(prereleases ?? allowsPrereleases) { return false }
        return clauses.allSatisfy { Self.matches(v, $0) }
    }

    /// The versions pip would consider, as `packaging`'s `SpecifierSet.filter`: those that match,
    /// pre-releases only when a clause names one or when no final release matches.
    package func filter(_ candidates: [String]) -> [String] {
        let finals = candidates.filter { matches($0) }
        return finals.isEmpty ? candidates.filter { matches($0, prereleases: true) } : finals
    }

    /// The newest version pip would take among `candidates`.
    package func newest(_ candidates: [String]) -> String? {
        filter(candidates).compactMap { s in PythonVersion(s).map { (s, $0) } }.max { $0.1 < $1.1 }?.0
    }

    static func matches(_ v: PythonVersion, _ c: Clause) -> Bool {
        guard let s = c.version else { return false }
        switch c.op {
        case .arbitrary: return v.description.lowercased() == c.text.lowercased()
        case .equal: return equal(v, c)
        case .notEqual: return !equal(v, c)
        case .compatible:
            let prefix = Clause(op: .equal, text: "", wildcard: true, version: PythonVersion(epoch: s.epoch, release: Array(s.release.dropLast())))
            return v.publicVersion >= s && equal(v, prefix)
        case .lessEqual: return v.publicVersion <= s
        case .greaterEqual: return v.publicVersion >= s
        case .less:
            // `<V` does not take V's own pre-releases (from V.dev0 on) unless V is one.
            guard v < s else { return false }
            var earliest = s
            earliest.dev = 0; earliest.local = nil
            return s.isPrerelease || !v.isPrerelease || v < earliest
        case .greater:
            // `>V` does not take V's post-releases (unless V is one), nor V with a local label.
            guard v > s else { return false }
            var postBase = v
            postBase.post = nil; postBase.dev = nil; postBase.local = nil
            if !s.isPostrelease, v.isPostrelease, postBase == s { return false }
            return v.local == nil || v.publicVersion != s
        }
    }

    /// `==`: a prefix match of the release (padded with zeros) for `.*`; else equality, ignoring
    /// the candidate's local label unless the clause has one.
    static func equal(_ v: PythonVersion, _ c: Clause) -> Bool {
        guard let s = c.version else { return false }
        if c.wildcard {
            guard v.epoch == s.epoch else { return false }
            let padded = v.release + Array(repeating: 0, count: max(0, s.release.count - v.release.count))
            return Array(padded.prefix(s.release.count)) == s.release
        }
        return (s.local == nil ? v.publicVersion : v) == s
    }
}

extension String {
    /// Without leading and trailing spaces and tabs.
    var trimmingWhitespace: String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}
