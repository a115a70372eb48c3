import Foundation

/// The run's figures in words: wall time, probes, probes per second, repeats, the slowest
/// cells and the runner's peak memory. For the terminal: cell ids and words are escaped here.
package enum AtlasTimingText {
    package static func render(_ t: AtlasTiming, atlas: AtlasResults, slowest: Int = 5) -> String {
        let rate = t.wallSeconds > 0 ? Double(t.probes) / t.wallSeconds : 0
        var lines = [String(format: "atlas: %d probes (%d repeats) in %.2f s wall, %.1f probes/s, %d in flight; runner peak RSS %@",
                            t.probes, t.repeats, t.wallSeconds, rate, t.jobs,
                            t.peakRSSKiB.map { String(format: "%.1f MiB", Double($0) / 1024) } ?? "unknown")]
        let obs = atlas.cells.flatMap { c in c.observations.map { (c.id, $0) } }
            .sorted { $0.1.durationSeconds > $1.1.durationSeconds }.prefix(slowest)
        for (id, o) in obs {
            lines.append(String(format: "  slow: %@ %@ %.2f s over %d run%@ (%@)", TerminalText.field(id), o.variant.rawValue, o.durationSeconds,
                                o.runs.count, o.runs.count == 1 ? "" : "s", TerminalText.field(AtlasWords.observation(o))))
        }
        return lines.joined(separator: "\n")
    }
}
