/// How many OpenMP runtimes ran in a probe, and whether two ran undetected: a fact observed
/// beside the outcome (the nine outcomes and their precedence do not change).
///
/// Observed from the probe itself, never from what was mapped: a runtime *started* when a
/// checked parallel region ran in it (the probe's `threads-<role>` check, written from its
/// `@omp threads` record for that runtime). Two roles whose files are one file (the diagonal's
/// control) are one runtime, whatever they ran. Observed only when the probe finished its
/// steps; otherwise the observation records nothing ("not observed"), never a guess.
///
/// Why two can run undetected: a KMP runtime finds another one by its registration at
/// start-up (`__kmp_register_library_startup` in LLVM's `kmp_runtime.cpp`). Runtimes up to
/// LLVM 11 and Intel 2019 register only through an environment variable of the process,
/// `__KMP_REGISTERED_LIB_<pid>`; LLVM 13 and later and Intel 2021 and later register through a
/// shared-memory object named `__KMP_REGISTERED_LIB_<pid>_<uid>` (`shm_open`; the name format
/// and `shm_open` import are in their bytes, the old ones have neither). Each generation looks
/// only where it registers, so a pair across generations never sees each other and both start
/// without Error #15, while a pair within one generation (LLVM 9 with LLVM 11, LLVM 13 with
/// LLVM 16) aborts.
package enum AtlasRuntimesRan: String, Codable, Sendable, Hashable, CaseIterable {
    /// One runtime ran: the same file twice, or the second never started.
    case one
    /// Two runtimes started where detection was allowed or does not apply: with
    /// `KMP_DUPLICATE_LIB_OK` set (the variable allows a second KMP runtime; whether they
    /// detected each other, the process cannot tell), or two runtimes of different families
    /// (GNU's libgomp takes no part in the KMP registration).
    case two
    /// Two runtimes started without the variable and neither stopped with Error #15: the pair
    /// does not detect each other.
    case twoUndetected = "two-undetected"

    /// "one runtime", "two runtimes", "two runtimes undetected".
    package var words: String {
        switch self {
        case .one: "one runtime"
        case .two: "two runtimes"
        case .twoUndetected: "two runtimes undetected"
        }
    }

    /// Short code for the terminal grid, after `R`: `1`, `2`, `u`.
    package var code: String {
        switch self {
        case .one: "1"
        case .two: "2"
        case .twoUndetected: "u"
        }
    }

    /// What one probe showed, or nil when it did not finish its steps (not observed).
    /// - Parameters:
    ///   - roles: the runtimes the probe loaded, by role (`a`, `b`) and file.
    ///   - variableSet: whether `KMP_DUPLICATE_LIB_OK` was set for the probe.
    ///   - bothKMP: whether both runtimes are of the KMP family (LLVM, Intel), the ones that
    ///     register and could detect each other.
    package static func observe(_ p: ProbeResult, roles: [RuntimeBinding], variableSet: Bool,
                                bothKMP: Bool) -> AtlasRuntimesRan? {
        guard p.stepsTotal > 0, p.stepsCompleted >= p.stepsTotal else { return nil }
        let prefix = "threads-"
        let startedRoles = Set(p.checks.filter { $0.name.hasPrefix(prefix) }.map { String($0.name.dropFirst(prefix.count)) })
        var files: Set<String> = []
        for r in roles where startedRoles.contains(r.name) {
            files.insert(RuntimeCatalog.fileKey(r.path).map { "\($0)" } ?? r.path)
        }
        switch files.count {
        case 0: return nil
        case 1: return .one
        default: return variableSet || !bothKMP || p.ompErrors.contains(15) ? .two : .twoUndetected
        }
    }

    /// The distinct facts of several runs, in declaration order; nil when none was observed.
    package static func distinct(_ runs: [AtlasRuntimesRan?]) -> [AtlasRuntimesRan]? {
        let seen = Set(runs.compactMap { $0 })
        return seen.isEmpty ? nil : allCases.filter(seen.contains)
    }
}
