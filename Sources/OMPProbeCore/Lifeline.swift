#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The probe dies with its supervisor: the supervisor passes the read end of a pipe whose
/// write end only it holds (descriptor number in `__OMP_CONFORMANCE_LIFELINE`). A thread
/// blocks reading it; end-of-file means the supervisor is gone (even after SIGKILL), and the
/// probe then kills its process group, itself included, so that no probe spins on alone
/// (a hang-at-exit probe would otherwise run at 100% CPU forever).
enum Lifeline {
    /// Starts the lifeline thread; returns whether it runs (it is not one of the work's threads).
    @discardableResult
    static func start() -> Bool {
        guard let text = getenv("__OMP_CONFORMANCE_LIFELINE"), let fd = Int32(String(cString: text)), fd > 2 else { return false }
        var st = stat()
        guard fstat(fd, &st) == 0, st.st_mode & S_IFMT == S_IFIFO else { return false }
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC) // the probe's own children need not hold it
        #if os(Linux)
        var thread = pthread_t()
        #else
        var thread: pthread_t?
        #endif
        let arg = UnsafeMutableRawPointer(bitPattern: Int(fd) + 1)
        return pthread_create(&thread, nil, { raw in
            let fd = Int32(Int(bitPattern: raw) - 1)
            var byte: UInt8 = 0
            while true {
                let n = read(fd, &byte, 1)
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { break }
            }
            kill(0, SIGKILL)
            _exit(137)
        }, arg) == 0
    }
}
