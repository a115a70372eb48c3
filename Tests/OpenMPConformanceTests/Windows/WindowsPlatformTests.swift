import Foundation
import Testing
@testable import OpenMPConformance

/// The Windows platform's parts that need no Wine: what is handed to Wine, what is read of its
/// output, and what a Windows atlas says when it cannot run.
@Suite("Windows: without Wine")
struct WindowsPlatformTests {
    /// A minimal PE image: MZ header, PE signature at 0x40, file header, optional header magic.
    static func pe(machine: UInt16 = 0x8664, magic: UInt16 = 0x20B, dll: Bool = true, length: Int = 0x200) -> [UInt8] {
        var b = [UInt8](repeating: 0, count: length)
        func put16(_ v: UInt16, _ o: Int) { if o + 2 <= b.count { b[o] = UInt8(v & 0xff); b[o + 1] = UInt8(v >> 8) } }
        func put32(_ v: UInt32, _ o: Int) { for i in 0..<4 where o + i < b.count { b[o + i] = UInt8((v >> (8 * UInt32(i))) & 0xff) } }
        put16(0x5A4D, 0); put32(0x40, 0x3C); put32(0x0000_4550, 0x40)
        put16(machine, 0x44); put16(dll ? 0x2022 : 0x0022, 0x56); put16(magic, 0x58)
        return b
    }

    @Test("What is never handed to Wine, with the reason", arguments: [
        (pe(), nil),
        (pe(magic: 0x10B), "32-bit"),
        (pe(machine: 0xAA64), "not x86-64"),
        (pe(dll: false), "not a DLL"),
        (Array(pe().prefix(0x50)), "truncated"),
        (Array("\u{7F}ELF not a PE file".utf8), "no MZ header"),
        ([UInt8](), "no MZ header"),
    ] as [([UInt8], String?)])
    func peCheck(_ bytes: [UInt8], _ expected: String?) {
        let problem = bytes.withUnsafeBytes { PEQuickCheck.problem($0) }
        if let expected {
            #expect(problem?.contains(expected) == true, "\(problem ?? "accepted")")
        } else {
            #expect(problem == nil, "\(problem ?? "")")
        }
    }

    @Test("A PE DLL that names no OpenMP entry point is refused before Wine sees it")
    func notOpenMP() throws {
        let dir = try makeTemporaryDirectory("omp-pe")
        defer { try? FileManager.default.removeItem(at: dir) }
        let plain = dir.appendingPathComponent("plain.dll"), omp = dir.appendingPathComponent("omp.dll")
        try Data(Self.pe()).write(to: plain)
        try Data(Self.pe() + Array("__kmpc_fork_call\0".utf8)).write(to: omp)
        #expect(WineLaunch.preflight(path: plain.path)?.contains("not an OpenMP runtime") == true)
        #expect(WineLaunch.preflight(path: omp.path) == nil)
        #expect(WineLaunch.preflight(path: dir.appendingPathComponent("missing.dll").path)?.contains("cannot be read") == true)
    }

    @Test("Wine's own fixme/err/warn lines stay in stderr but are never read as the runtime's words")
    func wineLinesFiltered() {
        var t = ProbeTranscript()
        t.feed(stdout: "", stderr: """
            0124:fixme:heap:GetNumaNodeProcessorMaskEx stub: OMP: Error #15 quoted by Wine
            0048:err:winediag:nodrv_CreateWindow Application tried to create a window
            OMP: Error #179: Function GetNumaNodeProcessorMaskEx() failed:
            """)
        #expect(t.ompLines == ["OMP: Error #179: Function GetNumaNodeProcessorMaskEx() failed:"])
        #expect(WineLaunch.isWineDebugLine(Array("00f8:warn:x:y".utf8)[...]))
        #expect(!WineLaunch.isWineDebugLine(Array("OMP: Hint This means".utf8)[...]))
        #expect(!WineLaunch.isWineDebugLine(Array("00G8:fixme:x".utf8)[...]))
    }

    @Test("vcomp140=n only when Microsoft's vcomp140.dll is in the plan; the NUMA switch only when turned off")
    func environment() {
        let l = WineLaunch(loader: "/usr/lib/wine/wine64", probe: "/r/wine-probe/omp-probe-windows.exe", prefix: "/r/wine-prefix")
        let intel = RuntimeBinding(name: "a", path: "/r/win-intel-2024/libiomp5md.dll")
        let vcomp = RuntimeBinding(name: "b", path: "/r/win-vcomp140/VCOMP140.DLL")
        #expect(l.environment(for: [intel]) == ["WINEPREFIX": "/r/wine-prefix", "WINEDLLOVERRIDES": "winemenubuilder.exe=d"])
        #expect(l.environment(for: [intel, vcomp])["WINEDLLOVERRIDES"] == "vcomp140=n;winemenubuilder.exe=d")
        var off = l
        off.numaRemedy = false
        #expect(off.environment(for: [intel])["OMP_CONFORMANCE_NUMA_REMEDY"] == "off")
    }

