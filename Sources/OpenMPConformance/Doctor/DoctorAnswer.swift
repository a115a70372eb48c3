/// The answer, in plain words, before any detail: the pair by path and release, whether the
/// variable is needed, whether it is safe for this pair, and what to do, each fix marked
/// "verified here" or not. The sentences hold paths and names as they are (escaped only when
/// rendered); commands quote them for the shell (``ShellQuote``).
enum DoctorAnswer {
    static func lines(runtimes: [DoctorRuntime], pairs: [DoctorReport.Pair], conflict: Bool,
                      unreadable: [ScanReport.Skipped], incomplete: String? = nil) -> [String] {
        var out: [String] = []
        let unread = unreadable.filter(\.possiblyRuntime)
        if !unread.isEmpty {
            out.append("Incomplete: \(unread.count) librar\(unread.count == 1 ? "y" : "ies") that could be an OpenMP runtime could "
                       + "not be read or probed (listed below); what follows covers only the files read.")
        }
        if let why = incomplete, !conflict {
            // No verdict from what did not run: neither "no conflict" nor "nothing to do".
            out.append("Incomplete, \(why): no verdict on whether KMP_DUPLICATE_LIB_OK is needed or safe, and no fix checked"
                       + (runtimes.isEmpty ? "." : " for " + runtimes.map { "\($0.path) (\($0.release))" }.joined(separator: ", ") + "."))
        } else if runtimes.isEmpty {
            out.append(unread.isEmpty ? "No OpenMP runtime found: no conflict, nothing to do."
                                      : "No OpenMP runtime found among the files read; the files not read may hold one.")
        } else if !conflict {
            let kmp = runtimes.filter { $0.family == .kmp }, gnu = runtimes.filter { $0.family == .gnu }
            var s = "No conflict: "
            if kmp.count <= 1 {
                s += kmp.isEmpty ? "no KMP-family runtime (LLVM libomp or Intel libiomp5)" : "one KMP-family runtime, \(kmp[0].path) (\(kmp[0].release))"
                if !gnu.isEmpty { s += "; GNU libgomp (\(gnu.map(\.path).joined(separator: ", "))) takes no part in the duplicate-runtime check" }
            } else {
                s += "no two of the KMP-family runtimes found both start (one file, files the loader maps as one, or runtimes mapped but not started, as said above)"
            }
            let measured = pairs.filter { !$0.bothKMP }
            if !measured.isEmpty {
                s += ". Measured here: " + measured.map { p in
                    "\(p.first.shortName) with \(p.second.shortName): " + p.observations.map(\.outcome.rawValue).joined(separator: ", ")
                }.joined(separator: "; ")
            }
            out.append(s + (unread.isEmpty ? ". You do not need KMP_DUPLICATE_LIB_OK; nothing to do."
                                           : ". Among the files read, you do not need KMP_DUPLICATE_LIB_OK."))
        }
        for p in pairs where p.conflict {
            out.append("Conflict: \(p.first.path) (\(p.first.release)) and \(p.second.path) (\(p.second.release))"
                       + (p.bothKMP ? " are two distinct KMP-family runtimes; if both start in one process, the second aborts." : "."))
            let unset = p.observations.filter { $0.label.hasSuffix("variable unset") && !$0.label.contains("fix") }
            let aborted = unset.filter { $0.outcome == .duplicateRuntimeAbort }
            let verified = p.fixes.filter { $0.status == .verified && $0.kind != .variable }
            if p.needsVariable {
                let orders = unset.count == 1 ? "" : aborted.count == unset.count ? " in both start orders"
                    : " when " + aborted.map { $0.label.replacingOccurrences(of: ", variable unset", with: "") }.joined(separator: ", ")
                out.append("Need KMP_DUPLICATE_LIB_OK? Without it this pair aborts here with OMP: Error #15\(orders)"
                           + (verified.isEmpty ? "." : "; the one-runtime fix below (verified here) removes the need for it."))
            } else if !unset.isEmpty {
                out.append("Need KMP_DUPLICATE_LIB_OK? Not observed: without it, this pair ended " + unset.map { "\($0.label): \($0.outcome.rawValue)" }.joined(separator: "; ") + ".")
            }
            if p.bothKMP { out.append("Is it safe for this pair? " + capitalized(p.variableSafety) + ".") }
            let ordered = p.fixes.sorted { rank($0) < rank($1) }
            for f in ordered {
                out.append("Do: \(f.instruction)" + (f.command.map { " `\($0)`" } ?? "") + " [\(f.status.rawValue)]")
            }
            if !p.atlas.isEmpty { out.append("Atlas: " + p.atlas.joined(separator: "; ") + ".") }
        }
        if conflict {
            for p in pairs where !p.conflict {
                out.append("No conflict for \(p.second.path) (\(p.second.release)) with \(p.first.path): measured "
                           + p.observations.map { "\($0.label): \($0.outcome.rawValue)" }.joined(separator: ", ")
                           + (p.second.family == .gnu || p.first.family == .gnu ? "; GNU libgomp takes no part in the duplicate-runtime check." : "."))
            }
        }
        if !unreadable.isEmpty {
            out.append("Unreadable, never loaded: " + unreadable.map { "\($0.path) (\($0.reason))" }.joined(separator: "; ") + ".")
        }
        // Raw: paths keep every byte, so the commands name the real files; each renderer escapes
        // the lines for its medium (DoctorReport+Text.swift), JSON carries them as they are.
        return out
    }

    static func rank(_ f: DoctorReport.Fix) -> Int {
        let s: Int
        switch f.status { case .verified: s = 0; case .notVerified: s = 1; case .notApplicable: s = 2; case .failed: s = 3 }
        let k: Int
        switch f.kind { case .link: k = 0; case .preload: k = 1; case .variable: k = 2 }
        return s * 10 + k
    }

    static func capitalized(_ s: String) -> String { s.prefix(1).uppercased() + s.dropFirst() }
}
