import Foundation

/// The consumer libraries of the stack shapes: a small C library compiled with the C compiler and
/// `-fopenmp` (a `parallel for` with a reduction, checked against the serial sum, its team size
/// returned), linked to one runtime file with that file's folder as RUNPATH, and a second build
/// linked to a copy of the runtime whose SONAME `patchelf` renamed, as auditwheel does. Built
/// into the runtime cache (`consumers/<hash>/<runtime>/`), never into the package; a rerun finds
/// them there. The compiler is `$CC`, else `cc` (gcc on Debian: GOMP entry points, which LLVM and
/// Intel runtimes export too).
package final class StackConsumers: @unchecked Sendable {
    /// Why a consumer cannot be had here (no compiler, no `-fopenmp`, no patchelf), in words.
    package struct Unavailable: Error, Sendable, Hashable, CustomStringConvertible {
        package var reason: String
        package var description: String { reason }
    }

    /// One runtime's consumers.
    package struct Built: Sendable, Hashable {
        /// Linked to the runtime file by its SONAME, RUNPATH its folder.
        package var plain: String
        /// Linked to a renamed copy beside it (RUNPATH `$ORIGIN`); nil when patchelf is missing.
        package var renamed: String?
        package var renamedMissing: String?
        package var soname: String?
    }

    /// The consumers in this user's runtime cache (`RuntimeCatalog.directory()`), for matrix cells
    /// in a stack shape; nil when there is no runtime cache to build them in.
    package static let forThisHost: StackConsumers? = (try? RuntimeCatalog.directory()).map { StackConsumers(runtimesDirectory: $0) }

    static let source = """
        int omp_get_num_threads(void);
        static double term(int i) { return 1.0 / ((double)i + 1.0); }
        __attribute__((visibility("default")))
        int omp_consumer_run(int n, int *team) {
            double par = 0.0, ser = 0.0;
            int seen = 0;
        #pragma omp parallel reduction(+:par)
            {
        #pragma omp single
                seen = omp_get_num_threads();
        #pragma omp for schedule(static)
                for (int i = 0; i < n; i++) par += term(i);
            }
            for (int i = 0; i < n; i++) ser += term(i);
            *team = seen;
            double d = par - ser; if (d < 0) d = -d;
            return d <= 1e-9 * ser ? 0 : 1;
        }

        """

    let directory: URL
    private let lock = NSLock()
    private var results: [String: Result<Built, Unavailable>] = [:]
    private var object: Result<String, Unavailable>?

    /// Consumers under `<runtimes directory>/consumers/`.
    package init(runtimesDirectory: URL) {
        let cc = CLibraryBuilder.compiler()
        let hash = String(SHA256.hex(of: Array((Self.source + cc).utf8)).prefix(16))
        directory = runtimesDirectory.appendingPathComponent("consumers/\(hash)", isDirectory: true)
    }

    /// The consumers of `runtime`, built on first use.
    package func built(_ runtime: AtlasRuntime) -> Result<Built, Unavailable> {
        lock.lock(); defer { lock.unlock() }
        if let r = results[runtime.name] { return r }
        let r = build(runtime)
        results[runtime.name] = r
        return r
    }

    fileprivate func run(_ argv: [String], in dir: String? = nil) -> (Bool, String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = argv
        if let dir { p.currentDirectoryURL = URL(fileURLWithPath: dir) }
        let log = Pipe()
        p.standardOutput = log; p.standardError = log
        do { try p.run() } catch { return (false, "cannot run \(argv[0]): \(error.localizedDescription)") }
        let out = log.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus == 0, String(decoding: out.suffix(1500), as: UTF8.self))
    }

    private func compiledObject() -> Result<String, Unavailable> {
        if let object { return object }
        let fm = FileManager.default
        let obj = directory.appendingPathComponent("consumer.o").path
        if fm.fileExists(atPath: obj) { object = .success(obj); return .success(obj) }
        do { try fm.createDirectory(at: directory, withIntermediateDirectories: true) } catch {
            object = .failure(.init(reason: "cannot create \(directory.path): \(error.localizedDescription)")); return object!
        }
        let src = directory.appendingPathComponent("consumer.c").path
        let tmp = obj + ".\(getpid()).tmp"
        let cc = CLibraryBuilder.compiler()
        guard fm.createFile(atPath: src, contents: Data(Self.source.utf8)) else {
            object = .failure(.init(reason: "cannot write \(src)")); return object!
        }
        let (ok, out) = run([cc, "-fopenmp", "-fPIC", "-O2", "-c", src, "-o", tmp])
        guard ok, rename(tmp, obj) == 0 else {
            unlink(tmp)
            object = .failure(.init(reason: "the consumer library cannot be built: \(cc) -fopenmp failed: \(out)")); return object!
        }
        object = .success(obj)
        return object!
    }

    private func build(_ runtime: AtlasRuntime) -> Result<Built, Unavailable> {
        guard runtime.notProvisioned == nil else { return .failure(.init(reason: "\(runtime.name) is not provisioned")) }
        let obj: String
        switch compiledObject() {
        case .success(let o): obj = o
        case .failure(let e): return .failure(e)
        }
        let fm = FileManager.default
        let soname = (try? ELFFile(path: runtime.path))?.soname
        let final = directory.appendingPathComponent(runtime.name, isDirectory: true).path
        let plain = final + "/libompconsumer.so", renamedDir = final + "/renamed", renamed = renamedDir + "/libompconsumer.so"
        let hasPatchelf = ShellQuote.which("patchelf", path: ProcessInfo.processInfo.environment["PATH"]) != nil
        let missing = hasPatchelf ? nil : "patchelf is not installed (it renames the SONAME as auditwheel does)"
        if fm.fileExists(atPath: plain) {
            let r = fm.fileExists(atPath: renamed) ? renamed : nil
            return .success(Built(plain: plain, renamed: r, renamedMissing: r == nil ? missing : nil, soname: soname))
        }
        // Built in a folder of its own, then renamed into place: a concurrent builder never sees half of it.
        let work = directory.appendingPathComponent(".\(runtime.name).\(getpid()).\(UInt32.random(in: 0...UInt32.max))").path
        defer { try? fm.removeItem(atPath: work) }
        do { try fm.createDirectory(atPath: work + "/renamed", withIntermediateDirectories: true) } catch {
            return .failure(.init(reason: "cannot create \(work): \(error.localizedDescription)"))
        }
        let cc = CLibraryBuilder.compiler()
        let folder = (runtime.path as NSString).deletingLastPathComponent
        let (ok, out) = run([cc, "-shared", "-o", work + "/libompconsumer.so", obj, "-Wl,-soname,libompconsumer-\(runtime.name).so",
                             "-Wl,--enable-new-dtags,-rpath,\(folder)", runtime.path])
        guard ok else { return .failure(.init(reason: "linking the consumer to \(runtime.path) failed: \(out)")) }
        var renamedOK = false
        if hasPatchelf, let soname {
            // auditwheel's rename: the runtime copied beside the consumer under a hashed name, SONAME set to it.
            let hashed = soname.replacingOccurrences(of: ".so", with: "-\(runtime.identityHash).so")
            let copy = work + "/renamed/" + hashed
            do { try fm.copyItem(atPath: runtime.path, toPath: copy) } catch {
                return .failure(.init(reason: "cannot copy \(runtime.path): \(error.localizedDescription)"))
            }
            let (pok, pout) = run(["patchelf", "--set-soname", hashed, copy])
            guard pok else { return .failure(.init(reason: "patchelf --set-soname failed: \(pout)")) }
            let (lok, lout) = run([cc, "-shared", "-o", work + "/renamed/libompconsumer.so", obj,
                                   "-Wl,-soname,libompconsumer-\(runtime.name)-renamed.so", "-Wl,--enable-new-dtags,-rpath,$ORIGIN", copy])
            guard lok else { return .failure(.init(reason: "linking the renamed consumer failed: \(lout)")) }
            renamedOK = true
        }
        if rename(work, final) != 0 && !fm.fileExists(atPath: plain) {
            return .failure(.init(reason: "cannot move the consumers into \(final): \(String(cString: strerror(errno)))"))
        }
        return .success(Built(plain: plain, renamed: renamedOK ? renamed : nil,
                              renamedMissing: renamedOK ? nil : (missing ?? "the runtime has no SONAME to rename"), soname: soname))
    }
}

