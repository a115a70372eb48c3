import Foundation

/// A runtime found inside a macOS wheel (read statically, never loaded) and the Linux build
/// of the same LLVM release that stands in for it in the probes.
package struct AtlasStandIn: Codable, Sendable, Hashable {
    /// The manifest's wheel name, e.g. `torch-macos-arm64`.
    package var wheel: String
    /// The wheel's source, e.g. `pypi:torch==2.15.0`.
    package var wheelSource: String
    /// The member inside the wheel, e.g. `torch/lib/libomp.dylib`.
    package var member: String
    package var vendor: String
    /// The release the wheel's runtime states (e.g. `19.1`).
    package var release: String
    /// The catalog runtime standing in, nil when no provisioned runtime has that release.
    package var standIn: String?
    /// Always "stand-in: same release, Linux build" when ``standIn`` is set; else why there is none.
    package var note: String

    package static let label = "stand-in: same release, Linux build"

    /// "torch 2.15.0" from `pypi:torch==2.15.0`.
    package var wheelName: String { AtlasEvidence.sourceWords(wheelSource) }

    /// "LLVM 19.1".
    package var runtimeLabel: String {
        AtlasIdentity(family: "kmp", vendor: vendor, release: release, sha256: "").label
    }

    package init(wheel: String, wheelSource: String, member: String, vendor: String, release: String,
                standIn: String?, note: String) {
        self.wheel = wheel; self.wheelSource = wheelSource; self.member = member; self.vendor = vendor
        self.release = release; self.standIn = standIn; self.note = note
    }

    /// Maps every KMP-family runtime vendored by a macOS wheel in the manifest to the provisioned
    /// runtime of the same vendor whose release starts with the wheel runtime's release
    /// (`19.1` → `19.1.7`), the release being the one the manifest records for the wheel's runtime,
    /// else the version it states. A release with no such runtime gets no stand-in, and says so.
    package static func map(wheels: [RuntimeManifest.WheelRecord], runtimes: [AtlasRuntime]) -> [AtlasStandIn] {
        var out: [AtlasStandIn] = []
        for w in wheels where w.path.contains("macosx") || w.name.contains("macos") {
            for v in w.vendors where v.family == "kmp" {
                let release = v.release ?? v.version
                let match = runtimes.first { r in
                    guard let id = r.identity, r.notProvisioned == nil, id.vendor == v.vendor else { return false }
                    return id.release == release || id.release.hasPrefix(release + ".")
                }
                out.append(AtlasStandIn(wheel: w.name, wheelSource: w.source, member: v.member, vendor: v.vendor,
                                        release: release, standIn: match?.name,
                                        note: match == nil ? "no provisioned \(v.vendor) runtime of release \(release)" : label))
            }
        }
        return out
    }

    /// One sentence per ordered pair of stand-ins from different wheels (e.g. torch's runtime
    /// started first, faiss's second), read from the cell of their Linux stand-ins.
    package static func sentences(_ atlas: AtlasResults) -> [String] {
        var out: [String] = []
        for a in atlas.standIns {
            for b in atlas.standIns where b.wheel != a.wheel {
                guard let sa = a.standIn, let sb = b.standIn, let c = atlas.cell(first: sa, second: sb), c.notRun == nil else { continue }
                let w = AtlasWords.observation(c.observation(.withoutVariable))
                let x = AtlasWords.observation(c.observation(.withVariable))
                let y = AtlasWords.observation(c.observation(.withVariableSecondLoadedFirst))
                out.append("\(a.wheelName)'s runtime (\(a.runtimeLabel)) started before \(b.wheelName)'s (\(b.runtimeLabel)), "
                           + "measured on \(sa) then \(sb) (\(label)): \(w) without the variable; with it, \(x), "
                           + "and \(y) when \(b.wheelName)'s is loaded first.")
            }
        }
        return out
    }
}
