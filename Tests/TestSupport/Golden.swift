import Foundation
import Testing

/// Compares `actual` with the golden file `file`; with `RECORD_SNAPSHOTS=1` in the environment it
/// (re)writes the file instead and records nothing. A missing golden file is an issue, never a pass.
public func assertGolden(_ actual: String, file: URL, sourceLocation: SourceLocation = #_sourceLocation) {
    if ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1" {
        do {
            try FileManager.default.createDirectory(
                at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try actual.write(to: file, atomically: true, encoding: .utf8)
        } catch {
            Issue.record("cannot write golden file `\(file.path)`: \(error)", sourceLocation: sourceLocation)
        }
        return
    }
    guard let expected = try? String(contentsOf: file, encoding: .utf8) else {
        Issue.record(
            "no golden file `\(file.path)`; record it with RECORD_SNAPSHOTS=1", sourceLocation: sourceLocation)
        return
    }
    if actual != expected {
        let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
        let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let line = (0..<min(a.count, e.count)).first { a[$0] != e[$0] } ?? min(a.count, e.count)
        let got = line < a.count ? String(a[line]) : "<end>"
        let want = line < e.count ? String(e[line]) : "<end>"
        Issue.record(
            "differs from `\(file.lastPathComponent)` at line \(line + 1): got `\(got)`, expected `\(want)`",
            sourceLocation: sourceLocation)
    }
}
