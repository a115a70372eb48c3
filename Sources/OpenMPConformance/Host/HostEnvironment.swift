import Foundation

/// This process's view of the host: the environment probes get and the BLAS kernel choice.
/// Computed once, on first use of ``shared``, which may run `omp-probe --blas-info`: in an
/// ordinary call, never inside a static initializer (whose once-lock a subprocess would hold
/// for as long as it runs).
package final class HostEnvironment: Sendable {
    package static var shared: HostEnvironment { cache.get { HostEnvironment() } }
    private static let cache = LockedCache<HostEnvironment>()

    package let probeEnvironment: ProbeEnvironment
    package let blas: HostInfo.BLASInfo

    init(parent: [String: String] = ProcessInfo.processInfo.environment) {
        let scrubbed = ProbeEnvironment(parent: parent)
        let decision = BLASKernel.decide(environment: parent) {
            guard let exe = try? ProbeExecutable.locate() else { return nil }
            return HostEnvironment.blasGuess(probe: exe, env: scrubbed.base)
        }
        probeEnvironment = ProbeEnvironment(parent: parent, blasOverride: decision.override)
        blas = decision.info
    }

    /// What OpenBLAS picks on its own: `omp-probe --blas-info` without OPENBLAS_CORETYPE.
    static func blasGuess(probe: String, env: [String: String]) -> String? {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: probe)
        p.arguments = ["--blas-info"]
        var e = env
        e.removeValue(forKey: "OPENBLAS_CORETYPE")
        p.environment = e
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = FileHandle.nullDevice
        guard (try? p.run()) != nil else { return nil }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        let s = String(decoding: data, as: UTF8.self).trimmed
        return p.terminationStatus == 0 && !s.isEmpty ? s : nil
    }
}
