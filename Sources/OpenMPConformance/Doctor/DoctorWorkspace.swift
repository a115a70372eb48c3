import Foundation

/// A temporary folder for fix checks, removed by ``remove()``. Every copy the doctor makes of a
/// user's files lives here; the user's own files are only ever read.
package final class DoctorWorkspace: Sendable {
    package let path: String

    /// Where workspaces are made: `$TMPDIR`, else `/tmp`.
    static var base: String {
        ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
    }

    package init() throws(DoctorError) {
        let base = Self.base
        var template = Array((base + "/omp-doctor-XXXXXX").utf8CString)
        guard let p = mkdtemp(&template) else {
            throw DoctorError.environment("cannot create a temporary folder in \(base): \(String(cString: strerror(errno)))")
        }
        path = String(cString: p)
    }

    package func remove() { try? FileManager.default.removeItem(atPath: path) }

    /// A new empty subfolder.
    func folder(_ name: String) throws(DoctorError) -> String {
        let p = path + "/" + name
        do { try FileManager.default.createDirectory(atPath: p, withIntermediateDirectories: true) } catch {
            throw DoctorError.environment("cannot create \(p): \(error.localizedDescription)")
        }
        return p
    }

    /// The deepest directory holding every path (absolute paths).
    static func commonAncestor(_ paths: [String]) -> String {
        let parts = paths.map { $0.split(separator: "/").map(String.init) }
        guard var common = parts.first else { return "/" }
        for p in parts.dropFirst() {
            var n = 0
            while n < common.count && n < p.count && common[n] == p[n] { n += 1 }
            common = Array(common.prefix(n))
        }
        return "/" + common.joined(separator: "/")
    }

    /// Copies files into `root`, keeping their layout below `base` (followed symlinks: the copy is the content).
    func copyFiles(_ files: [String], below base: String, into root: String) throws(DoctorError) -> [String: String] {
        var map: [String: String] = [:]
        let fm = FileManager.default
        for f in files {
            let rel = f.hasPrefix(base) ? String(f.dropFirst(base.count)) : "/" + (f.split(separator: "/").last.map(String.init) ?? f)
            let dest = root + (rel.hasPrefix("/") ? rel : "/" + rel)
            do {
                try fm.createDirectory(atPath: (dest as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                if fm.fileExists(atPath: dest) { map[f] = dest; continue }
                try fm.copyItem(atPath: RuntimeIdentity.resolvedPath(f) ?? f, toPath: dest)
            } catch {
                throw DoctorError.environment("cannot copy \(f) into \(root): \(error.localizedDescription)")
            }
            map[f] = dest
        }
        return map
    }

    /// Copies a whole tree with `cp -a` (symlinks kept as links), refusing trees over `limit` bytes.
    func copyTree(_ source: String, into dest: String, limit: Int64 = 4 << 30) throws(DoctorError) {
        let size = Self.treeSize(source, limit: limit)
        guard size <= limit else {
            throw DoctorError.environment("\(source) holds more than \(limit >> 30) GiB; not copied for a fix check")
        }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/cp")
        p.arguments = ["-a", "--", source, dest]
        let err = Pipe()
        p.standardError = err
        p.standardOutput = FileHandle.nullDevice
        do { try p.run() } catch { throw DoctorError.environment("cannot run cp: \(error.localizedDescription)") }
        let msg = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else {
            throw DoctorError.environment("copying \(source) failed: \(String(decoding: msg.prefix(500), as: UTF8.self))")
        }
    }

    /// Bytes of regular files under `path` (symlinks not followed), stopping past `limit`.
    static func treeSize(_ path: String, limit: Int64) -> Int64 {
        var total: Int64 = 0
        guard let e = FileManager.default.enumerator(at: URL(fileURLWithPath: path), includingPropertiesForKeys: [.fileSizeKey, .isSymbolicLinkKey],
                                                     options: []) else { return 0 }
        for case let u as URL in e {
            let v = try? u.resourceValues(forKeys: [.fileSizeKey, .isSymbolicLinkKey])
            if v?.isSymbolicLink == true { continue }
            total += Int64(v?.fileSize ?? 0)
            if total > limit { break }
        }
        return total
    }

    /// Writes one member of a zip archive (a wheel) into the workspace; returns its path there.
    /// The member is the one whose local header is at `entry` (its directory entry: two members
    /// may share a name); `member` names it in messages and in the copy's path.
    func extract(member: String, entry: Int, of archive: String) throws(DoctorError) -> String {
        let zip: ZipArchive
        do { zip = try ZipArchive(path: archive) } catch { throw .badInput("\(archive): \(error)") }
        guard let m = zip.members.first(where: { $0.localHeaderOffset == entry }) else {
            throw .badInput("\(archive) has no member \(member) at offset \(entry)")
        }
        let bytes: FileBytes
        do { bytes = try zip.contents(of: m) } catch { throw .badInput(error.description) }
        let name = (archive.split(separator: "/").last.map(String.init) ?? "wheel") + "/entry-\(entry)/" + m.name
        let dest = path + "/wheels/" + name.replacingOccurrences(of: "..", with: "_")
        let fm = FileManager.default
        do {
            try fm.createDirectory(atPath: dest.doctorParent, withIntermediateDirectories: true)
            try Data(bytes.raw).write(to: URL(fileURLWithPath: dest))
        } catch {
            throw .environment("cannot write \(dest): \(error.localizedDescription)")
        }
        return dest
    }

    /// Replaces `file` (inside this workspace) by a symlink to `target`.
    func replaceByLink(_ file: String, to target: String) throws(DoctorError) {
        precondition(file.hasPrefix(path + "/"), "only a copy inside the workspace is ever replaced")
        let fm = FileManager.default
        do {
            try fm.removeItem(atPath: file)
            try fm.createSymbolicLink(atPath: file, withDestinationPath: target)
        } catch {
            throw DoctorError.environment("cannot replace the copy \(file) by a link: \(error.localizedDescription)")
        }
    }
}

/// Why the doctor could not answer.
package enum DoctorError: Error, Sendable, CustomStringConvertible {
    /// Bad input named on the command line (exit 2).
    case badInput(String)
    /// The machine would not let the doctor work (exit 3).
    case environment(String)
    package var description: String {
        switch self {
        case .badInput(let s), .environment(let s): return s
        }
    }
}
