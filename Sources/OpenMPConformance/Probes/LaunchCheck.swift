import Foundation

/// Checks a runtime path before launch, so `launch-failed` says what the loader would say.
enum LaunchCheck {
    static func reason(path: String) -> String? {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else { return "no such file" }
        if isDir.boolValue { return "is a directory, not a shared library" }
        return nil
    }
}
