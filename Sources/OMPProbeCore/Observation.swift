#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization
import _OpenMPShims

/// What ran in the probe, observed rather than assumed: which runtimes started (from the
/// runtimes themselves, through the kit's OMPT tool), which threads ran in each runtime's
/// regions, and how many OS threads the process had at the end of the work.
enum Observation {
    /// The kit's OMPT tool (`Sources/OpenMPConformance/Resources/Observers/probe_tool.c`), opened with `RTLD_GLOBAL` before any runtime
    /// so that each LLVM or Intel runtime finds its `ompt_start_tool` and reports its own start.
    struct Tool {
        typealias StartedFn = @convention(c) (UnsafeMutablePointer<UInt>?, Int32) -> Int32
        let started: StartedFn

        /// Opens the tool library; nil (with the reason on stderr) when it cannot be opened.
        init?(path: String) {
            guard let h = dlopen(path, RTLD_NOW | RTLD_GLOBAL) else {
                Output.error("omp-probe: the OMPT tool \(path) cannot be opened (\(dlerror().map { String(cString: $0) } ?? "dlopen failed")); runtime starts are not observed")
                return nil
            }
            guard let f = dlsym(h, "omp_probe_tool_started") else {
                Output.error("omp-probe: \(path) is not the kit's OMPT tool (no omp_probe_tool_started); runtime starts are not observed")
                return nil
            }
            started = unsafeBitCast(f, to: StartedFn.self)
        }

        /// Load bases of the runtimes whose initialisation called the tool's `initialize`.
        func startedBases() -> Set<UInt> {
            var buf = [UInt](repeating: 0, count: 32)
            let n = Int(buf.withUnsafeMutableBufferPointer { started($0.baseAddress, Int32($0.count)) })
            return Set(buf.prefix(min(n, buf.count)))
        }
    }

    /// Whether a runtime started, and how that was seen: `ompt` (the runtime called the tool's
    /// `initialize` from its own initialisation, or, exporting `ompt_start_tool`, never did) or
    /// `regions` (a parallel region of that runtime's own functions ran a team). Nil: not observed.
    static func started(_ runtime: LoadedRuntime, tool: Tool?, startedBases: Set<UInt>) -> (Bool, String)? {
        if tool != nil, runtime.announcesToOMPT {
            return (startedBases.contains(runtime.objectBase), "ompt")
        }
        if !runtime.teamThreads.isEmpty { return (true, "regions") }
        return nil
    }
}

/// A number that names the calling thread while it lives.
func currentThreadID() -> UInt {
    #if canImport(Glibc)
    return UInt(pthread_self())
    #else
    return UInt(bitPattern: pthread_self())
    #endif
}

/// Runs each body on a thread of its own, all started before any is joined, and waits for all.
/// Returns how many threads could be started (a body whose thread could not start runs here).
@discardableResult
func runConcurrently(_ bodies: [@Sendable () -> Void]) -> Int {
    final class Box: @unchecked Sendable { let body: @Sendable () -> Void; init(_ b: @escaping @Sendable () -> Void) { body = b } }
    var threads: [pthread_t] = []
    var inline: [@Sendable () -> Void] = []
    for body in bodies {
        let box = Unmanaged.passRetained(Box(body))
        #if canImport(Glibc)
        var t = pthread_t()
        #else
        var t: pthread_t? = nil
        #endif
        let rc = pthread_create(&t, nil, { raw in
            let b = Unmanaged<Box>.fromOpaque(raw!).takeRetainedValue()
            b.body()
            return nil
        }, box.toOpaque())
        if rc == 0 {
            #if canImport(Glibc)
            threads.append(t)
            #else
            threads.append(t!)
            #endif
        } else {
            box.release()
            inline.append(body)
        }
    }
    for b in inline { b() }
    for t in threads { pthread_join(t, nil) }
    return threads.count
}
