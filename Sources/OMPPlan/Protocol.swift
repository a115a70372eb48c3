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
        /// `@omp done <steps> <failedChecks>` — every step completed and was checked; exit follows.
        case done
    }
}
