import OMPPlan

/// Probes two of the user's own runtime files together with the existing probe engine: both
/// start orders, without and with `KMP_DUPLICATE_LIB_OK`, the checked training loop in the
/// runtime that starts first and the checked index in the other, 2 threads; then the fixes,
/// on copies in a `DoctorWorkspace`.
enum PairProber {
    struct Options {
        var fixCheck = true
        var timeout: Duration = .seconds(20)
        /// Libraries found beside the runtimes that import OpenMP entry points (see ``LinkChoice``).
        var consumers: [ScanReport.Consumer] = []
    }

    /// `load x; init x; load y; init y; train x; index y`: `x` starts first.
    static func plan(first x: String, second y: String) -> Plan {
        Plan([.load(x), .initialize(x), .load(y), .initialize(y), .train(x, Sizes()), .index(y, Sizes())])
    }

    static func probe(a: String, b: String, firstIsA: Bool, environment: [String: String], timeout: Duration) -> Probe.Configuration {
        let p = firstIsA ? plan(first: "a", second: "b") : plan(first: "b", second: "a")
        return .init(runtimes: [.init(name: "a", path: a), .init(name: "b", path: b)], plan: p, environment: environment, timeout: timeout)
    }

    static let variable = ["KMP_DUPLICATE_LIB_OK": "TRUE"]

    /// The pair, or, when a probe of it could not launch, the reason (its observations are then
    /// no evidence, and the caller gives no verdict from them).
    static func diagnose(_ a: DoctorRuntime, _ b: DoctorRuntime, options: Options, workspace: DoctorWorkspace?,
                         atlas: [String]) async -> (DoctorReport.Pair, launchFailure: String?) {
        let bothKMP = a.family == .kmp && b.family == .kmp
        // Without and with the variable, both orders (GNU + KMP: without only; libgomp ignores the variable).
        var specs: [(String, Bool, [String: String])] = [("a first, variable unset", true, [:]), ("b first, variable unset", false, [:])]
        if bothKMP {
            specs += [("a first, KMP_DUPLICATE_LIB_OK=TRUE", true, variable), ("b first, KMP_DUPLICATE_LIB_OK=TRUE", false, variable)]
        }
        let jobs = specs.map { s in probe(a: a.loadPath, b: b.loadPath, firstIsA: s.1, environment: s.2, timeout: options.timeout) }
        // Without the variable first: a runtime that hangs while loading shows there, and the rest is not started.
        var results = await runAll(Array(jobs.prefix(2)))
        if hungWhileLoading(specs.map(\.1), results, a: a, b: b) == nil { results += await runAll(Array(jobs.dropFirst(2))) }
        specs = Array(specs.prefix(results.count))
        var observations = zip(specs, results).map { DoctorReport.Observation(label: $0.0.0, $0.1) }
        let notLaunched = results.first { $0.ending.kind == .notStarted }.map { "the probe could not launch: \($0.message.text)" }
        if let notLaunched {
            return (DoctorReport.Pair(first: a, second: b, bothKMP: bothKMP, conflict: false, needsVariable: false, variableSafety: "not probed",
                                      observations: observations, fixes: [], atlas: atlas), notLaunched)
        }
        // A runtime that hangs while loading shows in the first probes: every further probe would
        // wait out its timeout too, so none is started (the fixes are not tried).
        if let hung = hungWhileLoading(specs.map(\.1), results, a: a, b: b) {
            let why = "not tried: \(hung.path) hangs while loading (the probes stopped at its `load` step, before any OpenMP call), "
                + "so every probe with it would only wait out the timeout"
            return (DoctorReport.Pair(first: a, second: b, bothKMP: bothKMP, conflict: bothKMP, needsVariable: false,
                                      variableSafety: why,
                                      observations: observations,
                                      fixes: [.init(kind: .link, status: .notVerified,
                                                    instruction: "Keep one runtime: replace \(b.path) by a link to \(a.path).",
                                                    command: linkCommand(replace: b.path, keep: a.path), evidence: why)],
                                      atlas: atlas), nil)
        }
        let unset = Array(results.prefix(2)), set = Array(results.dropFirst(2))
        let aborts = unset.contains { $0.outcome == .duplicateRuntimeAbort }
        let conflict = bothKMP || aborts || unset.contains { $0.outcome == .hangAtExit }

        var fixes: [DoctorReport.Fix] = []
        var safety = "not applicable: libgomp takes no part in the KMP duplicate check"
        if bothKMP {
            safety = variableSafety(set, a: a, b: b)
            if options.fixCheck, let workspace {
                let (linkFixes, linkObs) = await linkFixes(a, b, options: options, workspace: workspace)
                fixes += linkFixes; observations += linkObs
                let (pre, preObs) = await preloadFix(a, b, options: options)
                fixes.append(pre); observations += preObs
            } else {
                let why = options.fixCheck ? "no temporary folder" : "--no-fix-check"
                switch LinkChoice.decide(a, b, consumers: options.consumers) {
                case .keep(let keep, let replace, let choice):
                    fixes.append(.init(kind: .link, status: .notVerified,
                                       instruction: "Keep one runtime: replace \(replace.path) by a link to \(keep.path) (\(choice)).",
                                       command: linkCommand(replace: replace.path, keep: keep.path), evidence: "not checked (\(why))"))
                case .doesNotApply(let reason):
                    fixes.append(linkDoesNotApply(reason))
                }
            }
            let allPass = set.count == 2 && set.allSatisfy { $0.outcome == .pass }
            fixes.append(.init(kind: .variable, status: allPass ? .verified : .failed,
                               instruction: allPass
                                ? "Last resort: KMP_DUPLICATE_LIB_OK=TRUE ran clean here for this pair, but both runtimes then run side by side, each with its own threads."
                                : "Do not rely on KMP_DUPLICATE_LIB_OK=TRUE for this pair (measured, \(safety)).",
                               command: "export KMP_DUPLICATE_LIB_OK=TRUE",
                               evidence: zip(specs.dropFirst(2), set).map { "\($0.0.0): \($0.1.outcome.rawValue); repro: \($0.1.repro)" }.joined(separator: "; ")))
        }
        return (DoctorReport.Pair(first: a, second: b, bothKMP: bothKMP, conflict: conflict, needsVariable: aborts,
                                  variableSafety: safety, observations: observations, fixes: fixes, atlas: atlas), notLaunched)
    }

