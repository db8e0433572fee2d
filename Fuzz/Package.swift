// swift-tools-version:6.0
import PackageDescription
import struct Foundation.URL

// A path dependency's identity is its folder's name, which depends on where the clone lives.
let sundialPackage = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .lastPathComponent.lowercased()

// The libFuzzer targets are a package of their own so that `swift test` never builds them with the
// sanitizers. Build and run them with tools/fuzz (docs/RELIABILITY.md, "Fuzzing").
// Each target defines LLVMFuzzerTestOneInput and a main.swift that starts libFuzzer's driver
// (CFuzzerDriver); build them with `-Xswiftc -sanitize=fuzzer,address`.

let package = Package(
    name: "SundialFuzz",
    dependencies: [.package(path: "..")],
    targets: [
        .executableTarget(
            name: "FuzzExposition",
            dependencies: ["CFuzzerDriver", .product(name: "SundialExposition", package: sundialPackage)]
        ),
        .executableTarget(
            name: "FuzzQuery",
            dependencies: [
                "CFuzzerDriver",
                .product(name: "SundialQuery", package: sundialPackage),
                .product(name: "SundialStorage", package: sundialPackage),
            ]
        ),
        .target(name: "CFuzzerDriver"),
        .target(name: "FuzzSupport", dependencies: [.product(name: "SundialStorage", package: sundialPackage)]),
        .executableTarget(
            name: "FuzzBlock",
            dependencies: ["CFuzzerDriver", "FuzzSupport", .product(name: "SundialStorage", package: sundialPackage)]
        ),
        .executableTarget(
            name: "FuzzCodec",
            dependencies: ["CFuzzerDriver", "FuzzSupport", .product(name: "SundialStorage", package: sundialPackage)]
        ),
    ]
)
