import Foundation
import OMPPlan

/// Turns rows and claim probes into cells. The pruning rules (also in Matrices/README.md):
///
/// 1. **Shapes per env mode.** An (ordering, import meaning) pair is a *shape*. `interleaved` exists only
///    with `load+init` (with `load` alone there are no init steps to interleave).
///    `unset` runs every shape; `exported` and `set-before-imports` run framework-first and
///    index-first with `load+init`; `set-after-loads` runs where every load precedes every init
///    (both `load` orders, and interleaved); `set-after-inits` runs the three `load+init` shapes;
///    `false` and the three wrappers run framework-first `load+init` only (the variable is fixed
///    before the first step, so the order adds nothing the `exported` cells do not show).
/// 2. **Profile kinds.** A control profile (one file for both roles) runs only `unset`, in
///    framework-first `load` and `load+init`, and is predicted to pass (the doc blames two
///    different runtimes; a control has one). A mixed profile (a GNU side) runs only `unset` and
///    `exported`: libgomp has no duplicate check for the other modes to matter to.
/// 3. **Row filters.** A row or claim probe may narrow env modes, orderings, imports and profiles.
/// 4. **Testability.** A device the host lacks (MPS, CUDA), a platform the host is not, or a
///    runtime missing from the manifest makes a cell untestable, with the reason.
/// 5. **Analogues.** On Linux, every untestable macOS cell on the CPU (or any device) gets a Linux
///    analogue: the same plan, the same runtime pair, the macOS prediction, row `<row>@linux`.
///    MPS and CUDA cells get none: their device is the point.
/// 6. **Stack shapes.** A row's `stacks:` adds, for each named ``StackShape`` and each of its
///    `stackProfiles` (default: its contending profiles), cells for `unset` and `exported` (those the
///    row expands), framework-first, `load+init` only: a consumer library's first call is its load
///    and its runtime's start at once, so other orderings and imports add nothing. Their plan is the
///    consumers' (`consumer framework; consumer index`), their prediction the row's, their id the
///    own-handle id plus `/<shape>`. They run on Linux only (ELF loader, `patchelf`).
struct Expander {
    let host: Matrix.Platform
    let manifest: [String: RuntimeRecord]
    let declared: [String: Matrix.RuntimeDeclaration]
    let profiles: [Matrix.Profile]
    let table: Matrix.PredictionTable
    let fileExists: @Sendable (String) -> Bool

    static let variable = "KMP_DUPLICATE_LIB_OK"
    typealias Shape = (ordering: Cell.Ordering, importMeaning: Cell.ImportMeaning)

    /// Rule 1 and 2.
    static func shapes(for env: Cell.EnvMode, kind: Matrix.Profile.Kind) -> [Shape] {
        switch kind {
        case .control:
            return env == .unset ? [(.frameworkFirst, .load), (.frameworkFirst, .loadAndInit)] : []
        case .mixed where env != .unset && env != .exported:
            return []
        default: break
        }
        switch env {
        case .unset:
            return [(.frameworkFirst, .load), (.indexFirst, .load), (.frameworkFirst, .loadAndInit),
                    (.indexFirst, .loadAndInit), (.interleaved, .loadAndInit)]
        case .exported, .setBeforeImports:
            return [(.frameworkFirst, .loadAndInit), (.indexFirst, .loadAndInit)]
        case .setAfterLoads:
            return [(.frameworkFirst, .load), (.indexFirst, .load), (.interleaved, .loadAndInit)]
        case .setAfterInits:
            return [(.frameworkFirst, .loadAndInit), (.indexFirst, .loadAndInit), (.interleaved, .loadAndInit)]
        case .setFalse, .wrapperExported, .wrapperAssigned, .wrapperEnvI:
            return [(.frameworkFirst, .loadAndInit)]
        }
    }

