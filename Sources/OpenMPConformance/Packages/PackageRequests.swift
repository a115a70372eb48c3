import Foundation

/// What `doctor --packages` and `--requirements` read, the same way for both: PEP 508
/// requirements (a name, extras, version specifiers, an environment marker) as pip reads them.
extension PackageDoctor {
    /// A package asked for: a name, optionally an exact version or version specifiers, and an
    /// environment marker to evaluate for the target.
    package struct Request: Sendable, Hashable, Codable {
        package var name: String
        /// The version of a single `==VERSION` (no wildcard).
        package var version: String?
        /// Any other specifiers (`>=2.0,<3`, `~=1.15`, `==1.*`), normalized to one comma-separated list.
        package var specifier: String?
        /// The environment marker after `;`, as written.
        package var marker: String?
        /// The requirements file line it came from.
        package var line: Int?
        package init(name: String, version: String? = nil, specifier: String? = nil, marker: String? = nil, line: Int? = nil) {
            self.name = name; self.version = version; self.specifier = specifier; self.marker = marker; self.line = line
        }

        /// The version constraint: `==version`, the specifiers, or none (no clause); nil when the
        /// text is not valid (a request built in code; ``parse(_:)`` refuses one), which then matches no version.
        package var constraint: VersionSpecifier? {
            guard case .success(let c) = VersionSpecifier.parse(version.map { "==" + $0 } ?? specifier ?? "") else { return nil }
            return c
        }

        /// `torch==2.15.0`, `torch>=2.0`, `torch`.
        package var asked: String { WheelCatalog.normalize(name) + (version.map { "==" + $0 } ?? specifier ?? "") }

        /// `line 5` or `--packages 'spec'`: where the request came from, for the answer's notes.
        var origin: String { line.map { "line \($0)" } ?? "--packages" }
    }

    /// A requirement pip would reject, at `file:line`.
    package struct RequirementsError: Error, Sendable, Hashable, CustomStringConvertible {
        package var file: String
        package var line: Int
        package var message: String
        package var description: String { "\(file):\(line): \(message)" }
    }

    /// A line or spec not read here, with why; `incomplete` when it names packages that then go unanswered.
    package struct NotRead: Sendable, Hashable, Codable {
        package var words: String
        package var incomplete: Bool
        package init(_ words: String, incomplete: Bool) { self.words = words; self.incomplete = incomplete }
    }

    /// `name`, `name[extras]`, version specifiers (`==`, `!=`, `<`, `<=`, `>`, `>=`, `~=`, `===`,
    /// comma-separated, optionally in parentheses) and `; marker`, as PEP 508 writes them; the
    /// reason pip would give otherwise.
    package static func parse(_ spec: String) -> Result<Request, RequirementsError> {
        func bad(_ m: String) -> Result<Request, RequirementsError> { .failure(.init(file: "", line: 0, message: m)) }
        let trimmed = spec.trimmingWhitespace
        var s = Substring(trimmed)
        let nameEnd = s.firstIndex { !($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == ".") } ?? s.endIndex
        let name = String(s[..<nameEnd])
        guard let f = name.first, f.isLetter || f.isNumber, let l = name.last, l.isLetter || l.isNumber, name.allSatisfy(\.isASCII) else {
            return bad("'\(trimmed)' does not start with a valid project name")
        }
        s = s[nameEnd...].drop { $0 == " " || $0 == "\t" }
        if s.first == "[" {
            guard let close = s.firstIndex(of: "]") else { return bad("'\(trimmed)': extras are not closed with ']'") }
            // Extras do not change which wheel is taken.
            s = s[s.index(after: close)...].drop { $0 == " " || $0 == "\t" }
        }
        var requirement = s, marker: String?
        if let semi = s.firstIndex(of: ";") {
            requirement = s[..<semi]
            marker = String(s[s.index(after: semi)...]).trimmingWhitespace
        }
        var versions = String(requirement).trimmingWhitespace
        if versions.hasPrefix("(") {
            guard versions.hasSuffix(")") else { return bad("'\(trimmed)': '(' before the versions is not closed with ')'") }
            versions = String(versions.dropFirst().dropLast())
        }
        let constraint: VersionSpecifier
        switch VersionSpecifier.parse(versions) {
        case .success(let c): constraint = c
        case .failure(let e): return bad("'\(trimmed)': \(e.message)")
        }
        if let m = marker {
            guard !m.isEmpty else { return bad("'\(trimmed)': nothing after ';' (an environment marker was expected)") }
            if case .failure(let e) = RequirementMarker.parse(m) { return bad("'\(trimmed)': \(e.message)") }
        }
        var r = Request(name: name, marker: marker)
        if constraint.clauses.count == 1, let c = constraint.clauses.first, c.op == .equal, !c.wildcard {
            r.version = c.text
        } else if !constraint.isEmpty {
            r.specifier = constraint.description
        }
        return .success(r)
    }

