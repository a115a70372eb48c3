import Foundation

/// `omp-matrix doctor`: points the kit at a user's own environment and answers the three
/// questions (do I need `KMP_DUPLICATE_LIB_OK`? is it safe here? what do I do instead?) from
/// real probes of the user's own runtime files, with fixes verified on copies.
///
/// ```swift
/// let report = try await Doctor.diagnose(paths: [".venv"])
/// print(report.answer.joined(separator: "\n"))
/// ```
///
/// The user's files are only read: every fix is checked on copies in a `DoctorWorkspace`
/// that is removed before the call returns.
package enum Doctor {
    /// What the doctor does, and its deadlines.
    package struct Options: Sendable {
        /// Try the fixes (link, preload) and check them.
        package var fixCheck: Bool
        /// Command form: run the command once, observe, verify nothing.
        package var observeOnly: Bool
        /// Deadline of one runtime-pair probe.
        package var probeTimeout: Duration
        /// Deadline of one run of the user's command.
        package var commandTimeout: Duration
        /// At most this many runtime pairs are probed (each costs a few probes).
        package var maxPairs: Int
        /// Progress lines between runs (the command form says what it will run before it starts).
        package var progress: (@Sendable (String) -> Void)?
        /// The atlas lookup; nil uses ``DoctorAtlas/standard``.
        package var atlas: DoctorAtlas?
        /// How `doctor PATH` reads the trees (size limits, as for `scan`).
        package var scan = RuntimeScanner.Options()

        /// The defaults check every fix, allow 20 s per pair probe and 10 minutes per run of a command, and probe at most 15 pairs.
        package init(fixCheck: Bool = true, observeOnly: Bool = false, probeTimeout: Duration = .seconds(20),
                    commandTimeout: Duration = .seconds(600), maxPairs: Int = 15,
                    progress: (@Sendable (String) -> Void)? = nil) {
            self.fixCheck = fixCheck; self.observeOnly = observeOnly; self.probeTimeout = probeTimeout
            self.commandTimeout = commandTimeout; self.maxPairs = maxPairs; self.progress = progress; self.atlas = nil
        }

        /// Options that judge pairs against `atlas` instead of the bundled snapshot.
        package init(fixCheck: Bool = true, atlas: DoctorAtlas?) {
            self.init(fixCheck: fixCheck)
            self.atlas = atlas
        }
    }

    // MARK: doctor PATH

    /// Finds the runtimes under `paths` by content and probes each pair that could meet.
    /// - Throws: ``DoctorError/badInput(_:)`` for a path that does not exist.
    package static func diagnose(paths: [String], options: Options = Options()) async throws(DoctorError) -> DoctorReport {
        guard !paths.isEmpty else { throw .badInput("doctor needs a path, --pid PID, or -- COMMAND") }
        let scan: ScanReport
        do { scan = try RuntimeScanner(options: options.scan).scan(paths: paths) } catch { throw .badInput(error.description) }
        let dist = DistributionIndex()
        var notes = scan.notes
        var runtimes: [DoctorRuntime] = []
        var unreadable = scan.skipped
        // Runtimes inside wheels are probed from copies extracted into the temporary folder.
        var workspace: DoctorWorkspace?
        defer { workspace?.remove() }
        // Windows DLLs are read, never loaded here: listed, and judged by the Windows loader rule.
        var windows: [DoctorRuntime] = []
        for r in scan.runtimes where r.identity.format == .pe {
            windows.append(DoctorRuntime(identity: r.identity, path: r.path, foundBy: r.archive == nil ? "scan (Windows DLL, read only)"
                                         : "scan (Windows DLL inside a wheel, read only)"))
        }
        var windowsAnswer: [String] = []
        for c in scan.conflicts where windows.contains(where: { $0.path == c.first }) {
            windowsAnswer.append("Windows: \(c.first) and \(c.second): \(c.prediction)")
        }
        for r in scan.runtimes where r.identity.format != .pe {
            var runtime = DoctorRuntime(identity: r.identity, path: r.path, foundBy: r.archive == nil ? "scan" : "scan (inside a wheel)",
                                        installedBy: r.archive == nil ? dist.distribution(of: r.path) : nil)
            if let archive = r.archive, let entry = r.archiveEntry {
                do {
                    if workspace == nil { workspace = try DoctorWorkspace() }
                    runtime.loadPath = try workspace!.extract(member: String(r.path.dropFirst(archive.count + 1)), entry: entry, of: archive)
                } catch {
                    unreadable.append(.init(path: r.path, reason: "not extracted, so not probed: \(error)"))
                    continue
                }
            }
            if let why = LaunchPreflight.check(path: RuntimeIdentity.resolvedPath(runtime.loadPath) ?? runtime.loadPath) {
                unreadable.append(.init(path: r.path, reason: "not loadable here, so not probed: \(why)"))
                continue
            }
            runtimes.append(runtime)
        }
        // The loader's rule first: files with one SONAME (install name) are one runtime to the loader;
        // their pair is said so, and not probed (the probe opens each by path, which no library does).
        let loaderNames = Dictionary(scan.runtimes.map { ($0.path, RuntimeScanner.loaderName($0.identity)) }, uniquingKeysWith: { a, _ in a })
        let oneRuntime = RuntimeScanner.oneRuntimeGroups(scan.runtimes.filter { $0.family == .kmp && $0.identity.format != .pe },
                                                         identity: \.identity)
        let extra = oneRuntime.map { g in
            RuntimeScanner.oneRuntimeSentence(g.map(\.path), name: g[0].identity.soname ?? "", format: g[0].identity.format)
        }
        notes.removeAll { extra.contains($0) }
        var incomplete: String?
        let pairs = await probePairs(runtimes, options: options, notes: &notes, incomplete: &incomplete, consumers: scan.consumers) { a, b in
            guard let x = loaderNames[a.path] ?? nil else { return false }
            return x == loaderNames[b.path] ?? nil
        }
        return report(form: "paths", subject: paths, runtimes: runtimes + windows, pairs: pairs, runs: [], unreadable: unreadable,
                      notes: notes, commandFailed: false, extraAnswer: extra + windowsAnswer, forceConflict: !windowsAnswer.isEmpty,
                      incomplete: incomplete)
    }

    // MARK: doctor --pid

    /// Names the runtimes mapped in a live process and probes their pairs as files.
    /// - Throws: ``DoctorError/badInput(_:)`` for a pid that is gone or may not be read.
    package static func diagnose(pid: Int32, options: Options = Options()) async throws(DoctorError) -> DoctorReport {
        let inspection: ProcessInspection
        do { inspection = try ProcessInspector.report(pid: pid) } catch { throw .badInput(error.description) }
        let dist = DistributionIndex()
        var seen: Set<FileKey> = []
        var runtimes: [DoctorRuntime] = []
        for o in inspection.runtimes {
            guard let id = o.identity else { continue }
            if let k = o.fileKey, !seen.insert(k).inserted { continue }
            runtimes.append(DoctorRuntime(identity: id, path: o.path, foundBy: "mapped in pid \(pid)", installedBy: dist.distribution(of: o.path)))
        }
        var notes: [String] = []
        if let r = inspection.registeredKMPRuntime { notes.append("pid \(pid) registered an initialized KMP runtime: \(r)") }
        // Mapped is not started: a KMP runtime read to be unstarted takes no part in a conflict.
        let notStarted = inspection.runtimes.filter { $0.identity?.family == .kmp && $0.started == false }
        let unstartedPaths = Set(notStarted.map(\.path))
        var extra: [String] = []
        for o in notStarted {
            let release = o.identity.map(DoctorRuntime.release) ?? "unknown release"
            extra.append("\(o.path) (\(release)) is mapped in pid \(pid) but not started (\(o.startEvidence ?? "")); "
                         + "a runtime that never starts conflicts with nothing.")
        }
        let probeable = runtimes.filter { LaunchPreflight.check(path: $0.path) == nil && !unstartedPaths.contains($0.path) }
        if probeable.count + unstartedPaths.count < runtimes.count { notes.append("Mapped runtimes whose file is gone or changed are named but not probed.") }
        var incomplete: String?
        let pairs = await probePairs(probeable, options: options, notes: &notes, incomplete: &incomplete)
        let mappedKMP = runtimes.filter { $0.family == .kmp && !unstartedPaths.contains($0.path) }
        if mappedKMP.count >= 2 {
            let started = inspection.runtimes.filter { $0.identity?.family == .kmp && $0.started == true }
            extra.append("pid \(pid) has \(mappedKMP.count) distinct KMP-family runtimes mapped: "
                         + mappedKMP.map { "\($0.path) (\($0.release))" }.joined(separator: " and ")
                         + (started.count >= 2 ? "; both started (the duplicate check was skipped)." : "; "
                            + "whether each started could not be read for every one of them: "
                            + inspection.runtimes.filter { $0.identity?.family == .kmp }.map { "\($0.path): \(MappedObject.startWords($0))" }
                                .joined(separator: "; ") + "."))
        }
        return report(form: "pid", subject: [String(pid)], runtimes: runtimes, pairs: pairs, runs: [], unreadable: [],
                      notes: notes, commandFailed: false, extraAnswer: extra, forceConflict: mappedKMP.count >= 2,
                      incomplete: incomplete)
    }

    // MARK: shared

    /// Every pair of distinct runtime files that could meet in one process and involves a KMP
    /// runtime (two libgomp copies take no part in the duplicate check).
    /// A pair whose probes could not launch, or that an interrupt cut short, is left out and
    /// `incomplete` says why ("not probed: …", "interrupted"): no verdict comes from a probe that did not run.
    /// `oneRuntime` says which pairs the loader maps as one runtime (not probed).
    static func probePairs(_ runtimes: [DoctorRuntime], options: Options, notes: inout [String], incomplete: inout String?,
                           consumers: [ScanReport.Consumer] = [],
                           oneRuntime: (DoctorRuntime, DoctorRuntime) -> Bool = { _, _ in false }) async -> [DoctorReport.Pair] {
        var candidates: [(DoctorRuntime, DoctorRuntime)] = []
        for i in runtimes.indices {
            for j in runtimes.indices where j > i {
                let a = runtimes[i], b = runtimes[j]
                guard a.family == .kmp || b.family == .kmp else { continue }
                if let ka = a.fileKey, let kb = b.fileKey, ka == kb { continue }
                if oneRuntime(a, b) { continue }
                // KMP first in the pair when one is GNU; otherwise as found.
                candidates.append(a.family == .kmp ? (a, b) : (b, a))
            }
        }
        // KMP pairs first: they are the conflicts.
        candidates.sort { ($0.0.family == .kmp && $0.1.family == .kmp) && !($1.0.family == .kmp && $1.1.family == .kmp) }
        if candidates.count > options.maxPairs {
            notes.append("\(candidates.count) runtime pairs could meet; the first \(options.maxPairs) were probed.")
            candidates = Array(candidates.prefix(options.maxPairs))
        }
        guard !candidates.isEmpty else { return [] }
        do { _ = try ProbeExecutable.locate() } catch {
            incomplete = "not probed: \(error)"
            return []
        }
        var workspace: DoctorWorkspace?
        if options.fixCheck {
            do { workspace = try DoctorWorkspace() } catch { notes.append("Fixes not checked: \(error)") }
        }
        defer { workspace?.remove() }
        let atlas = options.atlas ?? DoctorAtlas.standard
        var pairs: [DoctorReport.Pair] = []
        for (n, (a, b)) in candidates.enumerated() {
            options.progress?("probing pair \(n + 1) of \(candidates.count): \(a.path) + \(b.path)")
            let cites = atlas.cite(a, b)
            if Cancellation.isRequested { incomplete = "interrupted: \(candidates.count - n) of \(candidates.count) pairs not probed"; break }
            let (pair, launchFailure) = await PairProber.diagnose(
                a, b, options: .init(fixCheck: options.fixCheck, timeout: options.probeTimeout, consumers: consumers),
                workspace: workspace, atlas: cites)
            if let failed = launchFailure {
                incomplete = "not probed: \(failed)"
                notes.append("Not probed: \(a.path) + \(b.path): \(failed)")
                continue
            }
            if Cancellation.isRequested { incomplete = "interrupted: \(candidates.count - n) of \(candidates.count) pairs not probed"; break }
            pairs.append(pair)
        }
        if let note = atlas.note { notes.append(note) }
        return pairs
    }

    static func report(form: String, subject: [String], runtimes: [DoctorRuntime], pairs: [DoctorReport.Pair],
                       runs: [DoctorReport.Observation], unreadable: [ScanReport.Skipped], notes: [String],
                       commandFailed: Bool, extraAnswer: [String], forceConflict: Bool = false,
                       incomplete: String? = nil) -> DoctorReport {
        // "OpenMP conflict" only with OpenMP evidence: a KMP-family runtime seen, or the runtime's own
        // duplicate-runtime abort observed. A program without OpenMP that hangs at exit has its own problem.
        let evidence = runtimes.contains { $0.family == .kmp } || runs.contains { $0.outcome == .duplicateRuntimeAbort }
        let conflict = (forceConflict || pairs.contains { $0.conflict }) && evidence
        var answer = extraAnswer
        answer += DoctorAnswer.lines(runtimes: runtimes, pairs: pairs, conflict: conflict, unreadable: unreadable, incomplete: incomplete)
        // Incomplete also when a file that could be an OpenMP runtime could not be read, unless a
        // conflict was seen anyway.
        let unread = unreadable.filter(\.possiblyRuntime).count
        let whole = incomplete ?? (conflict || unread == 0 ? nil
            : "\(unread) librar\(unread == 1 ? "y" : "ies") that could be an OpenMP runtime could not be read")
        return DoctorReport(form: form, subject: subject, answer: answer, conflict: conflict, runtimes: runtimes, pairs: pairs,
                            runs: runs, unreadable: unreadable, notes: notes,
                            commandFailed: commandFailed || (forceConflict && !evidence), incomplete: whole)
    }
}
