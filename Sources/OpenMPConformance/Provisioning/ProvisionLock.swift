#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An exclusive `flock` on `<runtimes dir>/.lock`, held for a whole provisioning run, so two
/// provisioners (two shells, two CI steps, two downstream packages) never write the same
/// directory at once. The second one waits, then finds everything present.
///
/// The lock belongs to the open file: it is released when this object goes away, and by the
/// kernel if the process dies.
final class ProvisionLock {
    let path: String
    private let fd: Int32

    /// Takes the lock, waiting for another holder. `waiting` is called once if it must wait.
    init(directory: String, waiting: (String) -> Void) throws(ProvisionError) {
        path = directory.hasSuffix("/") ? directory + ".lock" : directory + "/.lock"
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .io(path: path, reason: "cannot open the lock file (\(String(cString: strerror(errno))))") }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            waiting("waiting for another provisioner (lock \(path))")
            while flock(fd, LOCK_EX) != 0 {
                if errno == EINTR { continue }
                let reason = String(cString: strerror(errno))
                close(fd)
                throw .io(path: path, reason: "cannot lock (\(reason))")
            }
        }
        self.fd = fd
    }

    deinit {
        flock(fd, LOCK_UN)
        close(fd)
    }
}
