import Foundation
import Testing
@testable import OpenMPConformance

/// The provisioned Windows DLLs and Wine, for the tests that probe under Wine. They run only when
/// `OMP_CONFORMANCE_WINE_TESTS=1` (the CI-only lane `.ci/run` sets it: Wine costs seconds per
/// test) and Wine, the Windows probe and the DLLs are provisioned; otherwise they are skipped
/// with the reason.
enum WineFixtures {
    static let variable = "OMP_CONFORMANCE_WINE_TESTS"

    struct Setup: Sendable {
        var launch: WineLaunch
        var dlls: [String: String]
    }

    static let setup: Result<Setup, WineUnavailable> = {
        guard ProcessInfo.processInfo.environment[variable] == "1" else {
            return .failure(WineUnavailable(reason: "\(variable)=1 is not set (the CI-only Wine lane sets it)"))
        }
        let catalog: RuntimeCatalog
        do { catalog = try RuntimeCatalog() } catch { return .failure(WineUnavailable(reason: "\(error)")) }
        let dir = catalog.manifestURL.deletingLastPathComponent()
        let launch: WineLaunch
        switch WineLaunch.provisioned(in: dir) {
        case .success(let l): launch = l
        case .failure(let e): return .failure(e)
        }
        var dlls: [String: String] = [:]
        for r in catalog.manifest.windows { dlls[r.name] = dir.appendingPathComponent(r.path).path }
        let needed = ["win-intel-2024", "win-intel-2025", "win-intel-2026", "win-intel-2026-copy", "win-ctranslate2-4.8.5", "win-vcomp140"]
        let missing = needed.filter { dlls[$0].map { !FileManager.default.fileExists(atPath: $0) } ?? true }
        if !missing.isEmpty {
            return .failure(WineUnavailable(reason: "not provisioned: \(missing.joined(separator: ", ")) (run Scripts/provision-runtimes.sh)"))
        }
        return .success(Setup(launch: launch, dlls: dlls))
    }()

    static var available: Bool { (try? setup.get()) != nil }
    static var reason: Comment {
        switch setup {
        case .success: Comment(rawValue: "Wine and the Windows DLLs are provisioned")
        case .failure(let e): Comment(rawValue: "Wine tests skipped: \(e.reason)")
        }
    }

    static func dll(_ name: String) throws -> String { try #require(try setup.get().dlls[name]) }

    /// Runs `plan` over `runtimes` (role name to catalog name) under a session of its own.
    static func probe(_ plan: String, _ runtimes: [(String, String)], environment: [String: String] = [:],
                      numaRemedy: Bool = true) async throws -> ProbeResult {
        var launch = try setup.get().launch
        launch.numaRemedy = numaRemedy
        let session = try WineSession.start(launch)
        defer { session.stop() }
        var c = Probe.Configuration(runtimes: try runtimes.map { RuntimeBinding(name: $0.0, path: try dll($0.1)) },
                                    plan: try Plan.parse(plan), environment: environment, timeout: .seconds(30))
        c.wine = launch
        return await Probe.run(c)
    }
}

/// One at a time: each test holds the prefix's session (`WineSession`) while its probes run.
@Suite("Windows: the real DLLs under Wine", .serialized, .enabled(if: WineFixtures.available, WineFixtures.reason))
struct WineTests {
    @Suite("Windows: probes of the real DLLs")
    struct WineProbeTests {
        struct Order: CustomTestStringConvertible, Sendable {
            var first: String, second: String
            var testDescription: String { "\(first) started first" }
        }
        static let copyOrders = [Order(first: "win-intel-2026", second: "win-intel-2026-copy"),
                                 Order(first: "win-intel-2026-copy", second: "win-intel-2026")]

