import Foundation
import Testing

/// Compares `actual` with the golden file at `file`; with `RECORD_SNAPSHOTS=1` it (re)writes the file.
func assertGolden(_ actual: String, file: URL, sourceLocation: SourceLocation = #_sourceLocation) throws {
    if ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1" {
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(actual.utf8).write(to: file)
        return
    }
    let expected = try String(contentsOf: file, encoding: .utf8)
    #expect(
        actual == expected, "differs from \(file.lastPathComponent); re-record with RECORD_SNAPSHOTS=1",
        sourceLocation: sourceLocation)
}

/// The golden files of this test target.
func goldenFile(_ name: String) -> URL {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden").appendingPathComponent(
        name)
}
