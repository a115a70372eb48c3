import ArgumentParser
import Foundation
import OpenMPConformance

/// `omp-matrix clean-shm`: stale KMP registration files of dead processes.
struct CleanShmCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clean-shm", abstract: "Remove __KMP_REGISTERED_LIB_* files whose process is dead; never a live process's file.")

    @Flag(help: "Only list what would be removed.") var dryRun = false

    func run() async throws {
        if let note = ShmRegistry.platformNote {
            print(note)
            return
        }
        // Every file removed is counted once, whichever pass removed it.
        var removedEarlier = 0
        if !dryRun {
            let swept = ShmRegistry.cleanUpAfterDeadRunners()
            removedEarlier = swept.removed.count
            for pid in swept.killed { print("killed pid \(pid): a probe (or its descendant) whose runner is gone") }
            if let note = swept.note { print("note: \(note)") }
            for p in swept.removed { print("removed: \(TerminalText.field(p))") }
        }
        let entries = ShmRegistry.entries()
        for e in entries where e.alive {
            print("kept (\(e.keptBecause ?? "pid \(e.pid) is alive")): \(TerminalText.field(e.path))")
        }
        if dryRun {
            for e in entries where !e.alive { print("would remove (pid \(e.pid) is dead): \(TerminalText.field(e.path))") }
            return
        }
        let removed = ShmRegistry.removeStale()
        for p in removed { print("removed: \(TerminalText.field(p))") }
        let total = removedEarlier + removed.count
        print("\(total) stale file\(total == 1 ? "" : "s") removed, \(entries.filter(\.alive).count) kept")
    }
}
