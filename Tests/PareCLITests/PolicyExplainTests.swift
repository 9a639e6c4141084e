import Foundation
import TestSupport
import Testing

/// `pare policy --explain` and `--report` give, per action, the CloudTrail events that justified it.
@Suite struct PolicyExplainTests {
    static let demoLogs = ["--logs", "Fixtures/demo/AWSLogs", "--as-of", "2023-07-11"]

    /// The demo's `bert-jan` used `iam:PassRole` through five events (`RunInstances` with an instance
    /// profile, Lambda's `CreateFunction`, `CreateFlowLogs` with `DeliverLogsPermissionArn`, IAM
    /// `AddRoleToInstanceProfile`, Roles Anywhere `CreateProfile` with `roleArns`), and
    /// `s3:PutLifecycleConfiguration` through two S3 events.
    @Test func anActionJustifiedByTwoEventsListsBoth() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let report = dir.file("report.json")
        let run = try Pare.run(
            ["policy", "--principal", "bert-jan", "--explain", "--report", report.path] + Self.demoLogs)
        #expect(run.status == 0)
        let lines = run.stderr.split(separator: "\n").map(String.init)
        let passRole = try #require(lines.firstIndex { $0.hasPrefix("  iam:PassRole  ") })
        #expect(
            Array(lines[passRole...].prefix(3)) == [
                "  iam:PassRole  17×  2023-07-10T11:55:11Z – 2023-07-10T12:27:13Z  included, observed",
                "    event ec2.amazonaws.com CreateFlowLogs  1×",
                "    event ec2.amazonaws.com RunInstances  6×",
            ])
        let lifecycle = try #require(lines.firstIndex { $0.hasPrefix("  s3:PutLifecycleConfiguration  ") })
        #expect(
            Array(lines[(lifecycle + 1)...].prefix(2)) == [
                "    event s3.amazonaws.com DeleteBucketLifecycle  1×",
                "    event s3.amazonaws.com PutBucketLifecycle  1×",
            ])
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: report)) as? [String: Any])
        let actions = try #require(json["actions"] as? [[String: Any]])
        let action = try #require(actions.first { $0["action"] as? String == "iam:PassRole" })
        let events = try #require(action["events"] as? [[String: Any]])
        #expect(
            events.map { "\($0["eventSource"] ?? "") \($0["eventName"] ?? "") \($0["count"] ?? "")" } == [
                "ec2.amazonaws.com CreateFlowLogs 1", "ec2.amazonaws.com RunInstances 6",
                "iam.amazonaws.com AddRoleToInstanceProfile 3", "lambda.amazonaws.com CreateFunction20150331 6",
                "rolesanywhere.amazonaws.com CreateProfile 1",
            ])
        #expect(action["eventsNotRecorded"] as? Int == 0)
    }

    /// A store of schema v1 migrates on open; its usage has no recorded events and explain says so instead
    /// of inventing them. Usage ingested afterwards records its events next to the old counts, and the
    /// policy from the migrated store is the one the logs give.
    @Test func aMigratedV1StoreSaysItsEventsAreNotRecorded() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = dir.file("v1.sqlite").path
        try FileManager.default.copyItem(atPath: Repository.fixture("stores/demo-v1.sqlite").path, toPath: store)
        let arguments = [
            "policy", "--principal", "benjamin", "--store", store, "--as-of", "2023-07-11", "--explain",
            "--authorization-details", "Fixtures/demo/authorization-details.json",
        ]
        let before = try Pare.run(arguments)
        #expect(before.status == 0)
        let golden = Repository.root.appendingPathComponent("Tests/PareCLITests/Golden/policy/benjamin.json")
        #expect(before.stdout == (try String(contentsOf: golden, encoding: .utf8)))
        #expect(
            explained("s3:GetBucketAcl", in: before.stderr) == [
                "  s3:GetBucketAcl  16×  2023-07-10T11:42:24Z – 2023-07-10T11:43:17Z  included, observed",
                "    events not recorded for 16× (ingested before store v2)",
                "    seen on arn:aws:s3:::baker221b-bucketsevidenceeeedc25d-1q9cl0tuy4gbm",
            ])
        #expect(!before.stderr.contains("    event "))

        let event =
            #"{"eventVersion":"1.08","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::123837392027:user/benjamin","accountId":"123837392027","userName":"benjamin"},"eventTime":"2023-07-10T13:00:00Z","eventSource":"s3.amazonaws.com","eventName":"GetBucketAcl","awsRegion":"us-east-1","requestParameters":{"bucketName":"config-bucket-123837392027","acl":""},"eventType":"AwsApiCall","recipientAccountId":"123837392027"}"#
        try Data(#"{"Records":[\#(event)]}"#.utf8).write(to: dir.file("new.json"))
        let ingest = try Pare.run(["ingest", dir.file("new.json").path, "--store", store, "--quiet"])
        #expect(ingest.status == 0)
        let after = try Pare.run(arguments)
        #expect(after.status == 0)
        #expect(
            explained("s3:GetBucketAcl", in: after.stderr) == [
                "  s3:GetBucketAcl  17×  2023-07-10T11:42:24Z – 2023-07-10T13:00:00Z  included, observed",
                "    event s3.amazonaws.com GetBucketAcl  1×",
                "    events not recorded for 16× (ingested before store v2)",
            ])
    }

    /// The explain line of `action` and the two lines after it.
    private func explained(_ action: String, in text: String) -> [String] {
        let lines = text.split(separator: "\n").map(String.init)
        guard let start = lines.firstIndex(where: { $0.hasPrefix("  \(action)  ") }) else { return [] }
        return Array(lines[start...].prefix(3))
    }
}
