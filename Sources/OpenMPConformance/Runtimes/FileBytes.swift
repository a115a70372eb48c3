#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization
import _OpenMPShims

/// Why a file could not be read as a binary, or what was wrong inside it.
package enum BinaryFileError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Nothing exists at the path.
    case notFound(path: String)
    /// The path is a directory.
    case isDirectory(path: String)
    /// The path exists but is not a regular file (a FIFO, a socket, a device).
    case notRegularFile(path: String)
    /// The file exists but this process may not read it.
    case permissionDenied(path: String)
    /// Any other system error, with its `strerror` text.
    case unreadable(path: String, reason: String)
    /// The bytes do not start with the magic number of the format being parsed.
    case wrongFormat(path: String, expected: String)
    /// The file has the right magic number but a table or offset points outside it.
    case malformed(path: String, reason: String)

    /// The description without the path, e.g. `malformed (…)`.
    package var reason: String {
        switch self {
        case .notFound: return "no such file"
        case .isDirectory: return "is a directory"
        case .notRegularFile: return "not a regular file"
        case .permissionDenied: return "permission denied"
        case .unreadable(_, let r): return "cannot be read (\(r))"
        case .wrongFormat(_, let e): return "not \(e)"
        case .malformed(_, let r): return "malformed (\(r))"
        }
    }

    package var description: String {
        switch self {
        case .notFound(let p): return "\(p): no such file"
        case .isDirectory(let p): return "\(p): is a directory"
        case .notRegularFile(let p): return "\(p): not a regular file"
        case .permissionDenied(let p): return "\(p): permission denied"
        case .unreadable(let p, let r): return "\(p): cannot be read (\(r))"
        case .wrongFormat(let p, let e): return "\(p): not \(e)"
        case .malformed(let p, let r): return "\(p): malformed (\(r))"
        }
    }
}

/// Identity of a file on disk: the pair the dynamic loader uses to decide that two paths
/// are the same object.
package struct FileKey: Sendable, Hashable, Codable, CustomStringConvertible {
    package var device: UInt64
    package var inode: UInt64
    package init(device: UInt64, inode: UInt64) { self.device = device; self.inode = inode }
    package var description: String { "dev \(device) ino \(inode)" }
}

/// Read-only bytes of a whole file (mapped, not loaded: no code runs), or bytes produced in
/// memory, e.g. an inflated zip member. Immutable after creation.
///
/// A mapped file that another process truncates while it is parsed or hashed would fault
/// (SIGBUS) in the reader: every mapping is guarded (`omp_shim_guard_mapping`), so the missing
/// pages read as zeros and ``changedWhileRead`` turns true; readers then report the file as
/// changed while it was read. Where a mapping cannot be guarded, the file is read into memory
/// instead. Only regular files are opened: a FIFO, socket or device is refused before `open`
/// (which could block or have side effects), and checked again after it.
final class FileBytes: @unchecked Sendable {
    /// The bytes. Valid only while this object lives: keep the object in a variable or a stored
    /// property for as long as `raw` is used (`let b = try FileBytes(…); use(b.raw)`), never take
    /// `raw` of a temporary (`try FileBytes(…).raw`), whose memory is released at once.
    let raw: UnsafeRawBufferPointer
    let key: FileKey?
    private let mapping: UnsafeMutableRawPointer?
    private let guardSlot: Int32
    private let owned: UnsafeMutableRawBufferPointer?
    /// Memory from `malloc` (an inflated zip member), released with `free`.
    private let mallocated: UnsafeMutableRawPointer?

    var count: Int { raw.count }

    /// True when the file shrank while mapped, so that some of ``raw`` reads as zeros, or when a
    /// read file came up short. Readers check it after parsing and hashing.
    var changedWhileRead: Bool { shortRead || (guardSlot >= 0 && omp_shim_guard_faulted(guardSlot) != 0) }
    private let shortRead: Bool

    /// A test seam: called with the path after a file is opened, sized and mapped, before its bytes
    /// are used (a test truncates the file there, deterministically, where a race would be).
    package static let afterOpen = Mutex<(@Sendable (String) -> Void)?>(nil)

