import CloudTrail
import Foundation
import Ingest
import Synchronization
import TestSupport
import Testing
import Timestamps
import UsageStore

@Suite struct IngestionTests {
    let all = StoreWindow(start: 0, end: 4_000_000_000)

    func ingest(_ paths: [String], into store: UsageStore, reingest: Bool = false, jobs: Int = 2) throws
        -> Ingestion.Summary
    {
        try Ingestion.run(
            Ingestion.Options(paths: paths, jobs: jobs, reingest: reingest), store: store, resolver: TableResolver())
    }

    /// Every record of the real logs is accounted for, and each principal gets exactly the events a
    /// reference attribution (Foundation's JSON parser and the DESIGN.md table) gives it.
    @Test func realLogsEveryRecordAccountedFor() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try UsageStore(path: dir.file("s.sqlite").path)
        let summary = try ingest([Repository.fixture("cloudtrail").path], into: store)
        let c = summary.counts
        #expect(summary.records == 3_313)
        #expect(summary.diagnostics == [])
        #expect(c.skipped == 0)
        #expect(c.events + c.outsideWindow + c.skipped == summary.records)
        #expect(c.used + c.denied + c.noPermission + c.awsService + c.unresolved + c.unattributed == c.events)
        #expect(summary.filesIngested == 91)

