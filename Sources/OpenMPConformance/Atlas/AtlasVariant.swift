import OMPPlan

/// The three probes of every ordered pair. Roles: `a` is the runtime started first, `b` the
/// one started second; "start" is the runtime's first OpenMP call (`init`). The workload is
/// the same in all three: a checked training loop in `a`, a checked index build and search in
/// `b`, each region on 2 threads.
package enum AtlasVariant: String, Codable, Sendable, Hashable, CaseIterable {
    /// `load a; init a; load b; init b; …`, the variable not set.
    case withoutVariable = "without"
    /// The same order, `KMP_DUPLICATE_LIB_OK=TRUE` exported before the probe starts.
    case withVariable = "with"
    /// Exported, both loaded with `b` first, then `a` started before `b`:
    /// `load b; load a; init a; init b; …`.
    case withVariableSecondLoadedFirst = "with-second-loaded-first"

    /// The workload after both runtimes started.
    package static let workload = "train a; index b"

    /// The plan text.
    package var planText: String {
        switch self {
        case .withoutVariable, .withVariable: "load a; init a; load b; init b; \(Self.workload)"
        case .withVariableSecondLoadedFirst: "load b; load a; init a; init b; \(Self.workload)"
        }
    }

    package var plan: Plan { .fixed(planText) }

    /// Extra variables for the child.
    package var environment: [String: String] {
        self == .withoutVariable ? [:] : ["KMP_DUPLICATE_LIB_OK": "TRUE"]
    }

    /// Words for legends.
    package var meaning: String {
        switch self {
        case .withoutVariable: "without the variable: load A, start A, load B, start B"
        case .withVariable: "KMP_DUPLICATE_LIB_OK=TRUE exported before start: load A, start A, load B, start B"
        case .withVariableSecondLoadedFirst: "exported, both loaded with B first: load B, load A, start A, start B"
        }
    }
}
