#if canImport(Darwin)
import Foundation
extension ProbeExecutable {
    /// The running executable's file, from the loader (`_NSGetExecutablePath`, through Foundation).
    static func platformExecutablePath() -> String? { Bundle.main.executablePath }
}
#endif
