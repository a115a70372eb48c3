import Foundation

/// Writes files so that readers see the old file or the new one, never a part.
package enum AtomicFile {
    /// Writes `data` to a temporary file in the destination's directory, flushes it to disk
    /// (`fsync`), and renames it over the destination, so readers see the old file or the new
    /// one, never a part. On any failure the temporary file is removed and the old file stays.
    /// The new file keeps the old file's permission bits (0644 when there was none).
    /// - Throws: ``FileWriteError`` naming the step and the system's reason.
    ///
    /// Only a regular file is ever replaced: a destination that is a symlink, FIFO, socket
    /// or device is refused (``FileWriteError``), so a write never turns
    /// `/dev/stdout` or a named pipe into a plain file.
    package static func write(_ data: Data, to url: URL) throws {
        let path = url.path
        var current = stat()
        // (A directory needs no check: rename(2) cannot put a file over one.)
        if lstat(path, &current) == 0, current.st_mode & S_IFMT != S_IFREG, current.st_mode & S_IFMT != S_IFDIR {
            let kind: String
            switch current.st_mode & S_IFMT {
            case S_IFLNK: kind = "a symbolic link"
            case S_IFIFO: kind = "a FIFO"
            case S_IFCHR, S_IFBLK: kind = "a device"
            case S_IFSOCK: kind = "a socket"
            case S_IFDIR: kind = "a directory"
            default: kind = "not a regular file"
            }
            throw FileWriteError(path: path, operation: "replace it", reason: "it is \(kind); only regular files are replaced")
        }
        let directory = url.deletingLastPathComponent().path
        let base = url.lastPathComponent
        var template = Array("\(directory)/.\(base).tmp-XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else {
            throw FileWriteError.system(path, "create a temporary file in \(directory)", errno)
        }
        let temporary = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        var renamed = false
        var open = true
        defer {
            if open { close(fd) }
            if !renamed { unlink(temporary) }
        }

        var mode: mode_t = 0o644
        var existing = stat()
        if stat(path, &existing) == 0 { mode = existing.st_mode & 0o7777 }
        if fchmod(fd, mode) != 0 {
            throw FileWriteError.system(path, "set permissions on \(temporary)", errno)
        }

        var failure: Int32 = 0
        data.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) in
            guard let base = buffer.baseAddress else { return }
            var written = 0
            while written < buffer.count {
                let n = Foundation.write(fd, base + written, buffer.count - written)
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    return
                }
                written += n
            }
        }
        if failure != 0 { throw FileWriteError.system(path, "write \(data.count) bytes to \(temporary)", failure) }
        if fsync(fd) != 0 { throw FileWriteError.system(path, "flush \(temporary) to disk (fsync)", errno) }
        open = false
        if close(fd) != 0 { throw FileWriteError.system(path, "close \(temporary)", errno) }
        if rename(temporary, path) != 0 {
            throw FileWriteError.system(path, "rename \(temporary) over it", errno)
        }
        renamed = true

        // Make the rename itself durable; not every file system allows fsync on a directory.
        let dirFD = Foundation.open(directory, O_RDONLY | O_DIRECTORY)
        if dirFD >= 0 {
            _ = fsync(dirFD)
            close(dirFD)
        }
    }
}
