import Foundation

extension Doctor {
    // MARK: doctor -- COMMAND

    /// Runs the user's command supervised and observed: once as given, then (when two KMP-family
    /// runtimes met) with `KMP_DUPLICATE_LIB_OK=TRUE`, with one runtime by a link on a copy of the
    /// tree, and with one runtime preloaded: up to four runs, announced before the first.
    ///
    /// The command keeps the user's environment (their loader variables and `OMP_NUM_THREADS`
    /// included); the kit adds its observers, takes `KMP_DUPLICATE_LIB_OK` out for the runs
    /// "variable unset", and each repro line shows exactly those changes.
    ///
    /// Bounded by what it learned: an as-given run that ended by itself bounds every later run
    /// to the larger of 3 times its time and 30 s (never more than the timeout); a later run past
    /// that bound is stopped with its whole tree and reported as what was observed. An interrupt
    /// (``Cancellation``) ends the running run; the report then holds the runs that finished,
    /// marked incomplete.
    /// - Throws: ``DoctorError/badInput(_:)`` when the command cannot be started;
    ///   ``DoctorError/environment(_:)`` when the observer is unavailable on this platform.
    package static func diagnose(command: [String], options: Options = Options()) async throws(DoctorError) -> DoctorReport {
        try CommandObservation.checkStartable(command)
        let observer = try DoctorObserver.locate()
        let say = options.progress ?? { _ in }
        let seconds = ReportText.seconds(options.commandTimeout.seconds)
        if options.observeOnly {
            say("doctor: running the command once (--observe-only), observed, timeout \(seconds) s; nothing is verified.")
        } else {
            say("doctor: running the command up to 4 times: as given (timeout \(seconds) s); then, each bounded by the first run's "
                + "time (3 times it, at least 30 s, at most \(seconds) s): with KMP_DUPLICATE_LIB_OK=TRUE; and, if two KMP-family "
                + "runtimes meet, once per fix (one runtime by a link on a copy, one runtime preloaded)"
                + "\(options.fixCheck ? "" : " (skipped: --no-fix-check)").")
        }
        var runs: [DoctorReport.Observation] = []
        var notes: [String] = []
        var bound = options.commandTimeout
        var boundMessage: String?
        let unset = [PairProber.variable.keys.first!]
        // Every run starts where the user started the doctor (the link fix: in that folder's copy),
        // so that paths the command opens relative to its working directory name the same files.
        let userDirectory = FileManager.default.currentDirectoryPath
        /// One run; nil when an interrupt ended it (not finished, so no evidence) or came before it.
        func observe(_ label: String, _ argv: [String], env: [String: String] = [:], preload: [String] = [],
                     in directory: String? = nil) async throws(DoctorError) -> CommandObservation? {
            if Cancellation.isRequested { return nil }
            var o = try await CommandObservation.run(command: argv, environment: env, preload: preload,
                                                     timeout: runs.isEmpty ? options.commandTimeout : bound, observer: observer,
                                                     inheriting: true, removing: env.isEmpty ? unset : [],
                                                     workingDirectory: directory ?? userDirectory)
            if Cancellation.isRequested || o.result.ending.killedBy == Classifier.KillReason.cancelled.rawValue { return nil }
            if !runs.isEmpty, let boundMessage, o.result.ending.killedBy == Classifier.KillReason.timeout.rawValue {
                o.result.message = .init(text: boundMessage)
            }
            runs.append(.init(label: label, o.result))
            say("doctor: run \(runs.count) (\(label)) ended: \(o.result.outcome.rawValue) after "
                + ReportText.seconds(o.result.durationSeconds) + " s")
            return o
        }

        guard let first = try await observe("as given, variable unset", command) else {
            return report(form: "command", subject: command, runtimes: [], pairs: [], runs: [], unreadable: [], notes: notes,
                          commandFailed: false, extraAnswer: [], incomplete: "interrupted before the command's first run ended")
        }
        if first.result.ending.killedBy == nil {
            let t = first.result.durationSeconds
            let learned = Duration.milliseconds(Int64((max(3 * t, 30) * 1000).rounded(.up)))
            bound = min(learned, options.commandTimeout)
            let n = ReportText.seconds(bound.seconds)
            boundMessage = first.result.outcome == .duplicateRuntimeAbort
                ? "no abort within \(n) s, past the point where the as-given run aborted (after \(ReportText.seconds(t)) s); stopped with its whole process tree"
                : "did not end within \(n) s (3 times the as-given run's \(ReportText.seconds(t)) s, at least 30 s); stopped with its whole process tree"
        }
        if !first.leaderObserved {
            notes.append("The kit's observer saw nothing from the command's own process (statically linked, or it clears "
                         + "LD_AUDIT/LD_PRELOAD): its runtimes are not known, and an exit hang cannot be told from a hang.")
        }
        if first.result.outcome == .hang {
            notes.append(first.exitBegun
                         ? "The command began to exit and then stopped ending."
                         : "Reported as hang: the kit's exit hook did not report that exit had begun, so the command was still in its work "
                           + "when --timeout ran out (not an exit hang).")
        }
        if first.processes > 1 { notes.append("The observer saw \(first.processes) processes (the command and its children).") }
        var pairs: [DoctorReport.Pair] = []
        if let clash = first.kmpClashes.first {
            let loaded = clash.runtimes
            // The runtime a link fix keeps is the one whose exports cover what the libraries the
            // command loaded import from the other (of two that do, the newer release); with
            // neither, the link fix does not apply. The preload fix keeps the same one.
            let choice = LinkChoice.decide(loaded[0], loaded[1], consumers: first.consumers)
            var keep = loaded[0], replace = loaded[1], linkChoice = ""
            if case .keep(let k, let r, let why) = choice { keep = k; replace = r; linkChoice = why }
            var observations = runs
            var fixes: [DoctorReport.Fix] = []
            var safety = "not observed (--observe-only)"
            if !options.observeOnly {
                let withVar = try await observe("KMP_DUPLICATE_LIB_OK=TRUE", command, env: PairProber.variable)
                if let withVar {
                    observations.append(runs.last!)
                    safety = withVar.result.outcome == .pass
                        ? "the command ran clean here with it (both runtimes active side by side, each with its own threads)"
                        : "not safe here: with it, the command ended \(withVar.result.outcome.rawValue) (\(ReportText.oneLine(withVar.result.message.text)))"
                } else {
                    safety = "not observed (interrupted)"
                }
                if case .doesNotApply(let reason) = choice {
                    fixes.append(PairProber.linkDoesNotApply(reason))
                }
                if options.fixCheck, withVar != nil {
                    if case .keep = choice {
                        let (link, linkRun) = try await linkFix(command, keep: keep, replace: replace, choice: linkChoice,
                                                                cwd: userDirectory, observe: { l, a, d throws(DoctorError) in
                            try await observe(l, a, in: d)
                        })
                        fixes.append(link)
                        if let linkRun { observations.append(linkRun) }
                    }
                    if let pre = try await observe("preload fix (LD_PRELOAD=\(keep.path))", command, preload: [keep.path]) {
                        observations.append(runs.last!)
                        fixes.append(preloadVerdict(pre, keep: keep, replace: replace))
                    }
                } else if !options.fixCheck, case .keep = choice {
                    fixes.append(.init(kind: .link, status: .notVerified, instruction: "Keep one runtime: replace \(replace.path) by a link to \(keep.path) (\(linkChoice)).",
                                       command: PairProber.linkCommand(replace: replace.path, keep: keep.path), evidence: "not checked (--no-fix-check)"))
                }
                if let withVar {
                    fixes.append(.init(kind: .variable, status: withVar.result.outcome == .pass ? .verified : .failed,
                                       instruction: withVar.result.outcome == .pass
                                        ? "Last resort: KMP_DUPLICATE_LIB_OK=TRUE let the command run clean here, but both runtimes then run side by side."
                                        : "Do not rely on KMP_DUPLICATE_LIB_OK=TRUE for this command (measured, \(safety)).",
                                       command: "KMP_DUPLICATE_LIB_OK=TRUE " + command.map(ShellQuote.quote).joined(separator: " "),
                                       evidence: "\(withVar.result.outcome.rawValue); repro: \(withVar.result.repro)"))
                }
            }
            pairs.append(.init(first: keep, second: replace, bothKMP: true, conflict: true,
                               needsVariable: first.result.outcome == .duplicateRuntimeAbort, variableSafety: safety,
                               observations: observations, fixes: fixes, atlas: (options.atlas ?? DoctorAtlas.standard).cite(keep, replace)))
        }
        // An exit hang is OpenMP's only where two KMP-family runtimes met; a program's own atexit
        // handler that never returns is the command's failure, not an OpenMP conflict.
        let conflict = !first.kmpClashes.isEmpty || first.result.outcome == .duplicateRuntimeAbort
        let failedOtherwise = !conflict && first.result.outcome != .pass
        var extra: [String] = []
        extra.append("Your command ended \(first.result.outcome.rawValue) (\(ReportText.oneLine(first.result.message.text))); "
                     + (first.runtimes.isEmpty ? "it loaded no OpenMP runtime."
                        : "it loaded " + first.runtimes.map { "\($0.path) (\($0.release), \($0.foundBy))" }.joined(separator: ", ") + "."))
        if failedOtherwise {
            extra.append("It failed for a reason other than OpenMP; doctor exits 0 for that unless --strict.")
        }
        if first.kmpClashes.isEmpty, first.result.outcome == .duplicateRuntimeAbort {
            extra.append("It aborted with OMP: Error #15, but the observer did not see two KMP-family runtimes in one process "
                         + "(a process the observer cannot see, e.g. one that cleared LD_AUDIT).")
        }
        return report(form: "command", subject: command, runtimes: first.runtimes, pairs: pairs, runs: runs,
                      unreadable: [], notes: notes, commandFailed: failedOtherwise, extraAnswer: extra, forceConflict: conflict,
                      incomplete: Cancellation.isRequested ? "interrupted after \(runs.count) finished run\(runs.count == 1 ? "" : "s")" : nil)
    }

