import Foundation
import OMPPlan

/// What a reader who just hit `OMP: Error #15` came to learn, computed from one run's cells
/// (and from an atlas of runtime pairs, where one is given): when the abort happens here, what
/// the variable does here, what to do instead and the evidence that it works, and what can
/// and cannot be said about macOS. Every number and name comes from the results; the only
/// fixed words are the sentence frames and the how-to steps.
///
/// Every report opens with it (Markdown, HTML, terminal, README) and the results file stores it
/// as structured fields (`answer`).
package struct Answer: Codable, Sendable, Hashable {
    package var abort: Abort
    package var variable: Variable
    package var instead: Instead
    package var macOS: MacOS
    /// Set when an atlas of runtime pairs informed the answer: what it added.
    package var atlas: AtlasPart?
    /// The three questions (need, safe, instead), answered per platform the run covers. Nil in
    /// files written before they existed.
    package var questions: [Question]?

    /// When the abort happens here.
    package struct Abort: Codable, Sendable, Hashable {
        package var headline: String
        /// Vendors whose runtimes took part in an abort (`Intel`, `LLVM`).
        package var families: [String]
        /// Cells with two KMP-family runtime files and no variable that ran.
        package var contendingCells: Int
        package var aborted: Int
        /// Aborts that happened at the second runtime's first OpenMP call.
        package var atSecondStart: Int
        /// Aborts while a library was only being loaded.
        package var atLoad: Int
        /// Contending cells without the variable in which at most one runtime ever started, and how many ran clean.
        package var oneStarted: Int
        package var oneStartedClean: Int
        /// Cells with GNU libgomp on one side, and how many aborted.
        package var gnuCells: Int
        package var gnuAborted: Int
        package var byPair: [PairCount]
    }

    /// A pair of runtimes in words with a count.
    package struct PairCount: Codable, Sendable, Hashable {
        package var pair: String
        package var cells: Int
        package var count: Int
    }

    /// What the variable does here.
    package struct Variable: Codable, Sendable, Hashable {
        package var headline: String
        /// Contending cells that ran with the variable in effect before either runtime started
        /// (exported, or set in the program before the loads).
        package var cells: Int
        package var clean: Int
        package var failures: [Failure]
    }

    /// One way the variable failed: a pair, an outcome, and the order it needs.
    package struct Failure: Codable, Sendable, Hashable {
        package var pair: String
        package var outcome: String
        package var cells: Int
        /// The order condition, e.g. `LLVM 14 starts first, then LLVM 16`.
        package var when: [String]
        /// The same pair's orders that ran clean with the variable.
        package var cleanWhen: [String]
        package var example: String
        package var sentence: String
    }

    /// What to do instead, with the evidence that it works here.
    package struct Instead: Codable, Sendable, Hashable {
        package var headline: String
        /// One runtime file for both libraries: cells, clean.
        package var controlCells: Int
        package var controlClean: Int
        package var controls: [String]
        /// Two files of one release (a vendored copy): aborted without the variable, of how many.
        package var copiesCells: Int
        package var copiesAborted: Int
        package var copiesPair: String?
        /// How to get to one runtime.
        package var steps: [String]
        /// The variable as a last resort, with the risks observed here.
        package var lastResort: String
    }

    /// macOS, which this host does not run.
    package struct MacOS: Codable, Sendable, Hashable {
        package var headline: String
        package var ranHere: Bool
        package var macCells: Int
        /// Linux stand-in cells (`<row>@linux`) that ran, and what they showed.
        package var standInCells: Int
        package var standIns: String
        /// Which runtimes the macOS wheels bundle, read from their bytes; or why it cannot be said.
        package var wheels: [String]
        package var wheelsUntestable: String?
    }

    /// What an atlas of runtime pairs added.
    package struct AtlasPart: Codable, Sendable, Hashable {
        package var source: String
        package var lines: [String]
    }

    /// The four headlines, in order: a few lines for a terminal.
    package var headlines: [String] { [abort.headline, variable.headline, instead.headline, macOS.headline] }
}


