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
    /// A `--timeout` given in seconds, kept to the microsecond and never rounded down to zero:
    /// `--timeout 0.0004` is 400 µs, not 0 ms.
    static func timeoutOption(seconds t: Double) -> Duration {
        .microseconds(max(1, Int64((t * 1_000_000).rounded(.up))))
    }
}
