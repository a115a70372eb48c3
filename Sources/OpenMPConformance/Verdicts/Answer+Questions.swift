/// The three questions a reader who hit `OMP: Error #15` asks, answered per platform the run
/// covers from the run's cells and the atlas: do I need `KMP_DUPLICATE_LIB_OK`, is it safe,
/// what to do instead. Every figure, runtime and condition is computed; the fixed words are the
/// questions, the sentence frames and the how-to steps.
extension Answer {
    /// One question and its answer for each platform.
    package struct Question: Codable, Sendable, Hashable {
        /// `need`, `safe`, `instead`.
        package var id: String
        package var question: String
        package var answers: [PlatformAnswer]
    }

    /// The answer for one platform, labelled for what it is.
    package struct PlatformAnswer: Codable, Sendable, Hashable {
        /// `Linux (run here)`, `macOS: read from the wheels; Linux builds of the same release stand in`.
        package var platform: String
        package var answer: String
        /// The evidence behind it, one sentence each.
        package var details: [String]
    }

    package static let questionWords = [
        "need": "Do I need KMP_DUPLICATE_LIB_OK?",
        "safe": "Is it safe?",
        "instead": "What to do instead?",
    ]
    /// The macOS label: nothing ran on macOS.
    package static let macOSLabel = "macOS: read from the wheels; Linux builds of the same release stand in"
    /// The kind of runtime the variable is about, in words a reader knows.
    static let kind = "runtimes of the Intel/LLVM kind (LLVM libomp, Intel libiomp5)"

    /// `Linux (run here)` for a Linux host key, the labelled platform otherwise.
    package static func platformLabel(hostKey: String?) -> String {
        let k = (hostKey ?? "").lowercased()
        if k.contains("macos") || k.contains("darwin") { return "macOS (run here)" }
        if k.contains("windows") { return "Windows: the real DLLs under Wine 8.0, not Windows" }
        return "Linux (run here)"
    }

    static func questions(_ a: Answer, atlas: AtlasEvidence?, platform: String) -> [Question] {
        let pairs = atlas?.pairs ?? []
        var need = [PlatformAnswer(platform: platform, answer: needAnswer(a, pairs), details: needDetails(a, pairs, atlas?.source))]
        // Repeats under concurrent first use: a race, with counts, beside the order rule.
        let race = ClaimAtlasWeighing.raceWords(atlas?.concurrent ?? []).map { " " + $0 } ?? ""
        var safe = [PlatformAnswer(platform: platform, answer: safeAnswer(a, pairs) + race, details: safeDetails(a, pairs))]
        var instead = [PlatformAnswer(platform: platform, answer: insteadAnswer(a), details: insteadDetails(a, pairs, shapes: atlas?.shapes ?? []))]
        if !a.macOS.ranHere, let atlas {
            let mac = macOSAnswers(atlas)
            need.append(mac[0]); safe.append(mac[1]); instead.append(mac[2])
        }
        if let w = atlas?.windows, !platform.hasPrefix("Windows") {
            let win = windowsAnswers(w)
            need.append(win[0]); safe.append(win[1]); instead.append(win[2])
        }
        return [Question(id: "need", question: questionWords["need"]!, answers: need),
                Question(id: "safe", question: questionWords["safe"]!, answers: safe),
                Question(id: "instead", question: questionWords["instead"]!, answers: instead)]
    }

    // MARK: Do I need it?

    static func needAnswer(_ a: Answer, _ pairs: [AtlasEvidence.Pair] = []) -> String {
        let x = a.abort
        guard x.contendingCells > 0 else {
            return "Not known here: no test case started two \(kind) without the variable."
        }
        var s: String
        if x.aborted > 0 {
            s = "Yes, when two \(kind) both start in one process: without the variable, \(x.aborted) of \(plural(x.contendingCells, "test case")) "
                + "with two such runtime files here aborted with Error #15"
            s += x.atSecondStart == x.aborted ? ", each at the second runtime's first OpenMP call." : " (\(x.atSecondStart) at the second runtime's first OpenMP call, \(x.atLoad) while loading)."
        } else {
            s = "Not here: none of \(plural(x.contendingCells, "test case")) with two \(kind) aborted without the variable."
        }
        var no: [String] = []
        if x.oneStarted > 0 { no.append("only one of the two starts (\(x.oneStartedClean) of \(x.oneStarted) ran clean)") }
        if x.gnuCells > 0 { no.append("the other runtime is GNU libgomp (\(x.gnuCells - x.gnuAborted) of \(x.gnuCells) ran without the abort)") }
        if x.aborted > 0, !no.isEmpty { s += " You do not need it when " + either(no) + "." }
        let undetected = pairs.filter(\.undetected)
        if !undetected.isEmpty {
            s += " Some releases never detect each other and run both without Error #15 (\(undetected.count) of \(plural(pairs.count, "ordered pair")) in the atlas): "
                + undetectedWords(undetected) + "."
        }
        return s
    }

