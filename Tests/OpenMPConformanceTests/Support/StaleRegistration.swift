import Foundation

/// A registration file planted for a dead pid, for the tests of the kit's stale-file cleanup.
///
/// `omp-matrix run` and `clean-shm` remove every stale registration file they find, and the suite
/// runs other tests' `run` and `clean-shm` at the same time, so one of them can remove a planted
/// file before the test's own cleanup looks. ``attempt(name:contents:tries:_:)`` plants a fresh
/// file (for a fresh dead pid) and tries again only when a try was inconclusive: the cleanup did
/// not report the file and the file is gone, so another test's cleanup may have taken it. A
/// cleanup that reports nothing while the file stays fails at once; one that removes it without
/// reporting it fails on every try; the last try's result is what the test asserts.
enum StaleRegistration {
    /// Runs `body` with a planted file's path until `reported` says the cleanup named it or the
    /// file is still there, at most `tries` times; returns the last try's value and how many tries
    /// it took. The file is removed after each try.
    static func attempt<T>(name: (Int32) -> String, contents: Data = Data("0x1-cafe-libomp.so.5".utf8), tries: Int = 5,
                           _ body: (String) async throws -> T, reported: (T, String) -> Bool) async throws -> (value: T, tries: Int) {
        var last: T?
        for n in 1...tries {
            let path = name(try await TestProcess.reapedPid())
            guard FileManager.default.createFile(atPath: path, contents: contents) else {
                throw TestProcess.Failure(description: "cannot create \(path)")
            }
            defer { unlink(path) }
            let value = try await body(path)
            if reported(value, path) || FileManager.default.fileExists(atPath: path) { return (value, n) }
            last = value
        }
        return (last!, tries)
    }
}
