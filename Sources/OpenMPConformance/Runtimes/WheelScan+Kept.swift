import Foundation

extension WheelScan {
    /// The kept wheels' scan results, in `wheel-scans/` of the runtime cache.
    ///
    /// Reading a wheel inflates its libraries (about 2 s of CPU per `omp-matrix run` in a debug
    /// build, for the same files every time). A kept result is used only while the wheel's path,
    /// size and modification time, and the running executable's own size and modification time,
    /// are what they were when it was written: any change to the wheel, and any rebuild of the kit,
    /// reads the wheel again. A kept file that does not decode is read over, never trusted.
    static func scanKeepingResult(wheel url: URL, in folder: URL) -> Wheel {
        guard let key = keptKey(url) else { return scan(wheel: url) }
        let entry = folder.appendingPathComponent(key + ".json")
        if let data = FileManager.default.contents(atPath: entry.path),
           let kept = try? JSONDecoder().decode(Wheel.self, from: data), kept.file == url.lastPathComponent {
            return kept
        }
        let wheel = scan(wheel: url)
        // Keeping the result only saves time: a folder or file that cannot be written leaves the
        // next run to read the wheel again, with the same answer.
        if (try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)) != nil,
           let data = try? ResultsCodec.encode(wheel) {
            try? AtomicFile.write(data, to: entry)
        }
        return wheel
    }

    /// A digest of what a kept result depends on: the wheel's and the running executable's
    /// ``FileStamp``; nil when either cannot be stat'ed.
    static func keptKey(_ url: URL) -> String? {
        guard let wheel = FileStamp(path: url.path), let exe = Bundle.main.executablePath.flatMap(FileStamp.init(path:)) else { return nil }
        var h = SHA256()
        h.update(Array("wheel-scan 1\u{0}\(wheel)\u{0}\(exe)".utf8))
        return String(h.finalizeHex().prefix(32))
    }
}
