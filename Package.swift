// swift-tools-version:6.0
import PackageDescription

// Module layout and the reasons for it: docs/ARCHITECTURE.md.
let package = Package(
    name: "Sundial",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "Sundial", targets: ["Sundial"]),
        .library(name: "SundialStorage", targets: ["SundialStorage"]),
        .library(name: "SundialQuery", targets: ["SundialQuery"]),
        .library(name: "SundialExposition", targets: ["SundialExposition"]),
        .library(name: "SundialGenerator", targets: ["SundialGenerator"]),
        .library(name: "SundialSLO", targets: ["SundialSLO"]),
        .executable(name: "sundial", targets: ["sundial"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
    ],
    targets: [
        .systemLibrary(
            name: "CLZ4",
            pkgConfig: "liblz4",
            providers: [.apt(["liblz4-dev"])]
        ),
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        // CRC-32C with the CPU's instructions; SundialStorage falls back to tables without them.
        .target(name: "CCRC32C"),
        .target(name: "SundialStorage", dependencies: ["CLZ4", "CCRC32C"]),
        .target(name: "SundialExposition"),
        .target(name: "SundialQuery", dependencies: ["SundialStorage"]),
        .target(name: "SundialGenerator"),
        .target(
            name: "SundialSLO",
            dependencies: ["SundialQuery", "SundialStorage", .product(name: "Yams", package: "Yams")]
        ),
        .target(
            name: "Sundial",
            dependencies: ["SundialStorage", "SundialQuery", "SundialSLO", "SundialExposition", "SundialGenerator", "CZlib"]
        ),
        .executableTarget(
            name: "sundial",
            dependencies: [
                "Sundial",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "SundialStorageTests",
            dependencies: ["SundialStorage", "SundialGenerator"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(name: "SundialExpositionTests", dependencies: ["SundialExposition", "SundialGenerator"]),
        .testTarget(name: "SundialGeneratorTests", dependencies: ["SundialGenerator", "SundialExposition"]),
        .testTarget(name: "SundialTests", dependencies: ["Sundial"]),
        .testTarget(name: "SundialQueryTests", dependencies: ["SundialQuery", "SundialGenerator"]),
        .testTarget(name: "SundialSLOTests", dependencies: ["SundialSLO", "Sundial"]),
    ]
)
