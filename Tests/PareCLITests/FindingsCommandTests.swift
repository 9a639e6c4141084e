import Foundation
import TestSupport
import Testing

private let demo = [
    "--authorization-details", "Fixtures/demo/authorization-details.json",
    "--credential-report", "Fixtures/demo/credential-report.csv", "--as-of", "2023-07-11",
]
private let cloudmapper = [
    "--authorization-details", "Fixtures/iam-account/cloudmapper-demo-authorization-details.json",
    // No --as-of: the window ends at the report's GeneratedTime (2019-05-07T15:40:22Z), not today.
    "--credential-report", "Fixtures/iam-account/cloudmapper-demo-credential-report.json",
]
private let cloudsplaining = [
    "--authorization-details", "Fixtures/iam-account/cloudsplaining-test-authorization-details.json",
    "--as-of", "2020-11-19",
]

private func golden(_ name: String) -> URL {
    Repository.root.appendingPathComponent("Tests/PareCLITests/Golden/findings/\(name)")
}

/// The whole output of `pare findings` on the two real snapshots and the demo, in every format.
@Test(arguments: [("demo", demo), ("cloudmapper", cloudmapper), ("cloudsplaining", cloudsplaining)])
func findingsGolden(name: String, inputs: [String]) throws {
    for (format, suffix) in [("text", "txt"), ("json", "json"), ("sarif", "sarif")] {
        let run = try Pare.run(["findings"] + inputs + ["--format", format])
        #expect(run.status == 0)
        #expect(run.stderr == "")
        assertGolden(run.stdout, file: golden("\(name).\(suffix)"))
    }
}

/// Without --as-of the window ends when the credential report was generated, and the output says so;
/// an --as-of years later gives no unused verdict from that report.
@Test func asOfDefaultsToTheReportsGeneratedTime() throws {
    let run = try Pare.run(["findings"] + cloudmapper)
    #expect(run.status == 0)
    #expect(
        run.stdout.hasPrefix(
            "findings as of 2019-05-07T15:40:22Z (window 2019-02-06 → 2019-05-07, 90 days; rules: 12)\n"))
    #expect(
        run.stdout.contains(
            "  no --as-of: the window ends at 2019-05-07T15:40:22Z, the credential report's GeneratedTime\n"))
    #expect(run.stdout.contains("UnusedIAMUserAccessKey  arn:aws:iam::123456789012:user/user\n"))
    let late = try Pare.run(["findings"] + cloudmapper + ["--as-of", "2026-11-29", "--format", "json"])
    let object = try #require(JSONSerialization.jsonObject(with: Data(late.stdout.utf8)) as? [String: Any])
    let findings = try #require(object["findings"] as? [[String: Any]])
    #expect(
        findings.compactMap { $0["findingType"] as? String }.filter { $0.hasPrefix("Unused") || $0.hasPrefix("Cred") }
            == [])
}

@Test(arguments: [
    (demo, "critical", Int32(2)), (demo, "CRITICAL", 2), (cloudsplaining, "critical", 0),
    (cloudsplaining, "high", 2), (cloudsplaining, "informational", 2), (cloudmapper, "high", 2),
])
func failOnExitsTwoAtOrAboveTheSeverity(inputs: [String], severity: String, status: Int32) throws {
    let run = try Pare.run(["findings"] + inputs + ["--fail-on", severity, "--format", "json"])
    #expect(run.status == status)
    #expect(run.stdout.hasPrefix("{\n    \"findings\": ["))
    #expect(run.stderr == "")
}

