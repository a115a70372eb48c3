// swift-tools-version: 6.1
// libFuzzer targets for the kit's readers of untrusted input. Not part of the normal build:
// `bash Scripts/fuzz.sh TARGET SECONDS` builds them with -sanitize=fuzzer,address (debug, so
// that the readers' internals are reachable through @testable import) and runs one. Each
// main.swift hands its LLVMFuzzerTestOneInput to libFuzzer's driver through FuzzDriver.runFuzzer,
// since SwiftPM gives every executable its own entry point.
import PackageDescription

let package = Package(
    name: "openmp-conformance-fuzz",
    dependencies: [.package(name: "openmp-conformance", path: "..")],
    targets: [.target(name: "FuzzDriver")] + ["fuzz-elf", "fuzz-macho", "fuzz-zip", "fuzz-json", "fuzz-yaml", "fuzz-pe"].map { name in
        .executableTarget(
            name: name,
            dependencies: ["FuzzDriver", .product(name: "OpenMPConformance", package: "openmp-conformance")]
        )
    }
)
