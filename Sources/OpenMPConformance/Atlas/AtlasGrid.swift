/// The atlas laid out for reading: rows are the runtime started first, columns the runtime
/// started second, each cell "without the variable / with it", numbered footnotes where the
/// load order changed the outcome. Every renderer draws this one layout.
package struct AtlasGrid: Sendable, Hashable {
    package struct Axis: Sendable, Hashable {
        package var name: String
        /// "LLVM 16.0.6", or the name when not provisioned.
        package var label: String
        /// "not provisioned: <reason>" for a missing runtime.
        package var notProvisioned: String?
    }

    package struct Entry: Sendable, Hashable {
        package var cellID: String
        /// "aborts / runs"; "not provisioned: …"; "control: …" prefix on a same-file diagonal.
        package var text: String
        /// The outcome without and with the variable (nil: varies or did not run).
        package var without: Outcome?
        package var with: Outcome?
        /// True when any variant varied across repeats.
        package var varies: Bool
        package var footnote: Int?
        package var diagonal: AtlasCell.Diagonal?
        package var notRun: Bool
        /// True when, without the variable, two runtimes ran and neither detected the other.
        package var undetected: Bool = false
    }

    package var axes: [Axis]
    /// `rows[i][j]`: axes[i] started first, axes[j] second.
    package var rows: [[Entry]]
    /// Footnote texts, numbered from 1.
    package var footnotes: [String]

    package init(_ atlas: AtlasResults) {
        axes = atlas.runtimes.map { r in
            Axis(name: r.name, label: r.label, notProvisioned: r.notProvisioned.map { "not provisioned: \($0)" })
        }
        var notes: [String] = []
        rows = atlas.runtimes.map { f in
            atlas.runtimes.map { s in
                guard let c = atlas.cell(first: f.name, second: s.name) else {
                    return Entry(cellID: "\(f.name)>\(s.name)", text: "—", without: nil, with: nil, varies: false,
                                 footnote: nil, diagonal: nil, notRun: true)
                }
                if let why = c.notRun {
                    return Entry(cellID: c.id, text: why.hasPrefix("not provisioned") ? "not provisioned" : why,
                                 without: nil, with: nil, varies: false, footnote: nil, diagonal: c.diagonal, notRun: true)
                }
                let w = c.observation(.withoutVariable), x = c.observation(.withVariable)
                var text = "\(AtlasWords.observation(w)) / \(AtlasWords.observation(x))"
                if c.diagonal == .control { text = "control, one file: " + text }
                var footnote: Int?
                if c.loadOrderMatters, let y = c.observation(.withVariableSecondLoadedFirst) {
                    let fl = atlas.runtime(named: c.first)?.label ?? c.first
                    let sl = atlas.runtime(named: c.second)?.label ?? c.second
                    notes.append("\(fl) started first, \(sl) second, with the variable: \(AtlasWords.observation(x)) when "
                                 + "loaded in start order, \(AtlasWords.observation(y)) when \(sl) is loaded first.")
                    footnote = notes.count
                }
                return Entry(cellID: c.id, text: text, without: w?.outcome, with: x?.outcome,
                             varies: c.observations.contains(where: \.varies), footnote: footnote,
                             diagonal: c.diagonal, notRun: false, undetected: w?.ran == .twoUndetected)
            }
        }
        footnotes = notes
    }
}
