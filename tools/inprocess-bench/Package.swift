// swift-tools-version:6.0
import PackageDescription
import struct Foundation.URL

// A path dependency's identity is its folder's name, which depends on where the clone lives.
let sundialPackage = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().lastPathComponent.lowercased()

// In-process timings on an existing store, for before/after comparisons in one run:
//   cd tools/inprocess-bench && swift build -c release && .build/release/inprocess-bench STORE [REPS] [query|decode|append]
let package = Package(
    name: "inprocess-bench",
    platforms: [.macOS(.v14)],
    dependencies: [.package(path: "../..")],
    targets: [
        .executableTarget(name: "inprocess-bench", dependencies: [.product(name: "Sundial", package: sundialPackage)]),
    ]
)
