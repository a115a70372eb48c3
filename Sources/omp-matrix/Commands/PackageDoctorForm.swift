import Foundation
import OpenMPConformance

/// `doctor --packages … | --requirements FILE`: the catalog and atlas answer, printed.
enum PackageDoctorForm {
    static func run(packages: [String], requirements: String?, platform: String?, python: String, format: String) async throws {
        let host: WheelCatalog.Platform
        #if os(macOS)
        host = .macos
        #else
        host = .linux
        #endif
        let target: WheelCatalog.Platform
        if let platform {
            guard let p = WheelCatalog.Platform(rawValue: platform) else {
                throw ToolExit.badInput("--platform '\(platform)' is not one of linux-x86_64, macos-arm64, windows-x86_64")
            }
            target = p
        } else {
            target = host
        }
        let parts = python.split(separator: ".", omittingEmptySubsequences: false)
        guard (2...3).contains(parts.count), parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isNumber) }), parts[0] == "3" else {
            throw ToolExit.badInput("--python '\(python)' is not a Python 3 version (3.12, or 3.12.4)")
        }
        // Both forms are read the one same way: a --packages spec as a requirements line.
        var requests: [PackageDoctor.Request] = [], unsupported: [PackageDoctor.NotRead] = []
        for spec in packages {
            do {
                let r = try PackageDoctor.package(spec)
                requests += r.requests; unsupported += r.unsupported
            } catch { throw ToolExit.badInput("--packages: \(error.message)") }
        }
        if let requirements {
            let text: String
            do { text = try String(contentsOfFile: requirements, encoding: .utf8) } catch {
                throw ToolExit.badInput("\(requirements): cannot be read (\(error.localizedDescription))")
            }
            do {
                let r = try PackageDoctor.requirements(text, file: requirements)
                requests += r.requests; unsupported += r.unsupported
            } catch { throw ToolExit.badInput(error.description) }
        }
        let root = RuntimeCatalog.packageRoot() ?? URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        let catalog: WheelCatalog
        do { catalog = try WheelCatalog.load(root.appendingPathComponent("Matrices/wheels").appendingPathComponent(WheelCatalog.fileName)) } catch {
            throw ToolExit.badInput("\(error)")
        }
        let (atlas, source) = PackageDoctor.linuxAtlas(root: root)
        let (windows, windowsSource) = target == .windows ? PackageDoctor.windowsAtlas(root: root) : (nil, "")
        // Packages the catalog lacks: resolved by download into <runtime cache>/wheel-catalog (verified, recorded).
        let downloads: [PackageDoctor.Download]
        do {
            var builder = WheelCatalogBuilder(downloads: try RuntimeCatalog.directory().appendingPathComponent("wheel-catalog", isDirectory: true))
            builder.python = parts.prefix(2).joined(separator: ".")
            builder.progress = { FileHandle.standardError.write(Data((TerminalText.block($0) + "\n").utf8)) }
            downloads = await PackageDoctor.resolve(requests, platform: target, catalog: catalog, builder: builder)
        } catch {
            downloads = requests.map { r in
                PackageDoctor.Download(package: WheelCatalog.normalize(r.name), requested: r.version, specifier: r.specifier, platform: target, wheel: nil,
                                       how: "not in the catalog; no runtime cache to download into (\(error))")
            }
        }
        let answer = PackageDoctor.answer(requests, platform: target, python: python, catalog: catalog, atlas: atlas, atlasSource: source,
                                          windowsAtlas: windows, windowsAtlasSource: windowsSource,
                                          unsupported: unsupported, downloads: downloads)
        switch format {
        case "json": print(String(decoding: try ResultsCodec.encode(answer), as: UTF8.self))
        case "md": print(PackageDoctor.markdown(answer), terminator: "")
        default: print(TerminalText.block(answer.lines.joined(separator: "\n")))
        }
        if answer.exitCode != 0 { throw ToolExit(code: answer.exitCode == 1 ? .unexpected : .incomplete, message: "") }
    }
}
