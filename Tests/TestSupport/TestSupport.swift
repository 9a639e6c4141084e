import Foundation

/// Locations inside the source checkout, for tests.
public enum Repository {
    /// The checkout's root folder (the one holding `Package.swift`).
    public static let root: URL = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }  // Tests/TestSupport/TestSupport.swift
        return url
    }()

    /// A file or folder under `Fixtures/`.
    public static func fixture(_ relativePath: String) -> URL {
        root.appendingPathComponent("Fixtures").appendingPathComponent(relativePath)
    }

    /// The bundled `ActionCatalog/` folder.
    public static var actionCatalog: URL { root.appendingPathComponent("ActionCatalog") }
}

/// Decompresses a gzip file with the system `gzip` (an independent reference for tests of pare's own
/// zlib reader).
public func gunzip(_ url: URL) throws -> Data {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["gzip", "-dc", url.path]
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return data
}

/// Compresses `url` in place with the system `gzip` (as CloudTrail delivers logs to S3).
public func gzipInPlace(_ url: URL) throws {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["gzip", "-n", "-f", url.path]
    try process.run()
    process.waitUntilExit()
    try FileManager.default.moveItem(atPath: url.path + ".gz", toPath: url.path)
}

/// A fresh temporary folder, removed by the caller with `remove()`.
public struct TemporaryDirectory: Sendable {
    public let url: URL

    public init() throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("pare-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    public func file(_ name: String) -> URL { url.appendingPathComponent(name) }

    public func remove() { try? FileManager.default.removeItem(at: url) }
}

/// What one run of the built `pare` binary did.
public struct PareRun: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String
}

/// Runs the `pare` executable built next to the test bundle (or `PARE_BINARY` when set).
public enum Pare {
    public static var binary: URL {
        if let path = ProcessInfo.processInfo.environment["PARE_BINARY"] {
            return URL(fileURLWithPath: path)
        }
        // Linux: the test runner lives in the products folder; macOS: inside a bundle in it.
        var dir = Bundle.main.bundleURL.deletingLastPathComponent()
        if !FileManager.default.fileExists(atPath: dir.appendingPathComponent("pare").path) {
            dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        }
        return dir.appendingPathComponent("pare")
    }

    /// Runs `pare` with `arguments`, feeding `stdin` when given; the working directory is `directory`
    /// or the repository root. Unless `environment` sets `PARE_STORE`, it points to a file that does not
    /// exist, so that neither the developer's own `PARE_STORE` nor a `pare.sqlite` left in the checkout
    /// leaks into a test.
    public static func run(
        _ arguments: [String], stdin: Data? = nil, directory: URL? = nil,
        environment: [String: String] = [:]
    ) throws -> PareRun {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = directory ?? Repository.root
        var env = ProcessInfo.processInfo.environment
        env["PARE_STORE"] =
            FileManager.default.temporaryDirectory
            .appendingPathComponent("pare-test-no-store-\(UUID().uuidString).sqlite").path
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let out = Pipe()
        let err = Pipe()
        let input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(stdin) }
        try input.fileHandleForWriting.close()
        // Read both pipes concurrently so that a large output cannot block the child.
        nonisolated(unsafe) var errData = Data()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            errData = err.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return PareRun(
            status: process.terminationStatus,
            stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self)
        )
    }
}

/// A small deterministic generator for tests (SplitMix64): a failure repeats.
public struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