        @Test("Two copies of one libiomp5md.dll abort with Error #15 (exit 3, the users' words) without the variable, and run with it",
              arguments: copyOrders, [false, true])
        func twoCopies(_ order: Order, withVariable: Bool) async throws {
            let r = try await WineFixtures.probe("load a; init a; load b; init b; train a steps=2 dim=64; index b dim=64",
                                                 [("a", order.first), ("b", order.second)],
                                                 environment: withVariable ? ["KMP_DUPLICATE_LIB_OK": "TRUE"] : [:])
            let text = "\(r.outcome): \(r.message.text)\n\(r.stderr.text)"
            if withVariable {
                #expect(r.outcome == .pass, "\(text)")
                #expect(r.checks.contains { $0.name == "threads-a" && $0.passed } && r.checks.contains { $0.name == "threads-b" && $0.passed },
                        "both runtimes ran regions on 2 threads")
            } else {
                #expect(r.outcome == .duplicateRuntimeAbort, "\(text)")
                #expect(r.ending.code == 3, "the process exits with status 3, as on Windows: \(r.ending)")
                #expect(r.message.text == "OMP: Error #15: Initializing libiomp5md.dll, but found libiomp5md.dll already initialized.")
                #expect(r.stepsCompleted == 3, "the abort comes at the second runtime's first OpenMP call (step 4), not at its load")
            }
            #expect(Set(r.runtimesMapped.map(\.path)) == Set([try WineFixtures.dll(order.first), try WineFixtures.dll(order.second)]),
                    "both files are mapped, as two modules")
        }

        @Test("A 2025+ Intel runtime runs with the NUMA remedy and stops with Error #179 without it",
              arguments: ["win-intel-2025", "win-intel-2026", "win-ctranslate2-4.8.5"], [true, false])
        func numaRemedy(_ name: String, remedy: Bool) async throws {
            let r = try await WineFixtures.probe("load a; init a; parallel a", [("a", name)], numaRemedy: remedy)
            if remedy {
                #expect(r.outcome == .pass, "\(r.message.text)\n\(r.stderr.text)")
                #expect(r.checks.contains { $0.name == "wine-numa-remedy" && $0.passed && $0.detail.contains("numa remedy applied") })
            } else {
                #expect(r.outcome == .runtimeError, "\(r.message.text)")
                #expect(r.message.text.hasPrefix("OMP: Error #179: Function GetNumaNodeProcessorMaskEx() failed"), "\(r.message.text)")
                #expect(!r.checks.contains { $0.name == "wine-numa-remedy" })
            }
        }

        @Test("An Intel runtime from before 2025 needs no remedy: it imports no GetNumaNodeProcessorMaskEx")
        func olderNeedsNoRemedy() async throws {
            let r = try await WineFixtures.probe("load a; init a; parallel a", [("a", "win-intel-2024")], numaRemedy: false)
            #expect(r.outcome == .pass, "\(r.message.text)")
        }

