import Foundation
import OMPPlan

extension Cell {
    /// Why this host cannot run the cell, whatever makes it so: its data (``testability``) or, for a
    /// stack-shape cell, its consumer libraries (``stackUnavailable``); nil when it can run. The
    /// runner and downstream checks both ask this.
    package var untestableHere: String? { testability.reason ?? stackUnavailable }

    /// For a stack-shape cell that is testable by its data: why its shape cannot be had on this
    /// host (the consumers in this user's runtime cache); nil when it can, or for `own-handle`.
    package var stackUnavailable: String? {
        guard stack != .ownHandle, testability.isTestable,
              case .failure(let why) = stackConfiguration(consumers: StackConsumers.forThisHost, timeout: .seconds(20)) else { return nil }
        return why.reason
    }

    /// The probe of a cell in a stack shape other than `own-handle`: the shape's consumer
    /// libraries (``StackShape/configuration(a:b:consumers:timeout:executable:)``) for the two
    /// roles' runtime files, first role first, under the role names, with the cell's own variables
    /// on top of the shape's (`LD_PRELOAD` for `preloaded`). A failure says why the shape cannot
    /// run here (no compiler, no patchelf, different SONAMEs, …): the cell is then untestable.
    package func stackConfiguration(consumers: StackConsumers?, timeout: Duration,
                                    executable: String? = nil) -> Result<Probe.Configuration, StackConsumers.Unavailable> {
        guard let consumers else {
            return .failure(.init(reason: "no runtime cache to build the consumer libraries in (see `omp-matrix provision`)"))
        }
        let roles = ordering == .indexFirst ? ("index", "framework") : ("framework", "index")
        func runtime(_ role: String) -> AtlasRuntime? {
            guard let path = runtimes.first(where: { $0.name == role })?.path, !path.isEmpty else { return nil }
            // The consumer folder is named after the runtime (`consumers/<hash>/<name>/`); a path profile by its file.
            let name = roleRuntimes[role].map { $0.contains("/") ? "path-" + String(SHA256.hex(of: Array($0.utf8)).prefix(12)) : $0 }
            return AtlasRuntime(name: name ?? role, identity: nil, path: path, source: nil, releaseSource: nil, banner: nil,
                                copy: nil, notProvisioned: nil)
        }
        guard let a = runtime(roles.0), let b = runtime(roles.1) else {
            return .failure(.init(reason: "a role has no runtime file"))
        }
        return stack.configuration(a: a, b: b, consumers: consumers, timeout: timeout, executable: executable).map { shaped in
            guard case .plan(_, let bound) = shaped.command else { return shaped }
            let renamed = zip(bound, [roles.0, roles.1]).map { RuntimeBinding(name: $1, path: $0.path) }
            return Probe.Configuration(runtimes: renamed, plan: .fixed(stack.planText(first: roles.0, second: roles.1)),
                                       environment: shaped.environment.merging(environment) { $1 }, launcher: launcher,
                                       timeout: timeout, executable: shaped.executable)
        }
    }
}