    /// The runtime whose `load` step a probe hung in (the step after the last one completed), if any.
    static func hungWhileLoading(_ aFirst: [Bool], _ results: [ProbeResult], a: DoctorRuntime, b: DoctorRuntime) -> DoctorRuntime? {
        for (first, r) in zip(aFirst, results) where r.outcome == .hang {
            let steps = (first ? plan(first: "a", second: "b") : plan(first: "b", second: "a")).steps
            if r.stepsCompleted < steps.count, case .load(let name) = steps[r.stepsCompleted] { return name == "a" ? a : b }
        }
        return nil
    }

    static func variableSafety(_ set: [ProbeResult], a: DoctorRuntime, b: DoctorRuntime) -> String {
        let orders = ["\(a.shortName) first", "\(b.shortName) first"]
        var bad: [String] = []
        for (o, r) in zip(orders, set) where r.outcome != .pass {
            bad.append("\(o): \(r.outcome.rawValue) (\(ReportText.oneLine(r.message.text)))")
        }
        if bad.isEmpty { return "ran clean here in both start orders (both runtimes stay active side by side, each with its own threads)" }
        return "not safe here: with it, " + bad.joined(separator: "; ")
    }

    /// The file change, as commands; nil when a runtime is inside a wheel (change the installed copy instead).
    static func linkCommand(replace: String, keep: String) -> String? {
        if replace.contains(".whl!") || keep.contains(".whl!") { return nil }
        return "mv \(ShellQuote.quote(replace)) \(ShellQuote.quote(replace + ".orig")) && ln -s \(ShellQuote.quote(keep)) \(ShellQuote.quote(replace))"
    }

    static func linkDoesNotApply(_ reason: String) -> DoctorReport.Fix {
        .init(kind: .link, status: .notApplicable,
              instruction: "Keep one runtime by a link: does not apply to this pair.", command: nil,
              evidence: reason + ". Rebuild the libraries against one runtime, or keep them in separate processes.")
    }