extension StackConsumers {
    /// The `executable` shape's program: a copy of the probe whose dynamic section gains two
    /// `DT_NEEDED` entries, the first consumer then the second (`patchelf --add-needed`, as a C
    /// program linked with both libraries would have them), so the loader maps both consumers and
    /// their runtimes at startup into the executable's global scope. The copy runs the probe's own
    /// code and records unchanged. Kept in the runtime cache under
    /// `consumers/<hash>/executables/<a>+<b>/<probe stamp>/`, rebuilt when the probe changes.
    package func executable(probe: String, first: String, second: String, names: (String, String)) -> Result<String, Unavailable> {
        let fm = FileManager.default
        guard ShellQuote.which("patchelf", path: ProcessInfo.processInfo.environment["PATH"]) != nil else {
            return .failure(.init(reason: "patchelf is not installed (it adds the consumers to the executable's DT_NEEDED)"))
        }
        guard let attrs = try? fm.attributesOfItem(atPath: probe) else { return .failure(.init(reason: "no probe executable at \(probe)")) }
        let stamp = "\(probe)|\((attrs[.size] as? NSNumber)?.intValue ?? 0)|\((attrs[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0)|\(first)|\(second)"
        let folder = directory.appendingPathComponent("executables/\(names.0)+\(names.1)/\(SHA256.hex(of: Array(stamp.utf8)).prefix(16))").path
        let final = folder + "/omp-probe"
        if fm.isExecutableFile(atPath: final) { return .success(final) }
        do { try fm.createDirectory(atPath: folder, withIntermediateDirectories: true) } catch {
            return .failure(.init(reason: "cannot create \(folder): \(error.localizedDescription)"))
        }
        let tmp = final + ".\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp"
        defer { unlink(tmp) }
        do { try fm.copyItem(atPath: probe, toPath: tmp) } catch {
            return .failure(.init(reason: "cannot copy \(probe): \(error.localizedDescription)"))
        }
        // One entry at a time, second first: each is added at the front of the dynamic section.
        for lib in [second, first] {
            let (ok, out) = run(["patchelf", "--add-needed", lib, tmp])
            guard ok else { return .failure(.init(reason: "patchelf --add-needed \(lib) failed: \(out)")) }
        }
        let needed = (try? ELFFile(path: tmp))?.needed ?? []
        guard let i = needed.firstIndex(of: first), let j = needed.firstIndex(of: second), i < j else {
            return .failure(.init(reason: "the patched executable does not need \(first) before \(second) (DT_NEEDED: \(needed.joined(separator: ", ")))"))
        }
        guard rename(tmp, final) == 0 else {
            return .failure(.init(reason: "cannot move the executable into \(folder): \(String(cString: strerror(errno)))"))
        }
        return .success(final)
    }
}

