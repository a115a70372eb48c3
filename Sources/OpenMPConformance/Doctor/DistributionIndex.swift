import Foundation

/// Which installed Python distribution put a file where it is, from the `RECORD` files of the
/// `*.dist-info` folders in the site-packages near it. Gives a runtime its release in the
/// words users know (`intel-openmp 2025.2.1`) where its banner only states a build date.
final class DistributionIndex {
    private var byPath: [String: String] = [:]
    private var readSitePackages: Set<String> = []

    /// The distribution (`name version`) whose RECORD lists `path`, if any.
    func distribution(of path: String) -> String? {
        let real = RuntimeIdentity.resolvedPath(path) ?? path
        for dir in sitePackages(near: real) { load(dir) }
        return byPath[real] ?? byPath[path]
    }

    /// site-packages folders that could hold a RECORD for `path`: ancestors named so, and
    /// `<ancestor>/lib/python*/site-packages` (a venv's or conda prefix's own).
    private func sitePackages(near path: String) -> [String] {
        var out: [String] = []
        var dir = path.doctorParent
        var depth = 0
        let fm = FileManager.default
        while dir != "/" && depth < 8 {
            if dir.hasSuffix("/site-packages") || dir.hasSuffix("/dist-packages") { out.append(dir) }
            if let names = try? fm.contentsOfDirectory(atPath: dir + "/lib") {
                for n in names where n.hasPrefix("python") {
                    let sp = dir + "/lib/" + n + "/site-packages"
                    if fm.fileExists(atPath: sp) { out.append(sp) }
                }
            }
            dir = dir.doctorParent
            depth += 1
        }
        return out
    }

    private func load(_ sitePackages: String) {
        guard readSitePackages.insert(sitePackages).inserted else { return }
        let fm = FileManager.default
        guard let names = try? fm.contentsOfDirectory(atPath: sitePackages) else { return }
        for n in names where n.hasSuffix(".dist-info") {
            let stem = String(n.dropLast(".dist-info".count))
            guard let dash = stem.firstIndex(of: "-") else { continue }
            let label = stem[..<dash].replacingOccurrences(of: "_", with: "-") + " " + stem[stem.index(after: dash)...]
            guard let data = fm.contents(atPath: sitePackages + "/" + n + "/RECORD"), data.count < 32 << 20 else { continue }
            // RECORD is CSV: lines end in CRLF, one Character in Swift, so split on any newline.
            for line in String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline) {
                guard let rel = line.split(separator: ",", maxSplits: 1).first,
                      RuntimeScanner.looksLikeSharedLibrary(String(rel)) else { continue }
                let abs = URL(fileURLWithPath: sitePackages + "/" + rel).standardizedFileURL.path
                byPath[RuntimeIdentity.resolvedPath(abs) ?? abs] = label
            }
        }
    }
}
