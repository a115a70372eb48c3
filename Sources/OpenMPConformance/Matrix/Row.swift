import OMPPlan

extension Matrix {
    /// One row of the doc's applicability table ("When You Need This Fix"), with the workload
    /// that stands in for its scenario.
    package struct Row: Sendable, Hashable, Identifiable {
        /// Stable id, e.g. `linux-cpu-training`.
        package var id: String
        /// The scenario as the table names it.
        package var scenario: String
        package var device: Device
        package var platform: Platform
        /// The table's "Fix Needed?" column.
        package var fixNeeded: FixNeeded
        /// The doc's stated reason, in our words.
        package var reason: String
        package var source: DocSource
        /// Work steps over the roles `framework` and `index` (no `load`/`init`/`setenv`: the
        /// expansion adds those per ordering, import meaning and environment mode).
        package var workload: Plan
        package var expansion: Expansion
        package var tags: [String]
        package var location: SourceLocation

        package init(id: String, scenario: String, device: Device, platform: Platform, fixNeeded: FixNeeded,
                    reason: String, source: DocSource, workload: Plan, expansion: Expansion, tags: [String],
                    location: SourceLocation) {
            self.id = id; self.scenario = scenario; self.device = device; self.platform = platform
            self.fixNeeded = fixNeeded; self.reason = reason; self.source = source; self.workload = workload
            self.expansion = expansion; self.tags = tags; self.location = location
        }
    }

    /// Where in the doc a row or claim comes from: its section and the few words that identify it.
    package struct DocSource: Sendable, Hashable {
        package var section: String
        package var quote: String
        package init(section: String, quote: String) { self.section = section; self.quote = quote }
        /// `Section: "quote"`.
        package var text: String { "\(section): \u{201C}\(quote)\u{201D}" }
    }

    /// Which dimensions a row (or claim probe) expands over; the expansion rules prune further.
    package struct Expansion: Sendable, Hashable {
        package var envModes: [Cell.EnvMode]
        package var orderings: [Cell.Ordering]
        package var imports: [Cell.ImportMeaning]
        /// Profile ids; nil means every profile.
        package var profiles: [String]?
        /// Stack shapes besides `own-handle` to run too (`stacks:`), on `stackProfiles` (nil: the
        /// row's contending profiles); see the expander's rule 6.
        package var stacks: [StackShape] = []
        package var stackProfiles: [String]?

        package init(envModes: [Cell.EnvMode] = [.unset, .exported], orderings: [Cell.Ordering] = Cell.Ordering.allCases,
                    imports: [Cell.ImportMeaning] = Cell.ImportMeaning.allCases, profiles: [String]? = nil) {
            self.envModes = envModes; self.orderings = orderings; self.imports = imports; self.profiles = profiles
        }
    }

    /// The platform a prediction is about.
    package enum Platform: String, Sendable, Hashable, Codable, CaseIterable {
        /// `windows`: the Windows DLLs that wheels ship, run by the Windows probe under Wine on a
        /// Linux host (``WineTools/platform`` `windows-x86_64`); its cells are expanded over the
        /// Windows profiles only (`<row>@windows`), never counted with the host's.
        case macos, linux, any, windows

        /// The platform this process runs on.
        package static var current: Platform {
            #if os(macOS)
            .macos
            #else
            .linux
            #endif
        }
    }

    /// The device a scenario trains or serves on.
    package enum Device: String, Sendable, Hashable, Codable, CaseIterable {
        case cpu, mps, cuda, any
    }

    /// The table's "Fix Needed?" answer.
    package enum FixNeeded: String, Sendable, Hashable, Codable, CaseIterable {
        case yes, no, maybe
    }
}
