import Foundation

/// A Debian suite the system's apt does not list (bullseye for LLVM 9 and 11, trixie for
/// LLVM 17 and 18), reached with apt's own client through a source list, state and cache
/// folder of its own under the runtimes directory: `.apt/<suite>/`.
///
/// The system's apt configuration is only read, never written: its sources give the mirror
/// (so a host behind its own Debian mirror keeps using it), its keyring checks the suite's
/// signature, and every apt option that names a folder points into the private one:
///
/// ```
/// apt-get -o Dir::Etc::SourceList=<runtimes>/.apt/bullseye/sources.list \
///         -o Dir::Etc::SourceParts=<runtimes>/.apt/bullseye/sources.list.d … update
/// ```
struct PrivateAptSource: Sendable, Hashable {
    /// `bullseye`, `trixie`.
    var suite: String
    /// `<runtimes>/.apt/<suite>`.
    var root: String
    /// The archive's URI, e.g. `http://deb.debian.org/debian`.
    var mirror: String
    /// The keyring that signs the archive, when the system has it.
    var keyring: String?

    /// Debian's own archive, used when the system's sources name none.
    static let defaultMirror = "http://deb.debian.org/debian"
    static let debianKeyring = "/usr/share/keyrings/debian-archive-keyring.gpg"

    init(suite: String, runtimes: String, etc: String = "/etc/apt") {
        self.suite = suite
        root = "\(runtimes)/.apt/\(suite)"
        mirror = Self.systemMirror(etc: etc) ?? Self.defaultMirror
        keyring = FileManager.default.fileExists(atPath: Self.debianKeyring) ? Self.debianKeyring : nil
    }

    /// The one line of the private source list.
    var sourceLine: String {
        "deb \(keyring.map { "[signed-by=\($0)] " } ?? "")\(mirror) \(suite) main"
    }

    /// The `-o` options that keep apt inside `root` (the system's apt.conf still applies:
    /// proxies, retries).
    var options: [String] {
        [
            "Dir::Etc::SourceList=\(root)/sources.list",
            "Dir::Etc::SourceParts=\(root)/sources.list.d",
            "Dir::Etc::Preferences=\(root)/preferences",
            "Dir::Etc::PreferencesParts=\(root)/preferences.d",
            "Dir::State=\(root)/state",
            "Dir::State::status=\(root)/state/status",
            "Dir::Cache=\(root)/cache",
        ].flatMap { ["-o", $0] }
    }

    /// Writes the private folder (source list, empty parts folders, an empty dpkg status).
    func prepare() throws(ProvisionError) {
        let fm = FileManager.default
        do {
            for dir in ["sources.list.d", "preferences.d", "state/lists/partial", "cache/archives/partial"] {
                try fm.createDirectory(atPath: "\(root)/\(dir)", withIntermediateDirectories: true)
            }
            if !fm.fileExists(atPath: "\(root)/state/status") {
                try Data().write(to: URL(fileURLWithPath: "\(root)/state/status"))
            }
            try AtomicFile.write(Data((sourceLine + "\n").utf8), to: URL(fileURLWithPath: "\(root)/sources.list"))
        } catch {
            throw .io(path: root, reason: "cannot prepare the private apt folder (\(error.localizedDescription))")
        }
    }

    /// `apt-get update` of the suite alone. A suite the mirror no longer serves (or a mirror
    /// that cannot be reached) is ``ProvisionError/suiteUnavailable(suite:mirror:reason:)``.
    func update(_ downloader: Downloader) throws(ProvisionError) {
        try prepare()
        do {
            try downloader.run(["apt-get"] + options + ["update", "-q"])
        } catch {
            throw .suiteUnavailable(suite: suite, mirror: mirror, reason: Self.reason(error))
        }
        let lists = (try? FileManager.default.contentsOfDirectory(atPath: "\(root)/state/lists")) ?? []
        guard lists.contains(where: { $0.contains("_dists_\(suite)_") && $0.contains("Packages") }) else {
            throw .suiteUnavailable(suite: suite, mirror: mirror, reason: "apt-get update fetched no package list")
        }
    }

