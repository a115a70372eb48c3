import OMPPlan

/// One runnable (or honestly unrunnable) combination of the matrix: an applicability row
/// or a claim's probe, under one runtime profile, one way of setting the variable, one load
/// order and one reading of "import".
///
/// Its ``id`` is stable across runs and hosts: `<row>/<profile>/<env>/<ordering>/<import>`,
/// e.g. `linux-cpu-training/intel+llvm/unset/framework-first/load+init`.
public struct Cell: Sendable, Hashable, Identifiable, CustomStringConvertible {
    /// `<row>/<profile>/<env>/<ordering>/<import>`.
    public var id: String
    /// The applicability row id, `<row>@linux` for a Linux analogue, or a claim id for a claim's own probe.
    public var row: String
    /// What the cell comes from.
    package var origin: Origin
    /// The profile id: which runtime each role (framework, index) brings.
    package var profile: String
    /// How `KMP_DUPLICATE_LIB_OK` is set for the probe.
    package var envMode: EnvMode
    package var ordering: Ordering
    package var importMeaning: ImportMeaning
    /// The platform the doc's prediction is about.
    package var platform: Matrix.Platform
    package var device: Matrix.Device
    /// The fix-needed value the prediction is derived from (the row's, or the claim probe's).
    package var fixNeeded: Matrix.FixNeeded
    /// The doc's prediction: the outcomes it allows, in rule order.
    package var allowed: [Outcome]
    /// Why the prediction is what it is: the env mode's reading of the doc, with its section.
    package var predictionBasis: String
    /// The probe plan over the role names `framework` and `index`.
    package var plan: Plan
    /// The roles bound to runtime files (empty paths when a runtime is not available).
    package var runtimes: [RuntimeBinding]
    /// Which catalog runtime (or user path) each role brings, e.g. `framework: intel`, `index: llvm14`.
    package var roleRuntimes: [String: String] = [:]
    /// Extra variables for the child (on top of the supervisor's scrubbed base).
    package var environment: [String: String]
    package var launcher: Probe.Configuration.Launcher
    package var tags: [String]
    /// Claim ids this cell is evidence for.
    package var claims: [String]
    /// Whether the cell can run on this host, and why not.
    public var testability: Testability
    /// For an untestable macOS cell: the id of the Linux cell with the same plan, shown as an analogue.
    package var analogue: String?
    /// For a Linux analogue cell: the macOS cell it stands in for.
    package var analogueFor: String?
    /// How the runtimes reach the process (``StackShape``). `own-handle` (the id has no suffix) for
    /// every cell but a row's stack sample, whose id ends in `/<shape>` and whose probe goes
    /// through the consumer libraries (``stackConfiguration(consumers:timeout:executable:)``).
    package var stack: StackShape = .ownHandle
    /// For a `windows-x86_64` cell (platform ``Matrix/Platform/windows``): the Windows probe under
    /// Wine that runs it, set by the runner once its `WineSession` is up.
    package var wine: WineLaunch?

    public var description: String { id }

    /// Whether this host can run the cell.
    public enum Testability: Sendable, Hashable {
        case testable
        case untestable(reason: String)

        package var isTestable: Bool { if case .testable = self { true } else { false } }
        /// Why the cell cannot run here; nil when it can.
        public var reason: String? { if case .untestable(let r) = self { r } else { nil } }
    }

    /// Where a cell comes from.
    package enum Origin: String, Sendable, Hashable, Codable {
        /// An applicability-table row.
        case row
        /// The Linux stand-in for a macOS cell, carrying the macOS prediction.
        case analogue
        /// A probe a claim defines for itself (`probe:` in claims.yaml).
        case claimProbe = "claim-probe"
    }

    /// How (and whether) `KMP_DUPLICATE_LIB_OK` is set.
    package enum EnvMode: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
        /// Never set (the supervisor scrubs it from the parent's environment).
        case unset
        /// `=TRUE` in the environment the probe starts with.
        case exported
        /// `setenv` to TRUE as the first step, before any runtime is loaded.
        case setBeforeImports = "set-before-imports"
        /// `setenv` right after the last `load`, before a runtime initializes that has not yet.
        case setAfterLoads = "set-after-loads"
        /// `setenv` after both runtimes were loaded and initialized.
        case setAfterInits = "set-after-inits"
        /// `=FALSE` in the starting environment.
        case setFalse = "false"
        /// A parent shell exports it, then runs a wrapper script that starts the probe.
        case wrapperExported = "wrapper-exported"
        /// A parent shell assigns it without `export`, then runs the wrapper.
        case wrapperAssigned = "wrapper-assigned"
        /// A parent shell exports it, then runs the wrapper under `env -i`.
        case wrapperEnvI = "wrapper-env-i"

        package static func < (a: EnvMode, b: EnvMode) -> Bool {
            allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
        }
    }

    /// Which role's runtime is loaded (and, with `load+init`, initialized) first.
    package enum Ordering: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
        /// `load framework; [init framework;] load index; [init index]`.
        case frameworkFirst = "framework-first"
        /// `load index; [init index;] load framework; [init framework]`.
        case indexFirst = "index-first"
        /// `load framework; load index; init framework; init index`.
        case interleaved

        package static func < (a: Ordering, b: Ordering) -> Bool {
            allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
        }
    }

    /// What the doc's "import" is taken to mean.
    package enum ImportMeaning: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
        /// Importing only loads the library; its runtime initializes when work first runs.
        case load
        /// Importing loads the library and makes its runtime's first OpenMP call.
        case loadAndInit = "load+init"

        package static func < (a: ImportMeaning, b: ImportMeaning) -> Bool {
            allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
        }
    }

    /// The probe to run, or nil when this host cannot run the cell.
    package func configuration(timeout: Duration = .seconds(20), executable: String? = nil) -> Probe.Configuration? {
        guard testability.isTestable else { return nil }
        if stack != .ownHandle {
            return try? stackConfiguration(consumers: StackConsumers.forThisHost, timeout: timeout, executable: executable).get()
        }
        var c = Probe.Configuration(runtimes: runtimes, plan: plan, environment: environment,
                                    launcher: launcher, timeout: timeout, executable: executable)
        c.wine = wine
        return c
    }

    /// Identical for cells that would run the identical probe (plan, runtime files, environment,
    /// launcher), so a runner can run it once and judge every such cell against its own prediction
    /// (e.g. `linux-cpu-training/…` and `macos-lvm-training@linux/…`).
    package var probeKey: String {
        let rt = runtimes.map { "\($0.name)=\($0.path)" }.joined(separator: ",")
        let env = environment.keys.sorted().map { "\($0)=\(environment[$0]!)" }.joined(separator: ",")
        return "\(launcher.rawValue)|\(env)|\(rt)|\(plan.text)" + (stack == .ownHandle ? "" : "|\(stack.rawValue)")
    }
}
