import Foundation
import TestSupport
import Testing
import UsageStore

#if canImport(Glibc)
    import Glibc
#endif

@Suite struct IngestCommandTests {
    static func golden(_ name: String) -> URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden/\(name)")
    }

    /// `seconds` varies; everything else of the JSON summary is exact.
    static func withoutSeconds(_ json: String) -> String {
        json.replacingOccurrences(of: #", "seconds": [0-9.]+"#, with: "", options: .regularExpression)
    }

    @Test func realLogsIngestWithEveryRecordAccountedForAndGoldenUsage() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = dir.file("s.sqlite").path
        let run = try Pare.run(["ingest", "Fixtures/cloudtrail", "--store", store, "--format", "json"])
        #expect(run.status == 0)
        #expect(run.stderr == "")
        // records 3,313 = events 3,313 = 3,095 used + 111 denied + 22 no permission + 81 AWS service + 4 unresolved.
        #expect(
            Self.withoutSeconds(run.stdout)
                == #"{"files": 91, "filesIngested": 91, "filesAlreadyIngested": 0, "filesPruned": 0, "records": 3313, "events": 3313, "used": 3095, "denied": 111, "noPermission": 22, "awsService": 81, "unresolved": 4, "unattributed": 0, "outsideWindow": 0, "skipped": 0, "diagnostics": 0}"#
                + "\n")
        let usage = try Pare.run([
            "usage", "--store", store, "--since", "2020-09-01", "--until", "2024-12-01", "--format", "json",
        ])
        #expect(usage.status == 0)
        #expect(
            usage.stderr
                == "warning: 1542 of 1552 days of the window `2020-09-01T00:00:00Z` to `2024-12-01T00:00:00Z` have no logs\n"
        )
        assertGolden(usage.stdout, file: Self.golden("usage-fixtures.json"))
    }

    @Test func usageWithLogsOfOnePrincipal() throws {
        let run = try Pare.run([
            "usage", "--logs", "Fixtures/cloudtrail/otrf-ec2-proxy-s3-exfiltration", "--principal",
            "MordorNginxStack-BankingWAFRole-9S3E0UAE1MM0", "--days", "1", "--as-of", "2020-09-15", "--format", "csv",
        ])
        #expect(run.status == 0)
        #expect(run.stderr == "")
        #expect(
            run.stdout == """
                principal,action,outcome,count,firstSeen,lastSeen
                arn:aws:iam::123456789123:role/MordorNginxStack-BankingWAFRole-9S3E0UAE1MM0,s3:GetObject,used,2,2020-09-14T01:02:34Z,2020-09-14T01:13:20Z
                arn:aws:iam::123456789123:role/MordorNginxStack-BankingWAFRole-9S3E0UAE1MM0,s3:ListAllMyBuckets,used,2,2020-09-14T01:00:04Z,2020-09-14T01:01:50Z
                arn:aws:iam::123456789123:role/MordorNginxStack-BankingWAFRole-9S3E0UAE1MM0,s3:ListBucket,used,7,2020-09-14T01:00:33Z,2020-09-14T01:13:20Z

                """)
    }

    @Test func usageWarnsWhenTheWindowHasNoLogs() throws {
        let run = try Pare.run([
            "usage", "--logs", "Fixtures/cloudtrail/otrf-ec2-proxy-s3-exfiltration", "--as-of", "2026-11-01",
            "--format", "json",
        ])
        #expect(run.status == 0)
        #expect(
            run.stderr
                == "warning: no logs in the window `2026-08-03T00:00:00Z` to `2026-11-01T00:00:00Z`: usage cannot be judged\n"
        )
        #expect(run.stdout.contains(#""principals" : ["#))
    }

    @Test func unknownAndAmbiguousPrincipalsAndMissingStore() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = dir.file("s.sqlite").path
        let missing = try Pare.run(["usage", "--store", store])
        #expect(missing.status == 1)
        #expect(
            missing.stderr
                == "error: no usage store at `\(store)`: run `pare ingest LOGS` first, or give `--logs LOGS`\n")
        _ = try Pare.run(["ingest", "--quiet", "--store", store, "Fixtures/cloudtrail"])
        let unknown = try Pare.run(["usage", "--store", store, "--principal", "nobody"])
        #expect(unknown.status == 1)
        #expect(unknown.stderr == "error: unknown principal `nobody`: the store has no events of it\n")
        let ambiguous = try Pare.run([
            "usage", "--store", store, "--principal", "stratus-red-team-leave-org-role", "--as-of", "2024-12-01",
        ])
        #expect(ambiguous.status == 1)
        #expect(
            ambiguous.stderr
                == "error: principal `stratus-red-team-leave-org-role` is ambiguous: `arn:aws:iam::123837392027:role/stratus-red-team-leave-org-role`, `arn:aws:iam::307578594326:role/stratus-red-team-leave-org-role`\n"
        )
        let env = try Pare.run(
            [
                "usage", "--principal", "arn:aws:iam::494659789341:role/test-role", "--as-of", "2024-12-01", "--format",
                "csv",
            ], environment: ["PARE_STORE": store])
        #expect(env.status == 0)
        #expect(
            env.stdout.hasPrefix(
                "principal,action,outcome,count,firstSeen,lastSeen\narn:aws:iam::494659789341:role/test-role,"))
    }

    @Test func badInputIsReportedAndStrictExitsOne() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let logs = dir.file("logs")
        try FileManager.default.createDirectory(at: logs, withIntermediateDirectories: true)
        let good = try Data(
            contentsOf: Repository.fixture(
                "cloudtrail/stratus-red-team-detonation-logs/aws.defense-evasion.cloudtrail-stop.json"))
        try good.write(to: logs.appendingPathComponent("a.json"))
        try Data([0x00, 0x01, 0x02]).write(to: logs.appendingPathComponent("b.json"))
        try Data().write(to: logs.appendingPathComponent("c.json"))
        let store = dir.file("s.sqlite").path
        let lenient = try Pare.run(["ingest", "--store", store, "--format", "json", logs.path])
        #expect(lenient.status == 0)
        #expect(
            lenient.stderr == """
                warning: cannot read `\(logs.path)/b.json`: not JSON: expected `{` or `[` at the start of the file
                warning: cannot read `\(logs.path)/c.json`: empty file

                """)
        #expect(Self.withoutSeconds(lenient.stdout).contains(#""files": 3, "filesIngested": 2, "#))
        let strict = try Pare.run(["ingest", "--store", dir.file("t.sqlite").path, "--strict", "--quiet", logs.path])
        #expect(strict.status == 1)
        #expect(strict.stdout == "")
        #expect(strict.stderr.hasSuffix("error: 2 input problems (--strict)\n"))
    }

    @Test func aMissingPathAloneIsAFailure() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let run = try Pare.run(["ingest", "--quiet", "--store", dir.file("s.sqlite").path, "no/such/logs"])
        #expect(run.status == 1)
        #expect(
            run.stderr == """
                warning: cannot read `no/such/logs`: no such file or directory
                error: nothing to ingest: no log file could be found

                """)
    }

    @Test func badArgumentsAreUsageErrors() throws {
        let run = try Pare.run(["usage", "--days", "3", "--since", "2026-01-01"])
        #expect(run.status == 64)
        #expect(try Pare.run(["ingest"]).status == 64)
        let time = try Pare.run(["ingest", "--since", "yesterday", "x"])
        #expect(time.status == 64)
        #expect(time.stderr.contains("invalid time `yesterday` for --since"))
    }

    /// A `pare ingest` killed with SIGKILL mid-run, then run again, gives exactly the ledger of a
    /// clean run: each file's rows and its mark commit together.
    ///
    /// Deterministic: the killed run is given, after the logs, a named pipe holding the first records
    /// of an array that never ends, so it cannot finish: it reads those records and waits for more.
    /// There are more logs than the writer commits in one batch, so some are committed (the test
    /// waits for that, with no race), and the kill comes in the middle of a file whose records must
    /// leave no trace.
    @Test func killedIngestResumesToTheTotalsOfACleanRun() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let logs = dir.file("logs")
        try FileManager.default.createDirectory(at: logs, withIntermediateDirectories: true)
        let template = try Data(
            contentsOf: Repository.fixture(
                "cloudtrail/stratus-red-team-detonation-logs/aws.execution.ssm-send-command.json"))
        let records = try #require(try JSONSerialization.jsonObject(with: template) as? [Any])
        let body = String(decoding: try JSONSerialization.data(withJSONObject: Array(records.prefix(8))), as: UTF8.self)
        // More files than a commit batch (1,024) plus a worker's hand-over (256): a commit is certain.
        let files = 1400
        for i in 0..<files {
            // Each file distinct (its own account) so that none is a duplicate of another.
            let text = body.replacingOccurrences(of: "056392974792", with: String(format: "1000000%05d", i))
            try Data(text.utf8).write(to: logs.appendingPathComponent(String(format: "f%04d.json", i)))
        }
        let clean = dir.file("clean.sqlite").path
        #expect(try Pare.run(["ingest", "--quiet", "--store", clean, logs.path]).status == 0)

        // Paths are read in byte order: the pipe comes after every log.
        let pipe = dir.file("z-pipe.json").path
        try #require(mkfifo(pipe, 0o600) == 0)
        // Read-write: opening does not wait for the reader, and the reader never sees the end.
        let writer = open(pipe, O_RDWR)
        try #require(writer >= 0)
        defer { close(writer) }
        let first = try JSONSerialization.data(withJSONObject: records[0])
        let record = String(decoding: first, as: UTF8.self).replacingOccurrences(
            of: "056392974792", with: "999999999999")
        let unfinished = Data(("[" + record + "," + record + ",").utf8)
        try #require(unfinished.withUnsafeBytes { write(writer, $0.baseAddress, $0.count) } == unfinished.count)
        let killed = dir.file("killed.sqlite").path
        let process = Process()
        process.executableURL = Pare.binary
        process.arguments = ["ingest", "--quiet", "--jobs", "1", "--store", killed, logs.path, pipe]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        var committed = 0
        let deadline = Date().addingTimeInterval(120)
        while committed == 0, Date() < deadline, process.isRunning {
            usleep(10_000)
            committed = (try? UsageStore(path: killed, readOnly: true).ingestedFiles().count) ?? 0
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal)
        try FileManager.default.removeItem(atPath: pipe)
        let partial = try UsageStore(path: killed).totals().files
        #expect(partial >= 1 && partial <= files)

        let rerun = try Pare.run(["ingest", "--store", killed, "--format", "json", logs.path])
        #expect(rerun.status == 0)
        #expect(
            Self.withoutSeconds(rerun.stdout).contains(
                #""filesIngested": \#(files - partial), "filesAlreadyIngested": \#(partial)"#))
        let a = try UsageStore(path: clean)
        let b = try UsageStore(path: killed)
        #expect(try a.totals() == b.totals())
        #expect(try a.dump() == b.dump())
    }
}