    /// One runtime by a link, keeping the runtime ``LinkChoice`` chooses (the one whose exports
    /// cover what the other side's libraries import; of two that do, the newer): the runtime files
    /// are copied into the workspace with their layout, the other copy is replaced by a link to it,
    /// and the pair is probed again (both orders, variable unset). Verified when both orders pass.
    static func linkFixes(_ a: DoctorRuntime, _ b: DoctorRuntime, options: Options,
                          workspace: DoctorWorkspace) async -> ([DoctorReport.Fix], [DoctorReport.Observation]) {
        var fixes: [DoctorReport.Fix] = [], obs: [DoctorReport.Observation] = []
        let base = DoctorWorkspace.commonAncestor([a.loadPath, b.loadPath].map(\.doctorParent))
        let choice: (DoctorRuntime, DoctorRuntime, String)
        switch LinkChoice.decide(a, b, consumers: options.consumers) {
        case .keep(let k, let r, let why): choice = (k, r, why)
        case .doesNotApply(let reason): return ([linkDoesNotApply(reason)], [])
        }
        for (keep, replace, tag) in [(choice.0, choice.1, choice.0 == a ? "keep-a" : "keep-b")] {
            let instruction = "Keep one runtime: replace \(replace.path) by a link to \(keep.path) (\(choice.2)); the loader then maps one file, so there is one runtime."
            let command = linkCommand(replace: replace.path, keep: keep.path)
            do {
                let root = try workspace.folder("link-\(tag)-\(UInt32.random(in: 0...UInt32.max))")
                let copies = try workspace.copyFiles([keep.loadPath, replace.loadPath], below: base, into: root)
                guard let ck = copies[keep.loadPath], let cr = copies[replace.loadPath] else { continue }
                try workspace.replaceByLink(cr, to: ck)
                let aPath = keep == a ? ck : cr, bPath = keep == a ? cr : ck
                let rs = await runAll([true, false].map { first in probe(a: aPath, b: bPath, firstIsA: first, environment: [:], timeout: options.timeout) })
                let labels = ["link fix (\(replace.shortName) -> \(keep.shortName)), a first", "link fix (\(replace.shortName) -> \(keep.shortName)), b first"]
                obs += zip(labels, rs).map { DoctorReport.Observation(label: $0.0, $0.1) }
                let ok = rs.allSatisfy { $0.outcome == .pass }
                fixes.append(.init(kind: .link, status: ok ? .verified : .failed, instruction: instruction, command: command,
                                   evidence: ok ? "on a copy in a temporary folder, both start orders passed with the link, both parallel workloads checked with 2 threads; repro: \(rs[0].repro)"
                                                : "on a copy, with the link: " + zip(labels, rs).map { "\($0.0): \($0.1.outcome.rawValue) (\(ReportText.oneLine($0.1.message.text)))" }.joined(separator: "; ")))
            } catch {
                fixes.append(.init(kind: .link, status: .notVerified, instruction: instruction, command: command, evidence: "\(error)"))
            }
        }
        return (fixes, obs)
    }

    /// One runtime by preloading the first runtime (`LD_PRELOAD`, set by the kit for this probe).
    static func preloadFix(_ a: DoctorRuntime, _ b: DoctorRuntime, options: Options) async -> (DoctorReport.Fix, [DoctorReport.Observation]) {
        let env = ["LD_PRELOAD": a.loadPath]
        let rs = await runAll([true, false].map { first in probe(a: a.loadPath, b: b.loadPath, firstIsA: first, environment: env, timeout: options.timeout) })
        let labels = ["preload fix (LD_PRELOAD=\(a.shortName)), a first", "preload fix (LD_PRELOAD=\(a.shortName)), b first"]
        let obs = zip(labels, rs).map { DoctorReport.Observation(label: $0.0, $0.1) }
        let ok = rs.allSatisfy { $0.outcome == .pass }
        let instruction = "Preload one runtime so that libraries linked against either copy bind to it: LD_PRELOAD=\(a.path) before the program starts."
        let command = "LD_PRELOAD=\(ShellQuote.quote(a.path)) <your command>"
        if ok {
            return (.init(kind: .preload, status: .verified, instruction: instruction, command: command,
                          evidence: "both start orders passed with the runtime preloaded; repro: \(rs[0].repro)"), obs)
        }
        return (.init(kind: .preload, status: .notApplicable, instruction: instruction, command: command,
                      evidence: "measured: with \(a.shortName) preloaded, the probe still started \(b.shortName) ("
                        + rs.map(\.outcome.rawValue).joined(separator: ", ")
                        + "): the probe reaches each runtime through its own dlopen handle, as a program does that calls a runtime "
                        + "with dlsym or through ctypes on the runtime file itself. Libraries linked against a runtime by name bind to the "
                        + "preloaded one instead; `omp-matrix doctor -- COMMAND` checks that for your program. Repro: \(rs[0].repro)"), obs)
    }

    /// Runs the probes concurrently through the one runner (each takes a slot of `ProbeLimiter`), results in order.
    static func runAll(_ jobs: [Probe.Configuration]) async -> [ProbeResult] { await ProbeList.runAll(jobs) }
}

extension String {
    /// The directory part of a path.
    var doctorParent: String {
        guard let i = lastIndex(of: "/") else { return "." }
        return i == startIndex ? "/" : String(self[..<i])
    }
}
