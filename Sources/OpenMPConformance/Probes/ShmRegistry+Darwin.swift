#if canImport(Darwin)
extension ShmRegistry {
    static let platformDirectories: [String] = []
    static let platformNoteText: String? =
        "On macOS the OpenMP runtimes register through an environment variable (__KMP_REGISTERED_LIB_<pid>) "
        + "of their own process, not a file in a shared-memory directory: nothing outlives the process, so there is nothing to clean."
    static func mayBeLiveElsewhere(path: String, pid: Int32) -> String? { nil } // no registration files here
}
#endif