extension Answer {
    /// The answer for one run.
    /// - Parameters:
    ///   - results: the run's cells.
    ///   - runtimes: the run's runtimes (their releases name the pairs).
    ///   - wheels: wheels read statically; macOS ones say which runtimes the real wheels bundle.
    ///   - wheelsMissing: why macOS wheels are absent, when they are.
    ///   - atlas: wider observations of pairs, when an atlas exists.
    package static func compute(results: [CellResult], runtimes: [RuntimeRecord], wheels: [WheelScan.Wheel]? = nil,
                               wheelsMissing: String? = nil, atlas: AtlasEvidence? = nil, hostKey: String? = nil) -> Answer {
        let words = CellWords(runtimes: runtimes)
        // Stack-shape cells answer how the runtimes reach the process, a question of their own (StackShapeCounts).
        let ran = results.filter { $0.status == .ran && $0.outcome != nil && $0.outcome != .launchFailed && $0.stack == .ownHandle }
        let noVariable = ran.filter { $0.profileKind == "contending" && $0.envMode == "unset" }
        let withVariable = ran.filter { $0.profileKind == "contending" && ($0.envMode == "exported" || $0.envMode == "set-before-imports") }
        var a = Answer(abort: abort(noVariable, ran: ran, words),
                       variable: variable(withVariable, words),
                       instead: instead(ran, noVariable: noVariable, withVariable: withVariable, words, atlas: atlas),
                       macOS: macOS(results, ran: ran, wheels: wheels, wheelsMissing: wheelsMissing),
                       atlas: atlas.map { atlasPart($0) })
        a.questions = questions(a, atlas: atlas, platform: platformLabel(hostKey: hostKey))
        return a
    }

    /// Where an aborted probe died: `second-start`, `load`, or `other`.
    static func moment(_ r: CellResult) -> String {
        let s = CellWords.steps(r)
        guard let p = r.probe, p.ending.afterStep >= 0, p.ending.afterStep < s.count else { return "other" }
        let step = s[p.ending.afterStep]
        if step.verb == "load" { return "load" }
        let order = CellWords.startOrder(s)
        if order.count >= 2, step.runtimes.contains(order[1]), step.verb == "init" || step.opensParallelRegion,
           !s[..<p.ending.afterStep].contains(where: { ($0.verb == "init" || $0.opensParallelRegion) && $0.runtimes.contains(order[1]) }) {
            return "second-start"
        }
        return "other"
    }

    static func vendor(_ name: String) -> String {
        name.hasPrefix("intel") ? "Intel" : name.hasPrefix("llvm") ? "LLVM" : name.hasPrefix("gnu") ? "GNU" : name
    }

    static func plural(_ n: Int, _ one: String, _ many: String? = nil) -> String { "\(n) \(n == 1 ? one : (many ?? one + "s"))" }

    static func abort(_ noVariable: [CellResult], ran: [CellResult], _ words: CellWords) -> Abort {
        let aborted = noVariable.filter { $0.outcome == .duplicateRuntimeAbort }
        let moments = aborted.map(moment)
        let atSecond = moments.filter { $0 == "second-start" }.count
        let atLoad = moments.filter { $0 == "load" }.count
        var families: [String] = []
        for r in aborted { for n in (r.roleRuntimes ?? [:]).values.sorted() where !families.contains(vendor(n)) { families.append(vendor(n)) } }
        families.sort()
        let oneStarted = noVariable.filter { CellWords.startOrder(CellWords.steps($0)).count < 2 }
        let oneStartedClean = oneStarted.filter { $0.outcome == .pass }.count
        let gnu = ran.filter { $0.profileKind == "mixed" }
        let gnuAborted = gnu.filter { $0.outcome == .duplicateRuntimeAbort }.count
        var pairs: [String: (Int, Int)] = [:]
        var order: [String] = []
        for r in noVariable {
            let p = words.pair(r)
            if pairs[p] == nil { order.append(p); pairs[p] = (0, 0) }
            pairs[p]!.0 += 1
            if r.outcome == .duplicateRuntimeAbort { pairs[p]!.1 += 1 }
        }
        let byPair = order.map { PairCount(pair: $0, cells: pairs[$0]!.0, count: pairs[$0]!.1) }
        var h: String
        if noVariable.isEmpty {
            h = "No test case with two \(kind) and no variable ran here, so nothing can be said about the abort."
        } else {
            let fam = families.isEmpty ? "" : " (\(families.joined(separator: " and ")))"
            h = "Without the variable, \(aborted.count) of \(plural(noVariable.count, "test case")) with two runtime files of the Intel/LLVM kind\(fam) aborted with Error #15"
            h += atSecond == aborted.count && !aborted.isEmpty
                ? ", every one at the second runtime's first OpenMP call, never at its load"
                : " (\(atSecond) at the second runtime's first OpenMP call, \(atLoad) while loading)"
            h += "."
            if !oneStarted.isEmpty {
                h += " In \(oneStartedClean) of \(plural(oneStarted.count, "test case")) where only one of the two runtimes ever started, the process ran clean."
            }
            if !gnu.isEmpty {
                h += gnuAborted == 0
                    ? " GNU libgomp takes no part: all \(plural(gnu.count, "test case")) with it on one side ran without the abort."
                    : " With GNU libgomp on one side, \(gnuAborted) of \(plural(gnu.count, "test case")) aborted."
            }
        }
        return Abort(headline: h, families: families, contendingCells: noVariable.count, aborted: aborted.count,
                     atSecondStart: atSecond, atLoad: atLoad, oneStarted: oneStarted.count,
                     oneStartedClean: oneStartedClean,
                     gnuCells: gnu.count, gnuAborted: gnuAborted, byPair: byPair)
    }

