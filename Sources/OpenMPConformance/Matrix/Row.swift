import OMPPlan

extension Matrix {
    /// One row of the doc's applicability table ("When You Need This Fix"), with the workload
    /// that stands in for its scenario.
    public struct Row: Sendable, Hashable, Identifiable {
        /// Stable id, e.g. `linux-cpu-training`.
        public var id: String
        /// The scenario as the table names it.
        public var scenario: String
        public var device: Device
        public var platform: Platform
        /// The table's "Fix Needed?" column.
        public var fixNeeded: FixNeeded
        /// The doc's stated reason, in our words.
        public var reason: String
        public var source: DocSource
        /// Work steps over the roles `framework` and `index` (no `load`/`init`/`setenv`: the
        /// expansion adds those per ordering, import meaning and environment mode).
        public var workload: Plan
        public var expansion: Expansion
        public var tags: [String]
        public var location: SourceLocation

        public init(id: String, scenario: String, device: Device, platform: Platform, fixNeeded: FixNeeded,
                    reason: String, source: DocSource, workload: Plan, expansion: Expansion, tags: [String],
                    location: SourceLocation) {
            self.id = id; self.scenario = scenario; self.device = device; self.platform = platform
            self.fixNeeded = fixNeeded; self.reason = reason; self.source = source; self.workload = workload
            self.expansion = expansion; self.tags = tags; self.location = location
        }
    }

    /// Where in the doc a row or claim comes from: its section and the few words that identify it.
    public struct DocSource: Sendable, Hashable {
        public var section: String
        public var quote: String
        public init(section: String, quote: String) { self.section = section; self.quote = quote }
        /// `Section: "quote"`.
        public var text: String { "\(section): \u{201C}\(quote)\u{201D}" }
    }

    /// Which dimensions a row (or claim probe) expands over; the expansion rules prune further.
    public struct Expansion: Sendable, Hashable {
        public var envModes: [Cell.EnvMode]
        public var orderings: [Cell.Ordering]
        public var imports: [Cell.ImportMeaning]
        /// Profile ids; nil means every profile.
        public var profiles: [String]?

        public init(envModes: [Cell.EnvMode] = [.unset, .exported], orderings: [Cell.Ordering] = Cell.Ordering.allCases,
                    imports: [Cell.ImportMeaning] = Cell.ImportMeaning.allCases, profiles: [String]? = nil) {
            self.envModes = envModes; self.orderings = orderings; self.imports = imports; self.profiles = profiles
        }
    }

    /// The platform a prediction is about.
    public enum Platform: String, Sendable, Hashable, Codable, CaseIterable {
        case macos, linux, any

        /// The platform this process runs on.
        public static var current: Platform {
            #if os(macOS)
            .macos
            #else
            .linux
            #endif
        }
    }

    /// The device a scenario trains or serves on.
    public enum Device: String, Sendable, Hashable, Codable, CaseIterable {
        case cpu, mps, cuda, any
    }

    /// The table's "Fix Needed?" answer.
    public enum FixNeeded: String, Sendable, Hashable, Codable, CaseIterable {
        case yes, no, maybe
    }
}
