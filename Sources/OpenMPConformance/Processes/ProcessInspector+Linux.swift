#if os(Linux)
import Glibc

extension ProcessInspector {
    /// `/proc/<pid>/maps`.
    static func readMappings(pid: Int32) throws(ProcessInspectionError) -> [MappedObject] {
        let path = "/proc/\(pid)/maps"
        let data: [UInt8]
        do {
            data = try FileBytes.readAll(path: path)
        } catch {
            var st = stat()
            if stat("/proc/\(pid)", &st) != 0 { throw .noSuchProcess(pid: pid) }
            switch error {
            case .notFound: throw .noSuchProcess(pid: pid)
            case .permissionDenied:
                // Root, or the process's own user, refused all the same: the kernel's ptrace access
                // check (no CAP_SYS_PTRACE, a container's PID 1, Yama), not another user's process.
                let me = geteuid()
                guard me == 0 || me == st.st_uid else { throw .permissionDenied(pid: pid) }
                throw .unreadable(pid: pid, reason: "the kernel refused it to this process although it runs as "
                                  + (me == 0 ? "root" : "the same user")
                                  + " (its ptrace access check: this process lacks CAP_SYS_PTRACE over pid \(pid), e.g. a container's init, or Yama's ptrace_scope)")
            case .unreadable(_, let reason) where reason.contains("No such process"): throw .noSuchProcess(pid: pid)
            default: throw .unreadable(pid: pid, reason: error.description)
            }
        }
        return parseMaps(String(decoding: data, as: UTF8.self))
    }

    /// Parses `/proc/<pid>/maps` text: `start-end perms offset major:minor inode path`.
    static func parseMaps(_ text: String) -> [MappedObject] {
        var objects: [MappedObject] = []
        var index: [String: Int] = [:]
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ", maxSplits: 5, omittingEmptySubsequences: true)
            guard fields.count == 6 else { continue }
            var name = fields[5].drop(while: { $0 == " " })[...]
            guard name.first == "/" else { continue } // [heap], [stack], anonymous
            var deleted = false
            if name.hasSuffix(" (deleted)") { deleted = true; name = name.dropLast(10) }
            let range = fields[0].split(separator: "-")
            guard range.count == 2, let start = UInt64(range[0], radix: 16), let end = UInt64(range[1], radix: 16),
                  let offset = UInt64(fields[2], radix: 16) else { continue }
            let dev = fields[3].split(separator: ":")
            var key: FileKey?
            if dev.count == 2, let major = UInt64(dev[0], radix: 16), let minor = UInt64(dev[1], radix: 16),
               let inode = UInt64(fields[4]), inode != 0 {
                key = FileKey(device: makeDevice(major: major, minor: minor), inode: inode)
            }
            let region = MappedObject.Region(start: start, end: end, permissions: String(fields[1]), offset: offset)
            let path = String(name)
            if let i = index[path] {
                objects[i].regions.append(region)
            } else {
                index[path] = objects.count
                objects.append(MappedObject(path: path, fileKey: key, deleted: deleted, regions: [region],
                                            identity: nil, note: nil))
            }
        }
        return objects
    }

    /// glibc's `makedev`: the `st_dev` value for a major and minor number.
    static func makeDevice(major: UInt64, minor: UInt64) -> UInt64 {
        (minor & 0xff) | ((major & 0xfff) << 8) | ((minor & ~0xff) << 12) | ((major & ~0xfff) << 32)
    }

    /// A mapped file that is no longer the one at its path: reads the mapping's own file
    /// through `/proc/<pid>/map_files` if allowed.
    static func identifyReplaced(_ object: MappedObject, pid: Int32) -> (RuntimeIdentity?, String?) {
        guard let r = object.regions.first else { return (nil, "the file at the path is no longer the mapped one") }
        let alt = "/proc/\(pid)/map_files/\(String(r.start, radix: 16))-\(String(r.end, radix: 16))"
        if var id = try? RuntimeIdentity.identify(path: alt) {
            id.path = object.path
            id.realPath = object.path
            return (id, "identified through \(alt): the file at the path is no longer the mapped one")
        }
        return (nil, "the file at the path is no longer the mapped one, and \(alt) could not be read")
    }

    /// The library name in the KMP registration file for `pid`
    /// (`/dev/shm/__KMP_REGISTERED_LIB_<pid>_<uid>`), if one exists.
    static func registeredKMPRuntime(pid: Int32) -> String? {
        guard let uid = processUID(pid: pid),
              let bytes = try? FileBytes.readAll(path: "/dev/shm/__KMP_REGISTERED_LIB_\(pid)_\(uid)") else { return nil }
        // "<flag address>-<flag value>-<library file name>", NUL-padded.
        let text = String(decoding: bytes.prefix(while: { $0 != 0 }), as: UTF8.self)
        let parts = text.split(separator: "-", maxSplits: 2)
        return parts.count == 3 ? String(parts[2]) : text
    }

    /// The real uid of `pid`, from the `Uid:` line of `/proc/<pid>/status`.
    static func processUID(pid: Int32) -> UInt32? {
        guard let bytes = try? FileBytes.readAll(path: "/proc/\(pid)/status") else { return nil }
        for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n") where line.hasPrefix("Uid:") {
            return line.split(whereSeparator: { $0 == " " || $0 == "\t" }).dropFirst().first.flatMap { UInt32($0) }
        }
        return nil
    }
}
#endif
