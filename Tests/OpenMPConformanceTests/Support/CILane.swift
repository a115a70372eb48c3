import Foundation
import Testing

/// The CI-only lane: tests that download from the network or take long (the JSON oracle's
/// thousands of documents). `Scripts/test-ci-lane.sh` (called by `.ci/run`) sets
/// `OMP_CONFORMANCE_CI_LANE=1` and runs the suites that hold them; the default suite
/// (`Scripts/test.sh`) leaves them out, so it needs no network beyond provisioning.
enum CILane {
    static let variable = "OMP_CONFORMANCE_CI_LANE"
    static var isOn: Bool { ProcessInfo.processInfo.environment[variable] == "1" }
}

extension Trait where Self == ConditionTrait {
    /// Runs the test only in the CI-only lane (see ``CILane``).
    static var ciLane: Self {
        .enabled(if: CILane.isOn, "CI-only lane (network or long): Scripts/test-ci-lane.sh runs it with \(CILane.variable)=1")
    }
}
