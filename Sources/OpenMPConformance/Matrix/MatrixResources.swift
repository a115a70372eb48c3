import Foundation

/// The library's own copy of `Matrices/`: the `EmbedMatrices` build plugin packs the top-level
/// folder into the `Matrices.tar` resource at build time, and this unpacks it, once per content,
/// into the per-user cache (`…/openmp-conformance/matrices/<hash>/Matrices`), so the matrix
/// is found where no source tree is.
///
/// The archive is read strictly: plain ustar files under `Matrices/` only, no absolute paths,
/// no `..`, no links.
package enum MatrixResources {
    package struct Failure: Error, CustomStringConvertible {
        package var description: String
    }

    /// The packed archive inside the library's resource bundle, if it was built with it.
    package static var archiveURL: URL? {
        Bundle.module.url(forResource: "Matrices", withExtension: "tar")
    }

    private static let unpacked = LockedCache<URL>()

    /// The unpacked `Matrices` directory (unpacked on first use).
    package static func directory() throws(Failure) -> URL {
        guard let archive = archiveURL else { throw Failure(description: "the library was built without its Matrices.tar resource") }
        return try unpacked.get { () throws(Failure) in try unpack(archive) }
    }

    /// Unpacks `archive` under `base` (default: the per-user cache, else the temporary directory)
    /// into `<base>/<first 16 of its SHA-256>/Matrices`, unless that is already there.
    static func unpack(_ archive: URL, base: URL? = nil) throws(Failure) -> URL {
        let bytes: FileBytes
        do { bytes = try FileBytes(mapping: archive.path) } catch {
            throw Failure(description: "\(archive.path): \(error)")
        }
        let files = try entries(bytes, name: archive.path)
        let hash = String(SHA256.hex(of: bytes.raw).prefix(16))
        let fm = FileManager.default
        let bases = base.map { [$0] } ?? defaultBases()
        var lastError = "no place to unpack it"
        for b in bases {
            let target = b.appendingPathComponent(hash, isDirectory: true)
            let result = target.appendingPathComponent("Matrices", isDirectory: true)
            if fm.fileExists(atPath: result.appendingPathComponent(".complete").path) { return result }
            let staging = b.appendingPathComponent(".unpack-\(getpid())-\(UInt32.random(in: 0...UInt32.max))", isDirectory: true)
            do {
                for (path, range) in files {
                    let url = staging.appendingPathComponent(path)
                    try fm.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                    try Data(UnsafeRawBufferPointer(rebasing: bytes.raw[range])).write(to: url)
                }
                try Data().write(to: staging.appendingPathComponent("Matrices/.complete"))
                if rename(staging.path, target.path) == 0 { return result }
                // Another process got there first, or an incomplete leftover is in the way.
                let reason = String(cString: strerror(errno))
                try? fm.removeItem(at: staging)
                if fm.fileExists(atPath: result.appendingPathComponent(".complete").path) { return result }
                try? fm.removeItem(at: target)
                lastError = "cannot move the unpacked matrix to \(target.path) (\(reason))"
            } catch {
                try? fm.removeItem(at: staging)
                lastError = "\(b.path): \(error)"
            }
        }
        throw Failure(description: "cannot unpack \(archive.path): \(lastError)")
    }

    static func defaultBases() -> [URL] {
        var bases: [URL] = []
        if let runtimes = try? RuntimeCatalog.directory(environment: ProcessInfo.processInfo.environment.filter {
            $0.key != RuntimeCatalog.directoryVariable
        }) {
            bases.append(runtimes.deletingLastPathComponent().appendingPathComponent("matrices", isDirectory: true))
        }
        bases.append(FileManager.default.temporaryDirectory.appendingPathComponent("openmp-conformance-matrices-\(getuid())",
                                                                                    isDirectory: true))
        return bases
    }

    /// The regular files of a ustar archive: relative path and byte range.
    static func entries(_ b: FileBytes, name: String) throws(Failure) -> [(String, Range<Int>)] {
        var out: [(String, Range<Int>)] = []
        var o = 0
        func field(_ start: Int, _ length: Int) -> String {
            let slice = b.raw[(o + start)..<(o + start + length)]
            return String(decoding: slice.prefix { $0 != 0 }, as: UTF8.self)
        }
        while o + 512 <= b.count {
            if b.raw[o..<(o + 512)].allSatisfy({ $0 == 0 }) { return out }
            guard field(257, 5) == "ustar" else { throw Failure(description: "\(name): not a ustar archive at byte \(o)") }
            let sizeText = field(124, 12).trimmingCharacters(in: .whitespaces)
            guard let size = Int(sizeText, radix: 8), size >= 0, o + 512 + size <= b.count else {
                throw Failure(description: "\(name): bad size \"\(sizeText)\" at byte \(o)")
            }
            let prefix = field(345, 155), base = field(0, 100)
            let path = prefix.isEmpty ? base : prefix + "/" + base
            let type = b.raw[o + 156]
            if type == UInt8(ascii: "0") || type == 0 {
                let parts = path.split(separator: "/")
                guard !path.hasPrefix("/"), parts.first == "Matrices", !parts.contains(".."), !parts.contains(".") else {
                    throw Failure(description: "\(name): refusing the member \"\(path)\"")
                }
                out.append((path, (o + 512)..<(o + 512 + size)))
            } else if type != UInt8(ascii: "5") {
                throw Failure(description: "\(name): member \"\(path)\" is not a plain file or directory")
            }
            o += 512 + (size + 511) / 512 * 512
        }
        throw Failure(description: "\(name): ends without its end-of-archive blocks")
    }
}