    /// "a", "a or b", "a, b or c".
    static func either(_ items: [String]) -> String {
        items.count < 2 ? items.joined() : items.dropLast().joined(separator: ", ") + " or " + items.last!
    }

    /// One probe's runs in words: `aborts (1 of 1 run)`, `varies: 2 run and 1 hangs at exit of 3 runs`.
    static func runWords(_ r: [Outcome]) -> String {
        guard !r.isEmpty else { return "not run" }
        let n = r.count, top = Dictionary(r.map { ($0, 1) }, uniquingKeysWith: +).max { $0.value < $1.value }!
        return top.value == n ? "\(AtlasWords.singular(top.key)) (\(n) of \(plural(n, "run")))" : "varies: \(AtlasWords.counts(r)) of \(plural(n, "run"))"
    }

    static func needDetails(_ a: Answer, _ pairs: [AtlasEvidence.Pair], _ source: String?) -> [String] {
        var out = a.abort.byPair.map { "\($0.pair): \($0.count) of \(plural($0.cells, "test case")) without the variable aborted." }
        guard let source, !pairs.isEmpty else { return out }
        let aborts = pairs.filter { !$0.without.isEmpty && $0.without.allSatisfy { $0 == .duplicateRuntimeAbort } }
        let undetected = pairs.filter(\.undetected)
        var s = "In the atlas (\(source)), \(aborts.count) of \(plural(pairs.count, "ordered pair")) of two different \(kind) aborted without the variable"
        if undetected.isEmpty {
            s += "."
        } else {
            s += "; \(undetected.count) ran with both runtimes started and neither detecting the other (\"two runtimes undetected\": no Error #15, so the variable changes nothing for them): "
                + undetectedWords(undetected) + "."
        }
        out.append(s)
        return out
    }

    /// `LLVM 11 with LLVM 13, LLVM 16 and Intel 2025.2.1 (either order)`: the undetected pairs
    /// grouped by the runtime they share most.
    static func undetectedWords(_ pairs: [AtlasEvidence.Pair]) -> String {
        // Two groups where each member of one goes undetected with every member of the other, in
        // both orders, are named as groups (this is how registration generations show).
        var partners: [String: Set<String>] = [:]
        for p in pairs { partners[p.first, default: []].insert(p.second) }
        var order: [String] = []
        for p in pairs { for n in [p.first, p.second] where !order.contains(n) { order.append(n) } }
        if let a = order.first, let b = partners[a], case let groupA = Set(order.filter { partners[$0] == b }),
           b.allSatisfy({ partners[$0] == groupA }), groupA.count * b.count * 2 == pairs.count {
            let la = order.filter(groupA.contains), lb = order.filter(b.contains)
            return "any of \(AtlasWords.list(la)) with any of \(AtlasWords.list(lb)), in either order (\(pairs.count) of \(pairs.count) such ordered pairs)"
        }
        var left = Set(pairs.map { Set([$0.first, $0.second]) })
        let ordered = Set(pairs.map { [$0.first, $0.second] })
        var groups: [String] = []
        while !left.isEmpty {
            let best = order.max { a, b in left.filter { $0.contains(a) }.count < left.filter { $0.contains(b) }.count }!
            let partners = order.filter { $0 != best && left.contains(Set([best, $0])) }
            let both = partners.allSatisfy { ordered.contains([best, $0]) && ordered.contains([$0, best]) }
            groups.append("\(best) with \(AtlasWords.list(partners))" + (both ? " (either order)" : ""))
            for p in partners { left.remove(Set([best, p])) }
        }
        return groups.joined(separator: "; ")
    }

