#if os(Linux)
import Foundation
extension ProbeExecutable {
    /// The running executable's file, from the kernel (`/proc/self/exe`, links resolved).
    static func platformExecutablePath() -> String? {
        guard let p = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"), p.hasPrefix("/") else { return nil }
        return p
    }
}
#endif
