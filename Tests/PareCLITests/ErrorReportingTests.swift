import Foundation
import TestSupport
import Testing

/// How the command line reports what went wrong: one line `error: …`, the exit codes of README
/// "Exit codes", and the rules shared by every command (`--logs`, `--days`, `--store`).
@Suite struct ErrorReportingTests {
    static let report = ["--credential-report", "Fixtures/demo/credential-report.csv", "--as-of", "2023-07-11"]

    /// Unreadable `--logs` fail as `pare ingest` does: nothing could be ingested is exit 1, one line.
    @Test func logsThatCannotBeReadFailEveryCommand() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let empty = dir.file("empty.json")
        try Data().write(to: empty)
        let garbage = dir.file("garbage.bin")
        try Data([0x00, 0x9C, 0xFF, 0x17, 0x42]).write(to: garbage)
        let missing = "warning: cannot read `missing.json`: no such file or directory\n"
        let notFound = missing + "error: nothing to ingest: no log file could be found\n"
        let cases: [([String], String)] = [
            (["findings"] + Self.report + ["--logs", "missing.json"], notFound),
            (
                ["findings"] + Self.report + ["--logs", empty.path],
                "warning: cannot read `\(empty.path)`: empty file\n"
                    + "error: nothing to ingest: no log record could be read\n"
            ),
            (
                ["findings"] + Self.report + ["--logs", garbage.path],
                "warning: cannot read `\(garbage.path)`: not JSON: expected `{` or `[` at the start of the file\n"
                    + "error: nothing to ingest: no log record could be read\n"
            ),
            (["usage", "--logs", "missing.json"], notFound),
            (["policy", "--principal", "benjamin", "--logs", "missing.json"], notFound),
            (["ingest", "--quiet", "--store", dir.file("s.sqlite").path, "missing.json"], notFound),
            (
                ["ingest", "--quiet", "--store", dir.file("t.sqlite").path, empty.path],
                "warning: cannot read `\(empty.path)`: empty file\n"
                    + "error: nothing to ingest: no log record could be read\n"
            ),
        ]
        for (arguments, stderr) in cases {
            let run = try Pare.run(arguments)
            #expect(run.status == 1, "\(arguments)")
            #expect(run.stdout == "", "\(arguments)")
            #expect(run.stderr == stderr, "\(arguments)")
        }
    }

    /// Logs that are partly readable are used; the unreadable part is a warning.
    @Test func partlyReadableLogsAreWarnings() throws {
        let complete = try Pare.run(["findings"] + Self.report + ["--logs", "Fixtures/demo/AWSLogs"])
        let partial = try Pare.run(["findings"] + Self.report + ["--logs", "Fixtures/demo/AWSLogs", "missing.json"])
        #expect(complete.status == 0)
        #expect(complete.stderr == "")
        #expect(partial.status == 0)
        #expect(partial.stderr == "warning: cannot read `missing.json`: no such file or directory\n")
        #expect(partial.stdout == complete.stdout)
    }

    /// Usage errors, ArgumentParser's included, are one line in house style with where to find help.
    @Test(arguments: [
        (
            ["findings", "--days", "0"],
            "error: --days must be a positive number of days, not `0`; see `pare findings --help`"
        ),
        (["frob"], "error: unexpected argument `frob`; see `pare --help`"),
        (["catalog", "frob"], "error: unexpected argument `frob`; see `pare catalog --help`"),
        (
            ["usage", "--bogus"],
            "error: unknown option `--bogus`; did you mean `--logs`?; see `pare usage --help`"
        ),
        (["usage", "--days", "abc"], "error: the value `abc` is invalid for `--days <days>`; see `pare usage --help`"),
        (["policy"], "error: missing expected argument `--principal <principal>`; see `pare policy --help`"),
        (["ingest"], "error: missing expected argument `<paths> ...`; see `pare ingest --help`"),
        (
            ["catalog", "resolve", "ec2.amazonaws.com", "RunInstances", "--request-parameters", "[1]"],
            "error: --request-parameters: expected a JSON object; see `pare catalog resolve --help`"
        ),
    ])
    func usageErrorsAreOneLine(arguments: [String], message: String) throws {
        let run = try Pare.run(arguments)
        #expect(run.status == 64)
        #expect(run.stdout == "")
        #expect(run.stderr == message + "\n")
    }

    /// A failure is `error:` whether the catalog comes from `--catalog` or `$PARE_CATALOG`.
    @Test func catalogErrorsAreOneLineFromTheOptionAndTheEnvironment() throws {
        let option = try Pare.run(["catalog", "show", "s3", "--catalog", "/nonexistent"])
        #expect(option.status == 1)
        #expect(option.stdout == "")
        #expect(
            option.stderr == "error: no action catalog at `/nonexistent` (--catalog): expected `catalog.txt` there\n")
        let environment = try Pare.run(["catalog", "show", "s3"], environment: ["PARE_CATALOG": "/nonexistent"])
        #expect(environment.status == 1)
        #expect(environment.stdout == "")
        #expect(
            environment.stderr
                == "error: no action catalog at `/nonexistent` (PARE_CATALOG): expected `catalog.txt` there\n")
    }

    /// Help and the version go to stdout with exit 0; a check that failed adds no message of its own.
    @Test func helpVersionAndCheckFailed() throws {
        let version = try Pare.run(["--version"])
        #expect(version.status == 0)
        #expect(version.stdout == "0.1.0\n")
        #expect(version.stderr == "")
        for arguments in [["--help"], ["help", "findings"], ["findings", "--help"], []] {
            let help = try Pare.run(arguments)
            #expect(help.status == 0, "\(arguments)")
            #expect(help.stdout.hasPrefix("OVERVIEW: "), "\(arguments)")
            #expect(help.stdout.contains("USAGE: pare"), "\(arguments)")
            #expect(help.stderr == "", "\(arguments)")
        }
        let failed = try Pare.run(["findings"] + Self.report + ["--fail-on", "low"])
        #expect(failed.status == 2)
        #expect(failed.stderr == "")
        #expect(failed.stdout.hasPrefix("findings as of 2023-07-11T00:00:00Z"))
    }

    /// `--days` is 1…36,500 in every command; `--since` must be before `--until` (`ingest` too).
    @Test func theWindowIsBounded() throws {
        let cases: [([String], String)] = [
            (
                ["usage", "--days", "100000000"],
                "error: --days must be at most 36500 (100 years), not `100000000`; see `pare usage --help`"
            ),
            (
                ["policy", "--principal", "benjamin", "--days", "36501"],
                "error: --days must be at most 36500 (100 years), not `36501`; see `pare policy --help`"
            ),
            (
                ["findings"] + Self.report + ["--days", "9223372036854775807"],
                "error: --days must be at most 36500 (100 years), not `9223372036854775807`; see `pare findings --help`"
            ),
            (
                ["usage", "--since", "2023-07-11", "--until", "2023-07-10"],
                "error: the window is empty: --since must be before --until; see `pare usage --help`"
            ),
            (
                ["ingest", "Fixtures/demo/AWSLogs", "--since", "2023-07-11", "--until", "2023-07-11"],
                "error: the window is empty: --since must be before --until; see `pare ingest --help`"
            ),
        ]
        for (arguments, message) in cases {
            let run = try Pare.run(arguments)
            #expect(run.status == 64, "\(arguments)")
            #expect(run.stdout == "", "\(arguments)")
            #expect(run.stderr == message + "\n", "\(arguments)")
        }
        let longest = try Pare.run([
            "usage", "--logs", "Fixtures/demo/AWSLogs", "--days", "36500", "--as-of", "2023-07-11", "--format", "json",
        ])
        #expect(longest.status == 0)
        #expect(
            longest.stderr
                == "warning: 36499 of 36500 days of the window `1923-08-05T00:00:00Z` to `2023-07-11T00:00:00Z` have no logs\n"
        )
        #expect(longest.stdout.contains(#""start" : "1923-08-05T00:00:00Z""#))
    }

    /// `--store` and `--logs` together are a usage error, not `--store` silently ignored.
    @Test(arguments: [
        ["usage"], ["policy", "--principal", "benjamin"], ["findings"] + ErrorReportingTests.report,
    ])
    func storeAndLogsAreExclusive(command: [String]) throws {
        let run = try Pare.run(command + ["--store", "x.sqlite", "--logs", "Fixtures/demo/AWSLogs"])
        #expect(run.status == 64)
        #expect(run.stdout == "")
        #expect(
            run.stderr
                == "error: --store and --logs cannot be combined: --logs reads into a temporary store; "
                + "see `pare \(command[0]) --help`\n")
    }
}