    /// `LLVM 14 starts first, then LLVM 16` (the first clause of a cell's words).
    static func startWords(_ r: CellResult, _ words: CellWords) -> String {
        String(words.describe(r).split(separator: ";").first ?? "").trimmingCharacters(in: .whitespaces)
    }

    static func variable(_ withVariable: [CellResult], _ words: CellWords) -> Variable {
        let clean = withVariable.filter { $0.outcome == .pass }
        var groups: [String: [CellResult]] = [:]
        var keys: [String] = []
        for r in withVariable where r.outcome != .pass {
            let k = "\(words.pair(r))\u{1F}\(r.outcome!.rawValue)"
            if groups[k] == nil { keys.append(k) }
            groups[k, default: []].append(r)
        }
        let failures = keys.map { k -> Failure in
            let cells = groups[k]!
            let pair = words.pair(cells[0])
            let when = ClaimJudgement.ordered(cells.map { startWords($0, words) })
            let cleanWhen = ClaimJudgement.ordered(clean.filter { words.pair($0) == pair }.map { startWords($0, words) })
                .filter { !when.contains($0) }
            let o = ClaimJudgement.outcomeWords(cells[0].outcome!, count: cells.count)
            var s = "\(pair): \(o) in \(plural(cells.count, "test case")), when \(when.joined(separator: " or "))"
            if !cleanWhen.isEmpty { s += "; clean when \(cleanWhen.joined(separator: " or "))" }
            let best = cells.min { Verdicts.stepCount($0) != Verdicts.stepCount($1) ? Verdicts.stepCount($0) < Verdicts.stepCount($1) : $0.id < $1.id }!
            return Failure(pair: pair, outcome: cells[0].outcome!.rawValue, cells: cells.count, when: when, cleanWhen: cleanWhen,
                           example: best.id, sentence: s + ".")
        }
        var h: String
        if withVariable.isEmpty {
            h = "No test case with two \(kind) ran with the variable here."
        } else if failures.isEmpty {
            h = "With the variable set before either runtime started, all \(plural(withVariable.count, "test case")) with two runtimes of the Intel/LLVM kind ran clean."
        } else {
            let bad = withVariable.count - clean.count
            h = "With the variable set before either runtime started, \(clean.count) of \(plural(withVariable.count, "test case")) with two runtimes of the Intel/LLVM kind ran clean; \(bad) did not: "
            h += failures.map { f in
                "\(ClaimJudgement.outcomeWords(Outcome(rawValue: f.outcome)!)) with \(f.pair) when \(f.when.joined(separator: " or "))"
                    + (f.cleanWhen.isEmpty ? "" : " (clean when \(f.cleanWhen.joined(separator: " or ")))")
            }.joined(separator: "; ") + "."
        }
        return Variable(headline: h, cells: withVariable.count, clean: clean.count, failures: failures)
    }

