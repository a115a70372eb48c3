extension Matrix {
    /// The doc's prediction for one cell: the outcomes it allows and why.
    package struct Prediction: Sendable, Hashable {
        /// The outcomes the doc allows, in rule order.
        package var allowed: [Outcome]
        /// Why, with the doc sections the reading rests on.
        package var basis: String

        package init(allowed: [Outcome], basis: String) {
            self.allowed = allowed; self.basis = basis
        }
    }

    /// What each "Fix Needed?" answer predicts with and without the fix in effect, read from
    /// `predictions:` in applicability.yaml:
    ///
    /// | fix needed | not in effect | in effect |
    /// |---|---|---|
    /// | yes | duplicate-runtime-abort | pass |
    /// | no | pass | pass |
    /// | maybe | duplicate-runtime-abort, pass | pass |
    ///
    /// Whether the fix is in effect in an environment mode is the doc's reading of that mode
    /// (``Cell/EnvMode/inEffectPerDoc``), not what the runtime does.
    package struct PredictionTable: Sendable, Hashable {
        package var entries: [FixNeeded: Entry]

        package init(entries: [FixNeeded: Entry]) { self.entries = entries }

        package struct Entry: Sendable, Hashable {
            package var withoutFix: [Outcome]
            package var withFix: [Outcome]
            /// The doc's words behind this entry, in our words.
            package var why: String
            package init(withoutFix: [Outcome], withFix: [Outcome], why: String) {
                self.withoutFix = withoutFix; self.withFix = withFix; self.why = why
            }
        }

        /// The prediction for `fixNeeded` under `env`.
        package func predict(_ fixNeeded: FixNeeded, _ env: Cell.EnvMode) -> Prediction {
            let e = entries[fixNeeded]!   // the loader requires all three entries
            let inEffect = env.inEffectPerDoc
            let allowed = Set(inEffect ? e.withFix : e.withoutFix).sorted()
            let state = inEffect ? "in effect" : "not in effect"
            return Prediction(
                allowed: allowed,
                basis: "Fix needed: \(fixNeeded.rawValue) (\(e.why)). Env mode \(env.rawValue): \(env.docReading) So the fix is \(state) per the doc, which allows \(allowed.map(\.rawValue).joined(separator: " or ")).")
        }
    }
}

extension Cell.EnvMode {
    /// Whether the doc says the variable reaches the runtime in time in this mode.
    package var inEffectPerDoc: Bool {
        switch self {
        case .exported, .setBeforeImports: true
        case .unset, .setAfterLoads, .setAfterInits, .setFalse, .wrapperExported, .wrapperAssigned, .wrapperEnvI: false
        }
    }

    /// How the doc's words map this mode, with the section they come from.
    package var docReading: String {
        switch self {
        case .unset:
            "no variable at all (\u{201C}What Happens\u{201D})."
        case .exported:
            "exported before the program starts, the doc's own fix (\u{201C}Quick Fix\u{201D}, \u{201C}For Command Line\u{201D})."
        case .setBeforeImports:
            "set inside the program before any import, the correct form of Troubleshooting Problem 2 (\u{201C}set BEFORE imports\u{201D})."
        case .setAfterLoads:
            "set after both libraries were loaded but before a runtime's first call; in the load-only reading of \u{201C}import\u{201D} that is after the imports, which Troubleshooting Problem 2 calls \u{201C}too late\u{201D}."
        case .setAfterInits:
            "set after both runtimes were loaded and initialized, after the imports in either reading: \u{201C}too late\u{201D} per Troubleshooting Problem 2."
        case .setFalse:
            "set to FALSE; the doc's fix is TRUE, so nothing in the doc sets this apart from the unset case."
        case .wrapperExported:
            "exported in the parent shell, which then runs a script; Troubleshooting Problem 1 says the script \u{201C}doesn't inherit\u{201D} it."
        case .wrapperAssigned:
            "assigned without export in the parent shell, which then runs a script; by Troubleshooting Problem 1 it does not reach the script either."
        case .wrapperEnvI:
            "exported in the parent shell, which then runs the script under env -i (an empty environment); by Troubleshooting Problem 1 it does not arrive."
        }
    }
}
