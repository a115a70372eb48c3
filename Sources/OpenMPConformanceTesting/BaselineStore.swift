import Foundation
import OpenMPConformance

/// Finds the checked-in baseline for this host: `Matrices/baselines/<host key>.json`,
/// or the file named by `OMP_CONFORMANCE_BASELINE`.
public enum BaselineStore {
    public static var hostKey: String { HostInfo.current().key }

    public static let forThisHost: Baseline? = {
        let env = ProcessInfo.processInfo.environment
        let path: String
        if let p = env["OMP_CONFORMANCE_BASELINE"], !p.isEmpty { path = p } else {
            guard let root = Matrix.packageRoot() else { return nil }
            path = root.appendingPathComponent("Matrices/baselines/\(hostKey).json").path
        }
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        do {
            let b = try Baseline.read(URL(fileURLWithPath: path))
            return b.hostKey == hostKey ? b : nil
        } catch {
            print("⚠︎ baseline \(path) could not be read: \(error)")
            return nil
        }
    }()
}