    static let systemPrefixes = ["/usr/", "/lib/", "/lib64/", "/lib32/", "/bin/", "/sbin/", "/etc/"]
    static func isSystemPath(_ p: String) -> Bool { systemPrefixes.contains { p.hasPrefix($0) } }

    /// The link fix on a copy: the smallest tree that holds the runtime to replace and every
    /// path the command names (outside the system's folders) is copied into a temporary folder,
    /// the runtime is replaced there by a link to the one kept, and the command runs against the
    /// copy (its path arguments rewritten to the copy). When the runtime to replace lies under the
    /// working directory `cwd`, the copy holds that folder too (the command may open the runtime by
    /// a path relative to it, as `ctypes.CDLL('lib/libomp.so.5')` does), and the run starts in the
    /// copy of `cwd`; a `cwd` outside the copy stays the run's working directory.
    static func linkFix(_ command: [String], keep: DoctorRuntime, replace: DoctorRuntime, choice: String, cwd: String,
                        observe: (String, [String], String) async throws(DoctorError) -> CommandObservation?)
        async throws(DoctorError) -> (DoctorReport.Fix, DoctorReport.Observation?) {
        let instruction = "Keep one runtime: replace \(replace.path) by a link to \(keep.path) (\(choice)); the loader then maps one file, so there is one runtime."
        let cmd = PairProber.linkCommand(replace: replace.path, keep: keep.path)
        func notVerified(_ why: String) -> (DoctorReport.Fix, DoctorReport.Observation?) {
            (.init(kind: .link, status: .notVerified, instruction: instruction, command: cmd, evidence: why), nil)
        }
        if isSystemPath(replace.path) {
            return notVerified("the runtime to replace is in the system's folders (\(replace.path)); a copy of the system is not made")
        }
        func absolute(_ a: String) -> String? {
            guard !a.isEmpty, !a.hasPrefix("-") else { return nil }
            let p = a.hasPrefix("/") ? a : cwd + "/" + a
            guard FileManager.default.fileExists(atPath: p) else { return nil }
            return URL(fileURLWithPath: p).standardizedFileURL.path
        }
        let named = command.compactMap { a -> String? in
            guard let p = absolute(a), !isSystemPath(p) else { return nil }
            return p
        }
        func copyable(_ root: String) -> Bool {
            root.split(separator: "/").count >= 2 && !isSystemPath(root + "/") && root != FileManager.default.homeDirectoryForCurrentUser.path
        }
        let files = [replace.path.doctorParent] + named.map(\.doctorParent)
        var root = DoctorWorkspace.commonAncestor(files)
        let here = URL(fileURLWithPath: cwd).standardizedFileURL.path
        if replace.path.hasPrefix(here == "/" ? "/" : here + "/") {
            let withCwd = DoctorWorkspace.commonAncestor(files + [here])
            if copyable(withCwd) { root = withCwd }
        }
        guard copyable(root) else {
            return notVerified("the runtime to replace and the command's files share no folder smaller than \(root); it is not copied")
        }
        let ws = try DoctorWorkspace()
        defer { ws.remove() }
        let copyRoot = try ws.folder("tree") + "/" + (root.split(separator: "/").last.map(String.init) ?? "root")
        do { try ws.copyTree(root, into: copyRoot) } catch { return notVerified("\(error)") }
        func inCopy(_ p: String) -> String { p == root ? copyRoot : copyRoot + p.dropFirst(root.count) }
        let keepTarget = keep.path.hasPrefix(root + "/") ? inCopy(keep.path) : keep.path
        try ws.replaceByLink(inCopy(replace.path), to: keepTarget)
        let argv = command.map { a -> String in
            guard let p = absolute(a), p == root || p.hasPrefix(root + "/") else { return a }
            return inCopy(p)
        }
        let runIn = here == root || here.hasPrefix(root + "/") ? inCopy(here) : cwd
        guard let o = try await observe("link fix on a copy (\(replace.path) -> \(keep.path))", argv, runIn) else {
            return notVerified("interrupted before the run with the link ended")
        }
        let obs = DoctorReport.Observation(label: "link fix on a copy (\(replace.path) -> \(keep.path))", o.result)
        let oneRuntime = o.kmpClashes.isEmpty
        if o.result.outcome == .pass && oneRuntime {
            return (.init(kind: .link, status: .verified, instruction: instruction, command: cmd,
                          evidence: "on a copy of \(root) in a temporary folder (removed), with the link the command ran clean and loaded one KMP-family runtime; repro: \(o.result.repro)"), obs)
        }
        return (.init(kind: .link, status: .failed, instruction: instruction, command: cmd,
                      evidence: "on a copy of \(root), with the link the command ended \(o.result.outcome.rawValue) (\(ReportText.oneLine(o.result.message.text)))"
                        + (oneRuntime ? "" : " and still loaded two KMP-family runtimes") + "; repro: \(o.result.repro)"), obs)
    }

