import Foundation

/// Builds the kit's small C libraries (the doctor's observers, the probe's OMPT tool) with the C
/// compiler, once per source hash, into `<package root>/.build-probe/<kind>/<hash>/`. A SwiftPM
/// dynamic-library product would link the Swift runtime into every process that loads them.
package enum CLibraryBuilder {
    /// Why a library could not be found or built, in words.
    package struct Failure: Error, Sendable, CustomStringConvertible {
        package var description: String
    }

    /// Builds each `(source path relative to the package root, library name)` into one folder
    /// named by the sources' hash, unless it already holds them; returns the folder.
    /// - Throws: ``Failure`` when a source is missing or the compiler fails.
    package static func directory(kind: String, sources: [(source: String, library: String)],
                                  flags: [String] = []) throws(Failure) -> String {
        let fm = FileManager.default
        let root = RuntimeCatalog.packageRoot()?.path ?? fm.currentDirectoryPath
        var digest: [UInt8] = Array(flags.joined(separator: " ").utf8)
        for (src, _) in sources {
            guard let data = fm.contents(atPath: root + "/" + src) else {
                throw Failure(description: "the source \(root)/\(src) is missing")
            }
            digest += Array(data)
        }
        let dir = root + "/.build-probe/" + kind + "/" + String(SHA256.hex(of: digest).prefix(16))
        if sources.allSatisfy({ fm.fileExists(atPath: dir + "/" + $0.library) }) { return dir }
        do { try fm.createDirectory(atPath: dir, withIntermediateDirectories: true) } catch {
            throw Failure(description: "cannot create \(dir): \(error.localizedDescription)")
        }
        let cc = compiler()
        for (src, name) in sources {
            // Built under a unique name, then renamed: concurrent builders never see half a library.
            let tmp = dir + "/.\(name).\(getpid()).\(UInt32.random(in: 0...UInt32.max))"
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            p.arguments = [cc, "-shared", "-fPIC", "-O2"] + flags + ["-o", tmp, root + "/" + src, "-ldl"]
            let log = Pipe()
            p.standardOutput = log; p.standardError = log
            do { try p.run() } catch { throw Failure(description: "cannot run the C compiler \(cc): \(error.localizedDescription)") }
            let out = log.fileHandleForReading.readDataToEndOfFile()
            p.waitUntilExit()
            guard p.terminationStatus == 0, rename(tmp, dir + "/" + name) == 0 else {
                unlink(tmp)
                throw Failure(description: "building \(name) with \(cc) failed: \(String(decoding: out.suffix(2000), as: UTF8.self))")
            }
        }
        return dir
    }

    /// `$CC`, else `cc` or `clang` on PATH, else the clang beside the Swift toolchain's `swift`.
    package static func compiler() -> String {
        let env = ProcessInfo.processInfo.environment
        if let cc = env["CC"], !cc.isEmpty { return cc }
        for name in ["cc", "clang"] where ShellQuote.which(name, path: env["PATH"]) != nil { return name }
        if let swift = ShellQuote.which("swift", path: env["PATH"]), let real = RuntimeIdentity.resolvedPath(swift) {
            let clang = real.doctorParent + "/clang"
            if FileManager.default.isExecutableFile(atPath: clang) { return clang }
        }
        return "/opt/swift/usr/bin/clang"
    }
}