private extension AtlasRuntime {
    /// Eight hex digits of the file's hash, as auditwheel's renamed names carry.
    var identityHash: String {
        let sha = identity?.sha256 ?? (try? Data(contentsOf: URL(fileURLWithPath: path))).map { SHA256.hex(of: Array($0)) }
        return String((sha ?? name).prefix(8))
    }
}

extension StackConsumers {
    /// Builds the consumers of the runtimes the atlas's shape sample uses (run by `provision`, so
    /// the atlas finds them built). One line per runtime: built, or why not. Never fails the
    /// provisioning: the shapes that need a missing consumer are skipped with the reason.
    package static func provision(runtimesDirectory: URL) -> [String] {
        let names = Array(Set(AtlasShapeCell.samplePairs.flatMap { [$0.0, $0.1] })).sorted()
        let plan: AtlasPlan
        do { plan = try AtlasPlan.make(catalog: RuntimeCatalog(directory: runtimesDirectory), names: names) } catch {
            return ["consumers: not built: \(error)"]
        }
        let consumers = StackConsumers(runtimesDirectory: runtimesDirectory)
        return plan.runtimes.map { r in
            switch consumers.built(r) {
            case .success(let b): "consumers: \(r.name): built with \(CLibraryBuilder.compiler()) -fopenmp"
                + (b.renamed == nil ? " (no renamed copy: \(b.renamedMissing ?? ""))" : ", and a renamed copy")
            case .failure(let e): "consumers: \(r.name): not built: \(e.reason)"
            }
        }
    }
}