    @Test("Without Wine or without provisioned DLLs every runtime of the Windows atlas says why, and no cell runs")
    func notRunnable() throws {
        let dir = try makeTemporaryDirectory("omp-winatlas")
        defer { try? FileManager.default.removeItem(at: dir) }
        let plan = try WindowsAtlas.plan(directory: dir, manifest: RuntimeManifest(runtimes: []), names: nil,
                                         wine: .failure(WineUnavailable(reason: "wine64 not found")))
        #expect(plan.runtimes.map(\.name) == WindowsAtlas.axes)
        #expect(WindowsAtlas.axes.count >= 7 && WindowsAtlas.axes.allSatisfy { $0.hasPrefix("win-") })
        #expect(plan.runtimes.allSatisfy { $0.notProvisioned?.contains("run Scripts/provision-runtimes.sh") == true })
        #expect(plan.pairs.allSatisfy { $0.notRun != nil } && plan.wine == nil)
        #expect(throws: AtlasError.self) {
            try WindowsAtlas.plan(directory: dir, manifest: RuntimeManifest(runtimes: []), names: ["llvm16"], wine: .failure(.init(reason: "")))
        }
    }

    @Test("A Windows snapshot names files by the runtimes directory, never by this machine's paths")
    func portablePaths() {
        let dir = URL(fileURLWithPath: "/home/someone/.cache/openmp-conformance/runtimes")
        let obs = AtlasObservation(variant: .withoutVariable, plan: "load a", outcomes: [.pass], runs: [.pass],
                                   repro: "env -i WINEPREFIX=\(dir.path)/wine-prefix \(dir.path)/wine-probe/omp-probe-windows.exe",
                                   message: "ok", durationSeconds: 0.1)
        let cell = AtlasCell(first: "win-intel-2024", second: "win-intel-2024", firstIdentity: nil, secondIdentity: nil,
                             secondFile: AtlasFile(name: "win-intel-2024", path: dir.path + "/win-intel-2024/libiomp5md.dll"),
                             diagonal: .control, notRun: nil, observations: [obs])
        let rt = AtlasRuntime(name: "win-intel-2024", identity: nil, path: dir.path + "/win-intel-2024/libiomp5md.dll", source: nil,
                              releaseSource: nil, banner: nil, copy: nil, notProvisioned: nil)
        var host = HostInfo.current()
        host.runtimes = [RuntimeRecord(name: "llvm16", path: dir.path + "/llvm16/libomp.so.5", family: "kmp", version: "16.0",
                                       source: "apt", sha256: "0")]
        let atlas = AtlasResults(partial: false, startedAt: "t", finishedAt: "t", host: host,
                                 environment: HostEnvironment.shared.probeEnvironment.record, runtimes: [rt], standIns: [],
                                 cells: [cell], platform: .windows)
        let p = atlas.portable(runtimesDirectories: [dir.path])
        let text = String(decoding: (try? ResultsCodec.encode(p)) ?? Data(), as: UTF8.self)
        #expect(!text.contains("/home/someone"))
        #expect(p.cells[0].observations[0].repro.contains("$OMP_CONFORMANCE_RUNTIMES/wine-probe/omp-probe-windows.exe"))
        #expect(p.platform?.label == "Windows: the real DLLs under Wine 8.0, not Windows")
    }

    static let snapshots: [String] = {
        let dir = TestRuntimes.root + "/Matrices/atlas/\(WineTools.platform)"
        return ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).filter { $0.hasSuffix(".json") }.sorted()
            .map { dir + "/" + $0 }
    }()

    @Test("Each checked-in Windows atlas is labelled windows-x86_64 and holds no machine path", arguments: snapshots)
    func checkedInSnapshot(_ path: String) throws {
        let atlas = try AtlasCodec.read(URL(fileURLWithPath: path))
        #expect(atlas.platform == .windows)
        #expect(atlas.isComplete && atlas.runtimes.allSatisfy { $0.name.hasPrefix("win-") })
        let text = try String(contentsOfFile: path, encoding: .utf8)
        for home in ["/root/", "/home/", "/tmp/", "/work/", "/Users/"] { #expect(!text.contains(home), "\(home) in \(path)") }
        // Runtime files relative to the runtime cache, as the manifest and the Linux snapshot write them.
        #expect(atlas.runtimes.allSatisfy { !$0.path.hasPrefix("/") && !$0.path.isEmpty }, "\(atlas.runtimes.map(\.path))")
    }
}