    /// The probe plan: [setenv] imports [setenv] work.
    static func plan(workload: Plan, ordering: Cell.Ordering, importMeaning: Cell.ImportMeaning, env: Cell.EnvMode) -> Plan {
        let (x, y) = ordering == .indexFirst ? ("index", "framework") : ("framework", "index")
        let set = Step.setenv(variable, "TRUE")
        var steps: [Step] = env == .setBeforeImports ? [set] : []
        switch (importMeaning, ordering) {
        case (.load, _): steps += [.load(x), .load(y)]
        case (.loadAndInit, .interleaved): steps += [.load(x), .load(y), .initialize(x), .initialize(y)]
        case (.loadAndInit, _): steps += [.load(x), .initialize(x), .load(y), .initialize(y)]
        }
        switch env {
        case .setAfterLoads:
            let last = steps.lastIndex(where: { if case .load = $0 { true } else { false } })!
            steps.insert(set, at: last + 1)
        case .setAfterInits:
            steps.append(set)
        default: break
        }
        return Plan(steps + workload.steps)
    }

    /// Rule 2, predictions: a control has one runtime in the process, so the doc's stated cause
    /// (two DIFFERENT runtimes, "Why It Happens") is absent and by its own reasoning the run is
    /// clean, whatever the row says about two-runtime installs.
    static let controlPrediction = Matrix.Prediction(
        allowed: [.pass],
        basis: "Control profile: both roles use one runtime file, so the doc's stated cause (two different runtimes, \u{201C}Why It Happens\u{201D}) is absent and its own reasoning predicts a clean run.")

    static func environment(_ env: Cell.EnvMode) -> [String: String] {
        switch env {
        case .exported: [variable: "TRUE"]
        case .setFalse: [variable: "FALSE"]
        default: [:]
        }
    }

    static func launcher(_ env: Cell.EnvMode) -> Probe.Configuration.Launcher {
        switch env {
        case .wrapperExported: .wrapperExported
        case .wrapperAssigned: .wrapperAssigned
        case .wrapperEnvI: .wrapperEnvI
        default: .direct
        }
    }

    /// What a row or claim probe expands from.
    struct Source {
        let row: String
        let origin: Cell.Origin
        let platform: Matrix.Platform
        let device: Matrix.Device
        let fixNeeded: Matrix.FixNeeded
        let workload: Plan
        let expansion: Matrix.Expansion
        let tags: [String]
        let location: SourceLocation
    }

    func cells(for s: Source) -> [Cell] {
        var out: [Cell] = []
        for p in profiles where s.expansion.profiles?.contains(p.id) ?? true {
            let kind = p.kind(declared: declared)
            for env in Cell.EnvMode.allCases where s.expansion.envModes.contains(env) {
                for shape in Self.shapes(for: env, kind: kind)
                where s.expansion.orderings.contains(shape.ordering) && s.expansion.imports.contains(shape.importMeaning) {
                    out += cellAndAnalogue(s, p, kind, env, shape)
                }
            }
        }
        return out + stackCells(for: s)
    }

    /// Rule 6.
    func stackCells(for s: Source) -> [Cell] {
        guard !s.expansion.stacks.isEmpty else { return [] }
        var out: [Cell] = []
        let shape: Shape = (.frameworkFirst, .loadAndInit)
        for p in profiles {
            let kind = p.kind(declared: declared)
            let wanted = s.expansion.stackProfiles.map { $0.contains(p.id) }
                ?? (kind == .contending && (s.expansion.profiles?.contains(p.id) ?? true))
            guard wanted else { continue }
            for env in [Cell.EnvMode.unset, .exported] where s.expansion.envModes.contains(env) {
                guard let base = cellAndAnalogue(s, p, kind, env, shape).first else { continue }
                for stack in s.expansion.stacks where stack != .ownHandle {
                    var c = base
                    c.stack = stack
                    c.id = "\(base.id)/\(stack.rawValue)"
                    c.plan = .fixed(stack.planText(first: "framework", second: "index"))
                    c.tags = base.tags + ["stack", stack.rawValue]
                    c.predictionBasis = "Stack shape \(stack.rawValue) (\(stack.meaning)); the workload is the consumer libraries' reduction. " + base.predictionBasis
                    if host != .linux, c.testability.isTestable {
                        c.testability = .untestable(reason: "the stack shapes need Linux (its loader, ELF consumer libraries, patchelf); this host is \(host.rawValue)")
                    }
                    out.append(c)
                }
            }
        }
        return out
    }