    /// `apt-get download spec` from the suite into `directory`.
    func download(_ spec: String, into directory: String, _ downloader: Downloader) throws(ProvisionError) {
        try downloader.run(["apt-get"] + options + ["download", "-q", spec], in: directory)
    }

    static func reason(_ error: ProvisionError) -> String {
        if case .commandFailed(_, let status, let output) = error {
            // apt's own words: its E: lines, else the end of its output.
            let errors = output.components(separatedBy: " / ").filter { $0.hasPrefix("E: ") }
            return "apt-get update exited with status \(status)" + (errors.isEmpty ? (output.isEmpty ? "" : ": " + output)
                                                                  : ": " + errors.joined(separator: "; "))
        }
        return error.description
    }

    // MARK: the system's sources, read only

    /// The URI of the system's main Debian archive: the first `deb` source, in
    /// `sources.list` then `sources.list.d/*.list` and `*.sources` (deb822), whose suites
    /// include a release (no `-security`, `-updates`, `-backports` suffix) and whose URI path
    /// ends in `/debian`. Nil when none does.
    static func systemMirror(etc: String) -> String? {
        var files = ["\(etc)/sources.list"]
        let parts = ((try? FileManager.default.contentsOfDirectory(atPath: "\(etc)/sources.list.d")) ?? []).sorted()
        files += parts.filter { $0.hasSuffix(".list") || $0.hasSuffix(".sources") }.map { "\(etc)/sources.list.d/\($0)" }
        for file in files {
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { continue }
            let found = file.hasSuffix(".sources") ? deb822Mirror(text) : oneLineMirror(text)
            if let found { return found }
        }
        return nil
    }

    static func isDebianArchive(_ uri: String, suites: [String]) -> Bool {
        var u = Substring(uri)
        while u.hasSuffix("/") { u = u.dropLast() }
        return u.hasSuffix("/debian") && suites.contains { !$0.contains("-") && !$0.contains("/") }
    }

    /// `deb [options] uri suite component…` lines.
    static func oneLineMirror(_ text: String) -> String? {
        for raw in text.split(separator: "\n") {
            let line = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            var words = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            guard words.first == "deb" else { continue }
            words.removeFirst()
            if words.first?.hasPrefix("[") == true {
                // Options may hold spaces: skip to the word that closes them.
                while let w = words.first, !w.hasSuffix("]") { words.removeFirst() }
                if !words.isEmpty { words.removeFirst() }
            }
            guard words.count >= 2 else { continue }
            if isDebianArchive(words[0], suites: [words[1]]) { return trimmed(words[0]) }
        }
        return nil
    }

    /// deb822 paragraphs: `Types:`, `URIs:`, `Suites:`, `Enabled:`.
    static func deb822Mirror(_ text: String) -> String? {
        for paragraph in text.components(separatedBy: "\n\n") {
            var fields: [String: [String]] = [:]
            for raw in paragraph.split(separator: "\n") where !raw.hasPrefix("#") {
                let kv = raw.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                guard kv.count == 2, !raw.hasPrefix(" ") else { continue }
                fields[kv[0].lowercased()] = kv[1].split(separator: " ").map(String.init)
            }
            guard fields["types"]?.contains("deb") == true, fields["enabled"]?.first?.lowercased() != "no" else { continue }
            let suites = fields["suites"] ?? []
            if let uri = fields["uris"]?.first(where: { isDebianArchive($0, suites: suites) }) { return trimmed(uri) }
        }
        return nil
    }

    static func trimmed(_ uri: String) -> String {
        var u = Substring(uri)
        while u.hasSuffix("/") { u = u.dropLast() }
        return String(u)
    }
}
