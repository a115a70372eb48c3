#if os(Linux)
import Foundation
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
        return parseMaps(String(decoding: data, as: UTF8.self)).map(unescapingNewlines)
    }

    /// The kernel writes a newline in a mapped file's path as `\012`; the path with the newline
    /// is taken when it names the mapped file (same device and inode), so that such a file is
    /// found and probed, not called gone.
    static func unescapingNewlines(_ o: MappedObject) -> MappedObject {
        guard o.path.contains("\\012") else { return o }
        let candidate = o.path.replacingOccurrences(of: "\\012", with: "\n")
        var st = stat()
        guard stat(candidate, &st) == 0, o.fileKey == nil || o.fileKey == FileKey(device: UInt64(st.st_dev), inode: UInt64(st.st_ino)) else { return o }
        var fixed = o
        fixed.path = candidate
        return fixed
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

    /// Reads, for each KMP-family runtime mapped in `pid`, whether it has started, from the
    /// runtime's own state in the process's memory (`/proc/PID/mem`):
    /// - the registration record (`/dev/shm/__KMP_REGISTERED_LIB_<pid>_<uid>`) holds the address
    ///   of the registering runtime's flag and the value it wrote there; the runtime whose mapping
    ///   holds that address, with that value still in it, started;
    /// - a runtime whose file keeps its full symbol table (Intel's do) has `__kmp_init_serial`,
    ///   set when it initializes: read at the mapping's base plus the symbol's value.
    /// A runtime neither tells about keeps `started == nil`. A registration entry alone (without
    /// the value in memory) is not taken as a start: old runtimes register through the environment.
    static func markStarted(_ objects: inout [MappedObject], pid: Int32) {
        let kmp = objects.indices.filter { objects[$0].identity?.family == .kmp && objects[$0].hasExecutableMapping }
        guard !kmp.isEmpty else { return }
        let fd = open("/proc/\(pid)/mem", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            let why = "the process's memory cannot be read: \(String(cString: strerror(errno)))"
            for i in kmp { objects[i].startEvidence = why }
            return
        }
        defer { close(fd) }
        func word(_ address: UInt64, _ size: Int) -> UInt64? {
            var v: UInt64 = 0
            let n = withUnsafeMutableBytes(of: &v) { pread(fd, $0.baseAddress, size, off_t(Int64(bitPattern: address))) }
            return n == size ? v : nil
        }
        if let record = registrationRecord(pid: pid) {
            let parts = record.split(separator: "-", maxSplits: 2)
            if parts.count == 3, let address = UInt64(parts[0].hasPrefix("0x") ? parts[0].dropFirst(2) : parts[0], radix: 16),
               let value = UInt64(parts[1], radix: 16),
               let i = owner(of: address, among: kmp.map { objects[$0] }).map({ kmp[$0] }) {
                if word(address, MemoryLayout<Int>.size) == value {
                    objects[i].started = true
                    objects[i].startEvidence = "its registration flag at 0x\(String(address, radix: 16)) holds the value it registered"
                }
            }
        }
        for i in kmp where objects[i].started == nil {
            let o = objects[i]
            guard let base = o.regions.filter({ $0.offset == 0 }).map(\.start).min() else { continue }
            let file = o.deleted ? nil : o.path
            guard let path = file, let elf = try? ELFFile(path: path), let value = elf.symbolValue("__kmp_init_serial") else {
                if objects[i].startEvidence == nil {
                    objects[i].startEvidence = "no registration of its own and no symbol table to read its state from"
                }
                continue
            }
            guard let v = word(base &+ value, 4) else {
                objects[i].startEvidence = "its __kmp_init_serial could not be read"
                continue
            }
            objects[i].started = v != 0
            objects[i].startEvidence = "its __kmp_init_serial is \(v)" + (v == 0 ? ": calls bind to another runtime" : "")
        }
        // What the runtimes do when one starts after another: without KMP_DUPLICATE_LIB_OK in the
        // environment they read (the process's live one, not its initial one), the second aborts
        // the process. So while one runtime is known to have started and the process lives with
        // the variable unset, no other has started.
        guard let first = kmp.first(where: { objects[$0].started == true }), kmp.contains(where: { objects[$0].started == nil }) else { return }
        guard let environment = liveEnvironment(objects, read: word) else {
            for i in kmp where objects[i].started == nil { objects[i].startEvidence = (objects[i].startEvidence ?? "") + "; the process's environment could not be read" }
            return
        }
        let value = environment.first { $0.hasPrefix("KMP_DUPLICATE_LIB_OK=") }.map { String($0.dropFirst(21)) }
        if let value, ["1", "t", "true", "on", "yes", "y", ".true."].contains(value.lowercased()) { return }
        for i in kmp where objects[i].started == nil {
            objects[i].started = false
            objects[i].startEvidence = "\(objects[first].path) started, and with KMP_DUPLICATE_LIB_OK "
                + (value.map { "set to '\($0)'" } ?? "unset") + " in the process's environment a second runtime's start "
                + "would have aborted it with OMP: Error #15"
        }
    }

    /// The process's live environment (`char **__environ` of its libc, read from its memory),
    /// at most 4096 entries of at most 4096 bytes; nil when it cannot be read.
    static func liveEnvironment(_ objects: [MappedObject], read word: (UInt64, Int) -> UInt64?) -> [String]? {
        guard let libc = objects.first(where: { ($0.path as NSString).lastPathComponent.hasPrefix("libc.so") && !$0.deleted }),
              let base = libc.regions.filter({ $0.offset == 0 }).map(\.start).min(),
              let elf = try? ELFFile(path: libc.path), let value = elf.symbolValue("__environ"),
              let array = word(base &+ value, 8), array != 0 else { return nil }
        var out: [String] = []
        for k in 0..<4096 {
            guard let p = word(array &+ UInt64(k * 8), 8) else { return nil }
            if p == 0 { return out }
            var bytes: [UInt8] = []
            var at = p
            reading: while bytes.count < 4096 {
                guard let chunk = word(at, 8) else { break }
                for b in withUnsafeBytes(of: chunk.littleEndian, Array.init) {
                    if b == 0 { break reading }
                    bytes.append(b)
                }
                at &+= 8
            }
            out.append(String(decoding: bytes, as: UTF8.self))
        }
        return out
    }

    /// The runtime whose memory holds `address`: one of its file mappings, or the anonymous
    /// memory right after its last one (its `.bss`, where the registration flag lives), within 64 MiB.
    static func owner(of address: UInt64, among objects: [MappedObject]) -> Int? {
        if let i = objects.firstIndex(where: { $0.regions.contains { $0.start <= address && address < $0.end } }) { return i }
        let below = objects.indices.compactMap { i -> (Int, UInt64)? in
            guard let end = objects[i].regions.map(\.end).max(), end <= address, address - end < 64 << 20 else { return nil }
            return (i, end)
        }
        return below.max { $0.1 < $1.1 }?.0
    }

    /// The text of the KMP registration file for `pid`, NUL padding removed.
    static func registrationRecord(pid: Int32) -> String? {
        guard let uid = processUID(pid: pid),
              let bytes = try? FileBytes.readAll(path: "/dev/shm/__KMP_REGISTERED_LIB_\(pid)_\(uid)", limit: 4096) else { return nil }
        return String(decoding: bytes.prefix(while: { $0 != 0 }), as: UTF8.self)
    }

    /// The library name in the KMP registration file for `pid`
    /// (`/dev/shm/__KMP_REGISTERED_LIB_<pid>_<uid>`), if one exists.
    static func registeredKMPRuntime(pid: Int32) -> String? {
        // "<flag address>-<flag value>-<library file name>", NUL-padded.
        guard let text = registrationRecord(pid: pid) else { return nil }
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