    private func cellAndAnalogue(_ s: Source, _ p: Matrix.Profile, _ kind: Matrix.Profile.Kind, _ env: Cell.EnvMode, _ shape: Shape) -> [Cell] {
        let prediction = kind == .control ? Self.controlPrediction : table.predict(s.fixNeeded, env)
        let (bindings, missing) = bind(p)
        let suffix = "\(p.id)/\(env.rawValue)/\(shape.ordering.rawValue)/\(shape.importMeaning.rawValue)"
        var tags = s.tags + [s.platform == .any ? "any-platform" : s.platform.rawValue, kind.rawValue]
        if s.origin == .claimProbe { tags.append("claim-probe") }
        var cell = Cell(
            id: "\(s.row)/\(suffix)", row: s.row, origin: s.origin, profile: p.id, envMode: env,
            ordering: shape.ordering, importMeaning: shape.importMeaning, platform: s.platform, device: s.device,
            fixNeeded: s.fixNeeded, allowed: prediction.allowed, predictionBasis: prediction.basis,
            plan: Self.plan(workload: s.workload, ordering: shape.ordering, importMeaning: shape.importMeaning, env: env),
            runtimes: bindings, environment: Self.environment(env), launcher: Self.launcher(env), tags: tags, claims: [],
            testability: .testable, analogue: nil, analogueFor: nil)
        cell.roleRuntimes = ["framework": p.framework.description, "index": p.index.description]
        if let why = deviceOrPlatformGap(s.device, s.platform) ?? missing {
            cell.testability = .untestable(reason: why)
        }
        guard host == .linux, s.platform == .macos, s.device == .cpu || s.device == .any else { return [cell] }
        var twin = cell
        twin.id = "\(s.row)@linux/\(suffix)"
        twin.row = "\(s.row)@linux"
        twin.origin = .analogue
        twin.platform = .linux
        twin.tags = s.tags + ["linux", kind.rawValue, "analogue"]
        twin.testability = missing.map { .untestable(reason: $0) } ?? .testable
        twin.analogueFor = cell.id
        twin.predictionBasis = "Linux analogue of \(cell.id): the macOS prediction, checked on Linux with the same plan and runtime pair. " + prediction.basis
        cell.analogue = twin.id
        return [cell, twin]
    }

    /// Rule 4, device and platform part.
    private func deviceOrPlatformGap(_ device: Matrix.Device, _ platform: Matrix.Platform) -> String? {
        switch device {
        case .mps:
            return "needs a Mac with an Apple GPU (Metal Performance Shaders); the probes here run OpenMP on the CPU"
        case .cuda where platform == .macos:
            return "needs a CUDA device on macOS, a platform no current Mac offers (NVIDIA's CUDA for macOS ended with 10.2); no Linux stub stands in for it"
        case .cuda:
            return "needs a CUDA device; the probes here run OpenMP on the CPU"
        case .cpu, .any: break
        }
        switch (platform, host) {
        case (.macos, .linux): return "needs macOS: the doc's prediction here is about macOS and its loader (dyld); this host is Linux"
        case (.linux, .macos): return "needs Linux; this host is macOS"
        case (.windows, _): return "about Windows: its cells are the Windows column's (\(WineTools.platform), row <row>@windows)"
        default: return nil
        }
    }

    /// Rule 4, runtime part: both roles bound, or the first missing runtime.
    private func bind(_ p: Matrix.Profile) -> ([RuntimeBinding], String?) {
        var missing: String?
        func path(_ r: Matrix.RuntimeRef) -> String {
            switch r {
            case .named(let n):
                if let rec = manifest[n] { return rec.path }
                if missing == nil { missing = "runtime '\(n)' is not in the runtimes manifest; run `omp-matrix provision`" }
                return ""
            case .path(let p, _):
                if missing == nil, !fileExists(p) { missing = "no runtime file at \(p)" }
                return p
            }
        }
        let b = [RuntimeBinding(name: "framework", path: path(p.framework)), RuntimeBinding(name: "index", path: path(p.index))]
        return (b, missing)
    }
}
