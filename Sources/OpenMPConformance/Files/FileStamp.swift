import Foundation

/// What says a file is still the one read before: its path, size, modification time (to the
/// nanosecond) and inode. Results kept beside a file (the doctor's atlas snapshot, a wheel's scan)
/// are used only while its stamp is unchanged.
package struct FileStamp: Sendable, Hashable, CustomStringConvertible {
    package var path: String
    package var size: Int64
    package var modifiedSeconds: Int
    package var modifiedNanoseconds: Int
    package var inode: UInt64

    /// Nil when `path` cannot be stat'ed.
    package init?(path: String) {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        #if canImport(Darwin)
        let m = st.st_mtimespec
        #else
        let m = st.st_mtim
        #endif
        self.path = path
        size = Int64(st.st_size)
        modifiedSeconds = Int(m.tv_sec)
        modifiedNanoseconds = Int(m.tv_nsec)
        inode = UInt64(st.st_ino)
    }

    /// `path`, size, `seconds.nanoseconds` and inode, separated by NUL.
    package var description: String { "\(path)\u{0}\(size)\u{0}\(modifiedSeconds).\(modifiedNanoseconds)\u{0}\(inode)" }
}
