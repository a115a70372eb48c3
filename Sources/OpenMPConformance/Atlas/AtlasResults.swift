/// An atlas run: every ordered pair of the selected catalog runtimes, three probes per pair,
/// as observed on one host. This is the model the renderers, the snapshot, the baseline
/// comparison and other commands (the answers, `doctor`) read.
///
/// Written as JSON by `AtlasCodec` (schema `currentSchemaVersion`), checked in as
/// `Matrices/atlas/<host key>.json`. A results file of kind `atlas` (``ResultsDocument``).
package struct AtlasResults: Codable, Sendable, Hashable {
    /// 2: observations record how many runtimes ran (`runtimesRan`); paths in a snapshot are
    /// relative to the runtime cache. Schema 1 files still read (nothing observed there).
    /// 4 (shared with matrix results, ``ResultsDocument/currentSchemaVersion``; there was no atlas 3)
    /// adds `kind`.
    package static let currentSchemaVersion = ResultsDocument.currentSchemaVersion
    package static let readableSchemaVersions = ResultsDocument.readableVersions(.atlas)

    /// `atlas`. Written from schema 4 on; set by ``ResultsDocument`` when an older file is read.
    package var kind: ResultsKind?
    package var schemaVersion: Int
    package var tool: ResultsFile.Tool
    /// True when the run was interrupted before every runnable cell finished.
    package var partial: Bool
    package var startedAt: String
    package var finishedAt: String?
    package var host: HostInfo
    package var environment: EnvironmentRecord
    /// The runtimes on the grid's axes, in axis order (provisioned or not).
    package var runtimes: [AtlasRuntime]
    /// macOS wheel runtimes and the Linux runtime standing in for each.
    package var standIns: [AtlasStandIn]
    /// One per ordered pair (first started, second started), rows in axis order.
    package var cells: [AtlasCell]
    /// How the run went: probes, wall time, peak memory.
    package var timing: AtlasTiming?
    /// Where the cells were measured, when not on this Linux host itself: `windows-x86_64` for
    /// the Windows DLLs under Wine (``AtlasPlatform``). Nil: `linux-x86_64`, run here.
    package var platform: AtlasPlatform?
    /// Concurrent first use and nesting on a sample of pairs (absent in older files and in runs
    /// that did not ask for them).
    package var concurrency: [AtlasConcurrencyCell]?
    /// Sampled pairs in each stack shape (absent in older files and in runs that did not ask).
    package var shapes: [AtlasShapeCell]?

    package init(schemaVersion: Int = AtlasResults.currentSchemaVersion, tool: ResultsFile.Tool = .init(),
                partial: Bool, startedAt: String, finishedAt: String?, host: HostInfo, environment: EnvironmentRecord,
                runtimes: [AtlasRuntime], standIns: [AtlasStandIn], cells: [AtlasCell], timing: AtlasTiming? = nil,
                platform: AtlasPlatform? = nil) {
        self.kind = .atlas; self.schemaVersion = schemaVersion; self.tool = tool; self.partial = partial; self.startedAt = startedAt
        self.finishedAt = finishedAt; self.host = host; self.environment = environment; self.runtimes = runtimes
        self.standIns = standIns; self.cells = cells; self.timing = timing; self.platform = platform
    }

    /// The runtime on an axis called `name`.
    package func runtime(named name: String) -> AtlasRuntime? { runtimes.first { $0.name == name } }

    /// The cell with `first` started first and `second` started second (axis names).
    package func cell(first: String, second: String) -> AtlasCell? {
        cells.first { $0.first == first && $0.second == second }
    }

    /// Runtimes that could not take part, with why.
    package var notProvisioned: [AtlasRuntime] { runtimes.filter { $0.notProvisioned != nil } }

    /// True when every cell ran every probe and no runtime was missing.
    package var isComplete: Bool {
        !partial && notProvisioned.isEmpty && cells.allSatisfy { $0.isComplete }
    }

    /// The sentence per family pairing, computed from the cells.
    package var pairings: [AtlasPairing] { AtlasPairing.all(in: self) }
}

/// One ordered pair: the runtime started first (row) and the one started second (column).
package struct AtlasCell: Codable, Sendable, Hashable, Identifiable {
    /// `<first>><second>`, e.g. `llvm16>intel`.
    package var id: String { "\(first)>\(second)" }
    /// Axis name of the runtime started first.
    package var first: String
    /// Axis name of the runtime started second.
    package var second: String
    package var firstIdentity: AtlasIdentity?
    package var secondIdentity: AtlasIdentity?
    /// What the second role loads: the second runtime's file, or on the diagonal its copy.
    package var secondFile: AtlasFile?
    /// Diagonal kind: nil off the diagonal.
    package var diagonal: Diagonal?
    /// Why the cell did not run (a runtime not provisioned), nil when it ran.
    package var notRun: String?
    /// One per probe variant, in `AtlasVariant.allCases` order (fewer when interrupted).
    package var observations: [AtlasObservation]

    package enum Diagonal: String, Codable, Sendable, Hashable {
        /// The runtime and a second file of it (its own inode): two runtimes to the loader.
        case copy
        /// The same file twice: one runtime to the loader, a control.
        case control
    }

    package init(first: String, second: String, firstIdentity: AtlasIdentity?, secondIdentity: AtlasIdentity?,
                secondFile: AtlasFile?, diagonal: Diagonal?, notRun: String?, observations: [AtlasObservation]) {
        self.first = first; self.second = second; self.firstIdentity = firstIdentity
        self.secondIdentity = secondIdentity; self.secondFile = secondFile; self.diagonal = diagonal
        self.notRun = notRun; self.observations = observations
    }

    /// The observation of one variant.
    package func observation(_ v: AtlasVariant) -> AtlasObservation? { observations.first { $0.variant == v } }

    package var isComplete: Bool {
        notRun == nil && AtlasVariant.allCases.allSatisfy { observation($0) != nil }
    }

    /// True when the two variants with the variable set ended differently: the load order
    /// changed the outcome.
    package var loadOrderMatters: Bool {
        guard let a = observation(.withVariable), let b = observation(.withVariableSecondLoadedFirst) else { return false }
        return a.outcomes != b.outcomes
    }
}