        let reference = try ReferenceAttribution.events(under: Repository.fixture("cloudtrail"))
        #expect(c.awsService == reference.awsService)
        #expect(c.unattributed == reference.unattributed)
        let stored = Dictionary(uniqueKeysWithValues: try store.principals().map { ($0.arn, $0.events) })
        #expect(stored == reference.perPrincipal)
        #expect(try store.totals().events == 3_313)
    }

    /// Progress counts the files read and their events, never going back, and ends with all of them.
    @Test func progressReachesEveryFileAndEvent() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try UsageStore(path: dir.file("s.sqlite").path)
        let reports = Mutex<[Ingestion.Progress]>([])
        let summary = try Ingestion.run(
            Ingestion.Options(paths: [Repository.fixture("cloudtrail").path], jobs: 2), store: store,
            resolver: TableResolver()
        ) { p in reports.withLock { $0.append(p) } }
        let seen = reports.withLock { $0 }
        #expect(!seen.isEmpty)
        #expect(zip(seen, seen.dropFirst()).allSatisfy { $0.filesDone <= $1.filesDone && $0.events <= $1.events })
        #expect(seen.allSatisfy { $0.files == 91 })
        #expect(seen.last?.filesDone == 91)
        #expect(seen.last?.events == summary.counts.events)
    }

    @Test func ingestingTheSameTreeTwiceLeavesTheStoreUnchanged() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try UsageStore(path: dir.file("s.sqlite").path)
        let logs = Repository.fixture("cloudtrail/stratus-red-team-detonation-logs").path
        _ = try ingest([logs], into: store)
        let first = try store.dump()
        let again = try ingest([logs], into: store)
        #expect(again.filesAlreadyIngested == 35)
        #expect(again.filesIngested == 0)
        #expect(try store.dump() == first)
        let forced = try ingest([logs], into: store, reingest: true)
        #expect(forced.filesIngested == 35)
        #expect(try store.dump() == first)
    }

    @Test func storeContentDoesNotDependOnThreadsOrOrder() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let logs = Repository.fixture("cloudtrail/invictus-ir-aws-dataset").path
        let one = try UsageStore(path: dir.file("one.sqlite").path)
        _ = try ingest([logs], into: one, jobs: 1)
        let two = try UsageStore(path: dir.file("two.sqlite").path)
        _ = try ingest([logs], into: two, jobs: 2)
        #expect(try one.dump() == two.dump())
    }

    @Test func deniedAttemptsAreKeptApartAndLaterFailuresCountAsUsed() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let logs = try writeLogs(
            [
                "a.json": [
                    Event(name: "GetObject", time: "2026-11-01T10:00:00Z", error: "AccessDenied"),
                    Event(name: "GetObject", time: "2026-11-01T11:00:00Z", error: "NoSuchKey"),
                    Event(name: "GetObject", time: "2026-11-01T09:00:00Z"),
                    Event(
                        name: "DescribeInstances", source: "ec2.amazonaws.com", error: "Client.UnauthorizedOperation"),
                    Event(name: "Decrypt", source: "kms.amazonaws.com", error: "AccessDeniedException"),
                    Event(name: "ListUsers", source: "iam.amazonaws.com", error: "UnauthorizedAccess"),
                    Event(name: "GetCallerIdentity", source: "sts.amazonaws.com"),
                    Event(name: "Ping", source: "example.amazonaws.com"),
                ]
            ], in: dir)
        let store = try UsageStore(path: dir.file("s.sqlite").path)
        let summary = try ingest([logs], into: store)
        #expect(summary.counts.used == 2)
        #expect(summary.counts.denied == 4)
        #expect(summary.counts.noPermission == 1)
        #expect(summary.counts.unresolved == 1)
        let alice = "arn:aws:iam::111122223333:user/alice"
        let t = { (s: String) in Timestamp.parse(s) ?? 0 }
        #expect(
            try store.usage(principal: alice, window: all) == [
                ActionUsage(
                    action: "s3:GetObject", count: 2, firstSeen: t("2026-11-01T09:00:00Z"),
                    lastSeen: t("2026-11-01T11:00:00Z"))
            ])
        #expect(
            try store.denied(principal: alice, window: all).map(\.action) == [
                "ec2:DescribeInstances", "iam:ListUsers", "kms:Decrypt", "s3:GetObject",
            ])
        #expect(
            try store.unresolved(window: all) == [
                UnresolvedUsage(
                    eventSource: "example.amazonaws.com", eventName: "Ping", count: 1,
                    firstSeen: t("2026-11-01T10:00:00Z"), lastSeen: t("2026-11-01T10:00:00Z"))
            ])
    }

    @Test func attributionFollowsTheDesignTable() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let identities = [
            Event.role("service-role/app-role"),
            Event.role("aws-reserved/sso.amazonaws.com/AWSReservedSSO_ReadOnly_0123abcd"),
            #"{"type":"AssumedRole","arn":"arn:aws:sts::111122223333:assumed-role/legacy/s","accountId":"111122223333"}"#,
            #"{"type":"Root","arn":"arn:aws:iam::111122223333:root","accountId":"111122223333"}"#,
            #"{"type":"FederatedUser","arn":"arn:aws:sts::111122223333:federated-user/bob","accountId":"111122223333","sessionContext":{"sessionIssuer":{"type":"IAMUser","arn":"arn:aws:iam::111122223333:user/bob"}}}"#,
            #"{"type":"AWSAccount","accountId":"444455556666","principalId":"AIDAEXAMPLE"}"#,
            #"{"type":"IdentityCenterUser","accountId":"111122223333","onBehalfOf":{"userId":"u-1"}}"#,
            #"{"type":"AWSService","invokedBy":"ec2.amazonaws.com"}"#,
        ]
        let events = identities.map { Event(identity: $0) } + [Event(identity: "null", eventType: "AwsServiceEvent")]
        let logs = try writeLogs(["a.json": events], in: dir)
        let store = try UsageStore(path: dir.file("s.sqlite").path)
        let summary = try ingest([logs], into: store)
        #expect(summary.counts.awsService == 2)
        let principals = try store.principals().map { "\($0.arn) \($0.type) \($0.flagged ? "flagged" : "")" }
        #expect(
            principals == [
                "AWSAccount/AIDAEXAMPLE AWSAccount flagged",
                "IdentityCenterUser/111122223333 IdentityCenterUser flagged",
                "arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_ReadOnly_0123abcd role ",
                "arn:aws:iam::111122223333:role/legacy role flagged",
                "arn:aws:iam::111122223333:role/service-role/app-role role ",
                "arn:aws:iam::111122223333:root root ",
                "arn:aws:iam::111122223333:user/bob user ",
            ])
        #expect(
            try store.principals(named: "app-role").map(\.arn) == [
                "arn:aws:iam::111122223333:role/service-role/app-role"
            ])
        #expect(
            try store.principals(named: "ReadOnly").map(\.arn) == [
                "arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_ReadOnly_0123abcd"
            ])
    }

    /// The reader recognises an identity it has read before (its bytes), and ingestion reuses the principal
    /// it attributed it to; an `AwsServiceEvent` with that identity is still no principal's, and a record
    /// naming no principal by it still gets its own.
    @Test func aRecognisedIdentityKeepsItsEventsOwnAttribution() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let role = Event.role("service-role/app-role")
        // No ARN and no account: the user's ARN is built with the record's account.
        let user = #"{"type":"IAMUser","userName":"carol","principalId":"AIDAEXAMPLECAROL","mfa":"none"}"#
        let events = [
            Event(identity: role), Event(identity: role, eventType: "AwsServiceEvent"), Event(identity: role),
            Event(identity: user), Event(identity: user, account: "444455556666"),
            Event(identity: role, eventType: "AwsServiceEvent"),
        ]
        let logs = try writeLogs(["a.json": events, "b.json": events], in: dir)
        let store = try UsageStore(path: dir.file("s.sqlite").path)
        let summary = try ingest([logs], into: store, jobs: 1)
        #expect(summary.counts.awsService == 4)
        #expect(summary.counts.used == 8)
        let principals = try store.principals().map { "\($0.arn) \($0.type) \($0.flagged) \($0.events)" }
        #expect(
            principals == [
                "arn:aws:iam::111122223333:role/service-role/app-role role false 4",
                "arn:aws:iam::111122223333:user/carol user true 2",
                "arn:aws:iam::444455556666:user/carol user true 2",
            ])
    }

    @Test func whenExtrasAndResourceSample() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        var events = [
            Event(
                name: "RunInstances", source: "ec2.amazonaws.com",
                parameters: #"{"iamInstanceProfile":{"name":"p"},"roleArn":"arn:aws:iam::111122223333:role/p"}"#),
            Event(
                name: "RunInstances", source: "ec2.amazonaws.com",
                parameters: #"{"iamInstanceProfile":{"arn":"arn:aws:iam::111122223333:instance-profile/q"}}"#),
            Event(name: "RunInstances", source: "ec2.amazonaws.com", parameters: #"{"instanceType":"t3.micro"}"#),
            Event(name: "GetRole", source: "iam.amazonaws.com", parameters: #"{"roleName":"app"}"#),
        ]
        // 20 distinct objects in one bucket, in descending order: all kept (the cover keeps up to 32 ARNs).
        for i in (0..<20).reversed() {
            events.append(
                Event(name: "GetObject", parameters: #"{"bucketName":"b","key":"k\#(i < 10 ? "0" : "")\#(i)"}"#))
        }
        let logs = try writeLogs(["a.json": events], in: dir)
        let store = try UsageStore(path: dir.file("s.sqlite").path)
        _ = try ingest([logs], into: store)
        let alice = "arn:aws:iam::111122223333:user/alice"
        #expect(
            try store.usage(principal: alice, window: all).map { "\($0.action) \($0.count)" } == [
                "ec2:RunInstances 3", "iam:GetRole 1", "iam:PassRole 2", "s3:GetObject 20",
            ])
        #expect(
            try store.resources(principal: alice, action: "iam:PassRole", window: all)
                == ResourceSample(
                    arns: [
                        // The instance profile, by name (built) and by ARN, for the PassRole it needs.
                        "arn:aws:iam::111122223333:instance-profile/p", "arn:aws:iam::111122223333:instance-profile/q",
                        "arn:aws:iam::111122223333:role/p",
                    ], complete: true))
        #expect(
            try store.resources(principal: alice, action: "iam:GetRole", window: all)
                == ResourceSample(arns: ["arn:aws:iam::111122223333:role/app"], complete: true))
        #expect(
            try store.resources(principal: alice, action: "s3:GetObject", window: all)
                == ResourceSample(
                    arns: ["arn:aws:s3:::b"] + (0..<20).map { "arn:aws:s3:::b/k\($0 < 10 ? "0" : "")\($0)" },
                    prefixes: [], complete: true))
    }

    @Test func coverageReportsDaysAndGaps() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let logs = try writeLogs(
            [
                "a.json": [
                    Event(time: "2026-11-01T10:00:00Z"),
                    Event(time: "2026-11-03T10:00:00Z", region: "eu-west-1", category: "Data"),
                ]
            ], in: dir)
        let store = try UsageStore(path: dir.file("s.sqlite").path)
        _ = try ingest([logs], into: store)
        let window = StoreWindow(start: Timestamp.parse("2026-10-31") ?? 0, end: Timestamp.parse("2026-11-04") ?? 0)
        let coverage = try store.coverage(window: window)
        #expect(coverage.days.map(Timestamp.formatDay) == ["2026-11-01", "2026-11-03"])
        #expect(coverage.gaps.map(Timestamp.formatDay) == ["2026-10-31", "2026-11-02"])
        #expect(coverage.regions == ["eu-west-1", "us-east-1"])
        #expect(coverage.entries.map(\.dataEvents) == [1, 0])
    }

    @Test func windowLimitsWhatIsIngested() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let logs = try writeLogs(
            [
                "a.json": [
                    Event(time: "2026-10-01T10:00:00Z"), Event(time: "2026-11-01T10:00:00Z"),
                    Event(time: "2026-12-01T00:00:00Z"),
                ]
            ],
            in: dir)
        let store = try UsageStore(path: dir.file("s.sqlite").path)
        let summary = try Ingestion.run(
            Ingestion.Options(
                paths: [logs], since: Timestamp.parse("2026-10-15"), until: Timestamp.parse("2026-12-01")),
            store: store, resolver: TableResolver())
        #expect(summary.counts.used == 1)
        #expect(summary.counts.outsideWindow == 2)
    }

    @Test func aDamagedFileKeepsItsGoodRecordsAndAFixedVersionIsFlagged() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let good = (0..<3).map { Event(time: "2026-11-01T10:0\($0):00Z") }
        let logs = try writeLogs(["a.json": good], in: dir)
        let path = logs + "/a.json"
        let full = try Data(contentsOf: URL(fileURLWithPath: path))
        try full.prefix(full.count - 40).write(to: URL(fileURLWithPath: path))
        let store = try UsageStore(path: dir.file("s.sqlite").path)
        let damaged = try ingest([logs], into: store)
        #expect(damaged.counts.used == 2)
        #expect(damaged.diagnostics.map(\.description) == ["cannot read `\(path)`: record 3: truncated record"])
        try full.write(to: URL(fileURLWithPath: path))
        let fixed = try ingest([logs], into: store)
        #expect(
            fixed.diagnostics.map(\.description) == [
                "cannot read `\(path)`: another version of this file was ingested before; its records are counted too (rebuild the store with --reingest)"
            ])
        #expect(try store.totals().used == 5)
        _ = try ingest([logs], into: store, reingest: true)
        #expect(try store.totals().used == 3)
        #expect(try store.ingestedFiles().count == 1)
    }

    /// One log copied into two folders and ingested in one run counts once, as it does over two runs (the
    /// store's marks were only checked against earlier runs; found in review).
    @Test func aCopyOfAFileInTheSameRunCountsOnce() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let events = (0..<5).map { Event(time: "2026-11-01T10:0\($0):00Z") }
        let a = try writeLogs(["x.json": events], in: dir, folder: "logs/a")
        _ = try writeLogs(["x.json": events], in: dir, folder: "logs/b")
        let store = try UsageStore(path: dir.file("s.sqlite").path)
        let summary = try ingest([dir.file("logs").path], into: store)
        #expect(summary.filesIngested == 1)
        #expect(summary.filesAlreadyIngested == 1)
        #expect(
            summary.diagnostics.map(\.description) == [
                "cannot read `\(dir.file("logs/b/x.json").path)`: the same file as `\(a)/x.json` (same name, size and"
                    + " content): counted once"
            ])
        #expect(try store.totals().used == 5)
    }

    /// A gzip damaged past its first read chunk was marked with the size and hash of the bytes read, not of
    /// the file, so every later run counted its records again (found in review).
    @Test func aLargeDamagedGzipIsCountedOnce() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        // Object keys that do not compress well: the gzip is well over one read chunk (256 KiB).
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 11
        }
        let events = (0..<12_000).map { i in
            let key = (0..<4).map { _ in String(next(), radix: 36) }.joined(separator: "/")
            return Event(
                time: "2026-11-01T10:00:00Z",
                parameters: #"{"bucketName":"b","key":"\#(key)/\#(i)"}"#)
        }
        let logs = try writeLogs(["a.json": events], in: dir)
        let url = URL(fileURLWithPath: logs + "/a.json")
        try gzipInPlace(url)
        let gz = url
        var bytes = try Data(contentsOf: gz)
        try #require(bytes.count > 400_000)
        let middle = bytes.count / 2
        bytes.replaceSubrange(middle..<(middle + 4_096), with: Data(repeating: 0x55, count: 4_096))
        try bytes.write(to: gz)
        let store = try UsageStore(path: dir.file("s.sqlite").path)
        let first = try ingest([logs], into: store)
        #expect(first.filesIngested == 1)
        #expect(!first.diagnostics.isEmpty)
        let used = try store.totals().used
        #expect(used > 0 && used < 12_000)
        let again = try ingest([logs], into: store)
        #expect(again.filesAlreadyIngested == 1)
        #expect(again.filesIngested == 0)
        #expect(try store.totals().used == used)
    }
}