@Test func suppressionsAreHonouredAndListedInTheSummary() throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let file = directory.file("suppress.json").path
    try #"""
    {"suppressions": [
      {"findingType": "TrustPolicyOpenToAnyPrincipal", "resource": "arn:aws:iam::123837392027:role/legacy-*",
       "reason": "role is being deleted"},
      {"findingType": "MultipleActiveAccessKeys", "reason": "benjamin rotates this week"}
    ]}
    """#.write(toFile: file, atomically: true, encoding: .utf8)
    let run = try Pare.run(["findings"] + demo + ["--suppress", file, "--fail-on", "critical"])
    #expect(run.status == 0)
    #expect(
        run.stdout.hasSuffix(
            """
            18 findings: 4 high, 14 medium
            not checked: UnusedPermission: no --store or --logs
            2 suppressed:
              TrustPolicyOpenToAnyPrincipal  arn:aws:iam::123837392027:role/legacy-ci-deploy  (role is being deleted)
              MultipleActiveAccessKeys  arn:aws:iam::123837392027:user/benjamin  (benjamin rotates this week)

            """))
    let json = try Pare.run(["findings"] + demo + ["--suppress", file, "--format", "json"])
    let object = try #require(JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
    let summary = try #require(object["summary"] as? [String: Any])
    #expect(summary["total"] as? Int == 18)
    #expect(summary["suppressed"] as? Int == 2)
    let listed = try #require(summary["suppressedFindings"] as? [[String: Any]])
    #expect(listed.map { $0["reason"] as? String } == ["role is being deleted", "benjamin rotates this week"])
}

@Test func usageErrorsExit64() throws {
    let cases: [([String], String)] = [
        (
            ["findings", "--as-of", "2023-07-11"],
            "error: give --authorization-details or --credential-report (or both)"
        ),
        (
            ["findings"] + demo + ["--fail-on", "severe"],
            "error: --fail-on `severe` is not a severity (informational, low, medium, high, critical)"
        ),
        (
            ["findings"] + cloudsplaining + ["--as-of", "yesterday"],
            "error: --as-of `yesterday` is not an ISO 8601 time (`2026-11-01` or `2026-11-01T12:00:00Z`)"
        ),
        (["findings"] + cloudsplaining + ["--days", "0"], "error: --days must be a positive number of days, not `0`"),
        (
            ["findings", "--credential-report", "Fixtures/demo/credential-report.csv", "--scp", "x.json"],
            "error: --scp needs --authorization-details"
        ),
    ]
    for (arguments, message) in cases {
        let run = try Pare.run(arguments)
        #expect(run.status == 64)
        #expect(run.stderr == message + "; see `pare findings --help`\n")
    }
}

/// A malformed snapshot, report or suppression file: exit 1 and one line naming the file and the place.
@Test func malformedInputsExitOneWithOneLine() throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let report = directory.file("report.csv").path
    var lines = try String(contentsOf: Repository.fixture("demo/credential-report.csv"), encoding: .utf8)
        .split(separator: "\n").map(String.init)
    lines[4] = lines[4].replacingOccurrences(of: ",true,", with: ",yes,")
    try (lines.joined(separator: "\n") + "\n").write(toFile: report, atomically: true, encoding: .utf8)
    let authz = directory.file("authz.json").path
    try #"{"RoleDetailList": [{"RoleName": "r"}]}"#.write(toFile: authz, atomically: true, encoding: .utf8)
    let suppress = directory.file("suppress.json").path
    try #"{"suppressions": [{"id": "x"}]}"#.write(toFile: suppress, atomically: true, encoding: .utf8)
    let cases: [([String], String)] = [
        (
            ["--credential-report", report],
            "error: cannot read `\(report)`: line 5: `access_key_1_active`: expected `true`, `false` or "
                + "`not_supported`, found `yes`"
        ),
        (["--authorization-details", authz], "error: cannot read `\(authz)`: 1:21: RoleDetailList[0]: missing `Arn`"),
        (
            cloudsplaining + ["--suppress", suppress],
            "error: cannot read `\(suppress)`: suppressions[0]: missing `reason`"
        ),
        (["--credential-report", "no/such.csv"], "error: cannot read `no/such.csv`: no such file"),
    ]
    for (arguments, message) in cases {
        let run = try Pare.run(["findings"] + arguments)
        #expect(run.status == 1)
        #expect(run.stdout == "")
        #expect(run.stderr == message + "\n")
    }
}

// MARK: - Unused access with the logs

/// The demo with its logs, 90 days: the logs cover one day (55 minutes) of 90, less than half the
/// window, so `UnusedPermission` is not judged and a diagnostic says so; roles, keys and passwords are
/// judged as without logs (README of the demo).
@Test func demoWithLogsOver90DaysLeavesPermissionsUnjudged() throws {
    for (format, suffix) in [("text", "txt"), ("json", "json")] {
        let run = try Pare.run(
            ["findings"] + demo + ["--logs", "Fixtures/demo/AWSLogs", "--format", format])
        #expect(run.status == 0)
        #expect(run.stderr == "")
        assertGolden(run.stdout, file: golden("demo-logs-90.\(suffix)"))
    }
}

/// The demo with its logs over the one day they cover: `UnusedPermission` for the two long-lived users
/// who acted that day, and every principal that existed before it and did nothing is unused.
@Test func demoWithLogsOverTheCoveredDay() throws {
    let run = try Pare.run(
        ["findings"] + demo + ["--logs", "Fixtures/demo/AWSLogs", "--days", "1", "--format", "text"])
    #expect(run.status == 0)
    #expect(run.stderr == "")
    assertGolden(run.stdout, file: golden("demo-logs-1.txt"))

    let json = try Pare.run(
        ["findings"] + demo + ["--logs", "Fixtures/demo/AWSLogs", "--days", "1", "--format", "json"])
    let object = try #require(JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
    let findings = try #require(object["findings"] as? [[String: Any]])
    let benjamin = try #require(
        findings.first {
            $0["findingType"] as? String == "UnusedPermission"
                && $0["resource"] as? String == "arn:aws:iam::123837392027:user/benjamin"
        })
    let details = try #require(benjamin["findingDetails"] as? [[String: [String: Any]]])
    // The services benjamin used that day (SecurityAudit + ReadOnlyAccess through his group), with the
    // last use of each; in `account` he used only `GetRegionOptStatus`: the other granted ones are listed,
    // never used before (no `lastAccessed`).
    let partlyUsed = details.compactMap { $0["unusedPermissionDetails"] }.filter {
        !(($0["actions"] as? [Any]) ?? []).isEmpty
    }
    #expect(
        partlyUsed.map { "\($0["serviceNamespace"] ?? "") \($0["lastAccessed"] ?? "")" } == [
            "account 2023-07-10T12:27:43Z", "health 2023-07-10T12:37:50Z", "iam 2023-07-10T12:27:46Z",
            "notifications 2023-07-10T11:42:38Z", "route53 2023-07-10T12:27:45Z", "s3 2023-07-10T11:43:18Z",
        ])
    let account = try #require(partlyUsed.first?["actions"] as? [[String: String]])
    #expect(
        account == [
            ["action": "account:GetAccountInformation"], ["action": "account:GetAlternateContact"],
            ["action": "account:GetContactInformation"], ["action": "account:GetGovCloudAccountInformation"],
            ["action": "account:GetPrimaryEmail"], ["action": "account:ListRegions"],
        ])
    // The coverage the verdict rests on, machine-readable in every detail.
    let coverage = details.compactMap { $0["unusedPermissionDetails"] }.map {
        "\($0["coveredDays"] ?? "") of \($0["windowDays"] ?? "")"
    }
    #expect(Set(coverage) == ["1 of 1"])
}

/// `--credential-report` and `--suppress` take several files; none is dropped silently.
@Test func repeatedReportAndSuppressionFilesAreAllRead() throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let first = directory.file("a.json").path
    let second = directory.file("b.json").path
    try #"{"suppressions": [{"findingType": "RootAccessKeyActive", "reason": "cloudmapper demo"}]}"#
        .write(toFile: first, atomically: true, encoding: .utf8)
    try #"{"suppressions": [{"findingType": "RootMfaDisabled", "reason": "none"}]}"#
        .write(toFile: second, atomically: true, encoding: .utf8)
    let run = try Pare.run([
        "findings", "--credential-report", "Fixtures/demo/credential-report.csv",
        "--credential-report", "Fixtures/iam-account/cloudmapper-demo-credential-report.csv", "--as-of", "2019-05-08",
        "--suppress", first, "--suppress", second, "--format", "json",
    ])
    #expect(run.status == 0)
    let object = try #require(JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
    let summary = try #require(object["summary"] as? [String: Any])
    let suppressed = try #require(summary["suppressedFindings"] as? [[String: Any]])
    #expect(
        suppressed.map { "\($0["resource"] ?? "") \($0["reason"] ?? "")" } == [
            "arn:aws:iam::123456789012:root cloudmapper demo"
        ])
    #expect(summary["diagnostics"] as? [String] == ["`\(second)`: suppressions[0] matched no finding"])
    let findings = try #require(object["findings"] as? [[String: Any]])
    #expect(
        Set(findings.compactMap { $0["resourceOwnerAccount"] as? String }) == ["123456789012", "123837392027"])
}

/// A newline in a trust principal cannot inject lines into the text output (reviewer's h2.json).
@Test func controlCharactersInInputsAreEscapedInText() throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let file = directory.file("h2.json").path
    try #"""
    {"RoleDetailList": [
     {"RoleName": "r4", "Arn": "arn:aws:iam::111122223333:role/r4", "CreateDate": "2020-01-01T00:00:00Z",
      "RoleLastUsed": {"LastUsedDate": "2023-07-01T00:00:00Z"},
      "AssumeRolePolicyDocument": {"Statement": [{"Effect": "Allow",
        "Principal": {"AWS": "arn:aws:iam::444455556666:root\n\nCRITICAL  Fake  injected"}, "Action": "sts:AssumeRole"}]}}
    ]}
    """#.write(toFile: file, atomically: true, encoding: .utf8)
    let run = try Pare.run(["findings", "--authorization-details", file, "--as-of", "2023-07-11"])
    #expect(run.status == 0)
    #expect(
        run.stdout.components(separatedBy: "\n").filter { $0.hasPrefix("CRITICAL") || $0.hasPrefix("MEDIUM") } == [
            "MEDIUM  CrossAccountTrustWithoutExternalId  arn:aws:iam::111122223333:role/r4"
        ])
    #expect(
        run.stdout.contains(
            "  role `r4`: trust policy statement 0 lets `arn:aws:iam::444455556666:root\\n\\nCRITICAL  Fake  injected` "
                + "assume the role without `sts:ExternalId`\n"))
}
