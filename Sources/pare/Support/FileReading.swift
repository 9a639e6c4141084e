import Foundation

/// Why a file cannot be read; ``message`` is ``cannot read `FILE`: REASON``.
struct UnreadableFile: Error {
    var path: String
    /// `no such file`, `is a directory`, `permission denied`.
    var reason: String

    var message: String { "cannot read `\(path)`: \(reason)" }
}

/// The bytes of a policy file (`validate`, `simulate`), or why it cannot be read.
func readPolicyFile(_ path: String) throws(UnreadableFile) -> [UInt8] {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
        throw UnreadableFile(path: path, reason: "no such file")
    }
    if isDirectory.boolValue { throw UnreadableFile(path: path, reason: "is a directory") }
    // `contents(atPath:)` reads regular files; a device or pipe (`/dev/null`, `<(…)`) is read to its end.
    guard
        let data = FileManager.default.contents(atPath: path)
            ?? FileHandle(forReadingAtPath: path).flatMap({ try? $0.readToEnd() ?? Data() })
    else {
        throw UnreadableFile(
            path: path, reason: FileManager.default.isReadableFile(atPath: path) ? "read failed" : "permission denied")
    }
    return [UInt8](data)
}