@Suite struct EventRecordingTests {
    let all = StoreWindow(start: 0, end: 4_000_000_000)
    let alice = "arn:aws:iam::111122223333:user/alice"

    /// `s3:GetObject` is used by `GetObject` and by `HeadObject`, `s3:ListBucket` by `ListObjects` and
    /// `ListObjectsV2` (the bundled catalog's resolution): the store keeps each event with its own count,
    /// first and last seen, and their counts add up to the action's.
    @Test func anActionUsedThroughTwoEventsKeepsBoth() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let object = #"{"bucketName":"b","key":"k"}"#
        let logs = try writeLogs(
            [
                "a.json": [
                    Event(name: "GetObject", time: "2026-11-01T10:00:00Z", parameters: object),
                    Event(name: "HeadObject", time: "2026-11-01T09:00:00Z", parameters: object),
                    Event(name: "GetObject", time: "2026-11-02T08:00:00Z", parameters: object),
                    Event(name: "ListObjects", time: "2026-11-01T11:00:00Z", parameters: #"{"bucketName":"b"}"#),
                ],
                "b.json": [
                    Event(name: "HeadObject", time: "2026-11-03T07:00:00Z", parameters: object),
                    Event(name: "ListObjectsV2", time: "2026-11-01T12:00:00Z", parameters: #"{"bucketName":"b"}"#),
                    Event(name: "ListObjectsV2", time: "2026-11-01T13:00:00Z", parameters: #"{"bucketName":"b"}"#),
                    Event(
                        name: "GetObject", time: "2026-11-01T14:00:00Z", error: "AccessDenied", parameters: object),
                ],
            ], in: dir)
        let store = try UsageStore(path: dir.file("s.sqlite").path)
        _ = try Ingestion.run(
            Ingestion.Options(paths: [logs], jobs: 2), store: store, resolver: try #require(TestCatalog.shared))
        let t = { (s: String) in Timestamp.parse(s) ?? 0 }
        #expect(
            try store.usageEvents(principal: alice, window: all) == [
                "s3:GetObject": [
                    EventUsage(
                        eventSource: "s3.amazonaws.com", eventName: "GetObject", count: 2,
                        firstSeen: t("2026-11-01T10:00:00Z"), lastSeen: t("2026-11-02T08:00:00Z")),
                    EventUsage(
                        eventSource: "s3.amazonaws.com", eventName: "HeadObject", count: 2,
                        firstSeen: t("2026-11-01T09:00:00Z"), lastSeen: t("2026-11-03T07:00:00Z")),
                ],
                "s3:ListBucket": [
                    EventUsage(
                        eventSource: "s3.amazonaws.com", eventName: "ListObjects", count: 1,
                        firstSeen: t("2026-11-01T11:00:00Z"), lastSeen: t("2026-11-01T11:00:00Z")),
                    EventUsage(
                        eventSource: "s3.amazonaws.com", eventName: "ListObjectsV2", count: 2,
                        firstSeen: t("2026-11-01T12:00:00Z"), lastSeen: t("2026-11-01T13:00:00Z")),
                ],
            ])
        #expect(
            try store.usage(principal: alice, window: all) == [
                ActionUsage(
                    action: "s3:GetObject", count: 4, firstSeen: t("2026-11-01T09:00:00Z"),
                    lastSeen: t("2026-11-03T07:00:00Z")),
                ActionUsage(
                    action: "s3:ListBucket", count: 3, firstSeen: t("2026-11-01T11:00:00Z"),
                    lastSeen: t("2026-11-01T13:00:00Z")),
            ])
        // A window of one day keeps the events of that day only.
        let first = StoreWindow(start: t("2026-11-01"), end: t("2026-11-02"))
        #expect(
            try store.usageEvents(principal: alice, window: first)["s3:GetObject"] == [
                EventUsage(
                    eventSource: "s3.amazonaws.com", eventName: "GetObject", count: 1,
                    firstSeen: t("2026-11-01T10:00:00Z"), lastSeen: t("2026-11-01T10:00:00Z")),
                EventUsage(
                    eventSource: "s3.amazonaws.com", eventName: "HeadObject", count: 1,
                    firstSeen: t("2026-11-01T09:00:00Z"), lastSeen: t("2026-11-01T09:00:00Z")),
            ])
    }
}

