import ArgumentParser
import Foundation
import OpenMPConformance

/// `omp-matrix wheels build|check`: the wheel catalog (`Matrices/wheels/catalog.yaml`), made
/// from real wheels read statically. Not part of the main job, which reads the checked-in catalog.
struct WheelsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wheels", abstract: "Build or check the catalog of the OpenMP runtimes wheels ship.",
        subcommands: [Build.self, Check.self, Readme.self])

    static func catalogURL(_ path: String?) -> URL {
        if let path { return URL(fileURLWithPath: path) }
        let root = RuntimeCatalog.packageRoot() ?? URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        return root.appendingPathComponent("Matrices/wheels").appendingPathComponent(WheelCatalog.fileName)
    }

    static func downloads(_ path: String?) throws -> URL {
        if let path { return URL(fileURLWithPath: path, isDirectory: true) }
        do { return try RuntimeCatalog.directory().appendingPathComponent("wheel-catalog", isDirectory: true) } catch {
            throw ToolExit.badInput("no runtime cache directory: \(error)")
        }
    }

    struct Build: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "build",
            abstract: "Download (pip download, never install) the pinned packages' wheels for the three platforms and write the catalog.",
            discussion: "Wheels over 400 MiB are read by HTTP range requests on the index's file URL (the zip directory and the library members). Downloads go to the runtime cache (wheel-catalog/). Exit status: 0 when every wheel was read, 4 when some are missing (listed in the catalog with the reason).")
        @Option(help: "The catalog to write (default Matrices/wheels/catalog.yaml of the package).") var output: String?
        @Option(help: "Where wheels are downloaded (default <runtime cache>/wheel-catalog).") var downloads: String?
        @Option(help: "Only these packages (repeatable), from the pinned list.") var only: [String] = []
        @Option(help: "linux-x86_64, macos-arm64 or windows-x86_64 (repeatable; default all three).") var platform: [String] = []

        func run() async throws {
            let platforms = try platform.isEmpty ? WheelCatalog.Platform.allCases : platform.map { p in
                guard let v = WheelCatalog.Platform(rawValue: p) else { throw ToolExit.badInput("--platform '\(p)' is not one of linux-x86_64, macos-arm64, windows-x86_64") }
                return v
            }
            let pins = WheelCatalogBuilder.pinned.filter { only.isEmpty || only.map(WheelCatalog.normalize).contains(WheelCatalog.normalize($0.package)) }
            guard !pins.isEmpty else { throw ToolExit.badInput("--only names no pinned package") }
            var builder = WheelCatalogBuilder(downloads: try WheelsCommand.downloads(downloads))
            builder.progress = { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }
            let out = WheelsCommand.catalogURL(output)
            // Entries of packages not rebuilt now are kept from the existing catalog.
            var keep: WheelCatalog = (try? WheelCatalog.load(out)) ?? WheelCatalog(wheels: [], missing: [])
            let rebuilt = Set(pins.map { WheelCatalog.normalize($0.package) })
            keep.wheels.removeAll { rebuilt.contains($0.package) && platforms.contains($0.platform) }
            keep.missing.removeAll { rebuilt.contains($0.package) && platforms.contains($0.platform) }
            for pin in pins {
                let files: [WheelCatalogBuilder.IndexFile]
                do { files = try await builder.indexFiles(pin.package) } catch {
                    for p in platforms { keep.missing.append(WheelCatalog.Missing(package: WheelCatalog.normalize(pin.package), version: pin.version, platform: p, reason: "\(error)")) }
                    continue
                }
                for p in platforms {
                    switch await builder.entry(package: pin.package, version: pin.version, platform: p, files: files) {
                    case .success(let w):
                        keep.wheels.append(w)
                        FileHandle.standardError.write(Data("  \(w.package) \(w.version) \(p.rawValue): \(w.runtimes.isEmpty ? "no OpenMP runtime" : w.runtimes.map { "\($0.path) (\($0.vendor) \($0.release), \($0.linkage.rawValue))" }.joined(separator: ", "))\n".utf8))
                    case .failure(let m):
                        keep.missing.append(m)
                        FileHandle.standardError.write(Data("  \(m.package) \(m.version) \(p.rawValue): missing: \(m.reason)\n".utf8))
                    }
                }
            }
            let text = keep.yaml(header: [
                "The OpenMP runtimes the wheels of popular packages ship, per platform: made by `omp-matrix wheels build`",
                "from real wheels (pip download --no-deps --only-binary=:all:, read statically, never installed or loaded).",
                "Family and release come from each library's own bytes; `system` runtimes are named by what the wheel's",
                "libraries ask for and are not in the wheel. Checked by `omp-matrix wheels check`."])
            do {
                try FileManager.default.createDirectory(at: out.deletingLastPathComponent(), withIntermediateDirectories: true)
                try AtomicFile.write(Data(text.utf8), to: out)
            } catch { throw ToolExit.writeFailed(out.path, error) }
            print("Wrote \(out.path): \(keep.wheels.count) wheels, \(keep.missing.count) missing.")
            if !keep.missing.isEmpty { throw ToolExit(code: .incomplete, message: "") }
        }
    }

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "check", abstract: "Validate the catalog; with --sample N, re-read N of its wheels from real downloads and compare.",
            discussion: "Exit status: 0 when the catalog reads and every sampled wheel matches; 1 when a sampled wheel differs; 2 when the catalog is invalid (file:line).")
        @Option(help: "The catalog to check (default Matrices/wheels/catalog.yaml of the package).") var catalog: String?
        @Option(help: "Re-read this many wheels (the smallest of each platform first) from real downloads.") var sample: Int = 0
        @Option(help: "Where wheels are downloaded (default <runtime cache>/wheel-catalog).") var downloads: String?

        func run() async throws {
            let url = WheelsCommand.catalogURL(catalog)
            let cat: WheelCatalog
            do { cat = try WheelCatalog.load(url) } catch { throw ToolExit.badInput("\(error)") }
            print("\(url.path): \(cat.wheels.count) wheels, \(cat.missing.count) missing, valid.")
            guard sample > 0 else { return }
            let builder = WheelCatalogBuilder(downloads: try WheelsCommand.downloads(downloads))
            let picked = WheelCatalog.Platform.allCases.flatMap { p in cat.wheels.filter { $0.platform == p }.sorted { $0.size < $1.size } }
            var differ = 0
            for w in picked.prefix(sample) {
                let files: [WheelCatalogBuilder.IndexFile]
                do { files = try await builder.indexFiles(w.package) } catch { print("  \(w.file): index unreachable: \(error)"); differ += 1; continue }
                switch await builder.entry(package: w.package, version: w.version, platform: w.platform, files: files) {
                case .success(let fresh):
                    let same = fresh.sha256 == w.sha256 && fresh.runtimes == w.runtimes
                    print("  \(w.file): \(same ? "matches" : "DIFFERS")")
                    if !same { differ += 1 }
                case .failure(let m):
                    print("  \(w.file): not re-read: \(m.reason)"); differ += 1
                }
            }
            if differ > 0 { throw ToolExit.unexpected }
        }
    }

    struct Readme: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "readme", abstract: "Rewrite the README's generated table of package pairs per platform from the catalog and the atlas snapshot.",
            discussion: "Exit status: 0 when written; 2 when the catalog or the README cannot be read, or the README lacks the section markers.")
        @Argument(help: "The README to rewrite (default README.md of the package).") var readme: String?

        func run() throws {
            let root = RuntimeCatalog.packageRoot() ?? URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
            let path = readme ?? root.appendingPathComponent("README.md").path
            let cat: WheelCatalog
            do { cat = try WheelCatalog.load(WheelsCommand.catalogURL(nil)) } catch { throw ToolExit.badInput("\(error)") }
            let (atlas, source) = PackageDoctor.linuxAtlas(root: root)
            let windows = PackageDoctor.windowsAtlas(root: root)
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { throw ToolExit.badInput("cannot read \(path)") }
            let new: String
            do { new = try PackagesReadmeSection.splice(PackagesReadmeSection.render(catalog: cat, atlas: atlas, atlasSource: source,
                                                                                 windowsAtlas: windows.0, windowsAtlasSource: windows.1), into: text) } catch {
                throw ToolExit.badInput("\(path): \(error)")
            }
            do { try AtomicFile.write(Data(new.utf8), to: URL(fileURLWithPath: path)) } catch { throw ToolExit.writeFailed(path, error) }
            FileHandle.standardError.write(Data("omp-matrix: rewrote the package-pairs section of \(path)\n".utf8))
        }
    }
}
