import Foundation

/// Why a file cannot be read; ``message`` is ``cannot read `FILE`: REASON``.
struct UnreadableFile: Error {
    var path: String
    /// `no such file`, `is a directory`, `permission denied`.
    var reason: String

    var message: String { "cannot read `\(path)`: \(reason)" }
}

/// The bytes of a policy file (`validate`, `simulate`), or why it cannot be read.
/// The most read from a device or pipe given as a policy file (`/dev/zero` never ends).
let policyFileLimit = 64 << 20

func readPolicyFile(_ path: String) throws(UnreadableFile) -> [UInt8] {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
        throw UnreadableFile(path: path, reason: "no such file")
    }
    if isDirectory.boolValue { throw UnreadableFile(path: path, reason: "is a directory") }
    // `contents(atPath:)` reads regular files; a device or pipe (`/dev/null`, `<(…)`) is read to its end, up
    // to a bound (`/dev/zero` has none).
    if let data = FileManager.default.contents(atPath: path) { return [UInt8](data) }
    let limit = policyFileLimit
    guard let data = FileHandle(forReadingAtPath: path).flatMap({ try? $0.read(upToCount: limit + 1) ?? Data() })
    else {
        throw UnreadableFile(
            path: path, reason: FileManager.default.isReadableFile(atPath: path) ? "read failed" : "permission denied")
    }
    if data.count > limit { throw UnreadableFile(path: path, reason: "more than \(limit >> 20) MiB from a stream") }
    return [UInt8](data)
}
