// Values of options shared by the subcommands.
import ArgumentParser

/// The `--format` values of the subcommands, as ArgumentParser enums: the help lists them,
/// and a wrong value is a usage error naming the choices.
enum TextOrJSON: String, ExpressibleByArgument, CaseIterable { case text, json }

/// `doctor --format`.
enum DoctorFormat: String, ExpressibleByArgument, CaseIterable { case text, json, md }

/// `merge --format`.
enum MergeFormat: String, ExpressibleByArgument, CaseIterable { case md, json }

/// `report --format`.
enum ReportFormat: String, ExpressibleByArgument, CaseIterable { case md, json, junit, html, htmlCells = "html-cells", summary }

extension Duration {
    /// A `--timeout` given in seconds, kept to the microsecond: `--timeout 0.0015` is 1.5 ms, not 1 ms.
    static func timeoutOption(seconds t: Double) -> Duration {
        .microseconds(max(1, Int64((t * 1_000_000).rounded(.up))))
    }

    /// The smallest `--timeout` any subcommand takes, in seconds: 1 ms. Below it no process is even
    /// started before the deadline, so a run would be stopped before it began and reported as a
    /// hang; such a value is a usage error (exit 2) instead.
    static let smallestTimeoutSeconds = 0.001

    /// Why a `--timeout` of `t` seconds is refused (a usage error naming the option), or nil.
    static func timeoutRefusal(_ t: Double, largest: Double) -> String? {
        t >= smallestTimeoutSeconds && t <= largest ? nil
            : "--timeout must be between \(smallestTimeoutSeconds) and \(Int(largest)) seconds (1 ms at least), got \(t)"
    }
}
