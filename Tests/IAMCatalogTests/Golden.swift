import Foundation
import Testing

/// The golden files of this test target.
func goldenFile(_ name: String) -> URL {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden").appendingPathComponent(
        name)
}
