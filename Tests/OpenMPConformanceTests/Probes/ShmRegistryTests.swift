import Foundation
import Testing
@testable import OpenMPConformance

@Suite("shm registration files", .serialized)
struct ShmRegistryTests {
    #if os(Linux)
    @Test("clean-shm removes a dead pid's file and never a live process's")
    func staleVersusLive() async throws {
        let live = getpid()
        let liveFile = "/dev/shm/\(ShmRegistry.prefix)\(live)_\(getuid())"
        let liveExisted = FileManager.default.fileExists(atPath: liveFile)
        if !liveExisted { #expect(FileManager.default.createFile(atPath: liveFile, contents: Data("x".utf8))) }
        defer { if !liveExisted { try? FileManager.default.removeItem(atPath: liveFile) } }
        let ((entries, removed), _) = try await StaleRegistration.attempt(
            name: { "/dev/shm/\(ShmRegistry.prefix)\($0)_\(getuid())" },
            { deadFile in (ShmRegistry.entries().filter { $0.path == deadFile || $0.path == liveFile }, ShmRegistry.removeStale()) },
            reported: { seen, deadFile in seen.1.contains(deadFile) && seen.0.contains { $0.path == deadFile } })
        let deadFile = try #require(entries.first { $0.path != liveFile }?.path, "the planted file was listed")
        #expect(entries.first { $0.path == deadFile }?.alive == false, "a dead pid's file is not mistaken for a live runtime")
        #expect(entries.first { $0.path == liveFile }?.alive == true)
        #expect(removed.contains(deadFile))
        #expect(!removed.contains(liveFile))
        #expect(FileManager.default.fileExists(atPath: liveFile), "a live process's file is never deleted")
        // remove(pids:) also refuses a live pid, even when asked.
        #expect(ShmRegistry.remove(pids: [live]).isEmpty)
    }
    #endif

    #if os(Linux)
    @Test("Linux: registration files live in /dev/shm and /tmp; the cleaner has work to do")
    func linuxDirectories() {
        #expect(ShmRegistry.directories == ["/dev/shm", "/tmp"])
        #expect(ShmRegistry.platformNote == nil)
    }
    #endif

    #if canImport(Darwin)
    @Test("macOS: runtimes register in their own environment; the cleaner does nothing and says so")
    func darwinHasNothingToClean() throws {
        #expect(ShmRegistry.directories.isEmpty)
        let note = try #require(ShmRegistry.platformNote)
        #expect(note.contains("environment variable"))
        #expect(ShmRegistry.entries().isEmpty)
    }
    #endif
}
