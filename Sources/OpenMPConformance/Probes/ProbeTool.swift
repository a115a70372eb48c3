import Foundation

/// The probe's OMPT tool (`Sources/OMPProbeTool`): a small C library that omp-probe opens with
/// `RTLD_GLOBAL` before any runtime (`--ompt-tool PATH`). Each LLVM or Intel runtime calls its
/// `ompt_start_tool` and, from its own initialisation, its `initialize` callback, so the probe
/// can say which runtimes started rather than which were mapped. Built with the C compiler into
/// `.build-probe/probe-tool/<hash>/` on first use (``CLibraryBuilder``); `$OMP_PROBE_TOOL` names
/// a built library instead. Without it, probes still run; the starts they report are then those
/// seen through the runtimes' own regions only.
package enum ProbeTool {
    static let libraryName = "libomp-probe-tool.so"
    private static let cache = LockedCache<Located>()

    /// The tool's path, or why there is none.
    package enum Located: Sendable, Hashable {
        case path(String)
        case unavailable(String)
    }

    /// Finds (or builds) the tool, once per process.
    package static func locate() -> Located {
        cache.get {
            if let env = ProcessInfo.processInfo.environment["OMP_PROBE_TOOL"], !env.isEmpty {
                return FileManager.default.isReadableFile(atPath: env)
                    ? .path(env) : .unavailable("OMP_PROBE_TOOL=\(env) is not a readable file")
            }
            do {
                let dir = try CLibraryBuilder.directory(kind: "probe-tool", sources: [("Sources/OMPProbeTool/tool.c", libraryName)])
                return .path(dir + "/" + libraryName)
            } catch {
                return .unavailable("\(error)")
            }
        }
    }

    /// Whether a probe executable takes `--ompt-tool`: the kit's own engine (omp-probe, its test
    /// fixture); another probe (the Windows one, an older build) is not handed an argument it refuses.
    package static func understood(by executable: String) -> Bool {
        let name = executable.split(separator: "/").last.map(String.init) ?? executable
        return name == "omp-probe" || name == "omp-fixture"
    }

    /// The tool's path when it is available.
    package static var path: String? {
        if case .path(let p) = locate() { return p }
        return nil
    }
}
