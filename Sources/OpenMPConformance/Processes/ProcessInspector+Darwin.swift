#if canImport(Darwin)
import Darwin
import _OpenMPShims

extension ProcessInspector {
    /// The regions of `pid` with their files, one `proc_pidinfo(PROC_PIDREGIONPATHINFO)`
    /// call per region, through the shim. System libraries live in the dyld shared cache and
    /// show as that one file; runtimes installed by Homebrew or bundled in wheels show by path.
    static func readMappings(pid: Int32) throws(ProcessInspectionError) -> [MappedObject] {
        if pid <= 0 { throw .noSuchProcess(pid: pid) }
        var objects: [MappedObject] = []
        var index: [String: Int] = [:]
        var address: UInt64 = 0
        var region = omp_shim_region()
        while true {
            let r = omp_shim_region_at(pid, address, &region)
            if r < 0 {
                let e = errno
                if objects.isEmpty && address == 0 {
                    if e == ESRCH { throw .noSuchProcess(pid: pid) }
                    if e == EPERM || e == EACCES { throw .permissionDenied(pid: pid) }
                }
                throw .unreadable(pid: pid, reason: String(cString: strerror(e)))
            }
            if r == 0 { break }
            let path = withUnsafeBytes(of: region.path) { String(decoding: $0.prefix(while: { $0 != 0 }), as: UTF8.self) }
            if !path.isEmpty {
                let p = region.protection
                let permissions = (p & 1 != 0 ? "r" : "-") + (p & 2 != 0 ? "w" : "-") + (p & 4 != 0 ? "x" : "-")
                let mapped = MappedObject.Region(start: region.start, end: region.start + region.size,
                                                 permissions: permissions, offset: region.offset)
                if let i = index[path] {
                    objects[i].regions.append(mapped)
                } else {
                    index[path] = objects.count
                    objects.append(MappedObject(path: path, fileKey: FileKey(device: region.device, inode: region.inode),
                                                deleted: false, regions: [mapped], identity: nil, note: nil))
                }
            }
            guard region.size > 0 else { break }
            address = region.start + region.size
        }
        return objects
    }

    /// macOS offers no way to open the file behind a mapping once its path names another file.
    static func identifyReplaced(_ object: MappedObject, pid: Int32) -> (RuntimeIdentity?, String?) {
        (nil, "the file at the path is no longer the mapped one (macOS cannot open the mapped file itself)")
    }

    /// macOS runtimes register in an environment variable of their own process
    /// (`__KMP_REGISTERED_LIB_<pid>`), which another process cannot read: always nil.
    static func registeredKMPRuntime(pid: Int32) -> String? { nil }

    /// Another process's memory is not read on macOS: whether a runtime started stays unknown.
    static func markStarted(_ objects: inout [MappedObject], pid: Int32) {
        for i in objects.indices where objects[i].identity?.family == .kmp {
            objects[i].startEvidence = "macOS: another process's runtime state is not read"
        }
    }
}
#endif
