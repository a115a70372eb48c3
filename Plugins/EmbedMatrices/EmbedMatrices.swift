import Foundation
import PackagePlugin

/// Packs the package's top-level `Matrices/` into `Matrices.tar` (ustar), which SwiftPM adds
/// to the target's resources. The matrix then travels with the built library: a downstream
/// package, or a copy of the built products, finds it without this source tree.
///
/// Every file under `Matrices/` is an input, so editing one re-packs it on the next build.
@main
struct EmbedMatrices: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let root = context.package.directoryURL
        let matrices = root.appendingPathComponent("Matrices", isDirectory: true)
        var files: [String] = []
        if let walker = FileManager.default.enumerator(at: matrices, includingPropertiesForKeys: [.isRegularFileKey],
                                                        options: [.skipsHiddenFiles]) {
            for case let url as URL in walker where (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true {
                files.append(String(url.standardizedFileURL.path.dropFirst(root.standardizedFileURL.path.count + 1)))
            }
        }
        files.sort()
        let archive = context.pluginWorkDirectoryURL.appendingPathComponent("Matrices.tar")
        return [
            .buildCommand(
                displayName: "Packing the matrix (\(files.count) files of Matrices) into the resources of \(target.name)",
                executable: URL(fileURLWithPath: "/usr/bin/tar"),
                arguments: ["--format", "ustar", "-cf", archive.path, "-C", root.path] + files,
                environment: ["COPYFILE_DISABLE": "1"],
                inputFiles: files.map { root.appendingPathComponent($0) },
                outputFiles: [archive]),
        ]
    }
}
