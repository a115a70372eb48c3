import ArgumentParser
import Foundation
import OpenMPConformance

/// `omp-matrix provision`: puts the pinned runtimes and wheels into the per-user cache (or
/// `--dir`) and writes its manifest. Works from any package that depends on the kit:
/// `swift run omp-matrix provision`.
struct ProvisionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "provision",
        abstract: "Download the pinned OpenMP runtimes and wheels into the runtime cache, verified by SHA-256.",
        discussion: """
        The directory is --dir, else $OMP_CONFORMANCE_RUNTIMES, else $OMP_CONFORMANCE_CACHE/runtimes, else \
        ${XDG_CACHE_HOME:-$HOME/.cache}/openmp-conformance/runtimes. Debian packages come from `apt-get download` \
        (unpacked with `dpkg -x`, never installed), wheels from `python3 -m pip download`. A rerun downloads \
        nothing. An item that cannot be provisioned is recorded in the manifest with its reason, the others go \
        on, and the exit status is 4. On Linux (without --only) the doctor's observer libraries are compiled from the \
        kit's C sources into <directory>/doctor-observer/<source hash>/ with $CC or cc.
        """)

    @Option(name: .long, parsing: .upToNextOption,
            help: "Only these items (names, or comma-separated), plus the originals of copies among them.")
    var only: [String] = []

    @Flag(help: "Re-hash the wheels kept whole too (runtimes are re-hashed on every run).")
    var verify = false

    @Option(help: "The runtimes directory (default: the per-user cache, see above).")
    var dir: String?

    @Flag(help: "List the catalog (names, pins, download sizes) and exit.")
    var list = false

    func run() async throws {
        if list {
            printCatalog()
            return
        }
        let directory: URL
        if let dir {
            directory = URL(fileURLWithPath: dir, isDirectory: true)
        } else {
            do { directory = try RuntimeCatalog.directory() } catch { throw ToolExit.badInput("\(error)") }
        }
        let names = only.flatMap { $0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) } }
            .filter { !$0.isEmpty }
        let provisioner = Provisioner(directory: directory) { line in
            FileHandle.standardError.write(Data(("provision: " + line + "\n").utf8))
        }
        let report: ProvisionReport
        do {
            report = try provisioner.provision(only: names.isEmpty ? nil : names, verify: verify)
        } catch {
            if case .unknownItem = error { throw ToolExit.badInput("\(error)") }
            throw ToolExit.internal("\(error)")
        }
        // The kit's C libraries, compiled here so that nothing is compiled at run time: the probe's
        // OMPT tool (which runtimes started) and, on Linux, the doctor's observers. Their lines come
        // before the report, whose last line stays the summary ("nothing downloaded; …").
        var observerFailure: String?
        if names.isEmpty {
            let log: (String) -> Void = { FileHandle.standardError.write(Data(("provision: " + $0 + "\n").utf8)) }
            var builds: [(String, () throws -> (directory: String, built: Bool))] = [("probe-tool", { try ProbeTool.build(in: directory, log: log) })]
            #if os(Linux)
            builds.append(("doctor-observer", { try DoctorObserver.build(in: directory, log: log) }))
            #endif
            for (kind, build) in builds {
                do {
                    let (folder, built) = try build()
                    print("\(kind): \(built ? "built" : "present") in \(folder)")
                } catch {
                    observerFailure = (observerFailure.map { $0 + "; " } ?? "") + "\(kind): \(error)"
                    print("\(kind): not provisioned: \(error)")
                }
            }
        }
        print(report.text)
        if let observerFailure {
            throw ToolExit(code: .incomplete, message: "omp-matrix: provisioning incomplete: not provisioned: \(observerFailure)")
        }
        #if os(Linux)
        // The stack shapes' consumer libraries, compiled against the runtimes just provisioned.
        for line in StackConsumers.provision(runtimesDirectory: directory) {
            FileHandle.standardError.write(Data(("provision: " + line + "\n").utf8))
        }
        #endif
        if !report.isComplete {
            throw ToolExit(code: .incomplete, message: "omp-matrix: provisioning incomplete: "
                           + report.failures.map(\.name).joined(separator: ", ") + " not provisioned (reasons above)")
        }
    }

    func printCatalog() {
        for item in ProvisionCatalog.items {
            let what: String
            switch item.kind {
            case .system(let path, let package, let fallback):
                what = "system file \(path) (\(package))" + (fallback.map { "; if missing, apt \($0.spec)" } ?? "")
            case .debian(let d): what = "apt \(d.spec) sha256 \(d.sha256)"
            case .wheelLibrary(let w, let member): what = "pypi \(w.file) sha256 \(w.sha256), keeps \(member)"
            case .wheel(let w): what = "pypi \(w.file) sha256 \(w.sha256), kept whole"
            case .copy(let original): what = "a copy of \(original) at \(item.path)"
            case .homebrew(let formula, let member):
                what = "Homebrew \(formula)'s \(member), its current bottle (recorded with version and sha256, not pinned)"
            case .windowsDLL(let w, let member, let dll):
                what = "pypi \(w.file) sha256 \(w.sha256), keeps \(member) (\(dll.family), Windows, probed under Wine)"
            case .windowsCopy(let original): what = "a copy of \(original) at \(item.path) (Windows)"
            case .wineProbe: what = "the Windows probe, built with mingw-w64, and the Wine prefix"
            }
            let size = item.downloadSize > 0 ? String(format: "%8.1f MB  ", Double(item.downloadSize) / 1e6) : "            "
            print("\(item.name.padding(toLength: 22, withPad: " ", startingAt: 0))\(size)\(what)")
        }
        print(String(format: "first run downloads %.1f MB in all (with the system packages installed)",
                     Double(ProvisionCatalog.downloadSize) / 1e6))
    }
}
