// swift-tools-version: 6.1
import PackageDescription

/// `EVALGATE_FUZZ=1 swift build --product evalgate-fuzz` (see scripts/fuzz) instruments the core
/// library for libFuzzer; dependencies are left alone so only our own code is rebuilt.
let fuzzing = Context.environment["EVALGATE_FUZZ"] == "1"
let fuzzSwiftSettings: [SwiftSetting] = fuzzing ? [.unsafeFlags(["-sanitize=fuzzer,address"])] : []

let package = Package(
    name: "evalgate",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "EvalGateKit", targets: ["EvalGateKit"]),
        .executable(name: "evalgate", targets: ["evalgate"]),
        .executable(name: "evalgate-reference-agent", targets: ["evalgate-reference-agent"]),
    ],
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-distributed-tracing.git", from: "1.7.3"),
        // Only the OTLP/HTTP exporter: the gRPC one would add grpc-swift to every build.
        .package(url: "https://github.com/swift-otel/swift-otel.git", from: "1.6.0", traits: ["OTLPHTTP"]),
    ],
    targets: [
        .target(
            name: "EvalGateKit",
            dependencies: [
                .product(name: "Yams", package: "Yams"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdAuth", package: "hummingbird-auth"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
            ],
            swiftSettings: fuzzSwiftSettings
        ),
        .executableTarget(
            name: "evalgate",
            dependencies: [
                "EvalGateKit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "OTel", package: "swift-otel"),
            ]
        ),
        .executableTarget(
            name: "evalgate-fuzz",
            dependencies: ["EvalGateKit"],
            swiftSettings: fuzzSwiftSettings + (fuzzing ? [.define("FUZZING")] : []),
            linkerSettings: fuzzing ? [.unsafeFlags(["-sanitize=fuzzer,address", "-Xclang-linker", "-fuse-ld=lld"])] : []
        ),
        .target(
            name: "ReferenceAgentKit",
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        .executableTarget(
            name: "evalgate-reference-agent",
            dependencies: [
                "ReferenceAgentKit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        .executableTarget(
            name: "evalgate-bench",
            dependencies: ["EvalGateKit", .product(name: "AsyncHTTPClient", package: "async-http-client")]
        ),
        .target(
            name: "EvalGateTestSupport",
            dependencies: [
                "EvalGateKit", "ReferenceAgentKit",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ]
        ),
        .testTarget(
            name: "ReferenceAgentKitTests",
            dependencies: ["ReferenceAgentKit", "EvalGateTestSupport"]
        ),
        .testTarget(
            name: "EvalGateKitTests",
            dependencies: [
                "EvalGateKit", "EvalGateTestSupport", "ReferenceAgentKit",
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            exclude: ["Reporting/Snapshots", "Reporting/Schemas", "Import/Fixtures", "Serving/Browser"]
        ),
    ]
)
