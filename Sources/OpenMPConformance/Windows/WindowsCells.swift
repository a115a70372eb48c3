import Foundation
import OMPPlan

/// The matrix's Windows column (`windows-x86_64`): the doc's rows and claim probes expanded over
/// the Windows profiles (`profiles.yaml`, section `windows:`), run by the Windows probe under Wine
/// with the DLLs that Windows wheels ship, judged by the same classifier and verdict code, and
/// reported apart from the host's cells (never in its counts).
///
/// Which rows make sense on Windows (the doc is about macOS; its Windows analogue is the same plan
/// with the Windows DLLs):
///
/// - **Rows and claim probes about macOS or any platform on the CPU** (LVM training, FAISS index
///   building, CPU fallback, FAISS preprocessing, the web server, inference only, and the probes of
///   `dyld-kills-process`, `inference-usually-fine`, `verification-script-catches-it`) get Windows
///   cells, row `<row>@windows`, with the doc's own prediction for that row. What they test is what
///   the DLLs do with two runtimes in one process; Windows' own loader is not tested (Wine's is).
/// - **Rows about Linux** (`linux-cpu-training`: Linux's loader) get none: their claim is about
///   another loader. **MPS and CUDA rows** get none: their device is the point.
/// - **Profiles.** A source that does not narrow its profiles runs every Windows profile; one that
///   names Linux profiles runs the Windows profiles of the same kinds (contending, mixed, control),
///   since the Linux names mean runtime files that do not exist on Windows.
/// - **What cannot run under Wine is untestable with the reason:** `wrapper-env-i` (`env -i` would
///   drop Wine's own variables, `WINEPREFIX` among them, so the probe could not run in the kit's
///   prefix), and a plan step the Windows probe does not implement (named).
struct WindowsExpander {
    let profiles: [Matrix.Profile]
    let declared: [String: Matrix.RuntimeDeclaration]
    /// The Linux profiles' kinds by id, for sources that narrow by Linux profile ids.
    let hostKinds: [String: Matrix.Profile.Kind]
    let table: Matrix.PredictionTable
    let inputs: Matrix.WindowsInputs

    /// The suffix of a Windows row: `<row>@windows`.
    static let rowSuffix = "@windows"

    /// The Windows profiles a source runs (see the type's rules).
    func profiles(for narrowed: [String]?) -> [Matrix.Profile] {
        guard let narrowed else { return profiles }
        let kinds = Set(narrowed.compactMap { hostKinds[$0] })
        return profiles.filter { kinds.contains($0.kind(declared: declared)) }
    }

    /// Whether a source gets Windows cells at all.
    static func applies(platform: Matrix.Platform, device: Matrix.Device) -> Bool {
        (platform == .macos || platform == .any || platform == .windows) && (device == .cpu || device == .any)
    }

    func cells(for s: Expander.Source) -> [Cell] {
        guard Self.applies(platform: s.platform, device: s.device) else { return [] }
        var out: [Cell] = []
        let row = s.row + Self.rowSuffix
        for p in profiles(for: s.expansion.profiles) {
            let kind = p.kind(declared: declared)
            for env in Cell.EnvMode.allCases where s.expansion.envModes.contains(env) {
                for shape in Expander.shapes(for: env, kind: kind)
                where s.expansion.orderings.contains(shape.ordering) && s.expansion.imports.contains(shape.importMeaning) {
                    out.append(cell(s, row: row, p, kind, env, shape))
                }
            }
        }
        return out
    }

    private func cell(_ s: Expander.Source, row: String, _ p: Matrix.Profile, _ kind: Matrix.Profile.Kind,
                      _ env: Cell.EnvMode, _ shape: Expander.Shape) -> Cell {
        let prediction = kind == .control ? Expander.controlPrediction : table.predict(s.fixNeeded, env)
        let plan = Expander.plan(workload: s.workload, ordering: shape.ordering, importMeaning: shape.importMeaning, env: env)
        let (bindings, missing) = bind(p)
        var tags = s.tags + [WineTools.platform, kind.rawValue]
        if s.origin == .claimProbe { tags.append("claim-probe") }
        var cell = Cell(
            id: "\(row)/\(p.id)/\(env.rawValue)/\(shape.ordering.rawValue)/\(shape.importMeaning.rawValue)", row: row,
            origin: s.origin, profile: p.id, envMode: env, ordering: shape.ordering, importMeaning: shape.importMeaning,
            platform: .windows, device: s.device, fixNeeded: s.fixNeeded, allowed: prediction.allowed,
            predictionBasis: "\(WineTools.platformLabel): the same plan with the Windows DLLs of profile \(p.id). " + prediction.basis,
            plan: plan, runtimes: bindings, environment: Expander.environment(env), launcher: Expander.launcher(env),
            tags: tags, claims: [], testability: .testable, analogue: nil, analogueFor: nil)
        cell.roleRuntimes = ["framework": p.framework.description, "index": p.index.description]
        if let why = Self.unsupported(plan: plan, env: env) ?? inputs.unavailable ?? missing {
            cell.testability = .untestable(reason: "\(WineTools.platformLabel): \(why)")
        }
        return cell
    }

