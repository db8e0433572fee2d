// swift-tools-version:6.0
import PackageDescription
import struct Foundation.URL

// A path dependency's identity is its folder's name, which depends on where the clone lives.
let sundialPackage = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().lastPathComponent.lowercased()

// Codec-only decode speed: every value chunk of a block, its bytes already in memory, no I/O, no caches.
// It reads SundialStorage's internals (`@testable import`), so build it with testing enabled:
//   cd tools/codec-bench && swift build -c release -Xswiftc -enable-testing && .build/release/codec-bench BLOCK [REPS]
// (BLOCK: a file under STORE/blocks/). Compare binaries built from two commits in one run, alternating.
let package = Package(
    name: "codec-bench",
    platforms: [.macOS(.v14)],
    dependencies: [.package(path: "../..")],
    targets: [
        .executableTarget(name: "codec-bench", dependencies: [.product(name: "SundialStorage", package: sundialPackage)]),
    ]
)
