import Foundation
import OMPPlan

/// How two runtimes reach one process. `own-handle` is the kit's probe (each runtime opened by
/// path, `RTLD_LOCAL`, as an extension module that vendors a renamed runtime and opens it itself);
/// the others go through two consumer libraries compiled by the kit (``StackConsumers``), so the
/// real loader decides which runtime each OpenMP call binds to. Nothing is simulated.
package enum StackShape: String, Codable, Sendable, Hashable, CaseIterable {
    case ownHandle = "own-handle"
    /// Each consumer linked to its runtime file with its own RUNPATH, the second runtime's SONAME
    /// renamed as auditwheel does; both opened `RTLD_LOCAL`.
    case linkedRenamed = "linked-renamed"
    /// Both consumers need the same, unrenamed SONAME from two folders; opened `RTLD_LOCAL`.
    case linkedSameSoname = "linked-same-soname"
    /// Both consumers of `linked-renamed` linked into one executable (`DT_NEEDED`): a copy of the
    /// probe that needs them (``StackConsumers/executable(probe:first:second:names:)``).
    case executable
    /// As `linked-renamed`, both opened `RTLD_GLOBAL`.
    case global
    /// The first runtime in `LD_PRELOAD`, the consumers as in `linked-renamed`.
    case preloaded

    package var meaning: String {
        switch self {
        case .ownHandle: "each runtime opened by path with RTLD_LOCAL and called through its own symbols (the kit's probe)"
        case .linkedRenamed: "two consumer libraries, each linked to its runtime file with its own RUNPATH, the second runtime's SONAME renamed (auditwheel); RTLD_LOCAL"
        case .linkedSameSoname: "two consumer libraries needing the same SONAME from two folders; RTLD_LOCAL"
        case .executable: "the two consumer libraries of linked-renamed linked into one executable (DT_NEEDED, the first consumer first)"
        case .global: "the two consumer libraries of linked-renamed opened with RTLD_GLOBAL"
        case .preloaded: "the first runtime in LD_PRELOAD, the consumers of linked-renamed"
        }
    }

    /// The plan; roles `a` (first) and `b` (second): runtimes for `own-handle`, consumers otherwise.
    package var planText: String {
        self == .ownHandle ? AtlasVariant.withoutVariable.planText : planText(first: "a", second: "b")
    }

    /// The consumer plan over two role names (first, then second); not for `own-handle`.
    package func planText(first: String, second: String) -> String {
        self == .global ? "consumer \(first) global; consumer \(second) global" : "consumer \(first); consumer \(second)"
    }

    package var plan: Plan { .fixed(planText) }

    /// The probe for runtimes `a` then `b` in this shape, or why it cannot run here. No variable is set.
    package func configuration(a: AtlasRuntime, b: AtlasRuntime, consumers: StackConsumers, timeout: Duration,
                               executable: String? = nil) -> Result<Probe.Configuration, StackConsumers.Unavailable> {
        func make(_ x: String, _ y: String, env: [String: String] = [:], program: String? = nil) -> Probe.Configuration {
            Probe.Configuration(runtimes: [.init(name: "a", path: x), .init(name: "b", path: y)], plan: plan,
                                environment: env, timeout: timeout, executable: program ?? executable)
        }
        if self == .ownHandle { return .success(make(a.path, b.path)) }
        let built: (StackConsumers.Built, StackConsumers.Built)
        switch (consumers.built(a), consumers.built(b)) {
        case (.success(let x), .success(let y)): built = (x, y)
        case (.failure(let e), _), (_, .failure(let e)): return .failure(e)
        }
        switch self {
        case .ownHandle: return .success(make(a.path, b.path))
        case .linkedSameSoname:
            guard let sa = built.0.soname, sa == built.1.soname else {
                return .failure(.init(reason: "the two runtimes have different SONAMEs (\(built.0.soname ?? "none"), \(built.1.soname ?? "none")): nothing to share"))
            }
            return .success(make(built.0.plain, built.1.plain))
        case .linkedRenamed, .global:
            guard let r = built.1.renamed else { return .failure(.init(reason: built.1.renamedMissing ?? "no renamed consumer")) }
            return .success(make(built.0.plain, r))
        case .executable:
            guard let r = built.1.renamed else { return .failure(.init(reason: built.1.renamedMissing ?? "no renamed consumer")) }
            let probe: String
            do { probe = try executable ?? ProbeExecutable.locate() } catch {
                return .failure(.init(reason: "no probe to link the consumers into: \(error)"))
            }
            return consumers.executable(probe: probe, first: built.0.plain, second: r, names: (a.name, b.name))
                .map { make(built.0.plain, r, program: $0) }
        case .preloaded:
            guard let r = built.1.renamed else { return .failure(.init(reason: built.1.renamedMissing ?? "no renamed consumer")) }
            return .success(make(built.0.plain, r, env: ["LD_PRELOAD": a.path]))
        }
    }
}
