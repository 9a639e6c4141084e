// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "pare",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "pare", targets: ["pare"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.1"),
    ],
    targets: [
        // zlib from the system (`zlib1g-dev`).
        .systemLibrary(
            name: "CZlib",
            path: "Sources/CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        // ISA-L's inflate from the system (`libisal-dev`): gzip at two to three times zlib's speed.
        .systemLibrary(
            name: "CIsal",
            path: "Sources/CIsal",
            pkgConfig: "libisal",
            providers: [.apt(["libisal-dev"]), .brew(["isa-l"])]
        ),
        // Vector kernels of the record scanner (SSE2, scalar fallback).
        .target(name: "CScan"),
        // UTC timestamps as integer seconds, parsed by hand.
        .target(name: "Timestamps"),
        // Policy grammar, ARNs, wildcard patterns, the evaluator, the canonical writer.
        .target(name: "IAMPolicy", dependencies: ["Timestamps"]),
        // The bundled AWS action catalog and CloudTrail event → action resolution.
        .target(name: "IAMCatalog", dependencies: ["IAMPolicy"]),
        // CloudTrail log discovery, gzip streaming, record scanning.
        .target(name: "CloudTrail", dependencies: ["CIsal", "CScan", "CZlib", "Timestamps"]),
        // Authorization details, credential reports, SCP files.
        .target(name: "AccountInventory", dependencies: ["IAMPolicy", "Timestamps"]),
        // Rows handed to SQLite from memory (a table-valued function) for the ledger's writer.
        // (DWARF 4: valgrind 3.19, which the benchmarks use, cannot read the DWARF 5 of this target.)
        .target(
            name: "CStoreRows", cSettings: [.unsafeFlags(["-gdwarf-4"])], linkerSettings: [.linkedLibrary("sqlite3")]),
        // The usage ledger in SQLite.
        .target(
            name: "UsageStore",
            dependencies: ["CStoreRows", "Timestamps", .product(name: "GRDB", package: "GRDB.swift")]),
        // The ingestion pipeline: CloudTrail records → attribution → resolution → ledger.
        .target(name: "Ingest", dependencies: ["CloudTrail", "IAMPolicy", "IAMCatalog", "UsageStore"]),
        // What principals used (the usage report) and used vs granted, over a window.
        .target(
            name: "Analysis", dependencies: ["IAMPolicy", "IAMCatalog", "AccountInventory", "UsageStore", "Timestamps"]),
        // Tightened policy synthesis.
        .target(
            name: "Synthesis",
            dependencies: [
                "Analysis", "Compare", "IAMPolicy", "IAMCatalog", "AccountInventory", "UsageStore", "Timestamps",
            ]
        ),
        // Unused-access findings and posture checks.
        .target(name: "Findings", dependencies: ["Analysis"]),
        // Before/after grant comparison.
        .target(name: "Compare", dependencies: ["IAMPolicy", "IAMCatalog", "AccountInventory"]),
        // Renderers: text, JSON, CSV, SARIF, Terraform, CloudFormation.
        .target(
            name: "Reports",
            dependencies: ["IAMPolicy", "Analysis", "Synthesis", "Findings", "Compare", "UsageStore", "Timestamps"]),
        // The command-line tool: parse arguments, call one library function, render, exit.
        .executableTarget(
            name: "pare",
            dependencies: [
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                "Timestamps", "IAMPolicy", "IAMCatalog", "CloudTrail", "AccountInventory", "UsageStore", "Ingest",
                "Analysis", "Synthesis", "Findings", "Compare", "Reports",
            ]
        ),

        // Release-build benchmarks, outside the test run (`swift run -c release CatalogBenchmark`).
        .executableTarget(name: "CatalogBenchmark", dependencies: ["IAMCatalog"], path: "Benchmarks/CatalogBenchmark"),
        // Ingestion benchmark (release build, not part of the tests): Benchmarks/run.sh.
        .executableTarget(
            name: "IngestBenchmark",
            dependencies: ["CIsal", "CZlib", "CloudTrail", "Timestamps", "IAMCatalog", "Ingest", "UsageStore"],
            path: "Benchmarks/IngestBenchmark"
        ),

        // Test helpers: fixture paths, running the built `pare` binary.
        .target(name: "TestSupport", dependencies: ["IAMCatalog", "UsageStore"], path: "Tests/TestSupport"),
        .testTarget(
            name: "IAMPolicyTests",
            dependencies: [
                "IAMPolicy", "TestSupport", .product(name: "PropertyBased", package: "swift-property-based"),
            ]
        ),
        .testTarget(name: "TimestampsTests", dependencies: ["Timestamps"]),
        .testTarget(name: "IAMCatalogTests", dependencies: ["IAMCatalog", "TestSupport"], exclude: ["Golden"]),
        .testTarget(
            name: "CloudTrailTests",
            dependencies: [
                "CloudTrail", "CScan", "TestSupport", .product(name: "PropertyBased", package: "swift-property-based"),
            ]
        ),
        .testTarget(name: "AccountInventoryTests", dependencies: ["AccountInventory", "TestSupport"]),
        .testTarget(
            name: "UsageStoreTests",
            dependencies: [
                "UsageStore", "TestSupport", .product(name: "PropertyBased", package: "swift-property-based"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .testTarget(name: "IngestTests", dependencies: ["Ingest", "TestSupport"]),
        .testTarget(name: "AnalysisTests", dependencies: ["Analysis", "TestSupport"], exclude: ["Golden"]),
        .testTarget(
            name: "SynthesisTests",
            dependencies: [
                "Synthesis", "Compare", "TestSupport", .product(name: "PropertyBased", package: "swift-property-based"),
            ]
        ),
        .testTarget(name: "FindingsTests", dependencies: ["Findings", "TestSupport"]),
        .testTarget(
            name: "CompareTests",
            dependencies: ["Compare", "TestSupport", .product(name: "PropertyBased", package: "swift-property-based")]
        ),
        .testTarget(name: "ReportsTests", dependencies: ["Reports", "TestSupport"]),
        // End to end through the built binary.
        .testTarget(name: "PareCLITests", dependencies: ["pare", "UsageStore", "TestSupport"], exclude: ["Golden"]),
    ],
    swiftLanguageModes: [.v6]
)