    // MARK: Is it safe?

    /// The general condition under which the variable failed in the atlas, or nil when it never did.
    static func variableRule(_ pairs: [AtlasEvidence.Pair]) -> String? {
        func bad(_ runs: [Outcome]) -> Bool { runs.contains { $0 != .pass } }
        let failing = pairs.filter { bad($0.withVariable) || bad($0.withLoadedFirst) }
        guard !failing.isEmpty else { return nil }
        var outcomes: [Outcome] = []
        for p in failing { for o in p.withVariable + p.withLoadedFirst where o != .pass && !outcomes.contains(o) { outcomes.append(o) } }
        let what = AtlasWords.list(outcomes.map(AtlasWords.singular))
        let loadedSecond = failing.filter { bad($0.withVariable) }.count, loadedFirst = failing.filter { bad($0.withLoadedFirst) }.count
        var s: String
        let seconds = Set(failing.map(\.second)), firsts = Set(failing.map(\.first))
        if seconds.count == 1, let second = seconds.first {
            let all = pairs.filter { $0.second == second }
            let how = loadedFirst == 0 ? "loaded and started second" : loadedSecond == failing.count && loadedFirst == failing.count
                ? "started second, whichever was loaded first" : "started second"
            let others = ClaimJudgement.ordered(all.filter { !failing.contains($0) }.map(\.first))
            s = "it \(what) when \(second) is \(how), after "
                + (others.isEmpty ? "any other runtime of the kind (\(failing.count) of \(plural(all.count, "pair")))"
                    : "\(AtlasWords.list(ClaimJudgement.ordered(failing.map(\.first)))) (\(failing.count) of \(plural(all.count, "pair")); after \(AtlasWords.list(others)) it runs)")
            if loadedFirst == 0 { s += "; the same pairs run when \(second) is loaded first" }
        } else if firsts.count == 1, let first = firsts.first {
            let all = pairs.filter { $0.first == first }
            s = "it \(what) when \(first) starts first (\(failing.count) of \(plural(all.count, "pair")))"
        } else {
            let named = failing.prefix(6).map { "\($0.first) starts first, then \($0.second)" }
            s = "it \(what) when " + named.joined(separator: ", or ") + (failing.count > 6 ? ", and \(failing.count - 6) more pairs" : "")
        }
        // Repeated runs: the same every time, or varying.
        let runs = failing.flatMap { p in [p.withVariable, p.withLoadedFirst].filter(bad) }
        let total = runs.reduce(0) { $0 + $1.count }
        let badRuns = runs.reduce(0) { $0 + $1.filter { $0 != .pass }.count }
        if total > 0 {
            s += badRuns == total
                ? " (every one of \(plural(total, "run")) of those orders: it follows the load order, it is not chance)"
                : " (\(badRuns) of \(plural(total, "run")) of those orders: it varies from run to run)"
        }
        return s
    }

    static func safeAnswer(_ a: Answer, _ pairs: [AtlasEvidence.Pair]) -> String {
        let v = a.variable
        let observed = pairs.reduce(0) { $0 + $1.observedWithVariable }, two = pairs.reduce(0) { $0 + $1.twoRanWithVariable }
        let pools = observed > 0 ? " Both runtimes keep running, each with its own thread pool (two runtimes ran in \(two) of \(plural(observed, "atlas probe")) with the variable that finished)." : ""
        let rule = variableRule(pairs)
        if v.cells == 0 && rule == nil { return "Not known here: no test case ran two \(kind) with the variable." + pools }
        if v.failures.isEmpty && rule == nil {
            return "It silenced the abort here: all \(plural(v.cells, "test case")) with the variable ran clean." + pools
        }
        var s = "Not always: it silences the abort, but"
        if let rule {
            s += " \(rule)."
        } else {
            s += " " + v.failures.map { "it gave \(ClaimJudgement.outcomeWords(Outcome(rawValue: $0.outcome) ?? .exitNonzero, count: $0.cells)) with \($0.pair) when \($0.when.joined(separator: " or ")) (\($0.cells) of \(plural(v.cells, "test case")))" }.joined(separator: "; ") + "."
        }
        return s + pools
    }

