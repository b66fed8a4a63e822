// swift-tools-version:6.2
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "Postdesk",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "postdesk", targets: ["postdesk"])
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", exact: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto", exact: "3.12.3"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", exact: "2.13.0"),
        .package(url: "https://github.com/LebJe/TOMLKit", exact: "0.6.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", exact: "2.1.1"),
        .package(url: "https://github.com/apple/swift-http-types", exact: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", exact: "2.28.1", traits: ["FullFoundation"]),
    ],
    targets: [
        // Layer 0: value types and ports; the libcurl binding.
        .target(name: "MailModel", swiftSettings: strict),
        .systemLibrary(
            name: "CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        // Layer 1: pure parsing and rules; storage.
        .target(name: "MIME", dependencies: ["MailModel"], swiftSettings: strict),
        .target(name: "Triage", dependencies: ["MailModel", "MIME"], swiftSettings: strict),
        .target(
            name: "Store",
            dependencies: [
                "MailModel",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "MailTemplates",
            dependencies: ["MailModel", "MIME", .product(name: "Mustache", package: "swift-mustache")],
            swiftSettings: strict
        ),
        // Layer 2: I/O adapters and services.
        .target(
            name: "CurlMail",
            dependencies: [
                "CCurl", "MailModel", .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "Gateway",
            dependencies: [
                "MailModel", "MIME", "Triage", "Store", "MailTemplates",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "Portal",
            dependencies: [
                "MailModel", "MIME", "Store",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        // Layer 3: the executable that wires everything together.
        .executableTarget(
            name: "postdesk",
            dependencies: [
                "MailModel", "MIME", "Triage", "Store", "CurlMail", "Gateway", "MailTemplates", "Portal",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "TOMLKit", package: "TOMLKit"),
            ],
            swiftSettings: strict
        ),
        // Benchmarks (`make bench`).
        .executableTarget(
            name: "postdesk-bench", dependencies: ["MIME", "CurlMail", "MailModel", "MailTemplates", "Portal", "Gateway", "Store", .product(name: "Hummingbird", package: "hummingbird"), .product(name: "Logging", package: "swift-log")],
            path: "Benchmarks/PostdeskBench",
            swiftSettings: strict),
        .testTarget(name: "MIMETests", dependencies: ["MIME", "MailModel"], swiftSettings: strict),
        .testTarget(name: "TriageTests", dependencies: ["Triage", "MIME", "MailModel"], swiftSettings: strict),
        .testTarget(name: "CurlMailTests", dependencies: ["CurlMail", "MailModel"], swiftSettings: strict),
        .testTarget(name: "MailTemplatesTests", dependencies: ["MailTemplates", "MailModel"], swiftSettings: strict),
        .testTarget(name: "StoreTests", dependencies: ["Store", "MailModel"], swiftSettings: strict),
        .testTarget(
            name: "GatewayTests",
            dependencies: ["Gateway", "Store", "MailModel", "MIME", "Triage", "CurlMail", "MailTemplates",
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "ServiceLifecycleTestKit", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "PortalTests",
            dependencies: [
                "Portal", "Gateway", "Store", "MailModel", "MIME",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            swiftSettings: strict
        ),
        .testTarget(name: "postdeskTests", dependencies: ["postdesk", "Gateway", "Store"], swiftSettings: strict),
    ]
)
