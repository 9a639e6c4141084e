import Foundation
import TestSupport
import Testing

/// `pare policy` through real ingestion: the sibling of the synthesis trap test
/// `thousandsOfObjectKeysBecomeAFewPrefixes`, with the resources as the usage store keeps them.
@Suite struct PolicyFromIngestTests {
    static func event(_ name: String, _ time: String, _ parameters: String) -> String {
        #"{"eventVersion":"1.08","userIdentity":{"type":"AssumedRole","arn":"arn:aws:sts::111122223333:assumed-role/app/s","accountId":"111122223333","sessionContext":{"sessionIssuer":{"type":"Role","arn":"arn:aws:iam::111122223333:role/app","accountId":"111122223333"}}},"eventTime":"\#(time)","eventSource":"s3.amazonaws.com","eventName":"\#(name)","awsRegion":"us-east-1","requestParameters":\#(parameters),"eventType":"AwsApiCall","eventCategory":"Data","recipientAccountId":"111122223333"}"#
    }

    /// A role read 2,500 report objects (30 day folders) and 500 exports, over three days of gzip logs in
    /// the S3 layout: the store folds them into their folders and the policy names those folders.
    @Test func thousandsOfObjectKeysThroughIngestBecomeAFewPrefixes() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        var records: [[String]] = [[], [], []]
        for i in 1...2_500 {
            records[i % 3].append(
                Self.event(
                    "GetObject", "2026-11-0\(i % 3 + 1)T10:00:00Z",
                    #"{"bucketName":"data","key":"reports/2023/07/\#(i % 30 + 1)/part-\#(i).csv"}"#))
        }
        for i in 1...500 {
            records[1].append(
                Self.event(
                    "GetObject", "2026-11-02T11:00:00Z", #"{"bucketName":"data","key":"exports/daily/\#(i).json"}"#))
        }
        records[2].append(
            Self.event("ListObjectsV2", "2026-11-03T12:00:00Z", #"{"bucketName":"data","prefix":"exports/"}"#))
        for day in 0..<3 {
            let folder = dir.file("AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/0\(day + 1)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let file = folder.appendingPathComponent(
                "111122223333_CloudTrail_us-east-1_2026110\(day + 1)T2355Z_abc.json.gz")
            try Data((#"{"Records":["# + records[day].joined(separator: ",") + "]}").utf8).write(to: file)
            try gzipInPlace(file)
        }
        let report = dir.file("report.json")
        let run = try Pare.run([
            "policy", "--principal", "app", "--logs", dir.file("AWSLogs").path, "--as-of", "2026-11-04", "--days", "3",
            "--explain", "--report", report.path,
        ])
        #expect(run.status == 0)
        #expect(
            run.stdout == """
                {
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Sid": "S3Read",
                            "Effect": "Allow",
                            "Action": "s3:GetObject",
                            "Resource": [
                                "arn:aws:s3:::data/exports/daily/*",
                                "arn:aws:s3:::data/reports/2023/07/*"
                            ]
                        },
                        {
                            "Sid": "S3List",
                            "Effect": "Allow",
                            "Action": "s3:ListBucket",
                            "Resource": "arn:aws:s3:::data"
                        }
                    ]
                }

                """)
        let lines = run.stderr.split(separator: "\n").map(String.init)
        let start = try #require(lines.firstIndex { $0.hasPrefix("  s3:GetObject  ") })
        #expect(
            Array(lines[start...].prefix(5)) == [
                "  s3:GetObject  3000×  2026-11-01T10:00:00Z – 2026-11-03T10:00:00Z  included, generalized",
                "    event s3.amazonaws.com GetObject  3000×",
                "    seen under arn:aws:s3:::data/exports/daily/* (folded by the store)",
                "    seen under arn:aws:s3:::data/reports/2023/07/* (folded by the store)",
                "    more than 32 distinct resources seen: the store folded 2 prefixes of `object` resources; generalized"
                    + " to `arn:aws:s3:::data/exports/daily/*`, `arn:aws:s3:::data/reports/2023/07/*`",
            ])
        #expect(run.stderr.contains("  replay        3/3 observed calls allowed\n"))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: report)) as? [String: Any])
        let actions = try #require(json["actions"] as? [[String: Any]])
        #expect(
            actions.first?["observedFolded"] as? [String] == [
                "arn:aws:s3:::data/exports/daily/*", "arn:aws:s3:::data/reports/2023/07/*",
            ])
    }
}