    static func safeDetails(_ a: Answer, _ pairs: [AtlasEvidence.Pair]) -> [String] {
        var out: [String] = []
        if a.variable.cells > 0 {
            out.append("In the matrix, \(a.variable.clean) of \(plural(a.variable.cells, "test case")) with the variable set before either runtime started ran clean.")
        }
        out += a.variable.failures.map(\.sentence)
        return out
    }

    // MARK: What to do instead?

    static func insteadAnswer(_ a: Answer) -> String {
        let i = a.instead
        var s = "Put one OpenMP runtime in the process"
        if i.controlCells > 0 {
            s += ": with one runtime file for both libraries, \(i.controlClean) of \(plural(i.controlCells, "test case")) ran clean without the variable."
        } else {
            s += " (no test case with one runtime file for both libraries ran here to show it)."
        }
        return s + " Set the variable only as a last resort (below, with its costs)."
    }

    static func insteadDetails(_ a: Answer, _ pairs: [AtlasEvidence.Pair], shapes: [AtlasEvidence.ShapeRun] = []) -> [String] {
        var out = a.instead.steps
        if a.instead.copiesCells > 0, let pair = a.instead.copiesPair {
            out.append("A vendored copy counts as a second runtime when it is opened by its path or carries a different SONAME: "
                       + "two files of one release (\(pair)), opened by path as these test cases open them, aborted in \(a.instead.copiesAborted) of \(a.instead.copiesCells). "
                       + ClaimAtlasWeighing.sameSonameWords(shapes))
        }
        var last = a.instead.lastResort
        if let rule = variableRule(pairs) { last += " In the atlas, \(rule)." }
        out.append(last)
        return out
    }

    // MARK: macOS and Windows, in package words

    /// The doc's packages per platform: its macOS pairs (torch with faiss-cpu or scikit-learn) and
    /// the Windows wheels users report the abort with.
    package static func docPackages(_ platform: WheelCatalog.Platform) -> [String] {
        platform == .windows ? ["torch", "ctranslate2", "faiss-cpu", "scikit-learn"] : ["torch", "faiss-cpu", "scikit-learn"]
    }
    static func docPairs(_ platform: WheelCatalog.Platform) -> [(String, String)] {
        platform == .windows ? [("torch", "ctranslate2")] : [("torch", "faiss-cpu"), ("torch", "scikit-learn")]
    }

    /// The doc's package pairs by their stand-ins' atlas cells, for the three questions.
    static func macOSAnswers(_ atlas: AtlasEvidence) -> [PlatformAnswer] {
        packageAnswers(atlas.packagePairs, unanswered: atlas.macOSUnanswered, bystanders: [], platform: .macos)
    }

    /// The doc's Windows pairs by the Windows atlas (the real DLLs under Wine), for the three questions.
    static func windowsAnswers(_ w: AtlasEvidence.Packages) -> [PlatformAnswer] {
        packageAnswers(w.pairs, unanswered: w.unanswered, bystanders: w.bystanders, platform: .windows)
    }

