import CloudTrail
import Foundation
import TestSupport
import Testing
import Timestamps

@Suite struct LogDiscoveryTests {
    /// An S3 tree of an organization trail and an account trail, with digests and a README.
    func tree() throws -> TemporaryDirectory {
        let dir = try TemporaryDirectory()
        let files = [
            "AWSLogs/o-abc/111122223333/CloudTrail/us-east-1/2026/10/30/111122223333_CloudTrail_us-east-1_20261030T2355Z_a.json.gz",
            "AWSLogs/o-abc/111122223333/CloudTrail/us-east-1/2026/10/31/111122223333_CloudTrail_us-east-1_20261031T0005Z_b.json.gz",
            "AWSLogs/o-abc/111122223333/CloudTrail/us-east-1/2026/11/02/111122223333_CloudTrail_us-east-1_20261102T0005Z_c.json.gz",
            "AWSLogs/o-abc/111122223333/CloudTrail/us-east-1/2026/11/04/111122223333_CloudTrail_us-east-1_20261104T0005Z_d.json.gz",
            "AWSLogs/o-abc/111122223333/CloudTrail-Digest/us-east-1/2026/11/02/111122223333_CloudTrail-Digest_us-east-1_x_20261102T0005Z.json.gz",
            "AWSLogs/444455556666/CloudTrail/eu-west-1/2025/12/31/444455556666_CloudTrail_eu-west-1_20251231T2355Z_e.json.gz",
            "AWSLogs/444455556666/CloudTrail/eu-west-1/2026/11/01/444455556666_CloudTrail_eu-west-1_20261101T1200Z_f.json.gz",
            "AWSLogs/444455556666/CloudTrail/eu-west-1/2026/11/01/README.md",
            "AWSLogs/444455556666/CloudTrail/eu-west-1/2026/11/01/export.jsonl",
        ]
        for file in files {
            let url = dir.file(file)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data("{}".utf8).write(to: url)
        }
        return dir
    }

    func relative(_ result: LogDiscovery.Result, _ dir: TemporaryDirectory) -> [String] {
        result.files.map {
            String($0.path.dropFirst(dir.url.path.count + 1)).split(separator: "/").last.map(String.init) ?? ""
        }
    }

    @Test func findsLogsInDeterministicOrderAndSkipsDigests() throws {
        let dir = try tree()
        defer { dir.remove() }
        let result = LogDiscovery().discover([dir.url.path])
        #expect(
            relative(result, dir) == [
                "444455556666_CloudTrail_eu-west-1_20251231T2355Z_e.json.gz",
                "444455556666_CloudTrail_eu-west-1_20261101T1200Z_f.json.gz", "export.jsonl",
                "111122223333_CloudTrail_us-east-1_20261030T2355Z_a.json.gz",
                "111122223333_CloudTrail_us-east-1_20261031T0005Z_b.json.gz",
                "111122223333_CloudTrail_us-east-1_20261102T0005Z_c.json.gz",
                "111122223333_CloudTrail_us-east-1_20261104T0005Z_d.json.gz",
            ])
        #expect(result.pruned == 0)
    }

    @Test func prunesFoldersAndFileNamesOutsideTheWindow() throws {
        let dir = try tree()
        defer { dir.remove() }
        let since = try #require(Timestamp.parse("2026-10-31T00:00:00Z"))
        let until = try #require(Timestamp.parse("2026-11-02T00:00:00Z"))
        let result = LogDiscovery(since: since, until: until).discover([dir.url.path])
        // 2025 (year folder), 10/30 (day folder), 11/04 (day folder) are pruned; 11/02 is within the
        // delivery delay after the window's end and is kept.
        #expect(
            relative(result, dir) == [
                "444455556666_CloudTrail_eu-west-1_20261101T1200Z_f.json.gz", "export.jsonl",
                "111122223333_CloudTrail_us-east-1_20261031T0005Z_b.json.gz",
                "111122223333_CloudTrail_us-east-1_20261102T0005Z_c.json.gz",
            ])
        #expect(result.pruned == 3)
    }

    @Test func prunesByFileNameOutsideDateFolders() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        for name in [
            "1_CloudTrail_us-east-1_20261001T0000Z_a.json.gz", "1_CloudTrail_us-east-1_20261101T0100Z_b.json.gz",
        ] {
            try Data("{}".utf8).write(to: dir.file(name))
        }
        let since = try #require(Timestamp.parse("2026-11-01"))
        let result = LogDiscovery(since: since).discover([dir.url.path])
        #expect(result.files.map(\.name) == ["1_CloudTrail_us-east-1_20261101T0100Z_b.json.gz"])
        #expect(result.pruned == 1)
    }

    @Test func reportsMissingPaths() {
        let result = LogDiscovery().discover(["/nonexistent/pare"])
        #expect(result.diagnostics.map(\.description) == ["cannot read `/nonexistent/pare`: no such file or directory"])
    }
}
