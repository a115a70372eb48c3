/// The doc's claims judged with the atlas beside the matrix: the matrix's cells say what its
/// profiles did; the atlas says what every ordered pair of the catalog's runtimes did, what ran
/// (one runtime or two), what concurrent and nested use did, and what each stack shape did.
/// Conditions come from the atlas in general terms ("LLVM 16 loaded and started second, after a
/// runtime of the Intel/LLVM kind that detects it"), never from one profile's pair.
///
/// Which evidence a claim reads is fixed by what it states:
/// - `first-one-loaded` states a mechanism (the process goes on with the first runtime): judged
///   by what ran with the variable (two runtimes, two thread pools), and by whether it went on
///   cleanly;
/// - `safe-1-same-standard`, `safe-3-overly-conservative`, `set-before-imports`: whether the
///   variable gives a clean run, with the atlas's general order rule;
/// - `safe-2-not-mixing`: the same, plus concurrent first use and nesting;
/// - `linux-unaffected`, `linux-cpu-training`, `inference-only`, `inference-usually-fine`:
///   predict no abort on Linux, which depends on how the runtimes reach the process (the shapes).
package enum ClaimAtlasWeighing {
    package enum Kind: Sendable {
        case mechanism, variable, concurrent, shapes
    }

    package static let kinds: [String: Kind] = [
        "first-one-loaded": .mechanism,
        "safe-1-same-standard": .variable, "safe-3-overly-conservative": .variable, "set-before-imports": .variable,
        "safe-2-not-mixing": .concurrent,
        "linux-unaffected": .shapes, "linux-cpu-training": .shapes, "inference-only": .shapes, "inference-usually-fine": .shapes,
    ]

    /// Phrasings a claim's finding must not contain once judged (a double negative, or words that
    /// contradict the state).
    package static let banned: [String] = [
        "not un", "never not", "does not not", "only when the order differs from", "does not hold only",
    ]

    /// Judges `v` (already judged from the matrix as `j`) again with the atlas, when the claim
    /// reads it and the atlas has the evidence; otherwise leaves it as it is.
    static func weigh(_ v: inout ClaimVerdict, _ j: ClaimJudgement.Judged, atlas: AtlasEvidence?, words: CellWords) {
        guard let atlas, let kind = kinds[v.id] else { return }
        let matrix = matrixPart(j)
        switch kind {
        case .mechanism: mechanism(&v, j, atlas, words, matrix: matrix)
        case .variable: variable(&v, j, atlas, words, matrix: matrix)
        case .concurrent: variable(&v, j, atlas, words, matrix: matrix, then: concurrentWords(atlas.concurrent))
        case .shapes: shapes(&v, j, atlas, matrix: matrix)
        }
    }

    /// `Matrix: 13 of 18 test cases agreed, 5 gave 5 hangs at exit`.
    static func matrixPart(_ j: ClaimJudgement.Judged) -> String {
        let tested = j.agreeing.count + j.disagreeing.count
        guard tested > 0 else { return "Matrix: no test case tests it here" }
        var s = "Matrix: \(j.agreeing.count) of \(Answer.plural(tested, "test case")) agreed"
        if !j.disagreeing.isEmpty { s += ", \(j.disagreeing.count) gave \(ClaimJudgement.outcomeSummary(j.disagreeing))" }
        return s
    }

    // MARK: The variable's rule

    /// The atlas's rule for when the variable fails, computed from its ordered pairs: the runtime
    /// every failing pair starts second, whether it fails only when also loaded second, and which
    /// runtimes it fails after (those that detect it, or a list).
    package struct VariableRule: Sendable, Hashable {
        package var second: String
        package var outcomes: [Outcome]
        /// True when the same pairs run with `second` loaded first (it fails only loaded second).
        package var onlyLoadedSecond: Bool
        package var failingFirsts: [String]
        package var runningFirsts: [String]
        /// True when the failing firsts are exactly the runtimes that detect `second` (abort without the variable).
        package var byDetection: Bool
        package var pairsWithSecond: Int
        /// Runs of the failing orders, and how many of them failed.
        package var failingRuns: Int
        package var runs: Int
        /// Runs of the same pairs in the other load order, and how many failed there.
        package var otherOrderFailingRuns: Int
        package var otherOrderRuns: Int

        /// The order in words: `LLVM 16 is loaded and started second, after a runtime of the Intel/LLVM kind that detects it`.
        package var order: String {
            let how = onlyLoadedSecond ? "loaded and started second" : "started second"
            let after = byDetection ? "a runtime of the Intel/LLVM kind that detects it" : AtlasWords.list(failingFirsts)
            return "\(second) is \(how), after \(after)"
        }

        /// The claim's condition: the order does not occur.
        package var condition: String {
            let how = onlyLoadedSecond ? "loaded and started second" : "started second"
            let after = byDetection ? "a runtime of the Intel/LLVM kind that detects it" : AtlasWords.list(failingFirsts)
            return "no \(second) is \(how) after \(after)"
        }

        /// What the atlas showed, with counts: pairs, the runtimes it runs after, and whether repeats agree.
        package var evidence: String {
            let what = AtlasWords.list(outcomes.map(AtlasWords.singular))
            var s = "atlas: it \(what) in \(failingFirsts.count) of the \(Answer.plural(pairsWithSecond, "pair")) with \(second) \(onlyLoadedSecond ? "loaded and started" : "started") second"
            if !runningFirsts.isEmpty {
                s += "; after \(AtlasWords.list(runningFirsts))\(byDetection ? ", which do not detect it," : "") it runs"
            }
            s += "; " + repeats
            return s
        }

        /// Repeated runs described as what they are: deterministic by load order, or varying.
        package var repeats: String {
            if failingRuns == runs {
                let other = onlyLoadedSecond && otherOrderRuns > 0 && otherOrderFailingRuns == 0
                    ? ", 0 of \(otherOrderRuns) with \(second) loaded first" : ""
                return "deterministic by load order: \(runs) of \(Answer.plural(runs, "run")) in that order\(other)"
            }
            return "varying: \(failingRuns) of \(Answer.plural(runs, "run")) in that order"
        }

        /// Nil when the variable never failed, or the failing pairs share no second runtime.
        package static func compute(_ pairs: [AtlasEvidence.Pair]) -> VariableRule? {
            func bad(_ r: [Outcome]) -> Bool { r.contains { $0 != .pass } }
            let failing = pairs.filter { bad($0.withVariable) || bad($0.withLoadedFirst) }
            guard !failing.isEmpty, Set(failing.map(\.second)).count == 1, let second = failing.first?.second else { return nil }
            var outcomes: [Outcome] = []
            for p in failing { for o in p.withVariable + p.withLoadedFirst where o != .pass && !outcomes.contains(o) { outcomes.append(o) } }
            let all = pairs.filter { $0.second == second }
            let onlySecond = !failing.contains { bad($0.withLoadedFirst) }
            let failingFirsts = ClaimJudgement.ordered(failing.map(\.first))
            let detecting = all.filter { $0.without.contains(.duplicateRuntimeAbort) }.map(\.first)
            let used = failing.flatMap { onlySecond ? $0.withVariable : $0.withVariable + $0.withLoadedFirst }
            let other = onlySecond ? failing.flatMap(\.withLoadedFirst) : []
            return VariableRule(second: second, outcomes: outcomes, onlyLoadedSecond: onlySecond, failingFirsts: failingFirsts,
                                runningFirsts: ClaimJudgement.ordered(all.filter { !failing.contains($0) }.map(\.first)),
                                byDetection: Set(detecting) == Set(failingFirsts), pairsWithSecond: all.count,
                                failingRuns: used.filter { $0 != .pass }.count, runs: used.count,
                                otherOrderFailingRuns: other.filter { $0 != .pass }.count, otherOrderRuns: other.count)
        }

        /// Whether a matrix cell's starts (and loads) fall under the rule.
        func covers(_ r: CellResult, _ words: CellWords) -> Bool {
            let steps = CellWords.steps(r)
            let starts = CellWords.startOrder(steps)
            guard starts.count >= 2, let roles = r.roleRuntimes, let f = roles[starts[0]], let s = roles[starts[1]],
                  words.runtime(s) == second, failingFirsts.contains(words.runtime(f)) else { return false }
            guard onlyLoadedSecond else { return true }
            let loads = steps.filter { $0.verb == "load" }.flatMap(\.runtimes)
            guard let lf = loads.firstIndex(of: starts[0]), let ls = loads.firstIndex(of: starts[1]) else { return true }
            return lf < ls
        }
    }

    /// Two runtimes with the variable, from the atlas: `two runtimes ran in 364 of 364 atlas probes with the variable`.
    static func twoRan(_ atlas: AtlasEvidence) -> (two: Int, observed: Int) {
        (atlas.pairs.reduce(0) { $0 + $1.twoRanWithVariable }, atlas.pairs.reduce(0) { $0 + $1.observedWithVariable })
    }

    /// The claims whose truth is a clean run with the variable: the atlas's rule replaces the
    /// matrix's profile-bound condition when the matrix's cells agree with it.
    /// `then` follows the condition (concurrent and nested use, for `safe-2-not-mixing`).
    static func variable(_ v: inout ClaimVerdict, _ j: ClaimJudgement.Judged, _ atlas: AtlasEvidence, _ words: CellWords, matrix: String,
                         then: String? = nil) {
        guard let rule = VariableRule.compute(atlas.pairs) else { return }
        // The matrix must agree with the rule: every failing cell under it, every cell under it failing.
        guard j.disagreeing.allSatisfy({ rule.covers($0, words) }), !j.agreeing.contains(where: { rule.covers($0, words) }) else {
            v.finding = (v.finding ?? "") + " The atlas's rule (\(rule.order)) does not separate this claim's test cases here (\(rule.evidence))." + (then.map { " " + $0 } ?? "")
            return
        }
        // The atlas shows the variable failing in that order, whatever the matrix's profiles reached.
        v.state = .holdsOnlyWhen
        v.verdict = ClaimState.holdsOnlyWhen.verdict
        v.conditions = [rule.condition]
        v.finding = "It holds only when \(rule.condition) (\(rule.evidence))." + (then.map { " " + $0 } ?? "") + " \(matrix)."
            + (windowsWords(atlas).map { " " + $0 } ?? "")
    }

    /// The Windows atlas with the variable, labelled and counted apart: `Windows: the real DLLs under Wine 8.0, not Windows: …`.
    static func windowsWords(_ atlas: AtlasEvidence) -> String? {
        let runs = atlas.windowsPairs.flatMap { $0.withVariable + $0.withLoadedFirst }
        guard !runs.isEmpty else { return nil }
        let label = Answer.platformLabel(hostKey: "windows")
        if let rule = VariableRule.compute(atlas.windowsPairs) {
            return "\(label): it fails when \(rule.order) (\(rule.evidence))."
        }
        let clean = runs.filter { $0 == .pass }.count
        return "\(label): \(clean) of \(Answer.plural(runs.count, "run")) with the variable ran clean (\(Answer.plural(atlas.windowsPairs.count, "ordered pair")))."
    }

    // MARK: first-one-loaded

    /// The claim states a mechanism: the process goes on with the first runtime loaded. What ran
    /// with the variable decides it; whether the process went on cleanly is reported beside it.
    static func mechanism(_ v: inout ClaimVerdict, _ j: ClaimJudgement.Judged, _ atlas: AtlasEvidence, _ words: CellWords, matrix: String) {
        let (two, observed) = twoRan(atlas)
        guard observed > 0 else { return }
        let rule = VariableRule.compute(atlas.pairs)
        let clean = rule.map { "It went on cleanly only when \($0.condition) (\($0.evidence))" } ?? "Every atlas pair went on cleanly"
        let nested = nestedWords(atlas.concurrent).map { "; \($0)" } ?? ""
        if two > 0 {
            refute(&v)
            v.finding = "Judged by what ran, not only by survival: with the variable both runtimes stay active, "
                + "each with its own thread pool (two runtimes ran in \(two) of \(Answer.plural(observed, "atlas probe"))\(nested)), "
                + "so the process does not go on with the first runtime alone. \(clean). \(matrix)."
        } else {
            v.finding = "Judged by what ran: one runtime ran in all \(Answer.plural(observed, "atlas probe")) with the variable. \(clean). \(matrix)."
        }
    }

    /// The mechanism refuted by what ran: "does not hold", whatever the conditions survival alone had.
    static func refute(_ v: inout ClaimVerdict) {
        v.state = .doesNotHold
        v.verdict = .refuted
        v.conditions = nil
    }

    /// `first-one-loaded` judged by what ran in a column's own test cases, where no atlas counts the
    /// runtimes that ran (the Windows column): the cells that ran to the end and observed how many
    /// runtimes started. Two started in any: the mechanism is refuted, whatever the survival.
    static func mechanism(_ v: inout ClaimVerdict, cells: [CellResult], runtimeWords: String) {
        guard v.id == "first-one-loaded" else { return }
        let counts = cells.filter { $0.claims.contains(v.id) && $0.status == .ran }.compactMap { $0.probe?.startedCount }
        guard !counts.isEmpty else { return }
        let two = counts.filter { $0 >= 2 }.count
        let was = v.finding ?? ""
        if two > 0 {
            refute(&v)
            v.finding = "Judged by what ran, not only by survival: with the variable both \(runtimeWords) started, each with its own "
                + "threads, in \(two) of \(Answer.plural(counts.count, "test case")) that observed it, so the process does not go on with "
                + "the first runtime alone. By survival alone: \(was)"
        } else {
            v.finding = "Judged by what ran: one runtime started in all \(Answer.plural(counts.count, "test case")) that observed it. \(was)"
        }
    }

    // MARK: Concurrent and nested use

    /// `under concurrent first use, it varies: Intel 2025.2.1 then LLVM 16 hung at exit in 5 of 10 runs, …`.
    static func raceWords(_ runs: [AtlasEvidence.ConcurrentRun]) -> String? {
        let races = runs.filter { $0.kind == "race" }
        guard !races.isEmpty else { return nil }
        let failures = ClaimJudgement.ordered(races.flatMap { $0.runs.filter { $0 != .pass } })
        let parts: [String]
        if failures.count == 1, let only = failures.first {
            // One way of failing: name it once, then the count per order.
            parts = ["it \(AtlasWords.singular(only)) in " + races.map { r in
                "\(r.runs.filter { $0 == only }.count) of \(r.runs.count) runs with \(r.first) then \(r.second)"
            }.joined(separator: ", ")]
        } else {
            parts = races.map { r -> String in
                let bad = r.runs.filter { $0 != .pass }
                let what = bad.isEmpty ? "ran clean" : AtlasWords.list(ClaimJudgement.ordered(bad).map(AtlasWords.singular))
                return "\(r.first) then \(r.second): \(what) in \(bad.isEmpty ? r.runs.count : bad.count) of \(Answer.plural(r.runs.count, "run"))"
            }
        }
        let varies = races.contains { Set($0.runs).count > 1 }
        return "Under concurrent first use (first calls from two threads at once), "
            + (varies ? "it varies from run to run (a race): " : "every run agreed: ") + parts.joined(separator: "; ") + "."
    }

    /// `nested (a region of LLVM 14 inside each of LLVM 16's 2 threads), 4 OpenMP threads and 6 OS threads ran, where one runtime runs 2`.
    static func nestedWords(_ runs: [AtlasEvidence.ConcurrentRun]) -> String? {
        let nests = runs.filter { $0.kind == "nest" && ($0.teamThreads != nil || $0.osThreads != nil) }
        guard !nests.isEmpty else { return nil }
        // Nested pairs that produced the same threads are named once, with how many.
        if nests.count > 1, Set(nests.map { [$0.teamThreads, $0.osThreads, $0.threadsPerTeam] }).count == 1, let n = nests.first {
            var s = "nested, \(nests.count) pairs: "
            s += [n.teamThreads.map { "\($0) OpenMP threads" }, n.osThreads.map { "\($0) OS threads" }].compactMap { $0 }.joined(separator: " and ")
            if let p = n.threadsPerTeam { s += " (\(p)×\(p) at \(p) threads per team)" }
            return s
        }
        return nests.map { n -> String in
            let per = n.threadsPerTeam.map { " \($0)" } ?? ""
            var s = "nested (a region of \(n.second) inside each of \(n.first)'s\(per) threads): "
            var counts: [String] = []
            if let t = n.teamThreads { counts.append("\(t) OpenMP threads") }
            if let o = n.osThreads { counts.append("\(o) OS threads") }
            s += counts.joined(separator: " and ")
            if let p = n.threadsPerTeam { s += " (\(p)×\(p) at \(p) threads per team)" }
            return s
        }.joined(separator: "; ")
    }

    static func concurrentWords(_ runs: [AtlasEvidence.ConcurrentRun]) -> String? {
        let race = raceWords(runs)
        let nest = nestedWords(runs).map { "Nested use (one runtime's region inside each thread of the other's): " + $0 + "." }
        let parts = [race, nest].compactMap { $0 }
        return parts.isEmpty ? "Concurrent first use and nesting were not in this atlas (the matrix runs its calls one after the other)." : parts.joined(separator: " ")
    }

    // MARK: Stack shapes

    /// One shape's runs, summed over its sampled pairs.
    package struct ShapeTally: Sendable, Hashable {
        package var shape: String
        package var runs: Int
        package var aborts: Int
        /// Distinct runtime counts observed to start.
        package var started: [Int]
    }

    package static func tallies(_ shapes: [AtlasEvidence.ShapeRun]) -> [ShapeTally] {
        ClaimJudgement.ordered(shapes.map(\.shape)).map { s in
            let mine = shapes.filter { $0.shape == s }
            return ShapeTally(shape: s, runs: mine.count, aborts: mine.filter { $0.outcome == .duplicateRuntimeAbort }.count,
                              started: Array(Set(mine.compactMap(\.runtimesStarted))).sorted())
        }
    }

    /// What the `linked-same-soname` shape showed: two libraries needing one SONAME from two
    /// folders, measured; or that it was not measured.
    package static func sameSonameWords(_ shapes: [AtlasEvidence.ShapeRun]) -> String {
        guard let t = tallies(shapes).first(where: { $0.shape == StackShape.linkedSameSoname.rawValue }) else {
            return "Two libraries that need one SONAME are given one file by the loader (the loader's rule; the atlas read here has no stack shapes to measure it)."
        }
        let started = t.started == [1] ? ", one runtime started in each" : t.started.isEmpty ? "" : " (runtimes started: \(t.started.map(String.init).joined(separator: " or ")))"
        return t.aborts == 0
            ? "Two libraries that need one SONAME from two folders are given one file by the loader: 0 aborts in \(Answer.plural(t.runs, "sampled pair")) (stack shape linked-same-soname\(started)), so such a copy need not be replaced."
            : "Two libraries that need one SONAME from two folders still aborted in \(t.aborts) of \(Answer.plural(t.runs, "sampled pair")) (stack shape linked-same-soname\(started))."
    }

    /// The claims that Linux (or inference) does not abort: true or false by how the runtimes
    /// reach the process. The state names the shapes where the loader gives one runtime.
    static func shapes(_ v: inout ClaimVerdict, _ j: ClaimJudgement.Judged, _ atlas: AtlasEvidence, matrix: String) {
        let wheels = linuxWheelWords(atlas.wheelCatalog) ?? ""
        let t = tallies(atlas.shapes)
        let aborting = t.filter { $0.aborts > 0 }, clean = t.filter { $0.aborts == 0 }
        guard !aborting.isEmpty, !clean.isEmpty else {
            v.finding = (v.finding ?? "") + wheels
            return
        }
        let one = clean.filter { $0.started == [1] }
        let cleanNames = AtlasWords.list(clean.map(\.shape))
        let runs = clean.reduce(0) { $0 + $1.runs }
        let why = one.count == clean.count ? "the loader gives both libraries one runtime" : "the runtimes reach the process as in \(cleanNames)"
        v.state = .holdsOnlyWhen
        v.verdict = .refuted
        v.conditions = ["\(why) (\(cleanNames))"]
        let abortWords = aborting.map { "\($0.shape) \($0.aborts) of \($0.runs) sampled pairs" }
        v.finding = "It depends on how the runtimes reach the process: two runtime files opened by path or under renamed SONAMEs abort on Linux too "
            + "(\(AtlasWords.list(abortWords)), no variable); where \(why) (\(cleanNames)), 0 of \(Answer.plural(runs, "probe")) aborted"
            + (one.count == clean.count ? ", one runtime started in each" : "") + "." + wheels + " \(matrix) (runtime files opened by path)."
    }

    /// Which Linux wheels of the catalog bring a runtime of the Intel/LLVM kind: a stack starts
    /// two only if it holds two of them.
    static func linuxWheelWords(_ catalog: WheelCatalog?) -> String? {
        guard let catalog else { return nil }
        let linux = catalog.wheels.filter { $0.platform == .linux }
        guard !linux.isEmpty else { return nil }
        let kmp = linux.filter { w in w.runtimes.contains { $0.family == "kmp" } }
        let names = kmp.map { w in
            "\(w.package) (" + AtlasWords.list(ClaimJudgement.ordered(w.runtimes.filter { $0.family == "kmp" }.map { $0.vendor == "intel" ? "Intel" : $0.vendor == "llvm" ? "LLVM" : $0.vendor })) + ")"
        }
        let packages = Set(kmp.map(\.package)).count
        var s = " Wheel catalog: \(kmp.count) of \(Answer.plural(linux.count, "Linux wheel")) bring a runtime of the Intel/LLVM kind"
        s += kmp.isEmpty ? "" : " (" + AtlasWords.list(names) + ")"
        s += packages < 2 ? "; no stack of these Linux wheels starts two such runtimes." : "; a Linux stack starts two such runtimes only when it holds two of these."
        return s
    }
}

extension ResultsFile {
    /// The rows' and claims' verdicts judged again from this file's cells with `matrix` and the
    /// atlas: what `run` stores, for a file written before the atlas was read beside it.
    package func claimsJudged(with matrix: Matrix, atlas: AtlasEvidence?) -> [ClaimVerdict] {
        Verdicts.rows(matrix, results: results, runtimes: host.runtimes, atlas: atlas)
            + Verdicts.claims(matrix, results: results, wheels: wheels ?? [], runtimes: host.runtimes, atlas: atlas)
    }
}
