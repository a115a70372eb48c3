#if os(Linux)
extension ShmRegistry {
    static let platformDirectories = ["/dev/shm", "/tmp"]
    static let platformNoteText: String? = nil
}
#endif
