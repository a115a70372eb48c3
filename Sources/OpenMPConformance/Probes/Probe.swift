// The plan language's public types (`Plan`, `PlanError`) appear in `Probe.Configuration`:
// re-exported, so that `import OpenMPConformance` is enough to write a plan.
@_exported import OMPPlan

/// Runs one probe: a real subprocess that loads OpenMP runtimes by path, runs a plan,
/// and is classified by how it ended.
///
/// ```swift
/// let result = await Probe.run(.init(
///     runtimes: [.init(name: "a", path: "/usr/lib/llvm-14/lib/libomp.so.5")],
///     plan: try Plan.parse("load a; init a; train a")))
/// print(result.outcome)   // pass
/// ```
public enum Probe {
    /// Runs a probe under the process-wide concurrency cap (`ProbeLimiter`).
    public static func run(_ configuration: Configuration) async -> ProbeResult {
        await ProbeLimiter.shared.withSlot {
            await Supervisor.run(configuration)
        }
    }
}

/// A runtime bound to a plan name.
public struct RuntimeBinding: Codable, Sendable, Hashable {
    public var name: String
    public var path: String
    public init(name: String, path: String) { self.name = name; self.path = path }
}

extension Probe {
    /// What to launch and how to supervise it.
    public struct Configuration: Sendable {
        /// What runs in the child.
        public enum Command: Sendable {
            /// `omp-probe` with these runtimes and this plan.
            case plan(Plan, runtimes: [RuntimeBinding])
            /// Any command line (argv, never a shell string), e.g. a downstream training
            /// binary or `python3 -c 'import torch, faiss'`. Classified by the same rules;
            /// without protocol records, "steps" means the whole command.
            case external([String])
        }

        /// How the child is started, which decides what environment it inherits.
        public enum Launcher: String, Sendable, Codable, CaseIterable {
            /// argv straight from the supervisor.
            case direct
            /// A parent shell exports `KMP_DUPLICATE_LIB_OK=TRUE`, then runs a wrapper script that runs the probe.
            case wrapperExported = "wrapper-exported"
            /// A parent shell assigns it without `export`, then runs the wrapper script.
            case wrapperAssigned = "wrapper-assigned"
            /// A parent shell exports it, then runs the wrapper under `env -i`.
            case wrapperEnvI = "wrapper-env-i"
        }

        package var command: Command
        /// Extra variables for the child, on top of the scrubbed and pinned environment
        /// (e.g. `KMP_DUPLICATE_LIB_OK=TRUE` for "exported before start").
        package var environment: [String: String]
        package var launcher: Launcher
        /// Deadline for the steps to complete; past it the outcome is `hang`.
        package var timeout: Duration
        /// How long a child that reported "done" may take to exit before `hang-at-exit`.
        package var exitGrace: Duration
        /// The grace is extended while the child keeps writing output, up to this bound.
        package var exitGraceMax: Duration
        /// Bytes kept from the start and from the end of each stream.
        package var captureLimit: Int
        /// The `omp-probe` binary; nil finds it (see ``ProbeExecutable``).
        package var executable: String?
        /// For an external command run by `doctor`: the file the kit's preloaded exit hook appends
        /// `exit <pid>` to. When the command's own pid appears there, exit has begun, and a command
        /// that then does not end within the exit grace is `hang-at-exit` rather than `hang`.
        package var exitSignalLog: String?
        /// For Windows DLLs: run the Windows probe under Wine instead of omp-probe (same plan,
        /// same records). Nil runs omp-probe.
        package var wine: WineLaunch?
        /// For a user's own command (`doctor -- COMMAND`): the child starts from this process's whole
        /// environment, the user's loader variables and `OMP_NUM_THREADS` included (nothing scrubbed,
        /// nothing pinned), plus ``environment`` and minus ``removedVariables``; the repro line then
        /// shows only those changes. False (the kit's own probes): scrubbed and pinned.
        package var inheritsEnvironment = false
        /// Variables taken out of an inherited environment (shown as `env -u NAME`).
        package var removedVariables: [String] = []
        /// The child's working directory; nil: this process's. A user's command that opens files by
        /// relative paths (`ctypes.CDLL('lib/libomp.so.5')`) finds them there; the repro line then
        /// begins `cd DIR &&`.
        package var workingDirectory: String?

        public init(runtimes: [RuntimeBinding], plan: Plan, environment: [String: String] = [:],
                    launcher: Launcher = .direct, timeout: Duration = .seconds(20),
                    exitGrace: Duration = .milliseconds(250), exitGraceMax: Duration = .seconds(1),
                    captureLimit: Int = 64 * 1024, executable: String? = nil) {
            self.init(command: .plan(plan, runtimes: runtimes), environment: environment, launcher: launcher,
                      timeout: timeout, exitGrace: exitGrace, exitGraceMax: exitGraceMax,
                      captureLimit: captureLimit, executable: executable)
        }

        public init(command: Command, environment: [String: String] = [:], launcher: Launcher = .direct,
                    timeout: Duration = .seconds(20), exitGrace: Duration = .milliseconds(250),
                    exitGraceMax: Duration = .seconds(1), captureLimit: Int = 64 * 1024, executable: String? = nil) {
            self.command = command; self.environment = environment; self.launcher = launcher
            self.timeout = timeout; self.exitGrace = exitGrace; self.exitGraceMax = exitGraceMax
            self.captureLimit = captureLimit; self.executable = executable
        }
    }
}
