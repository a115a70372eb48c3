/// The atlas cells the three questions read, one per ordered pair of two runtimes of the
/// Intel/LLVM kind (LLVM libomp, Intel libiomp5), with every run of each probe kept, and the
/// package pairs behind the macOS stand-ins.
extension AtlasEvidence {
    /// One ordered pair: `first` started first, `second` second, each probe's runs in order.
    package struct Pair: Sendable, Hashable {
        package var first: String
        package var second: String
        /// Without the variable (load first, start first, load second, start second).
        package var without: [Outcome]
        /// Whether two runtimes ran undetected without the variable (no Error #15, both started).
        package var undetected: Bool
        /// With the variable, the second runtime loaded second.
        package var withVariable: [Outcome]
        /// With the variable, the second runtime loaded first (started second all the same).
        package var withLoadedFirst: [Outcome]
        /// Probes with the variable that finished their steps with two runtimes running, of those observed.
        package var twoRanWithVariable: Int
        package var observedWithVariable: Int
        package init(first: String, second: String, without: [Outcome], undetected: Bool = false, withVariable: [Outcome],
                     withLoadedFirst: [Outcome], twoRanWithVariable: Int = 0, observedWithVariable: Int = 0) {
            self.first = first; self.second = second; self.without = without; self.undetected = undetected
            self.withVariable = withVariable; self.withLoadedFirst = withLoadedFirst
            self.twoRanWithVariable = twoRanWithVariable; self.observedWithVariable = observedWithVariable
        }
    }

    /// Two packages' runtimes read from their wheels and the atlas cell that measured them: on
    /// macOS their Linux stand-ins, on Windows the real DLLs under Wine.
    package struct PackagePair: Sendable, Hashable {
        /// `torch 2.15.0`, `LLVM 19.1`: the package started first and its runtime.
        package var first: String
        package var firstRuntime: String
        package var second: String
        package var secondRuntime: String
        /// The measured ordered pair, when both have a measured runtime and its cell ran.
        package var pair: Pair?
        /// The same runtime file loaded once for both (the first's runtime), without the variable: its runs.
        package var oneFile: [Outcome] = []
        /// Two files of the first's runtime, each opened by its own path, without the variable: its runs.
        package var twoFiles: [Outcome] = []
        package init(first: String, firstRuntime: String, second: String, secondRuntime: String, pair: Pair?) {
            self.first = first; self.firstRuntime = firstRuntime; self.second = second; self.secondRuntime = secondRuntime; self.pair = pair
        }
    }

    /// Runtime labels as the answer writes them: `LLVM 16`, `Intel 2025.2.1`.
    static func label(_ id: AtlasIdentity?, _ fallback: String) -> String {
        guard let id else { return fallback }
        switch id.vendor {
        case "llvm": return "LLVM " + (id.release.split(separator: ".").first.map(String.init) ?? id.release)
        case "intel": return "Intel " + id.release
        case "gnu": return "GNU libgomp " + id.release
        default: return fallback
        }
    }

    /// The ordered pairs of two different runtimes of the Intel/LLVM kind whose cell ran.
    static func pairs(_ atlas: AtlasResults) -> [Pair] {
        atlas.cells.compactMap { c -> Pair? in
            guard c.notRun == nil, c.diagonal == nil, c.firstIdentity?.family == "kmp", c.secondIdentity?.family == "kmp" else { return nil }
            return pair(c)
        }
    }

    /// One cell's runs as an ordered pair, whatever the two runtimes' kinds.
    static func pair(_ c: AtlasCell) -> Pair {
        let with = [c.observation(.withVariable), c.observation(.withVariableSecondLoadedFirst)].compactMap { $0 }
        let observed = with.filter { $0.runtimesRan != nil }
        return Pair(first: label(c.firstIdentity, c.first), second: label(c.secondIdentity, c.second),
                    without: c.observation(.withoutVariable)?.runs ?? [],
                    undetected: c.observation(.withoutVariable)?.ran == .twoUndetected,
                    withVariable: c.observation(.withVariable)?.runs ?? [],
                    withLoadedFirst: c.observation(.withVariableSecondLoadedFirst)?.runs ?? [],
                    twoRanWithVariable: observed.filter { $0.ran == .two || $0.ran == .twoUndetected }.count,
                    observedWithVariable: observed.count)
    }

}

/// The atlas's stack shapes and its concurrent and nested cells, in the shape the claims read.
extension AtlasEvidence {
    /// One sampled pair in one stack shape (``StackShape``), without the variable.
    package struct ShapeRun: Sendable, Hashable {
        /// The shape's raw value: `own-handle`, `linked-same-soname`, …
        package var shape: String
        package var first: String
        package var second: String
        package var outcome: Outcome
        /// Runtimes observed to start, when observed.
        package var runtimesStarted: Int?
        package init(shape: String, first: String, second: String, outcome: Outcome, runtimesStarted: Int?) {
            self.shape = shape; self.first = first; self.second = second; self.outcome = outcome; self.runtimesStarted = runtimesStarted
        }
    }

    /// One sampled pair used at once (`race`: first calls from two threads, repeated) or nested
    /// (`nest`: a region of the second inside each thread of the first's), with the variable.
    package struct ConcurrentRun: Sendable, Hashable {
        /// `race` or `nest`.
        package var kind: String
        package var first: String
        package var second: String
        package var runs: [Outcome]
        /// OpenMP team threads and OS threads of the first run, when observed.
        package var teamThreads: Int?
        package var osThreads: Int?
        /// Threads per team the probes were pinned to (`OMP_NUM_THREADS`), when known.
        package var threadsPerTeam: Int?
        package init(kind: String, first: String, second: String, runs: [Outcome], teamThreads: Int?, osThreads: Int?,
                     threadsPerTeam: Int?) {
            self.kind = kind; self.first = first; self.second = second; self.runs = runs
            self.teamThreads = teamThreads; self.osThreads = osThreads; self.threadsPerTeam = threadsPerTeam
        }
    }

    static func runtimeLabel(_ atlas: AtlasResults, _ name: String) -> String {
        label(atlas.runtime(named: name)?.identity, name)
    }

    static func shapeRuns(_ atlas: AtlasResults) -> [ShapeRun] {
        (atlas.shapes ?? []).compactMap { s in
            s.outcome.map { ShapeRun(shape: s.shape.rawValue, first: runtimeLabel(atlas, s.first), second: runtimeLabel(atlas, s.second),
                                     outcome: $0, runtimesStarted: s.ran?.runtimesStarted) }
        }
    }

    static func concurrentRuns(_ atlas: AtlasResults) -> [ConcurrentRun] {
        let perTeam = atlas.environment.pinned["OMP_NUM_THREADS"].flatMap { Int($0) }
        return (atlas.concurrency ?? []).filter { !$0.runs.isEmpty }.map { c in
            ConcurrentRun(kind: c.kind.rawValue, first: runtimeLabel(atlas, c.first), second: runtimeLabel(atlas, c.second), runs: c.runs,
                          teamThreads: c.ran?.teamThreads, osThreads: c.ran?.osThreads, threadsPerTeam: perTeam)
        }
    }
}
