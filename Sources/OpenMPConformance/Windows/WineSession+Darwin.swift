#if !os(Linux)
extension WineSession {
    /// No Wine runs here: nothing to reap.
    static func reapWineZombies() {}

    /// No Wine runs here: no server.
    package static func serverPIDs(prefix: String) -> [Int32] { [] }
}
#endif
