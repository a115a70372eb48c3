/// The line protocol between the `omp-probe` child and the supervisor.
///
/// The child writes one record per line on stdout, each starting with ``prefix``;
/// anything else on stdout is the workload's human-readable output. Records are
/// written as they happen, so a child that aborts has already said how far it got.
package enum ProbeProtocol {
    package static let prefix = "@omp "

    /// Record kinds, the word after the prefix.
    package enum Kind: String, Sendable {
        /// `@omp pid <pid>` — first line of every probe.
        case pid
        /// `@omp blas <corename>` — OpenBLAS's kernel in this process.
        case blas
        /// `@omp begin <n> <step text>` — step n (1-based) starts.
        case begin
        /// `@omp end <n>` — step n completed.
        case end
        /// `@omp mapped <family> <path>` — an OpenMP runtime mapped in the process (after each load).
        case mapped
        /// `@omp check <n> <name> pass|fail <detail>` — a workload check of step n.
        case check
        /// `@omp threads <n> <runtime> <distinct thread ids>` — threads seen in step n's regions.
        case threads
        /// `@omp error <n> <reason>` — step n could not run (e.g. dlopen failed).
        case error
        /// `@omp started <runtime> yes|no <how>` — after the last step, for each loaded runtime that
        /// could be observed: whether the runtime itself initialised. `how` is `ompt` (the runtime
        /// reported its own start to the probe's OMPT tool, or, able to, never did) or `regions` (a
        /// region of that runtime's own functions ran). A runtime not observed has no record; names
        /// of one file that the loader mapped once are one runtime, reported under the first name.
        case started
        /// `@omp teamthreads <runtime> <count>` — after the last step: distinct threads seen in that
        /// runtime's parallel regions over the whole plan, the probe's main thread included.
        /// The runtime `*` counts the distinct threads over every runtime's regions together.
        case teamthreads
        /// `@omp osthreads <count>` — after the last step: the process's OS threads, the probe's
        /// lifeline thread not counted.
        case osthreads
        /// `@omp done <steps> <failedChecks>` — every step completed and was checked; exit follows.
        case done
    }
}
