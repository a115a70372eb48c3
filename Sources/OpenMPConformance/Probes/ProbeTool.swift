import Foundation

/// The probe's OMPT tool (`Resources/Observers/probe_tool.c`): a small C library that omp-probe opens with
/// `RTLD_GLOBAL` before any runtime (`--ompt-tool PATH`). Each LLVM or Intel runtime calls its
/// `ompt_start_tool` and, from its own initialisation, its `initialize` callback, so the probe
/// can say which runtimes started rather than which were mapped. Built with the C compiler by
/// provisioning into `<runtime cache>/probe-tool/<hash>/` (``CLibraryBuilder``), never at run time;
/// `$OMP_PROBE_TOOL` names a built library instead. Without it, probes still run; the starts they report are then those
/// seen through the runtimes' own regions only.
package enum ProbeTool {
    static let libraryName = "libomp-probe-tool.so"
    private static let cache = LockedCache<Located>()

    /// The tool's path, or why there is none.
    package enum Located: Sendable, Hashable {
        case path(String)
        case unavailable(String)
    }

    static let kind = "probe-tool"
    static let sources: [CLibraryBuilder.Source] = [("probe_tool.c", libraryName)]

    /// Provisioning: compiles the tool into the runtime cache unless it is there.
    package static func build(in runtimes: URL? = nil, log: (String) -> Void = { _ in }) throws(CLibraryBuilder.Failure) -> (directory: String, built: Bool) {
        try CLibraryBuilder.build(kind: kind, sources: sources, in: runtimes, log: log)
    }

    /// Finds the provisioned tool, once per process.
    package static func locate() -> Located {
        cache.get {
            if let env = ProcessInfo.processInfo.environment["OMP_PROBE_TOOL"], !env.isEmpty {
                return FileManager.default.isReadableFile(atPath: env)
                    ? .path(env) : .unavailable("OMP_PROBE_TOOL=\(env) is not a readable file")
            }
            do {
                let dir = try CLibraryBuilder.locate(kind: kind, sources: sources)
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
