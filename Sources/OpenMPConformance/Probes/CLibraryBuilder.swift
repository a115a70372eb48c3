import Foundation

/// Builds the kit's small C libraries (the doctor's observers, the probe's OMPT tool) with the C
/// compiler when provisioning, from the C sources shipped as this library's resources
/// (`Resources/Observers/`), into `<runtime cache>/<kind>/<hash of the sources>/`. Nothing is
/// compiled at run time and nothing is written into a package checkout: at run time the kit only
/// ``locate(kind:sources:in:)``s what provisioning built. A SwiftPM dynamic-library product would
/// link the Swift runtime into every process that loads them, the user's included.
package enum CLibraryBuilder {
    /// Why a library could not be found or built, in words.
    package struct Failure: Error, Sendable, CustomStringConvertible {
        package var description: String
    }

    /// One library: its C source (a file name in `Resources/Observers/`) and the library it becomes.
    package typealias Source = (source: String, library: String)

    /// The resource folder holding the C sources.
    static func resourceFolder() throws(Failure) -> URL {
        guard let folder = Bundle.module.url(forResource: "Observers", withExtension: nil) else {
            throw Failure(description: "the C sources (resource Observers/) are missing from the OpenMPConformance bundle")
        }
        return folder
    }

    /// `<runtime cache>/<kind>/<hash>`: a changed source (or header in the folder) is a new folder.
    package static func directory(kind: String, sources: [Source], flags: [String] = [],
                                  in runtimes: URL? = nil) throws(Failure) -> String {
        let root: URL
        if let runtimes { root = runtimes } else {
            do { root = try RuntimeCatalog.directory() } catch { throw Failure(description: "\(error)") }
        }
        let folder = try resourceFolder()
        var digest: [UInt8] = Array(flags.joined(separator: " ").utf8)
        for (src, _) in sources {
            guard let data = FileManager.default.contents(atPath: folder.appendingPathComponent(src).path) else {
                throw Failure(description: "the C source \(folder.path)/\(src) cannot be read")
            }
            digest += Array(data)
        }
        return root.path + "/" + kind + "/" + String(SHA256.hex(of: digest).prefix(16))
    }

    static func isBuilt(_ dir: String, _ sources: [Source]) -> Bool {
        sources.allSatisfy { FileManager.default.fileExists(atPath: dir + "/" + $0.library) }
    }

    /// Run time: the folder provisioning built, or why there is none (never builds).
    package static func locate(kind: String, sources: [Source], flags: [String] = [],
                               in runtimes: URL? = nil) throws(Failure) -> String {
        let dir = try directory(kind: kind, sources: sources, flags: flags, in: runtimes)
        guard isBuilt(dir, sources) else {
            throw Failure(description: "\(kind) is not provisioned (no " + sources.map(\.library).joined(separator: " and ")
                          + " in \(dir)): run `omp-matrix provision` (or `bash Scripts/provision-runtimes.sh`)")
        }
        return dir
    }

    /// Provisioning: compiles each source into the folder unless it is there. Returns the folder and
    /// whether anything was built.
    /// - Throws: ``Failure`` when no C compiler runs or a build fails.
    package static func build(kind: String, sources: [Source], flags: [String] = [], in runtimes: URL? = nil,
                              log: (String) -> Void = { _ in }) throws(Failure) -> (directory: String, built: Bool) {
        let fm = FileManager.default
        let dir = try directory(kind: kind, sources: sources, flags: flags, in: runtimes)
        if isBuilt(dir, sources) { return (dir, false) }
        do { try fm.createDirectory(atPath: dir, withIntermediateDirectories: true) } catch {
            throw Failure(description: "cannot create \(dir): \(error.localizedDescription)")
        }
        let folder = try resourceFolder()
        let cc = compiler()
        for (src, name) in sources {
            let path = folder.appendingPathComponent(src).path
            log("\(kind): \(cc) -shared -fPIC -O2 \(flags.joined(separator: " ")) -o \(dir)/\(name) \(src)")
            // Built under a unique name, then renamed: concurrent provisioners never see half a library.
            let tmp = dir + "/.\(name).\(getpid()).\(UInt32.random(in: 0...UInt32.max))"
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            p.arguments = [cc, "-shared", "-fPIC", "-O2"] + flags + ["-o", tmp, path, "-ldl"]
            let out = Pipe()
            p.standardOutput = out; p.standardError = out
            do { try p.run() } catch { throw Failure(description: "cannot run the C compiler \(cc): \(error.localizedDescription)") }
            let text = out.fileHandleForReading.readDataToEndOfFile()
            p.waitUntilExit()
            guard p.terminationStatus == 0, rename(tmp, dir + "/" + name) == 0 else {
                unlink(tmp)
                throw Failure(description: "building \(name) with \(cc) failed: \(String(decoding: text.suffix(2000), as: UTF8.self))")
            }
        }
        return (dir, true)
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