@Suite struct ResourceCoverIngestionTests {
    let all = StoreWindow(start: 0, end: 4_000_000_000)

    /// Thousands of object keys under a few folders, in gzip CloudTrail over three files: the store keeps
    /// the folders (`data/reports/2023/07/`, `data/exports/daily/`), the same with one or two threads and
    /// whatever order the files are read in. The bucket ARN is no resource of `s3:GetObject`: not kept.
    @Test func thousandsOfObjectKeysFoldIntoTheirFolders() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let role = Event.role("app")
        var events = (1...2_500).map { i in
            Event(
                name: "GetObject", time: "2026-11-0\(i % 3 + 1)T10:00:00Z", identity: role,
                parameters: #"{"bucketName":"data","key":"reports/2023/07/\#(i % 30 + 1)/part-\#(i).csv"}"#)
        }
        events += (1...500).map { i in
            Event(
                name: "GetObject", time: "2026-11-02T11:00:00Z", identity: role,
                parameters: #"{"bucketName":"data","key":"exports/daily/\#(i).json"}"#)
        }
        var dumps: [String] = []
        for (jobs, names) in [(1, ["a", "b", "c"]), (2, ["a", "b", "c"]), (2, ["c", "b", "a"])] {
            let logs = dir.file("logs-\(dumps.count)")
            try FileManager.default.createDirectory(at: logs, withIntermediateDirectories: true)
            for (part, name) in names.enumerated() {
                let records = events.enumerated().filter { $0.offset % 3 == part }.map(\.element.json)
                let file = logs.appendingPathComponent("\(name).json.gz")
                try Data((#"{"Records":["# + records.joined(separator: ",") + "]}").utf8).write(to: file)
                try gzipInPlace(file)
            }
            let store = try UsageStore(path: dir.file("s\(dumps.count).sqlite").path)
            let summary = try Ingestion.run(
                Ingestion.Options(paths: [logs.path], jobs: jobs), store: store,
                resolver: try #require(TestCatalog.shared))
            #expect(summary.counts.used == 3_000)
            #expect(
                try store.resources(
                    principal: "arn:aws:iam::111122223333:role/app", action: "s3:GetObject", window: all)
                    == ResourceSample(
                        arns: [],
                        prefixes: ["arn:aws:s3:::data/exports/daily/", "arn:aws:s3:::data/reports/2023/07/"],
                        complete: true))
            // The ledger (the files differ: their names and contents were shuffled).
            let dump = try store.dump()
            dumps.append(String(dump[(dump.range(of: "[principal]")?.lowerBound ?? dump.startIndex)...]))
        }
        #expect(dumps[0] == dumps[1])
        #expect(dumps[0] == dumps[2])
        #expect(dumps[0].split(separator: "\n").filter { $0.contains("arn:aws:s3:::data") }.count == 2)
    }

    /// Events are told apart by source and name both: `s3.amazonaws.com\u0000x` + `y` and `s3.amazonaws.com` +
    /// `x\u0000y` (one joined key `source NUL name` once filed the second under the first) stay two
    /// unresolved events, each with its own time. (Read back, a name stops at its NUL.)
    @Test func eventsWithANulInTheirNamesStayApart() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try ingested(
            [
                Event(name: "y", source: #"s3.amazonaws.com\u0000x"#, time: "2026-11-01T10:00:00Z"),
                Event(name: #"x\u0000y"#, source: "s3.amazonaws.com", time: "2026-11-01T10:00:01Z"),
            ], in: dir)
        let t = { (s: String) in Timestamp.parse(s) ?? 0 }
        #expect(
            try store.unresolved(window: all).map { [$0.count, Int($0.firstSeen), Int($0.lastSeen)] } == [
                [1, Int(t("2026-11-01T10:00:01Z")), Int(t("2026-11-01T10:00:01Z"))],
                [1, Int(t("2026-11-01T10:00:00Z")), Int(t("2026-11-01T10:00:00Z"))],
            ])
    }

    /// A fresh store with `events` ingested from one file.
    func ingested(_ events: [Event], in dir: TemporaryDirectory) throws -> UsageStore {
        let logs = try writeLogs(["all.json": events], in: dir)
        let store = try UsageStore(path: dir.file("s.sqlite").path)
        _ = try Ingestion.run(
            Ingestion.Options(paths: [logs], jobs: 1), store: store, resolver: try #require(TestCatalog.shared))
        return store
    }

    /// Only ARNs of an action's resource types enter its cover: one object in each of 30 buckets stays 30
    /// exact object ARNs for `s3:GetObject` (with the bucket ARNs beside them, 60 entries folded the ARN
    /// head), while `s3:ListBucket` keeps the buckets.
    @Test func onlyTheActionsResourceTypesEnterItsCover() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let role = Event.role("app")
        var events = (10..<40).map { i in
            Event(
                name: "GetObject", time: "2026-11-01T10:00:00Z", identity: role,
                parameters: #"{"bucketName":"bucket-\#(i)","key":"k.csv"}"#)
        }
        events += (10..<12).map { i in
            Event(
                name: "ListObjects", time: "2026-11-01T11:00:00Z", identity: role,
                parameters: #"{"bucketName":"bucket-\#(i)","prefix":"p/"}"#)
        }
        let store = try ingested(events, in: dir)
        let principal = "arn:aws:iam::111122223333:role/app"
        #expect(
            try store.resources(principal: principal, action: "s3:GetObject", window: all)
                == ResourceSample(arns: (10..<40).map { "arn:aws:s3:::bucket-\($0)/k.csv" }))
        #expect(
            try store.resources(principal: principal, action: "s3:ListBucket", window: all)
                == ResourceSample(arns: ["arn:aws:s3:::bucket-10", "arn:aws:s3:::bucket-11"]))
    }

    /// An S3 object's ARN is built from `bucketName` and `key` unless `resources` lists that very ARN: a
    /// record listing another object, or only the bucket, or an object of another bucket or partition (of
    /// another length, or the same), or a key that only starts alike, still gets the object of its
    /// parameters.
    @Test func s3ObjectsComeFromParametersAndResources() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let role = Event.role("app")
        func get(_ key: String, _ resources: [String]) -> Event {
            Event(
                name: "GetObject", identity: role, parameters: #"{"bucketName":"b","key":"\#(key)"}"#,
                resources: "[" + resources.map { #"{"ARN":"\#($0)"}"# }.joined(separator: ",") + "]")
        }
        let events = [
            get("listed", ["arn:aws:s3:::b/listed", "arn:aws:s3:::b"]),
            get("built", ["arn:aws:s3:::b/other"]),
            get("bucket-only", ["arn:aws:s3:::b"]),
            get("elsewhere", ["arn:aws:s3:::c/elsewhere", "arn:aws-cn:s3:::b/elsewhere", "arn:awz:s3:::b/elsewhere"]),
            get("prefix", ["arn:aws:s3:::b/prefiy"]),
        ]
        let store = try ingested(events, in: dir)
        #expect(
            try store.resources(principal: "arn:aws:iam::111122223333:role/app", action: "s3:GetObject", window: all)
                == ResourceSample(
                    arns: [
                        "arn:aws-cn:s3:::b/elsewhere", "arn:aws:s3:::b/bucket-only", "arn:aws:s3:::b/built",
                        "arn:aws:s3:::b/elsewhere", "arn:aws:s3:::b/listed", "arn:aws:s3:::b/other",
                        "arn:aws:s3:::b/prefix", "arn:aws:s3:::b/prefiy", "arn:aws:s3:::c/elsewhere",
                        "arn:awz:s3:::b/elsewhere",
                    ]))
    }

    /// The roles an event passes are the resources of its `iam:PassRole`, wherever the request holds them:
    /// a nested ARN (ECS `overrides.taskRoleArn`, EC2 `CreateFlowLogsRequest.DeliverLogsPermissionArn`),
    /// role names (EMR `serviceRole`), the instance profile EMR's `jobFlowRole` or EC2's
    /// `iamInstanceProfile` names, and the roles of a list of objects (SageMaker `instanceGroups`), with the
    /// real catalog.
    @Test func passedRolesAreThePassRoleResources() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let role = Event.role("app")
        let events = [
            Event(
                name: "RunTask", source: "ecs.amazonaws.com", time: "2026-11-01T10:00:00Z", identity: role,
                parameters: #"{"taskDefinition":"t","overrides":{"taskRoleArn":"arn:aws:iam::111122223333:role/task"}}"#
            ),
            Event(
                name: "CreateFlowLogs", source: "ec2.amazonaws.com", time: "2026-11-01T10:00:00Z", identity: role,
                parameters:
                    #"{"CreateFlowLogsRequest":{"DeliverLogsPermissionArn":"arn:aws:iam::111122223333:role/flow"}}"#),
            Event(
                name: "RunJobFlow", source: "elasticmapreduce.amazonaws.com", time: "2026-11-01T10:00:00Z",
                identity: role,
                parameters: #"{"name":"j","jobFlowRole":"EMR_EC2_DefaultRole","serviceRole":"EMR_DefaultRole"}"#),
            Event(
                name: "RunInstances", source: "ec2.amazonaws.com", time: "2026-11-01T10:00:00Z", identity: role,
                parameters: #"{"iamInstanceProfile":{"name":"web"}}"#),
            Event(
                name: "CreateCluster", source: "sagemaker.amazonaws.com", time: "2026-11-01T10:00:00Z",
                identity: role,
                parameters:
                    #"{"clusterName":"c","instanceGroups":[{"instanceGroupName":"g","executionRole":"arn:aws:iam::111122223333:role/hyperpod"},{}]}"#
            ),
        ]
        let store = try ingested(events, in: dir)
        #expect(
            try store.resources(principal: "arn:aws:iam::111122223333:role/app", action: "iam:PassRole", window: all)
                == ResourceSample(arns: [
                    "arn:aws:iam::111122223333:instance-profile/EMR_EC2_DefaultRole",
                    "arn:aws:iam::111122223333:instance-profile/web", "arn:aws:iam::111122223333:role/EMR_DefaultRole",
                    "arn:aws:iam::111122223333:role/flow", "arn:aws:iam::111122223333:role/hyperpod",
                    "arn:aws:iam::111122223333:role/task",
                ]))
    }

    /// Folds are per calendar month: 40 buckets read in January fold January's cover, and a November window
    /// names the one bucket read in November, through real ingestion (both months in one file).
    @Test func aMonthsFoldsStayInThatMonth() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let role = Event.role("app")
        var events = (0..<40).map { i in
            Event(
                name: "GetBucketAcl", time: "2026-01-15T10:00:00Z", identity: role,
                parameters: #"{"bucketName":"bucket-\#(i)"}"#)
        }
        events.append(
            Event(
                name: "GetBucketAcl", time: "2026-11-20T10:00:00Z", identity: role,
                parameters: #"{"bucketName":"reports"}"#))
        let store = try ingested(events, in: dir)
        let principal = "arn:aws:iam::111122223333:role/app"
        let november = StoreWindow(start: Timestamp.parse("2026-11-01") ?? 0, end: Timestamp.parse("2026-12-01") ?? 0)
        #expect(
            try store.resources(principal: principal, action: "s3:GetBucketAcl", window: november)
                == ResourceSample(arns: ["arn:aws:s3:::reports"]))
        #expect(
            try store.resources(principal: principal, action: "s3:GetBucketAcl", window: all)
                == ResourceSample(arns: [], prefixes: ["arn:aws:s3:::"]))
    }
}
