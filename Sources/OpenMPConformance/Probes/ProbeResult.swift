/// Everything a probe observed, in the shape written to results files.
public struct ProbeResult: Codable, Sendable, Hashable {
    /// What happened, by the classifier's rules in their order (see ``Outcome``).
    public var outcome: Outcome
    /// Why this outcome: for an abort, the runtime's own words, parsed.
    public var message: Message
    package var stepsCompleted: Int
    package var stepsTotal: Int
    package var durationSeconds: Double
    /// OpenMP runtimes mapped in the child, as it reported them after each load.
    public var runtimesMapped: [MappedRuntime]
    /// A shell line that reproduces this probe.
    public var repro: String
    package var checks: [CheckRecord]
    /// OMP error numbers seen on stderr, in order, without repeats.
    public var ompErrors: [Int]
    package var ending: Ending
    package var stdout: CapturedText
    package var stderr: CapturedText
    /// OpenBLAS's kernel in the child.
    package var blasCore: String?
    /// The child's pid (its shm registration files carry it).
    package var pid: Int32?
    /// Milliseconds from "all steps done" to the verdict, for `hang-at-exit`.
    package var exitWaitMilliseconds: Double?
    /// Which runtimes started, as the child observed them after its last step (absent: not
    /// observed, e.g. a probe that ended early, an older or the Windows probe).
    package var runtimesStarted: [RuntimeStart]?
    /// Distinct threads seen in each runtime's parallel regions, the main thread included; the
    /// runtime `*` counts every runtime's regions together (absent: not observed).
    package var teamThreads: [TeamThreads]?
    /// The child's OS threads at the end of its work, its lifeline thread not counted (absent: not observed).
    package var osThreads: Int?

    package init(outcome: Outcome, message: Message, stepsCompleted: Int, stepsTotal: Int, durationSeconds: Double,
                runtimesMapped: [MappedRuntime], repro: String, checks: [CheckRecord], ompErrors: [Int],
                ending: Ending, stdout: CapturedText, stderr: CapturedText, blasCore: String?, pid: Int32?,
                exitWaitMilliseconds: Double? = nil) {
        self.outcome = outcome; self.message = message; self.stepsCompleted = stepsCompleted
        self.stepsTotal = stepsTotal; self.durationSeconds = durationSeconds; self.runtimesMapped = runtimesMapped
        self.repro = repro; self.checks = checks; self.ompErrors = ompErrors; self.ending = ending
        self.stdout = stdout; self.stderr = stderr; self.blasCore = blasCore; self.pid = pid
        self.exitWaitMilliseconds = exitWaitMilliseconds
    }

    /// The reason behind an outcome, with the two libraries of an Error #15 when the runtime named them.
    public struct Message: Codable, Sendable, Hashable {
        /// One line: the runtime's own message for an abort, else what the classifier saw.
        public var text: String
        /// For Error #15: the library that was initializing.
        public var initializing: String?
        /// For Error #15: the library it found already initialized.
        public var found: String?
        package init(text: String, initializing: String? = nil, found: String? = nil) {
            self.text = text; self.initializing = initializing; self.found = found
        }
    }

    /// An OpenMP runtime the child had mapped.
    public struct MappedRuntime: Codable, Sendable, Hashable {
        /// The mapped file.
        public var path: String
        /// `kmp` (LLVM or Intel, which exports `__kmpc_fork_call`) or `gnu`, from the file's symbols.
        public var family: String
        /// The plan step after which it was first seen (0: before any step).
        package var afterStep: Int
        package init(path: String, family: String, afterStep: Int) {
            self.path = path; self.family = family; self.afterStep = afterStep
        }
    }

    /// Whether one runtime of the plan initialised, and how that was seen.
    package struct RuntimeStart: Codable, Sendable, Hashable {
        /// The plan's name for the runtime.
        package var runtime: String
        package var started: Bool
        /// `ompt`: the runtime reported (or, able to, did not report) its own start to the probe's
        /// OMPT tool; `regions`: a parallel region of that runtime's own functions ran.
        package var how: String
        package init(runtime: String, started: Bool, how: String) {
            self.runtime = runtime; self.started = started; self.how = how
        }
    }

    /// Distinct threads seen in one runtime's regions (`*`: all runtimes together).
    package struct TeamThreads: Codable, Sendable, Hashable {
        package var runtime: String
        package var threads: Int
        package init(runtime: String, threads: Int) { self.runtime = runtime; self.threads = threads }
    }

    /// The number of runtimes observed to start, or nil when no start was observed either way.
    public var startedCount: Int? {
        guard let runtimesStarted, !runtimesStarted.isEmpty else { return nil }
        return runtimesStarted.filter(\.started).count
    }

    package struct CheckRecord: Codable, Sendable, Hashable {
        package var step: Int
        package var name: String
        package var passed: Bool
        package var detail: String
        package init(step: Int, name: String, passed: Bool, detail: String) {
            self.step = step; self.name = name; self.passed = passed; self.detail = detail
        }
    }

    package struct Ending: Codable, Sendable, Hashable {
        package enum Kind: String, Codable, Sendable { case exited, signaled, killed, notStarted = "not-started" }
        package var kind: Kind
        package var code: Int32?
        package var signal: Int32?
        /// The last step that completed (0: none).
        package var afterStep: Int
        /// Why the supervisor killed the probe, when it did: a `Classifier/KillReason` raw value.
        package var killedBy: String?
        package init(kind: Kind, code: Int32? = nil, signal: Int32? = nil, afterStep: Int, killedBy: String? = nil) {
            self.kind = kind; self.code = code; self.signal = signal; self.afterStep = afterStep; self.killedBy = killedBy
        }
    }

    /// The first and last part of a stream, with how much was left out between.
    package struct CapturedText: Codable, Sendable, Hashable {
        package var head: String
        package var tail: String
        package var omittedBytes: Int
        package var totalBytes: Int
        package init(head: String = "", tail: String = "", omittedBytes: Int = 0, totalBytes: Int = 0) {
            self.head = head; self.tail = tail; self.omittedBytes = omittedBytes; self.totalBytes = totalBytes
        }
        package var text: String { omittedBytes > 0 ? head + "\n[… \(omittedBytes) bytes omitted …]\n" + tail : head + tail }
    }
}
