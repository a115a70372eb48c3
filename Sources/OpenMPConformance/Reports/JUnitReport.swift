/// The run as JUnit XML, for CI systems that show test results: one `<testsuite>` per results
/// file, named after its platform (`platform(of:)`, e.g. `debian12-x86_64`); one `<testcase>`
/// per cell, with `classname` = the applicability row and `name` = the cell id.
///
/// - Refuted cells carry `<failure type="<observed outcome>" message="…">` whose body has the
///   allowed outcomes, the reason, the repro line and the tail of the probe's stderr.
/// - Skipped and untestable cells carry `<skipped message="<reason>"/>`.
/// - Confirmed cells pass.
///
/// Everything is XML-escaped; terminal escapes and characters XML 1.0 forbids (NUL, other C0
/// controls) are dropped, so the output is always well-formed.
package enum JUnitReport {
    /// Renders one results file.
    package static func render(_ results: ResultsFile) -> String {
        render([results])
    }

    /// Renders several results files (for example one per host) into one `<testsuites>` document.
    package static func render(_ files: [ResultsFile]) -> String {
        var tests = 0, failures = 0, skipped = 0
        var time = 0.0
        var suites = ""
        // The host's cells in one suite, the Windows column's in a suite of its own (named after its
        // platform and labelled): never counted together.
        for results in files.flatMap({ [$0.hostPart] + ($0.windowsPart.map { [$0] } ?? []) }) {
            let counts = suiteCounts(results)
            tests += counts.tests; failures += counts.failures; skipped += counts.skipped; time += counts.time
            suites += suite(results, counts)
        }
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "<testsuites name=\"openmp-conformance\" tests=\"\(tests)\" failures=\"\(failures)\" errors=\"0\" skipped=\"\(skipped)\" time=\"\(seconds(time))\">\n"
        out += suites
        out += "</testsuites>\n"
        return out
    }

    /// `osID` + major OS version (unless `osID` already ends in a digit) + `-` + `arch`:
    /// `debian` `12` `x86_64` gives `debian12-x86_64`; `macos` `14.5` `arm64` gives `macos14-arm64`.
    package static func platform(of host: HostInfo) -> String {
        var os = host.osID
        if let last = os.last, !last.isNumber {
            let major = host.osVersion.prefix { $0.isNumber }
            os += major
        }
        return "\(os)-\(host.arch)"
    }

    private struct Counts { var tests = 0, failures = 0, skipped = 0, time = 0.0 }

    private static func suiteCounts(_ r: ResultsFile) -> Counts {
        var c = Counts()
        for cell in r.results {
            c.tests += 1
            if cell.verdict == .refuted { c.failures += 1 } else if isSkipped(cell) { c.skipped += 1 }
            if cell.durationSeconds.isFinite { c.time += cell.durationSeconds }
        }
        return c
    }

    private static func isSkipped(_ cell: CellResult) -> Bool {
        cell.verdict != .refuted && (cell.status == .skipped || cell.verdict == .untestable)
    }

    private static func seconds(_ d: Double) -> String {
        guard d.isFinite, d >= 0 else { return "0" }
        guard d < 1e12 else { return String(d) }
        let ms = Int((d * 1000).rounded())
        let frac = ms % 1000
        return "\(ms / 1000)." + String(repeating: "0", count: frac < 10 ? 2 : frac < 100 ? 1 : 0) + "\(frac)"
    }

    private static func suite(_ r: ResultsFile, _ counts: Counts) -> String {
        let a = XMLText.attribute
        let h = r.host
        let column = r.results.first?.platform
        let name = column.map { "\($0) (\(WineTools.platformLabel)) on \(platform(of: h))" } ?? platform(of: h)
        var out = "  <testsuite name=\"\(a(name, 2000))\" hostname=\"\(a(h.key, 2000))\" tests=\"\(counts.tests)\" failures=\"\(counts.failures)\" errors=\"0\" skipped=\"\(counts.skipped)\" time=\"\(seconds(counts.time))\" timestamp=\"\(a(r.startedAt, 2000))\">\n"
        out += "    <properties>\n"
        var properties: [(String, String)] = [
            ("host.key", h.key), ("host.os", "\(h.os) \(h.osVersion)"), ("host.arch", h.arch),
            ("host.kernel", h.kernel), ("host.libc", h.libc), ("host.cpu", h.cpu), ("host.cores", "\(h.cores)"),
            ("blas.corename", h.blas.corename), ("tool.version", r.tool.version), ("partial", "\(r.partial)"),
            ("selection", r.selection.joined(separator: " ")),
        ]
        for rt in h.runtimes {
            properties.append(("runtime.\(rt.name)", "\(rt.family) \(rt.version) \(rt.path) sha256:\(rt.sha256) (\(rt.source))"))
        }
        for (name, value) in properties {
            out += "      <property name=\"\(a(name, 2000))\" value=\"\(a(value, 2000))\"/>\n"
        }
        out += "    </properties>\n"
        for cell in r.results {
            out += testcase(cell)
        }
        out += "  </testsuite>\n"
        return out
    }

    private static func testcase(_ cell: CellResult) -> String {
        let a = XMLText.attribute
        let time = cell.durationSeconds.isFinite ? seconds(cell.durationSeconds) : "0"
        var out = "    <testcase classname=\"\(a(cell.row, 2000))\" name=\"\(a(cell.id, 2000))\" time=\"\(time)\""
        if cell.verdict == .refuted {
            let observed = cell.outcome?.rawValue ?? "no-outcome"
            let allowed = cell.allowed.map(\.rawValue).joined(separator: ", ")
            var message = "\(observed), allowed: \(allowed.isEmpty ? "nothing" : allowed)"
            if !cell.message.isEmpty { message += ". " + ReportText.oneLine(cell.message) }
            var body = "Observed: \(observed)\nAllowed: \(allowed)\n"
            if let reason = cell.reason { body += "Reason: \(reason)\n" }
            if !cell.message.isEmpty { body += "Message: \(cell.message)\n" }
            body += "Repro:\n  \(cell.repro)\n"
            if let probe = cell.probe, !probe.stderr.tail.isEmpty || !probe.stderr.head.isEmpty {
                let stderr = probe.stderr.tail.isEmpty ? probe.stderr.head : probe.stderr.tail
                body += "\nstderr (last lines):\n" + ReportText.tail(stderr) + "\n"
            }
            out += ">\n      <failure type=\"\(a(observed, 200))\" message=\"\(a(message, 1000))\">\(XMLText.text(body))</failure>\n    </testcase>\n"
        } else if isSkipped(cell) {
            let reason = cell.reason ?? (cell.status == .skipped ? "skipped" : "untestable on this host")
            out += ">\n      <skipped message=\"\(a(reason, 1000))\"/>\n    </testcase>\n"
        } else {
            out += "/>\n"
        }
        return out
    }
}
