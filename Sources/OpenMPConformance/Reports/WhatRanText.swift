/// What ran in one probe, in words, for every report: the runtime files mapped, the runtimes
/// that started (observed, never assumed from mapping), the threads of each runtime's regions
/// and the OS threads at the end. A fact beside the outcome, never an outcome of its own.
enum WhatRanText {
    /// E.g. "2 runtime files mapped; 2 runtimes started (a, b: OMPT); team threads a 2, b 2, 3 in all;
    /// 3 OS threads", or nil when the probe observed nothing of it.
    static func words(_ p: ProbeResult) -> String? {
        var parts: [String] = []
        let files = Set(p.runtimesMapped.map(\.path)).count
        if files > 0 { parts.append("\(files) runtime file\(files == 1 ? "" : "s") mapped") }
        if let starts = p.runtimesStarted, !starts.isEmpty {
            let yes = starts.filter(\.started)
            let no = starts.filter { !$0.started }
            var s = "\(runtimes(yes.count)) started"
            if !yes.isEmpty { s += " (" + yes.map { "\($0.runtime) by \(how($0.how))" }.joined(separator: ", ") + ")" }
            if !no.isEmpty { s += ", not started: " + no.map { "\($0.runtime) (\(how($0.how)))" }.joined(separator: ", ") }
            parts.append(s)
        } else if p.speaksProtocolRecords {
            parts.append("runtime starts not observed")
        }
        if let teams = p.teamThreads, !teams.isEmpty {
            let each = teams.filter { $0.runtime != "*" }.map { "\($0.runtime) \($0.threads)" }
            var s = "team threads " + each.joined(separator: ", ")
            if let all = teams.first(where: { $0.runtime == "*" }), each.count > 1 { s += ", \(all.threads) in all" }
            parts.append(s)
        }
        if let os = p.osThreads { parts.append("\(os) OS thread\(os == 1 ? "" : "s")") }
        return parts.isEmpty ? nil : parts.joined(separator: "; ")
    }

    /// The outcome, and for a pass how many runtimes ran: "pass, two runtimes ran". The count is a
    /// fact beside the outcome (observed by the probe), never an outcome of its own.
    static func outcome(_ cell: CellResult) -> String {
        guard let o = cell.outcome else { return "-" }
        guard o == .pass, let n = cell.probe?.startedCount else { return o.rawValue }
        return "\(o.rawValue), \(runtimes(n)) ran"
    }

    /// "one runtime", "two runtimes", …
    static func runtimes(_ n: Int) -> String {
        let names = ["no", "one", "two", "three", "four"]
        return (n < names.count ? names[n] : String(n)) + (n == 1 ? " runtime" : " runtimes")
    }

    static func how(_ how: String) -> String {
        switch how {
        case "ompt": "OMPT"
        case "regions": "its regions"
        default: how
        }
    }
}

extension ProbeResult {
    /// Whether the probe wrote protocol records past its first (so missing observations mean "not observed").
    var speaksProtocolRecords: Bool { pid != nil && stepsCompleted == stepsTotal && stepsTotal > 0 }
}