    /// The regular file at `path` (symlinks followed), mapped read-only under a guard, or read into
    /// memory when no guard is free.
    /// - Throws: ``BinaryFileError/notRegularFile(path:)`` for a FIFO, socket or device (never opened).
    init(reading path: String) throws(BinaryFileError) {
        let (fd, st) = try Self.openRegular(path)
        defer { close(fd) }
        key = FileKey(device: UInt64(st.st_dev), inode: UInt64(st.st_ino))
        mallocated = nil
        let size = Int(st.st_size)
        if size > 0, let p = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), p != MAP_FAILED {
            let slot = omp_shim_guard_mapping(p, size)
            if slot >= 0 {
                mapping = p; guardSlot = slot; owned = nil; shortRead = false
                raw = UnsafeRawBufferPointer(start: p, count: size)
                Self.afterOpen.withLock { $0 }?(path)
                return
            }
            munmap(p, size)
        }
        mapping = nil; guardSlot = -1
        Self.afterOpen.withLock { $0 }?(path)
        let buf = UnsafeMutableRawBufferPointer.allocate(byteCount: max(size, 1), alignment: 16)
        var done = 0
        while done < size {
            let n = read(fd, buf.baseAddress! + done, size - done)
            if n < 0 {
                if errno == EINTR { continue }
                let e = errno
                buf.deallocate()
                throw Self.error(e, path)
            }
            if n == 0 { break }
            done += n
        }
        owned = buf
        shortRead = done < size
        raw = UnsafeRawBufferPointer(start: buf.baseAddress, count: done)
    }

    /// The historical name of ``init(reading:)``; the file is read, not mapped.
    convenience init(mapping path: String) throws(BinaryFileError) {
        try self.init(reading: path)
    }

    /// Opens `path` for reading only when it is a regular file: checked with `stat` before
    /// `open` (so a FIFO or device is never opened) and with `fstat` after (in case the path was
    /// swapped in between; `O_NONBLOCK` keeps that open from blocking).
    static func openRegular(_ path: String) throws(BinaryFileError) -> (Int32, stat) {
        var st = stat()
        if stat(path, &st) != 0 { throw error(errno, path) }
        let kind = st.st_mode & S_IFMT
        if kind == S_IFDIR { throw .isDirectory(path: path) }
        if kind != S_IFREG { throw .notRegularFile(path: path) }
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY)
        if fd < 0 { throw error(errno, path) }
        var after = stat()
        guard fstat(fd, &after) == 0, after.st_mode & S_IFMT == S_IFREG else {
            close(fd)
            throw .notRegularFile(path: path)
        }
        return (fd, after)
    }

    /// Copies `bytes` into memory the instance owns.
    init(bytes: [UInt8]) {
        let buf = UnsafeMutableRawBufferPointer.allocate(byteCount: max(bytes.count, 1), alignment: 16)
        bytes.withUnsafeBytes { src in
            if let s = src.baseAddress { buf.baseAddress!.copyMemory(from: s, byteCount: src.count) }
        }
        owned = buf
        mallocated = nil
        mapping = nil; guardSlot = -1; shortRead = false
        key = nil
        raw = UnsafeRawBufferPointer(start: buf.baseAddress, count: bytes.count)
    }

    /// Takes ownership of memory from `malloc` (`count` bytes of it are valid).
    init(mallocated pointer: UnsafeMutableRawPointer, count: Int) {
        mallocated = pointer
        owned = nil
        mapping = nil; guardSlot = -1; shortRead = false
        key = nil
        raw = UnsafeRawBufferPointer(start: pointer, count: count)
    }

    deinit {
        if let m = mapping {
            omp_shim_unguard_mapping(guardSlot)
            munmap(m, raw.count)
        }
        owned?.deallocate()
        free(mallocated)
    }

    /// Reads a whole regular file with read(2), for files whose size stat cannot tell (`/proc`).
    /// A FIFO, socket or device is refused, never opened (see ``openRegular(_:)``), unless
    /// `streams` allows it: an input the user named on the command line (`/dev/stdin`, a pipe) is
    /// read to its end like a file. At most `limit` bytes are read.
    static func readAll(path: String, limit: Int = 64 << 20, streams: Bool = false) throws(BinaryFileError) -> [UInt8] {
        let fd: Int32
        if streams {
            var st = stat()
            if stat(path, &st) != 0 { throw error(errno, path) }
            if st.st_mode & S_IFMT == S_IFDIR { throw .isDirectory(path: path) }
            fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY)
            if fd < 0 { throw error(errno, path) }
        } else {
            fd = try openRegular(path).0
        }
        defer { close(fd) }
        var data: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw error(errno, path)
            }
            if n == 0 { break }
            data.append(contentsOf: chunk[0..<min(n, limit - data.count)])
            if data.count >= limit { break }
        }
        return data
    }

    static func error(_ code: Int32, _ path: String) -> BinaryFileError {
        switch code {
        case ENOENT, ENOTDIR: return .notFound(path: path)
        case EACCES, EPERM: return .permissionDenied(path: path)
        case EISDIR: return .isDirectory(path: path)
        default: return .unreadable(path: path, reason: String(cString: strerror(code)))
        }
    }

    // MARK: bounds-checked reads

    @inline(__always) func has(_ offset: Int, _ length: Int) -> Bool {
        offset >= 0 && length >= 0 && offset <= raw.count && length <= raw.count - offset
    }

    /// The range `[offset, offset + length)` as `Int`s when it lies wholly inside the
    /// bytes; nil otherwise. Never traps, whatever the two values are.
    func span(_ offset: UInt64, _ length: UInt64) -> (offset: Int, count: Int)? {
        let n = UInt64(raw.count)
        guard offset <= n, length <= n - offset else { return nil }
        return (Int(offset), Int(length))
    }

    /// Like ``span(_:_:)``, but a length that runs past the end is cut at the end; nil only
    /// when `offset` itself lies past the end.
    func clampedSpan(_ offset: UInt64, _ length: UInt64) -> (offset: Int, count: Int)? {
        let n = UInt64(raw.count)
        guard offset <= n else { return nil }
        return (Int(offset), Int(min(length, n - offset)))
    }

    @inline(__always) func u8(_ o: Int) -> UInt8? {
        guard has(o, 1) else { return nil }
        return raw.load(fromByteOffset: o, as: UInt8.self)
    }

    @inline(__always) func u16(_ o: Int, bigEndian: Bool) -> UInt16? {
        guard has(o, 2) else { return nil }
        let v = raw.loadUnaligned(fromByteOffset: o, as: UInt16.self)
        return bigEndian ? UInt16(bigEndian: v) : UInt16(littleEndian: v)
    }

    @inline(__always) func u32(_ o: Int, bigEndian: Bool) -> UInt32? {
        guard has(o, 4) else { return nil }
        let v = raw.loadUnaligned(fromByteOffset: o, as: UInt32.self)
        return bigEndian ? UInt32(bigEndian: v) : UInt32(littleEndian: v)
    }

    @inline(__always) func u64(_ o: Int, bigEndian: Bool) -> UInt64? {
        guard has(o, 8) else { return nil }
        let v = raw.loadUnaligned(fromByteOffset: o, as: UInt64.self)
        return bigEndian ? UInt64(bigEndian: v) : UInt64(littleEndian: v)
    }

    /// The NUL-terminated string at `offset`, read no further than `limit` (exclusive) nor
    /// than `maxLength` bytes (so that many names pointing into one long unterminated run
    /// cost no more than `maxLength` each); nil when no NUL is found within those bounds.
    func cString(at offset: Int, limit: Int? = nil, maxLength: Int = 1 << 16) -> String? {
        let end = min(limit ?? raw.count, raw.count)
        guard offset >= 0, offset < end, let base = raw.baseAddress else { return nil }
        let window = min(end - offset, maxLength)
        guard let nul = memchr(base + offset, 0, window) else { return nil }
        let length = UnsafeRawPointer(nul) - (base + offset)
        return String(decoding: UnsafeRawBufferPointer(start: base + offset, count: length), as: UTF8.self)
    }

    /// True when the NUL-terminated string at `offset` equals `name` (given as UTF-8 bytes),
    /// compared in place without making a String.
    func cStringEquals(at offset: Int, _ name: UnsafeBufferPointer<UInt8>, limit: Int? = nil) -> Bool {
        let end = min(limit ?? raw.count, raw.count)
        guard offset >= 0, has(offset, name.count + 1), offset + name.count < end, let base = raw.baseAddress else { return false }
        if base.load(fromByteOffset: offset + name.count, as: UInt8.self) != 0 { return false }
        return memcmp(base + offset, name.baseAddress!, name.count) == 0
    }

    /// Offsets of every occurrence of `needle` in the bytes (memchr for the first byte,
    /// then memcmp; glibc's memmem is not visible to Swift).
    func occurrences(of needle: [UInt8]) -> [Int] {
        guard let base = raw.baseAddress, !needle.isEmpty, raw.count >= needle.count else { return [] }
        var out: [Int] = []
        let last = raw.count - needle.count
        needle.withUnsafeBytes { n in
            let first = Int32(needle[0])
            var from = 0
            while from <= last {
                guard let hit = memchr(base + from, first, last - from + 1) else { break }
                let off = UnsafeRawPointer(hit) - base
                if memcmp(base + off, n.baseAddress!, n.count) == 0 { out.append(off) }
                from = off + 1
            }
        }
        return out
    }
}
