#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import OMPPlan
import Synchronization
import _OpenMPShims

/// Which handshake a runtime takes part in: the KMP family (LLVM libomp, Intel libiomp5)
/// registers itself and aborts on finding another; GNU libgomp does not.
package enum RuntimeFamily: String, Sendable {
    case kmp, gnu, unknown
}

typealias OmpIntFn = @convention(c) () -> Int32
typealias OmpBody = @convention(c) (UnsafeMutableRawPointer?) -> Void
typealias GompParallelFn = @convention(c) (OmpBody, UnsafeMutableRawPointer?, UInt32, UInt32) -> Void

/// What the workloads need of an OpenMP runtime: its name, its first OpenMP call, and one
/// parallel region running a statically scheduled loop. ``LoadedRuntime`` is the one the
/// probe opens; the engine takes any other through ``ProbeEngine/main(_:open:report:)``.
package protocol ParallelRuntime {
    var name: String { get }
    /// The runtime's first OpenMP call; returns `omp_get_max_threads()`.
    func initialize() -> Int32
    /// Runs `body(range, threadID)` over `0..<count`, split statically across the team
    /// of one parallel region. Returns the distinct thread ids seen.
    @discardableResult
    func parallelFor(_ count: Int, _ body: (Range<Int>, Int) -> Void) -> Int
}

/// One OpenMP runtime loaded by path, used only through its own exported symbols.
package final class LoadedRuntime: ParallelRuntime {
    package let name: String
    let path: String
    let handle: UnsafeMutableRawPointer
    let family: RuntimeFamily
    let maxThreads: OmpIntFn
    let threadNum: OmpIntFn
    let numThreads: OmpIntFn
    let parallelFn: GompParallelFn
    /// Where the runtime's file is mapped (the base `dladdr` reports for its functions).
    let objectBase: UInt
    /// Whether the runtime's file exports its own `ompt_start_tool` (every LLVM and Intel runtime
    /// with OMPT): such a runtime calls the kit's tool from its initialisation, so a start that
    /// did not reach the tool did not happen.
    let announcesToOMPT: Bool
    private let seenThreads = Mutex<Set<UInt>>([])

    package enum LoadError: Error { case dlopen(String), notOpenMP(String) }

    package init(name: String, path: String) throws(LoadError) {
        guard let h = dlopen(path, RTLD_NOW | RTLD_LOCAL) else {
            throw .dlopen(dlerror().map { String(cString: $0) } ?? "dlopen failed")
        }
        func sym(_ s: String) -> UnsafeMutableRawPointer? { dlsym(h, s) }
        guard let m = sym("omp_get_max_threads"), let t = sym("omp_get_thread_num"),
              let n = sym("omp_get_num_threads"), let g = sym("GOMP_parallel")
        else {
            dlclose(h)
            throw .notOpenMP("\(path) does not export omp_get_max_threads, omp_get_thread_num, omp_get_num_threads and GOMP_parallel")
        }
        self.name = name
        self.path = path
        self.handle = h
        self.family = sym("__kmpc_fork_call") != nil ? .kmp : .gnu
        self.maxThreads = unsafeBitCast(m, to: OmpIntFn.self)
        self.threadNum = unsafeBitCast(t, to: OmpIntFn.self)
        self.numThreads = unsafeBitCast(n, to: OmpIntFn.self)
        self.parallelFn = unsafeBitCast(g, to: GompParallelFn.self)
        let base = UInt(omp_shim_object_base(m))
        self.objectBase = base
        self.announcesToOMPT = sym("ompt_start_tool").map { UInt(omp_shim_object_base($0)) == base } ?? false
    }

    /// Distinct threads that ran in this runtime's regions so far (the calling threads included).
    var teamThreads: Set<UInt> { seenThreads.withLock { $0 } }

    /// The runtime's first OpenMP call: this is where a KMP runtime registers itself
    /// and where the duplicate check (and `KMP_DUPLICATE_LIB_OK`) happens.
    package func initialize() -> Int32 { maxThreads() }

    /// Runs `body(range, threadID)` over `0..<count`, split statically across the team
    /// of one parallel region of this runtime. Returns the distinct thread ids seen.
    @discardableResult
    package func parallelFor(_ count: Int, _ body: (Range<Int>, Int) -> Void) -> Int {
        withoutActuallyEscaping(body) { b in
            let ctx = RegionContext(count: count, body: b, runtime: self)
            let raw = Unmanaged.passUnretained(ctx).toOpaque()
            parallelFn(regionTrampoline, raw, 0, 0)
            let ids = ctx.threadIDs
            seenThreads.withLock { $0.formUnion(ids) }
            return ctx.distinctThreads
        }
    }
}

package final class RegionContext {
    let count: Int
    let body: (Range<Int>, Int) -> Void
    unowned let runtime: LoadedRuntime
    let seen: UnsafeMutablePointer<UInt8>
    /// The OS thread behind each team member (``currentThreadID()``), by thread number.
    let ids: UnsafeMutablePointer<UInt>
    package static let maxThreads = 256

    init(count: Int, body: @escaping (Range<Int>, Int) -> Void, runtime: LoadedRuntime) {
        self.count = count
        self.body = body
        self.runtime = runtime
        seen = .allocate(capacity: Self.maxThreads)
        seen.initialize(repeating: 0, count: Self.maxThreads)
        ids = .allocate(capacity: Self.maxThreads)
        ids.initialize(repeating: 0, count: Self.maxThreads)
    }
    deinit { seen.deallocate(); ids.deallocate() }

    var threadIDs: Set<UInt> {
        var out: Set<UInt> = []
        for i in 0..<Self.maxThreads where seen[i] != 0 { out.insert(ids[i]) }
        return out
    }

    var distinctThreads: Int {
        var n = 0
        for i in 0..<Self.maxThreads where seen[i] != 0 { n += 1 }
        return n
    }

    func run() {
        let tid = Int(runtime.threadNum())
        let nt = max(Int(runtime.numThreads()), 1)
        if tid >= 0 && tid < Self.maxThreads { ids[tid] = currentThreadID(); seen[tid] = 1 }
        let chunk = (count + nt - 1) / nt
        let lo = min(tid * chunk, count)
        let hi = min(lo + chunk, count)
        if lo < hi { body(lo..<hi, tid) }
    }
}

private let regionTrampoline: OmpBody = { data in
    Unmanaged<RegionContext>.fromOpaque(data!).takeUnretainedValue().run()
}
