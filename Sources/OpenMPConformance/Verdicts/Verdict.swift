/// A prediction checked against an observation.
public enum Verdict: String, Codable, Sendable, CaseIterable {
    /// The observed outcome is one the doc's prediction allows.
    case confirmed
    /// The observed outcome is not one the prediction allows.
    case refuted
    /// This host cannot run the cell (needs macOS, MPS, CUDA, or a runtime that is missing).
    case untestable
}

// A claim judged in its own terms (schema 2).
package enum ClaimState: String, Codable, Sendable, CaseIterable {
    case holds
    case doesNotHold = "does-not-hold"
    case holdsOnlyWhen = "holds-only-when"
    case untestable

    /// The state as a reader sees it.
    package var words: String {
        switch self {
        case .holds: "holds"
        case .doesNotHold: "does not hold"
        case .holdsOnlyWhen: "holds only when …"
        case .untestable: "untestable here"
        }
    }

    /// One line that defines the state (README, legends).
    package var definition: String {
        switch self {
        case .holds: "every cell that tests the claim here ended as the doc says."
        case .doesNotHold: "cells here ended otherwise than the doc says, and no condition the kit varied sets them apart."
        case .holdsOnlyWhen: "the claim is true under the named conditions (a load order, a pair, a reading of \"import\") and false outside them."
        case .untestable: "nothing on this host can test it; the reason is named."
        }
    }

    /// The cell-level verdict word that goes with it (kept for schema 1 readers and merges).
    package var verdict: Verdict {
        switch self {
        case .holds: .confirmed
        case .doesNotHold, .holdsOnlyWhen: .refuted
        case .untestable: .untestable
        }
    }
}
