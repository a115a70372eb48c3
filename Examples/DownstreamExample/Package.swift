// swift-tools-version: 6.3
// A downstream package that opts in to the conformance matrix, as a user's repo would.
// In your own repo, point the dependency at the kit's URL instead of this local path.
import PackageDescription

let package = Package(
    name: "DownstreamExample",
    platforms: [.macOS(.v15)], // as the kit requires
    dependencies: [.package(name: "openmp-conformance", path: "../..")],
    targets: [
        .target(name: "DownstreamExample"),
        .testTarget(
            name: "DownstreamExampleTests",
            dependencies: [
                "DownstreamExample",
                .product(name: "OpenMPConformanceTesting", package: "openmp-conformance"),
                .product(name: "OpenMPConformance", package: "openmp-conformance"),
                // Builds the probe binary beside the tests, where the library finds it.
                .product(name: "omp-probe", package: "openmp-conformance"),
            ]
        ),
    ]
)