    static func preloadVerdict(_ o: CommandObservation, keep: DoctorRuntime, replace: DoctorRuntime) -> DoctorReport.Fix {
        let instruction = "Preload one runtime so that libraries linked against either copy bind to it: LD_PRELOAD=\(keep.path) before the command."
        let cmd = "LD_PRELOAD=\(ShellQuote.quote(keep.path)) <your command>"
        switch o.result.outcome {
        case .pass:
            return .init(kind: .preload, status: .verified, instruction: instruction, command: cmd,
                         evidence: "with \(keep.path) preloaded the command ran clean"
                           + (o.kmpClashes.isEmpty ? "" : " (\(replace.path) was still loaded, but never started)")
                           + "; repro: \(o.result.repro)")
        case .duplicateRuntimeAbort:
            return .init(kind: .preload, status: .notApplicable, instruction: instruction, command: cmd,
                         evidence: "with \(keep.path) preloaded the command still aborted with OMP: Error #15: \(replace.path) was still started, "
                           + "so the program reaches it through its own handle (dlopen + dlsym, ctypes on the runtime file itself) or binds "
                           + "with RTLD_DEEPBIND; preloading does not apply; repro: \(o.result.repro)")
        default:
            return .init(kind: .preload, status: .failed, instruction: instruction, command: cmd,
                         evidence: "with \(keep.path) preloaded the command ended \(o.result.outcome.rawValue) (\(ReportText.oneLine(o.result.message.text))); repro: \(o.result.repro)")
        }
    }
}
