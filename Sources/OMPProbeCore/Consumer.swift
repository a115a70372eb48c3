#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A consumer library built by the kit: C compiled with `-fopenmp`, linked to one runtime file,
/// exporting `int omp_consumer_run(int n, int *team)` (0 when its parallel reduction equals the
/// serial sum; `team` receives the threads of its region). The probe reaches the runtime only
/// through it, as a program reaches the runtime of a compiled extension it imports.
enum Consumer {
    typealias RunFn = @convention(c) (Int32, UnsafeMutablePointer<Int32>?) -> Int32

    /// Opens the library: its entry point, or the loader's error when the library (or a runtime
    /// it needs) cannot be loaded.
    static func open(_ path: String, global: Bool) -> Result<RunFn, LoadedRuntime.LoadError> {
        guard let h = dlopen(path, RTLD_NOW | (global ? RTLD_GLOBAL : RTLD_LOCAL)) else {
            return .failure(.dlopen(dlerror().map { String(cString: $0) } ?? "dlopen failed"))
        }
        guard let f = dlsym(h, "omp_consumer_run") else {
            return .failure(.notOpenMP("\(path) is not a consumer library of the kit (no omp_consumer_run)"))
        }
        return .success(unsafeBitCast(f, to: RunFn.self))
    }

    /// Runs the library's reduction once; records the check and the team.
    static func run(_ name: String, _ f: RunFn, into ledger: StepLedger) {
        var team: Int32 = 0
        let n: Int32 = 1 << 20
        let rc = f(n, &team)
        ledger.check("consumer-\(name)", rc == 0,
                     rc == 0 ? "parallel reduction over \(n) terms equals the serial sum" : "parallel reduction differs from the serial sum")
        ledger.team(named: name, Int(team))
    }
}