    static func instead(_ ran: [CellResult], noVariable: [CellResult], withVariable: [CellResult], _ words: CellWords,
                        atlas: AtlasEvidence? = nil) -> Instead {
        let controls = ran.filter { $0.profileKind == "control" }
        let controlClean = controls.filter { $0.outcome == .pass }.count
        let controlNames = ClaimJudgement.ordered(controls.map { words.pair($0) })
        let copies = noVariable.filter { r in
            guard let f = r.roleRuntimes?["framework"], let i = r.roleRuntimes?["index"] else { return false }
            return i == f + "-copy" || f == i + "-copy"
        }
        let copiesAborted = copies.filter { $0.outcome == .duplicateRuntimeAbort }.count
        let risky = withVariable.filter { $0.outcome != .pass }
        var h: String
        if controls.isEmpty {
            h = "Put one OpenMP runtime in the process (no test case with one runtime file for both libraries ran here to show it)."
        } else {
            h = "Put one OpenMP runtime in the process: with one runtime file for both libraries (\(controlNames.joined(separator: "; "))), \(controlClean) of \(plural(controls.count, "test case")) ran clean without the variable"
            if !copies.isEmpty, let pair = copies.first.map(words.pair) {
                h += "; two files of one release (\(pair)) opened by their paths, as these test cases open them, aborted in \(copiesAborted) of \(copies.count)"
            }
            h += "."
        }
        let steps = [
            "Link both libraries against one runtime file: build the index library against the framework's libomp (or the reverse), so the loader maps a single file.",
            "Delete a vendored copy and point its loader at the other, keeping the newer release: remove the older bundled runtime and set its RPATH (patchelf --set-rpath, or install_name_tool on macOS) or a symlink to the newer one that stays (a library built against a newer runtime can need symbols an older one lacks, and then fails to import with `undefined symbol`; not measured in this run).",
            "Install both from one channel (not measured here): conda-forge builds PyTorch and FAISS against one llvm-openmp; mixing pip wheels and conda packages is what brings two copies.",
        ]
        var last = "Only as a last resort, export KMP_DUPLICATE_LIB_OK=TRUE before the program starts"
        if let atlas, case let observed = atlas.pairs.reduce(0, { $0 + $1.observedWithVariable }), observed > 0 {
            let two = atlas.pairs.reduce(0) { $0 + $1.twoRanWithVariable }
            last += ". It keeps both runtimes, each with its own thread pool (two runtimes ran in \(two) of \(plural(observed, "atlas probe")) with it), so twice the OpenMP threads run, and more when one runtime's threads open regions of the other "
                + (ClaimAtlasWeighing.nestedWords(atlas.concurrent).map { "(\($0))" } ?? "(not measured in this atlas)")
        } else {
            last += ". It keeps both runtimes, each with its own thread pool (the atlas was not read, so not counted here)"
        }
        if withVariable.isEmpty {
            last += "; its other risks could not be observed here."
        } else if risky.isEmpty {
            last += ". Here all \(plural(withVariable.count, "test case")) with it ran clean, but a clean run of one pair is no guarantee for a different pair."
        } else {
            last += ". Here it gave \(ClaimJudgement.outcomeSummary(risky)) in \(risky.count) of \(plural(withVariable.count, "test case"))"
            let pairs = ClaimJudgement.ordered(risky.map { words.pair($0) })
            last += " (\(pairs.joined(separator: "; "))), and a hang at exit keeps a core at 100% until the process is killed."
        }
        return Instead(headline: h, controlCells: controls.count, controlClean: controlClean, controls: controlNames,
                       copiesCells: copies.count, copiesAborted: copiesAborted, copiesPair: copies.first.map(words.pair),
                       steps: steps, lastResort: last)
    }