    static func packageAnswers(_ pairs: [AtlasEvidence.PackagePair], unanswered: [String], bystanders: [AtlasEvidence.Bystander],
                               platform: WheelCatalog.Platform) -> [PlatformAnswer] {
        let by = platform == .windows ? "the real DLLs under Wine" : "their Linux stand-ins"
        var need: [String] = [], safe: [String] = [], instead: [String] = [], open: [String] = []
        for (p, q) in docPairs(platform) {
            func named(_ s: String, _ pkg: String) -> Bool { s.hasPrefix(pkg + " ") }
            let orders = pairs.filter { (named($0.first, p) && named($0.second, q)) || (named($0.first, q) && named($0.second, p)) }
            guard let any = orders.first else {
                let why = unanswered.filter { u in u.contains(p) || u.contains(q) || !docPackages(platform).contains { u.contains($0) } }
                open.append("\(p) + \(q): not answered: " + (why.isEmpty ? "no \(platform.rawValue) wheel of \(p) or \(q) was measured in the atlas" : why.joined(separator: "; ")) + ".")
                continue
            }
            let names = named(any.first, p) ? (any.first, any.firstRuntime, any.second, any.secondRuntime) : (any.second, any.secondRuntime, any.first, any.firstRuntime)
            let head = "\(names.0) (\(names.1)) with \(names.2) (\(names.3))"
            let measured = orders.filter { $0.pair != nil }
            guard !measured.isEmpty else {
                open.append("\(head): not answered: no atlas measurement of \(by) ran.")
                continue
            }
            func order(_ o: AtlasEvidence.PackagePair) -> String { "\(o.first.split(separator: " ")[0])'s started first" }
            let without = measured.map { o -> String in
                let pr = o.pair!
                return "\(order(o)): " + runWords(pr.without) + (pr.undetected ? ", both runtimes started, neither detecting the other" : "")
            }
            let aborts = measured.filter { $0.pair!.without.contains(.duplicateRuntimeAbort) }.count
            let undetected = measured.filter { $0.pair!.undetected }.count
            var verdict: String
            if aborts == measured.count {
                verdict = "yes, \(by) abort without the variable in every start order measured"
            } else if undetected == measured.count {
                verdict = "no Error #15: \(by) never detect each other, so both runtimes start, in every start order measured"
            } else {
                verdict = aborts == 0 ? "no abort measured in \(by)" : "in some start orders: \(by) abort in \(aborts) of \(plural(measured.count, "start order"))"
            }
            var sentence = "\(head): \(verdict) (" + without.joined(separator: "; ") + ")."
            if platform == .macos && undetected > 0 {
                // Linux builds register in one of two places (an environment variable up to LLVM 11, shared memory
                // from LLVM 13), so a pair across the two never meets; the macOS dylibs read so far use the first only.
                sentence += " That is Linux's behaviour, where runtimes up to LLVM 11 register in an environment variable and LLVM 13 and later in shared memory, "
                    + "so the two never meet; the torch and faiss-cpu macOS wheels' libomp.dylib files (read statically) carry only the environment-variable registration, "
                    + "so on a Mac this pair may still abort with Error #15: whether the macOS builds detect each other is not measured here (nothing ran on macOS)."
            }
            need.append(sentence)
            let with = measured.map { o -> String in
                let pr = o.pair!
                let second = o.second.split(separator: " ")[0]
                let w = runWords(pr.withVariable), l = runWords(pr.withLoadedFirst)
                return w == l ? "\(order(o)): \(w)" : "\(order(o)): \(w) when \(second)'s is loaded second, \(l) when it is loaded first"
            }
            safe.append("\(head), with the variable: " + with.joined(separator: "; ") + ".")
            var one = "\(head): one runtime for both"
            // The first package's runtime first: one file loaded once for both, and two files of it.
            let preferred = orders.sorted { named($0.first, p) && !named($1.first, p) }
            var evidence: [String] = []
            if let o = preferred.first(where: { !$0.oneFile.isEmpty }) {
                evidence.append("\(o.first)'s runtime loaded once for both \(runWords(o.oneFile)) without the variable")
            }
            if let o = preferred.first(where: { !$0.twoFiles.isEmpty }) {
                evidence.append("two files of \(o.first)'s runtime, each opened by its own path, \(runWords(o.twoFiles)) without it")
            }
            if !evidence.isEmpty { one += ": " + evidence.joined(separator: "; ") }
            one += platform == .windows
                ? " (on Windows, keep one libiomp5md.dll: load the other package's DLL from the same path, or install both from one channel; not measured here)."
                : ", as on Linux (on macOS the rpath tool is install_name_tool; never run on macOS by this kit)."
            instead.append(one)
        }
        for b in bystanders {
            let clean = b.orders - b.aborted
            need.append("\(AtlasWords.list(b.packages)) \(b.packages.count == 1 ? "ships" : "ship") \(b.runtime), which "
                        + (b.aborted == 0 ? "takes no part" : "took part")
                        + ": beside \(either(b.partners.map { "\($0)'s" })) runtime it ran without Error #15 in \(clean) of \(plural(b.orders, "start order"))"
                        + " (measured with the \(b.file) of \(b.measuredAs)).")
        }
        let label = platform == .windows ? PackageDoctor.label(.windows) : macOSLabel
        // The doc's pairs that could not be answered say so under every question.
        return [PlatformAnswer(platform: label, answer: (need + open).joined(separator: " "), details: []),
                PlatformAnswer(platform: label, answer: (safe + open).joined(separator: " "), details: []),
                PlatformAnswer(platform: label, answer: (instead + open).joined(separator: " "), details: [])]
    }
}