    /// What of a cell the Windows probe cannot run under Wine, or nil.
    static func unsupported(plan: Plan, env: Cell.EnvMode) -> String? {
        if env == .wrapperEnvI {
            return "the wrapper-env-i launcher runs the probe under `env -i`, which drops Wine's own variables (WINEPREFIX), so it cannot run in the kit's Wine prefix"
        }
        if let step = plan.steps.first(where: { !WineTools.probeVerbs.contains($0.verb) }) {
            return "the Windows probe does not implement the step '\(step.text)'"
        }
        return nil
    }

    /// Both roles bound to the manifest's Windows DLLs, or the first that is missing.
    private func bind(_ p: Matrix.Profile) -> ([RuntimeBinding], String?) {
        var missing: String?
        func path(_ r: Matrix.RuntimeRef) -> String {
            switch r {
            case .named(let n):
                if let rec = inputs.manifest[n] { return rec.path }
                if missing == nil {
                    missing = inputs.notProvisioned[n].map { "runtime '\(n)' is not provisioned: \($0)" }
                        ?? "runtime '\(n)' is not in the runtimes manifest's Windows DLLs; run Scripts/provision-runtimes.sh"
                }
                return ""
            case .path(let path, _):
                if missing == nil, !FileManager.default.fileExists(atPath: path) { missing = "no DLL at \(path)" }
                return path
            }
        }
        let b = [RuntimeBinding(name: "framework", path: path(p.framework)), RuntimeBinding(name: "index", path: path(p.index))]
        return (b, missing)
    }
}

extension Matrix {
    /// What the Windows column needs from this host: the manifest's Windows DLLs (absolute paths)
    /// and, when Wine cannot run here, why.
    package struct WindowsInputs: Sendable {
        /// The provisioned Windows DLLs by manifest name, each with an absolute path.
        package var manifest: [String: RuntimeRecord]
        /// DLLs the manifest lists as not provisioned, with the reason.
        package var notProvisioned: [String: String]
        /// Why no Windows cell can run here (no Wine, no Windows probe, `OMP_CONFORMANCE_SKIP_WINE`); nil when they can.
        package var unavailable: String?

        package init(manifest: [String: RuntimeRecord] = [:], notProvisioned: [String: String] = [:], unavailable: String? = nil) {
            self.manifest = manifest; self.notProvisioned = notProvisioned; self.unavailable = unavailable
        }

        /// Nothing known about Windows: every Windows cell untestable, saying so.
        package static let none = WindowsInputs(unavailable: "the Windows DLLs and Wine were not looked for (no runtimes directory given)")

        /// The variable that skips the Windows column on purpose (its cells then say why, and a run
        /// that selected them is incomplete).
        package static let skipVariable = "OMP_CONFORMANCE_SKIP_WINE"

        /// The Windows DLLs of a runtimes directory's manifest, and whether Wine and the Windows probe
        /// are there.
        package static func provisioned(manifest: RuntimeManifest, directory: URL,
                                        environment: [String: String] = ProcessInfo.processInfo.environment) -> WindowsInputs {
            var records: [String: RuntimeRecord] = [:]
            for var r in manifest.windows {
                r.path = directory.appendingPathComponent(r.path).path
                records[r.name] = r
            }
            var missing: [String: String] = [:]
            for item in manifest.notProvisioned where item.name.hasPrefix("win-") { missing[item.name] = item.reason }
            var why: String?
            if let v = environment[skipVariable], !v.isEmpty, v != "0" {
                why = "skipped: \(skipVariable)=\(v) is set"
            } else if case .failure(let e) = WineLaunch.provisioned(in: directory) {
                why = e.reason
            }
            return WindowsInputs(manifest: records, notProvisioned: missing, unavailable: why)
        }
    }
}

extension Matrix.EvidenceSelector {
    /// Whether a Windows cell is picked: the selector's row patterns read for Windows
    /// (`<row>@linux` and `<row>` both mean `<row>@windows`: the same plans with the Windows DLLs),
    /// its Linux profile ids by their kinds.
    func matchesWindows(_ cell: Cell, hostKinds: [String: Matrix.Profile.Kind]) -> Bool {
        func windowsPattern(_ p: String) -> String {
            (p.hasSuffix("@linux") ? String(p.dropLast("@linux".count)) : p) + WindowsExpander.rowSuffix
        }
        let kinds = Set(profiles.compactMap { hostKinds[$0] })
        return (rows.isEmpty || rows.contains { Matrix.glob(windowsPattern($0), matches: cell.row) })
            && (profiles.isEmpty || kinds.contains { cell.tags.contains($0.rawValue) })
            && (envModes.isEmpty || envModes.contains(cell.envMode))
            && (orderings.isEmpty || orderings.contains(cell.ordering))
            && (imports.isEmpty || imports.contains(cell.importMeaning))
    }
}
