import CloudTrail
import Foundation
import TestSupport
import Testing

@Suite struct LogReaderTests {
    static let fixtureFiles: [String] = {
        let result = LogDiscovery().discover([Repository.fixture("cloudtrail").path])
        return result.files.map(\.path)
    }()

    @Test func discoversEveryFixtureLogAndNoReadme() {
        #expect(Self.fixtureFiles.count == 55 + 35 + 1)
        #expect(Self.fixtureFiles.allSatisfy { !$0.hasSuffix(".md") })
    }

    /// Every real record comes out with the same fields as Foundation's JSON parser gives.
    @Test(arguments: fixtureFiles)
    func matchesReferenceParser(path: String) throws {
        let (records, summary) = readAll(path)
        let reference = try referenceRecords(path)
        #expect(records == reference)
        #expect(summary.records == reference.count)
        #expect(summary.skipped == 0)
        #expect(summary.diagnostics == [])
    }

    @Test func readsRealRecordsOfAllThreeShapes() {
        let total = Self.fixtureFiles.reduce(0) { $0 + readAll($1).1.records }
        #expect(total == 2_900 + 310 + 103)
    }

    @Test func readsJSONLinesWithTimestampFallback() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let line =
            #"{"@timestamp":"2020-09-14T00:44:23.000Z","eventSource":"s3.amazonaws.com","eventName":"GetObject"}"#
        let path = try write(Array((line + "\n\n" + event("PutObject") + "\n").utf8), "l.json", in: dir)
        let (records, summary) = readAll(path)
        #expect(
            records == [
                Seen(
                    time: "2020-09-14T00:44:23Z", source: "s3.amazonaws.com", name: "GetObject", identity: "-",
                    error: "-"),
                seen("PutObject"),
            ])
        #expect(summary.records == 2)
    }

    /// `managementEvent` as written: `true` and `false` (read in one compare), with whitespace, `null`,
    /// and values that only start like a literal.
    @Test(arguments: [
        ("true", "true", []), ("false", "false", []), (" true", "true", []), (" false ", "false", []),
        ("null", "nil", []),
        ("truex", "-", ["cannot read `m.json`: record 1: `managementEvent`: expected `true` or `false`"]),
        ("falsey", "-", ["cannot read `m.json`: record 1: `managementEvent`: expected `true` or `false`"]),
    ])
    func readsManagementEvent(_ value: String, _ expected: String, _ diagnostics: [String]) throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let text = #"{"Records":["# + event("A", extra: #","managementEvent":"# + value) + "]}"
        var read = "-"
        let summary = LogReader().read(path: try write(Array(text.utf8), "m.json", in: dir), name: "m.json") { r in
            read = r.managementEvent.map { "\($0)" } ?? "nil"
        }
        #expect(read == expected)
        #expect(summary.diagnostics.map(\.description) == diagnostics)
    }

    @Test func readsLookupEventsOutput() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        func quoted(_ s: String) -> String {
            "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
        }
        let text =
            #"{"Events":[{"EventId":"1","EventName":"GetObject","CloudTrailEvent":\#(quoted(event("GetObject")))},"#
            + #"{"EventId":"2","CloudTrailEvent":\#(quoted(event("PutObject")))}],"NextToken":"abc"}"#
        let (records, summary) = readAll(try write(Array(text.utf8), "lookup.json", in: dir))
        #expect(records == [seen("GetObject"), seen("PutObject")])
        #expect(summary.diagnostics == [])
    }

    @Test func readsEventBridgeEnvelopes() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let text =
            #"{"version":"0","detail-type":"AWS API Call via CloudTrail","source":"aws.s3","detail":\#(event("GetObject"))}"#
        let (records, _) = readAll(try write(Array((text + "\n" + text + "\n").utf8), "eb.jsonl", in: dir))
        #expect(records == [seen("GetObject"), seen("GetObject")])
    }

    @Test func decodesEscapesAndReadsNestedFields() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let text =
            #"{"Records":[{"eventTime":"2026-11-01T10:00:00Z","eventSource":"s3.amazonaws.com","eventName":"Get\u004fbject","#
            + #""userIdentity":{"type":"AssumedRole","arn":"arn:aws:sts::1:assumed-role/r\/x/s","sessionContext":{"sessionIssuer":{"type":"Role","arn":"arn:aws:iam::1:role/p/r"}}},"#
            + #""userAgent":"agent \\\"quoted\\\" and a long tail \\","#
            + #""requestParameters":{"bucketName":"b","key":"caf\u00e9 \"q\"","prefix":"dir\\","#
            + #""description":"a longer value that ends in an escaped backslash \\","iamInstanceProfile":{"arn":"x"}},"#
            + #""resources":[{"ARN":"arn:aws:s3:::b"},{"type":"x"}],"errorCode":null,"managementEvent":false}]}"#
        let reader = LogReader()
        var fields: [String] = []
        _ = reader.read(path: try write(Array(text.utf8), "e.json", in: dir), name: "e.json") { r in
            fields = [
                r.eventName?.string ?? "-", r.identityArn?.string ?? "-", r.issuerArn?.string ?? "-",
                r.issuerType?.string ?? "-", r.parameter("key")?.string ?? "-", r.parameter("prefix")?.string ?? "-",
                r.parameter("description")?.string ?? "-", r.resources.map(\.string).joined(),
                "\(r.hasParameter("iamInstanceProfile"))", "\(r.hasParameter("instanceProfile"))",
                "\(r.errorCode == nil)", "\(r.managementEvent ?? true)",
            ]
        }
        #expect(
            fields == [
                "GetObject", "arn:aws:sts::1:assumed-role/r/x/s", "arn:aws:iam::1:role/p/r", "Role", "café \"q\"",
                "dir\\", "a longer value that ends in an escaped backslash \\",
                "arn:aws:s3:::b", "true", "false", "true", "false",
            ])
    }

    /// A regression: `"ARN": null` in `resources` and `"sessionIssuer": null` were read, then skipped again
    /// at the `,` after them: the record was lost with "expected a JSON value".
    @Test func readsNullResourceARNsAndSessionIssuers() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let text =
            #"{"Records":[{"eventTime":"2026-11-01T10:00:00Z","eventSource":"kms.amazonaws.com","eventName":"Decrypt","#
            + #""userIdentity":{"type":"AssumedRole","arn":"arn:aws:sts::1:assumed-role/r/s","#
            + #""sessionContext":{"sessionIssuer":null,"attributes":{}}},"#
            + #""resources":[{"ARN":null,"type":"AWS::KMS::Key"},{"ARN":"arn:aws:kms:us-east-1:1:key/k","type":"x"}]}]}"#
        var fields: [String] = []
        let summary = LogReader().read(path: try write(Array(text.utf8), "e.json", in: dir), name: "e.json") { r in
            fields = [r.eventName?.string ?? "-", r.issuerArn?.string ?? "-", r.resources.map(\.string).joined()]
        }
        #expect(fields == ["Decrypt", "-", "arn:aws:kms:us-east-1:1:key/k"])
        #expect(summary.diagnostics == [])
        #expect(summary.records == 1)
    }

    /// A regression: `null` counted as present, and dot-separated paths (`overrides.taskRoleArn`, a
    /// `when` parameter of `ecs:RunTask`) never matched. Another: an empty object, array or string
    /// (`"iamInstanceProfile": {}`) counted as present, so as passing a role.
    @Test func hasParameterSkipsNullAndEmptyValuesAndFollowsDotPaths() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let text =
            #"{"Records":[{"eventTime":"2026-11-01T10:00:00Z","eventSource":"ecs.amazonaws.com","eventName":"RunTask","#
            + #""requestParameters":{"iamInstanceProfile":null,"versionId" : "3","overrides":{"cpu":{"a":[1,"}"]},"#
            + #""empty":{},"x":null,"roleArn":"","volumes":[ ],"taskRoleArn" :"arn:aws:iam::1:role/t"},"#
            + #""list":[{"a":1}],"tags":{"b":{"c":false}},"instanceProfile":{ },"groups":[],"name":"","#
            + #""profile":{"arn":""}}}]}"#
        let paths = [
            "iamInstanceProfile", "versionId", "overrides", "overrides.taskRoleArn", "overrides.x", "overrides.cpu.a",
            "overrides.empty.a", "overrides.missing", "list.a", "tags.b.c", "tags.b", "tags.c", "taskRoleArn",
            "overrides.taskRoleArn.x", "", ".", "overrides.empty", "overrides.roleArn", "overrides.volumes", "list",
            "instanceProfile", "groups", "name", "profile", "profile.arn",
        ]
        var answers: [String] = []
        _ = LogReader().read(path: try write(Array(text.utf8), "e.json", in: dir), name: "e.json") { r in
            answers = paths.filter { r.hasParameter($0) }
        }
        #expect(
            answers == [
                "versionId", "overrides", "overrides.taskRoleArn", "overrides.cpu.a", "tags.b.c", "tags.b", "list",
                "profile",
            ])
    }

    /// gzip as `gzip` writes it without `-n` (the file name and time in the header) is read too.
    @Test func readsGzipWithANameInItsHeader() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = try write(Array(event("A").utf8), "named.json", in: dir)
        try run("/bin/gzip", ["-f", path])
        let (records, summary) = readAll(path + ".gz")
        #expect(records == [seen("A")])
        #expect(summary.diagnostics == [])
    }

    @Test func readsConcatenatedGzipMembers() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let a = try Data(contentsOf: URL(fileURLWithPath: try write(Array(event("A").utf8), "a", in: dir, gzip: true)))
        let b = try Data(contentsOf: URL(fileURLWithPath: try write(Array(event("B").utf8), "b", in: dir, gzip: true)))
        let (records, summary) = readAll(try write(Array(a + b), "ab.json.gz", in: dir))
        #expect(records == [seen("A"), seen("B")])
        #expect(summary.diagnostics == [])
    }
}