/// A file that takes part in a cell.
package struct AtlasFile: Codable, Sendable, Hashable {
    /// Catalog name (e.g. `llvm14-copy`).
    package var name: String
    package var path: String
    package init(name: String, path: String) { self.name = name; self.path = path }
}

/// What one probe variant of one cell did, over every run of it.
package struct AtlasObservation: Codable, Sendable, Hashable {
    package var variant: AtlasVariant
    /// The plan, in the plan language (roles `a` = first started, `b` = second).
    package var plan: String
    /// The distinct outcomes seen, in rule order. One element unless the cell varies.
    package var outcomes: [Outcome]
    /// Every run's outcome, in the order they finished (1 or 3 runs).
    package var runs: [Outcome]
    /// A shell line that reproduces the probe.
    package var repro: String
    /// The first run's message (for an abort, the runtime's words).
    package var message: String
    /// Seconds, summed over the runs.
    package var durationSeconds: Double
    /// How many runtimes ran, beside the outcome (``AtlasRuntimesRan``): the distinct facts
    /// of the runs that finished their steps. Nil when not observed (no run finished, or a
    /// file of schema 1, which did not record it).
    package var runtimesRan: [AtlasRuntimesRan]?
    /// What ran in the first run (absent in older atlas files, or when nothing was observed).
    package var whatRan: WhatRan?

    /// What ran in one probe, observed by it (see ``ProbeResult/runtimesStarted``).
    package struct WhatRan: Codable, Sendable, Hashable {
        /// Runtime files mapped.
        package var mappedFiles: Int
        /// Runtimes observed to start; nil when starts were not observed.
        package var runtimesStarted: Int?
        /// Distinct threads in all runtimes' regions together, the main thread included.
        package var teamThreads: Int?
        /// OS threads at the end of the work.
        package var osThreads: Int?

        package init(mappedFiles: Int, runtimesStarted: Int?, teamThreads: Int?, osThreads: Int?) {
            self.mappedFiles = mappedFiles; self.runtimesStarted = runtimesStarted
            self.teamThreads = teamThreads; self.osThreads = osThreads
        }

        /// Nil when the probe observed none of it.
        package init?(_ p: ProbeResult) {
            let started = p.startedCount, team = p.teamThreads?.first { $0.runtime == "*" }?.threads
            if started == nil && team == nil && p.osThreads == nil { return nil }
            self.init(mappedFiles: Set(p.runtimesMapped.map(\.path)).count, runtimesStarted: started,
                      teamThreads: team, osThreads: p.osThreads)
        }

        /// E.g. "2 files mapped, 2 runtimes started, 3 team threads, 3 OS threads".
        package var words: String {
            var parts = ["\(mappedFiles) file\(mappedFiles == 1 ? "" : "s") mapped"]
            parts.append(runtimesStarted.map { WhatRanText.runtimes($0) + " started" } ?? "starts not observed")
            if let teamThreads { parts.append("\(teamThreads) team threads") }
            if let osThreads { parts.append("\(osThreads) OS threads") }
            return parts.joined(separator: ", ")
        }
    }

    package init(variant: AtlasVariant, plan: String, outcomes: [Outcome], runs: [Outcome], repro: String,
                message: String, durationSeconds: Double, runtimesRan: [AtlasRuntimesRan]? = nil) {
        self.variant = variant; self.plan = plan; self.outcomes = outcomes; self.runs = runs; self.repro = repro
        self.message = message; self.durationSeconds = durationSeconds; self.runtimesRan = runtimesRan
    }

    /// The runtime count when the runs agreed on it.
    package var ran: AtlasRuntimesRan? { runtimesRan?.count == 1 ? runtimesRan?[0] : nil }

    /// True when repeated runs did not agree.
    package var varies: Bool { outcomes.count > 1 }
    /// The outcome when all runs agreed.
    package var outcome: Outcome? { outcomes.count == 1 ? outcomes[0] : nil }
}

/// Figures of the run, for the benchmark and the terminal summary.
package struct AtlasTiming: Codable, Sendable, Hashable {
    package var wallSeconds: Double
    package var probes: Int
    /// Probes that were repeats of a cell that was neither a pass nor an abort.
    package var repeats: Int
    /// The runner's peak resident set (getrusage ru_maxrss), KiB.
    package var peakRSSKiB: Int?
    /// Probes in flight at once.
    package var jobs: Int
    package init(wallSeconds: Double, probes: Int, repeats: Int, peakRSSKiB: Int?, jobs: Int) {
        self.wallSeconds = wallSeconds; self.probes = probes; self.repeats = repeats
        self.peakRSSKiB = peakRSSKiB; self.jobs = jobs
    }
}
