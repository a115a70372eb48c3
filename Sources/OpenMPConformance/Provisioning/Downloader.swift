import Foundation

/// The package managers' own clients, run as child processes: `apt-get download` and
/// `dpkg -x` for Debian packages, `python3 -m pip download` for wheels. Nothing here decides
/// whether a file is acceptable; ``Provisioner`` checks every hash.
struct Downloader: Sendable {
    var environment: [String: String] = ProcessInfo.processInfo.environment

    /// The absolute path of `tool` on `PATH`, or nil.
    func which(_ tool: String) -> String? { ShellQuote.which(tool, path: environment["PATH"]) }

    /// Runs `argv` in `directory`; throws with the end of its output when it fails. `argv[0]`
    /// is a path when it holds a slash (Homebrew's `brew`, as `which` found it), else it is
    /// looked up on `PATH`.
    @discardableResult
    func run(_ argv: [String], in directory: String? = nil, hint: String = "") throws(ProvisionError) -> String {
        guard let exe = argv[0].contains("/") ? argv[0] : which(argv[0]) else { throw .toolMissing(tool: argv[0], hint: hint) }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: exe)
        p.arguments = Array(argv.dropFirst())
        p.environment = environment
        if let directory { p.currentDirectoryURL = URL(fileURLWithPath: directory, isDirectory: true) }
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = pipe
        p.standardInput = FileHandle.nullDevice
        do { try p.run() } catch {
            throw .commandFailed(command: argv.joined(separator: " "), status: -1, output: "\(error)")
        }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        let output = String(decoding: data, as: UTF8.self)
        guard p.terminationReason == .exit, p.terminationStatus == 0 else {
            let tail = output.split(separator: "\n").suffix(4).joined(separator: " / ")
            throw .commandFailed(command: argv.joined(separator: " "), status: p.terminationStatus, output: tail)
        }
        return output
    }

    /// `apt-get download package=version` into `directory`; returns the `.deb` saved.
    /// When apt does not know the version and this process is root, runs `apt-get update`
    /// once and tries again. A pin with a `suite` goes through ``PrivateAptSource`` under
    /// `runtimes` instead.
    func aptDownload(_ pin: ProvisionItem.DebianPin, item: String, into directory: String, runtimes: String,
                     updated: inout Bool, suites: inout [String: Result<Void, ProvisionError>]) throws(ProvisionError) -> String {
        guard which("apt-get") != nil, which("dpkg") != nil else {
            throw .toolMissing(tool: "apt-get", hint: "\(item) is the Debian package \(pin.spec); this host has no apt")
        }
        // apt-get download drops to the _apt user when it can: let it write here.
        chmod(directory, 0o777)
        if let suite = pin.suite {
            // Another suite than the system's: a private source list and state folder, updated
            // once per run, whoever runs it (the system's lists are never touched). A suite that
            // could not be updated is not tried again for the next item of the run.
            let source = PrivateAptSource(suite: suite, runtimes: runtimes)
            if suites[suite] == nil {
                do { try source.update(self); suites[suite] = .success(()) } catch { suites[suite] = .failure(error) }
            }
            if case .failure(let error) = suites[suite] { throw error }
            try source.download(pin.spec, into: directory, self)
            return try savedDeb(in: directory, pin, item: item)
        }
        do {
            try run(["apt-get", "download", "-q", pin.spec], in: directory)
        } catch {
            guard !updated, geteuid() == 0 else { throw error }
            updated = true
            try run(["apt-get", "update", "-qq"])
            try run(["apt-get", "download", "-q", pin.spec], in: directory)
        }
        return try savedDeb(in: directory, pin, item: item)
    }

    /// The one `.deb` apt saved in `directory`.
    func savedDeb(in directory: String, _ pin: ProvisionItem.DebianPin, item: String) throws(ProvisionError) -> String {
        let debs = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { $0.hasSuffix(".deb") }
        guard debs.count == 1 else {
            throw .unexpectedDownload(item: item, expected: "one .deb of \(pin.spec)", found: debs.sorted())
        }
        return directory + "/" + debs[0]
    }

    /// `dpkg -x deb directory`.
    func unpack(deb: String, into directory: String) throws(ProvisionError) {
        try run(["dpkg", "-x", deb, directory])
    }

    /// `python3 -m pip download --no-deps --only-binary=:all: --platform … pin` into
    /// `directory`; returns the path of the pinned file, which must be what pip saved.
    func pipDownload(_ pin: ProvisionItem.WheelPin, item: String, into directory: String) throws(ProvisionError) -> String {
        var argv = ["python3", "-m", "pip", "download", "--quiet", "--disable-pip-version-check", "--no-deps",
                    "--only-binary=:all:"]
        for p in pin.platforms { argv += ["--platform", p] }
        argv += ["--python-version", pin.pythonVersion, "--implementation", "cp", "-d", directory, pin.spec]
        try run(argv, hint: "install Python 3 and pip (Debian: apt-get install python3-pip)")
        let saved = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).sorted()
        guard saved == [pin.file] else { throw .unexpectedDownload(item: item, expected: pin.file, found: saved) }
        return directory + "/" + pin.file
    }
}