        @Test("libiomp5md.dll with Microsoft's vcomp140.dll: both run, in either order, and Wine loads Microsoft's file",
              arguments: [("win-intel-2024", "win-vcomp140"), ("win-vcomp140", "win-intel-2025")])
        func withVcomp(_ first: String, _ second: String) async throws {
            let r = try await WineFixtures.probe("load a; init a; load b; init b; train a steps=2 dim=64; index b dim=64",
                                                 [("a", first), ("b", second)])
            #expect(r.outcome == .pass, "\(r.message.text)\n\(r.stderr.text)")
            let vcomp = try WineFixtures.dll("win-vcomp140")
            #expect(r.runtimesMapped.contains { $0.family == "vcomp" && $0.path == vcomp })
            #expect(r.checks.filter { $0.name == "loaded-file" }.count == 2 && r.checks.allSatisfy { $0.name != "loaded-file" || $0.passed },
                    "both modules in memory are the files, not Wine built-ins: \(r.checks.filter { $0.name == "loaded-file" })")
        }

        @Test("Without vcomp140=n Wine substitutes its built-in vcomp140.dll, and the probe says so")
        func builtinVcompIsCaught() async throws {
            let launch = try WineFixtures.setup.get().launch
            let session = try WineSession.start(launch)
            defer { session.stop() }
            let c = Probe.Configuration(command: .external([launch.loader, launch.probe, "--runtime", "a=\(try WineFixtures.dll("win-vcomp140"))",
                                                            "--steps", "load a; init a; parallel a"]),
                                        environment: ["WINEPREFIX": launch.prefix], timeout: .seconds(30))
            let r = await Probe.run(c)
            #expect(r.stdout.text.contains("@omp check 1 loaded-file fail Wine loaded its built-in DLL"), "\(r.stdout.text)")
            #expect(r.ending.code == 1, "a failed check exits 1")
        }

        @Test("A step the Windows probe does not implement stops it before any step runs, saying which")
        func unsupportedStep() async throws {
            // The plan language may grow verbs (`race`, `nest`) before the Windows probe learns them.
            let launch = try WineFixtures.setup.get().launch
            let session = try WineSession.start(launch)
            defer { session.stop() }
            let c = Probe.Configuration(command: .external([launch.loader, launch.probe, "--runtime", "a=\(try WineFixtures.dll("win-intel-2024"))",
                                                            "--steps", "load a; race a a"]),
                                        environment: ["WINEPREFIX": launch.prefix], timeout: .seconds(30))
            let r = await Probe.run(c)
            #expect(r.ending.code == 2, "\(r.outcome): \(r.message.text)")
            #expect(r.stdout.text.contains("@omp error 2 unsupported step 'race'"), "\(r.stdout.text)")
            #expect(!r.stdout.text.contains("@omp begin"), "no step ran")
        }
    }

    @Suite("Windows: no wineserver outlives a run")
    struct WineServerLifetimeTests {
        @Test("A session's wineserver is gone after stop()")
        func stopEndsServer() async throws {
            let setup = try WineFixtures.setup.get()
            let r = try await WineFixtures.probe("load a; init a", [("a", "win-intel-2024")])
            #expect(r.outcome == .pass)
            #expect(WineSession.serverPIDs(prefix: setup.launch.prefix).isEmpty)
        }

        @Test("omp-matrix atlas --platform windows-x86_64 leaves no wineserver when interrupted or killed",
              arguments: [SIGINT, SIGKILL])
        func killedRun(_ sig: Int32) async throws {
            let setup = try WineFixtures.setup.get()
            let dir = try makeTemporaryDirectory("omp-wine-atlas")
            defer { try? FileManager.default.removeItem(at: dir) }
            let out = dir.appendingPathComponent("atlas.json")
            let p = try RunInterruptTests.start(["atlas", "--platform", "windows-x86_64", "--runtimes", "win-intel-2024,win-intel-2026",
                                                 "--results", out.path, "--output", dir.appendingPathComponent("summary.txt").path])
            let deadline = ContinuousClock.now + .seconds(60)
            var served: [Int32] = []
            while ContinuousClock.now < deadline && !p.hasEnded {
                served = WineSession.serverPIDs(prefix: setup.launch.prefix)
                if !served.isEmpty, (try? Data(contentsOf: out)).map({ $0.count > 0 }) == true { break }
                usleep(50_000)
            }
            try #require(!served.isEmpty, "a wineserver was seen while the atlas ran")
            kill(p.pid, sig)
            let ended = await p.exit()
            // Interrupted: stopped before exit. Killed: the session's watchdog stops it within a second.
            let gone = ContinuousClock.now + .seconds(sig == SIGKILL ? 10 : 1)
            while ContinuousClock.now < gone && !WineSession.serverPIDs(prefix: setup.launch.prefix).isEmpty { usleep(100_000) }
            #expect(WineSession.serverPIDs(prefix: setup.launch.prefix).isEmpty, "a wineserver outlived the run (signal \(sig))")
            if sig == SIGINT { #expect(ended.status == 4 && !ended.bySignal, "an interrupted atlas exits 4 (incomplete)") }
        }
    }
}
