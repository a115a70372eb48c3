// swift-tools-version: 6.3
// 6.3: Test.cancel (OpenMPConformanceTesting skips untestable cells with it).
import PackageDescription

let package = Package(
    name: "openmp-conformance",
    // macOS 15: OMPProbeCore uses Synchronization (Atomic, Mutex).
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "OpenMPConformance", targets: ["OpenMPConformance"]),
        .library(name: "OpenMPConformanceTesting", targets: ["OpenMPConformanceTesting"]),
        .executable(name: "omp-matrix", targets: ["omp-matrix"]),
        .executable(name: "omp-probe", targets: ["omp-probe"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.0"),
        // `swift package generate-documentation` (Scripts/check-docs.sh); a plugin, linked into nothing.
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.4.0"),
    ],
    targets: [
        // The probes' BLAS: OpenBLAS through pkg-config on Linux (Debian: libopenblas-pthread-dev),
        // Accelerate on macOS (nothing to install; no pkg-config needed there).
        .systemLibrary(
            name: "COpenBLAS",
            pkgConfig: "openblas",
            providers: [.apt(["libopenblas-pthread-dev"])]
        ),
        // zlib: inflates deflated zip members (wheels) and checks their CRC-32. Linux: pkg-config `zlib`
        // (Debian: zlib1g-dev); macOS: the SDK's zlib (nothing to install; no pkg-config needed there).
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        // The few things Swift cannot call directly (variadic prctl, posix_spawn flags).
        .target(name: "_OpenMPShims"),
        // The doctor's observers for `omp-matrix doctor -- COMMAND` (Linux), in C because they run inside the
        // loader and libc of the user's process: an LD_AUDIT library that records every object the loader maps,
        // and a preloaded exit-begun signal. `swift build` compile-checks them on every platform; the doctor
        // links each into a shared library of its own with the C compiler (DoctorObserver), because a SwiftPM
        // dynamic-library product always links the Swift runtime, which must not be loaded into a user's program.
        .target(name: "OMPDoctorAudit"),
        .target(name: "OMPDoctorExitHook"),
        // The probe's OMPT tool (Linux, macOS): tells the probe which runtimes started, from the runtimes'
        // own initialisation. Linked by the supervisor with the C compiler like the doctor's observers
        // (ProbeTool) and opened by omp-probe with RTLD_GLOBAL; `swift build` compile-checks it.
        .target(name: "OMPProbeTool"),
        // The probe plan language, shared by the supervisor and the child. No Foundation.
        .target(name: "OMPPlan"),
        // The child's engine: runtime adapter, workloads, checks, protocol. No Foundation.
        .target(
            name: "OMPProbeCore", dependencies: ["OMPPlan", "COpenBLAS", "_OpenMPShims"],
            // BLAS (issue: macOS): OpenBLAS on Linux, Accelerate on macOS (see Sources/COpenBLAS/shim.h).
            linkerSettings: [
                .linkedLibrary("openblas", .when(platforms: [.linux])),
                .linkedFramework("Accelerate", .when(platforms: [.macOS])),
            ]
        ),
        .executableTarget(name: "omp-probe", dependencies: ["OMPProbeCore"]),
        // The public library: runtimes, probes, matrix, verdicts, reports, gate.
        .target(
            name: "OpenMPConformance",
            dependencies: ["OMPPlan", "_OpenMPShims", "CZlib", .product(name: "Yams", package: "Yams")],
            resources: [.copy("Resources/results.schema.json")],
            // A copy of the top-level Matrices/ (rows, claims, profiles, baselines) travels with the
            // library as a resource, so the matrix is found without the source tree.
            plugins: ["EmbedMatrices"]
        ),
        // Packs Matrices/ into Matrices.tar, a resource of OpenMPConformance (see MatrixResources).
        .plugin(name: "EmbedMatrices", capability: .buildTool()),
        // Swift Testing glue: declares no @Test of its own; downstream opts in.
        .target(name: "OpenMPConformanceTesting", dependencies: ["OpenMPConformance", "OMPPlan"]),
        .executableTarget(
            name: "omp-matrix",
            dependencies: [
                "OpenMPConformance",
                // Built beside omp-matrix (`swift run omp-matrix …` finds it there); never linked.
                "omp-probe",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Test-only fault fixtures: the probe engine with deliberate faults. Never shipped.
        .executableTarget(
            name: "omp-fixture",
            dependencies: ["OMPProbeCore", "OMPPlan", "_OpenMPShims"],
            path: "Tests/Fixtures/omp-fixture"
        ),
        // Side-by-side bench of the native kernels against faiss-cpu and numpy (Bench/kernel_bench.py). Not in CI.
        .executableTarget(name: "omp-kernel-bench", dependencies: ["OMPProbeCore", "COpenBLAS"], path: "Bench/KernelBench"),
        .testTarget(
            name: "OpenMPConformanceTests",
            dependencies: ["OpenMPConformance", "OpenMPConformanceTesting", "OMPPlan"],
            // Captured probe output, read from the source tree by the classifier tests.
            exclude: ["Samples"]
        ),
    ]
)