    static func macOS(_ results: [CellResult], ran: [CellResult], wheels: [WheelScan.Wheel]?, wheelsMissing: String?) -> MacOS {
        let mac = results.filter { $0.tags.contains("macos") && !$0.row.hasSuffix("@linux") }
        let macRan = mac.filter { $0.status == .ran }
        let standIns = ran.filter { $0.row.hasSuffix("@linux") }
        let macWheels = (wheels ?? []).filter { $0.platform == .macos }
        let wheelLines = macWheels.map { w -> String in
            let kinds = w.libraries.map { "\($0.kind == .llvm ? "LLVM libomp" : $0.kind == .intel ? "Intel libiomp5" : $0.kind == .gnu ? "GNU libgomp" : "an OpenMP runtime of unknown vendor") (\(($0.path.split(separator: "/").last).map(String.init) ?? $0.path))" }
            let body = kinds.isEmpty ? "no OpenMP runtime" : kinds.joined(separator: ", ")
            return "\(w.package) \(w.version) (\(w.platformTag)) bundles \(body)" + (w.error.map { " (partly read: \(ReportText.truncate($0, 90)))" } ?? "")
        }
        let missing = macWheels.isEmpty
            ? (wheelsMissing ?? "no macOS wheel (torch-macos-arm64, faiss-cpu-macos-arm64) is in the runtime manifest or its wheels folder")
            : nil
        let ranHere = !macRan.isEmpty
        var h = ranHere ? "macOS test cases ran on this host (\(macRan.count) of \(mac.count))."
            : "macOS was not run on this host (\(plural(mac.count, "macOS test case")) skipped)."
        if !standIns.isEmpty {
            h += " The same test cases on Linux, standing in for it (same plans and runtime pairs), gave \(ClaimJudgement.outcomeSummary(standIns)) (\(plural(standIns.count, "test case")))."
        }
        if wheelLines.isEmpty {
            h += " Which runtimes the macOS wheels bundle is untestable here: \(missing!)."
        } else {
            h += " Read from their bytes, never loaded: " + wheelLines.joined(separator: "; ") + "."
        }
        return MacOS(headline: h, ranHere: ranHere, macCells: mac.count, standInCells: standIns.count,
                     standIns: ClaimJudgement.outcomeSummary(standIns), wheels: wheelLines, wheelsUntestable: missing)
    }

    static func atlasPart(_ a: AtlasEvidence) -> AtlasPart {
        var groups: [String: [Outcome]] = [:]
        var keys: [String] = []
        for o in a.observations where o.variable {
            let k = "\(o.first) starts first, then \(o.second)"
            if groups[k] == nil { keys.append(k) }
            groups[k, default: []].append(o.outcome)
        }
        // With every run kept, each failing pair says which order did what, with run counts.
        let pairLines = a.pairs.compactMap { p -> String? in
            guard p.withVariable.contains(where: { $0 != .pass }) || p.withLoadedFirst.contains(where: { $0 != .pass }) else { return nil }
            return "\(p.first) starts first, then \(p.second): \(runWords(p.withVariable)) when \(p.second) is loaded second"
                + (p.withLoadedFirst.isEmpty ? "." : "; \(runWords(p.withLoadedFirst)) when \(p.second) is loaded first.")
        }
        let lines = !a.pairs.isEmpty ? pairLines : keys.compactMap { k -> String? in
            let bad = groups[k]!.filter { $0 != .pass }
            guard !bad.isEmpty else { return nil }
            let counts = Dictionary(bad.map { ($0, 1) }, uniquingKeysWith: +).sorted { $0.key < $1.key }
                .map { "\($0.value) \(ClaimJudgement.outcomeWords($0.key, count: $0.value))" }.joined(separator: ", ")
            // Distinct outcomes, not runs: no rate can be read from them, and none is given.
            return "\(k): \(counts) among its probes with the variable (this atlas keeps no run counts, so whether it follows the load order or varies is not known)."
        }
        let total = a.observations.filter(\.variable).count
        let bad = keys.filter { groups[$0]!.contains { $0 != .pass } }.count
        var out = ["With the variable, the atlas observed \(keys.count) ordered pairs of two \(kind) (\(total) distinct outcomes of their probes); \(bad) of them did not always run clean."]
        // A shared second (or first) runtime among the failing pairs is the order condition.
        let failing = a.observations.filter { $0.variable && $0.outcome != .pass }
        let seconds = Set(failing.map(\.second)), firsts = Set(failing.map(\.first))
        if bad > 1, seconds.count == 1, let s = seconds.first {
            out[0] += " Every one of them has \(s) starting second."
        } else if bad > 1, firsts.count == 1, let f = firsts.first {
            out[0] += " Every one of them has \(f) starting first."
        }
        if total == 0 { out = ["The atlas holds no observation of two \(kind) with the variable."] }
        out += lines.prefix(12)
        if lines.count > 12 { out.append("… and \(lines.count - 12) more pairs in \(a.source).") }
        return AtlasPart(source: a.source, lines: out)
    }
}