    /// Why pip's reading of `line` is not followed here, or nil: options, URLs, paths, editable
    /// installs and other requirements or constraints files. Those that name packages make the
    /// answer incomplete.
    static func notRead(_ t: String) -> NotRead? {
        let word = t.split(whereSeparator: { $0 == " " || $0 == "=" || $0 == "\t" }).first.map(String.init) ?? t
        switch word {
        case "-e", "--editable": return NotRead("an editable install, not read here", incomplete: true)
        case "-r", "--requirement": return NotRead("another requirements file, not read here", incomplete: true)
        case "-c", "--constraint": return NotRead("a constraints file, not read here (it can change the versions taken)", incomplete: true)
        default: break
        }
        if t.hasPrefix("-e") || t.hasPrefix("-r") || t.hasPrefix("-c") { return notRead(String(t.prefix(2)) + " " + t.dropFirst(2)) }
        if t.hasPrefix("-") { return NotRead("an option of pip, not applied here", incomplete: false) }
        // pip expands `${NAME}` from the installing machine's environment.
        if t.contains("${") { return NotRead("an environment variable pip expands, not expanded here", incomplete: true) }
        let beforeMarker = t.split(separator: ";", maxSplits: 1).first.map(String.init) ?? t
        // `name @ url` (PEP 508), or a bare URL.
        if t.contains("://") || beforeMarker.firstMatch(of: #/^[A-Za-z0-9][A-Za-z0-9._-]*\s*(\[[^\]]*\])?\s*@/#) != nil {
            return NotRead("a URL, not read here", incomplete: true)
        }
        if t.hasPrefix(".") || t.hasPrefix("/") || t.hasPrefix("~") || beforeMarker.contains("/") || beforeMarker.contains("\\")
            || [".whl", ".zip", ".tar.gz", ".tar.bz2", ".tgz"].contains(where: { beforeMarker.hasSuffix($0) }) {
            return NotRead("a path, not read here", incomplete: true)
        }
        return nil
    }

    /// A requirement as pip splits its line: the requirement, then its own options from the first
    /// word that starts with `-` (`--hash=sha256:…`, which pip checks at install time, changes no
    /// answer here; any other is named).
    static func splitOptions(_ t: String) -> (requirement: String, options: [String]) {
        let words = t.split(separator: " ", omittingEmptySubsequences: false)
        guard let i = words.firstIndex(where: { $0.hasPrefix("-") }), i > 0 else { return (t, []) }
        let options = words[i...].filter { !$0.isEmpty }.map(String.init)
        return (words[..<i].joined(separator: " "), options)
    }

    /// One spec of `--packages` (no file, no line): read as a requirements line is.
    package static func package(_ spec: String) throws(RequirementsError) -> (requests: [Request], unsupported: [NotRead]) {
        try read([(spec, nil)], file: "--packages")
    }

    /// A requirements file: one requirement per line; comments, blank lines and `\` continuations as
    /// pip reads them. Options, URLs, paths and editable installs are named as not read (with their
    /// line); a line pip would reject throws.
    package static func requirements(_ text: String, file: String) throws(RequirementsError) -> (requests: [Request], unsupported: [NotRead]) {
        var lines: [(String, Int?)] = []
        var pending = "", startLine = 0
        for (i, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var line = String(raw)
            if line.hasSuffix("\r") { line.removeLast() }
            if pending.isEmpty { startLine = i + 1 }
            if line.hasSuffix("\\") { pending += String(line.dropLast()); continue }
            line = pending + line
            pending = ""
            if let hash = line.range(of: "#"), hash.lowerBound == line.startIndex || line[line.index(before: hash.lowerBound)] == " " || line[line.index(before: hash.lowerBound)] == "\t" {
                line = String(line[..<hash.lowerBound])
            }
            lines.append((line, startLine))
        }
        return try read(lines, file: file)
    }

    /// Lines (with their numbers, nil for `--packages`) read the one way both forms share.
    static func read(_ lines: [(String, Int?)], file: String) throws(RequirementsError) -> (requests: [Request], unsupported: [NotRead]) {
        var requests: [Request] = [], unsupported: [NotRead] = []
        for (line, number) in lines {
            let t = line.trimmingWhitespace
            if t.isEmpty { continue }
            let at = number.map { "line \($0)" } ?? "--packages"
            if let n = notRead(t) {
                unsupported.append(NotRead("\(at): '\(t)' (\(n.words))", incomplete: n.incomplete))
                continue
            }
            let (requirement, options) = splitOptions(t)
            let other = options.filter { !$0.hasPrefix("--hash") && !$0.hasPrefix("sha256:") }
            if !other.isEmpty {
                unsupported.append(NotRead("\(at): '\(other.joined(separator: " "))' (an option of pip, not applied here)", incomplete: false))
            }
            switch parse(requirement) {
            case .success(var r): r.line = number; requests.append(r)
            case .failure(let e): throw RequirementsError(file: file, line: number ?? 0, message: e.message)
            }
        }
        return (requests, unsupported)
    }

    /// The requests whose marker holds for the target (or that have none); those whose marker is
    /// false, named with it; and those whose marker the target does not decide, named as not read.
    static func forTarget(_ requests: [Request], platform: WheelCatalog.Platform, python: String)
        -> (kept: [Request], notForTarget: [String], undecided: [NotRead]) {
        let env = RequirementMarker.Environment(platform: platform, python: python)
        var kept: [Request] = [], notFor: [String] = [], undecided: [NotRead] = []
        for r in requests {
            guard let text = r.marker, case .success(let m) = RequirementMarker.parse(text) else { kept.append(r); continue }
            let v = m.evaluate(env)
            switch v.value {
            case true?: kept.append(r)
            case false?: notFor.append("\(r.asked): not for \(platform.rawValue) with Python \(python) (marker \(text) is false there, \(r.origin))")
            case nil:
                undecided.append(NotRead("\(r.origin): '\(r.asked); \(text)' (the marker depends on \(uniqued(v.unknown).joined(separator: ", ")), "
                                         + "which the target platform does not fix, so \(r.asked) is not answered)", incomplete: true))
            }
        }
        return (kept, notFor, undecided)
    }
}
