import AccountInventory
import Analysis
import Findings
import Foundation
import TestSupport
import Testing
import Timestamps
import UsageStore

// The window of every test here: as of 2026-11-01, 90 days → [2026-08-03, 2026-11-01).
private let asOf = "2026-11-01"
private let account = "111122223333"
private func time(_ text: String) -> Int64 { Timestamp.parse(text) ?? 0 }
private func roleARN(_ name: String) -> String { "arn:aws:iam::\(account):role/\(name)" }
private func userARN(_ name: String) -> String { "arn:aws:iam::\(account):user/\(name)" }

private func role(
    _ name: String, created: String, lastUsed: String? = nil, tracked: Bool = true, path: String = "/",
    actions: [String] = ["s3:GetObject"]
) -> IAMRole {
    let document =
        #"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["#
        + actions.map { "\"\($0)\"" }.joined(separator: ", ") + #"], "Resource": "*"}]}"#
    return IAMRole(
        arn: "arn:aws:iam::\(account):role\(path)\(name)", name: name, path: path, createDate: time(created),
        inlinePolicies: [InlinePolicy(name: "p", document: PolicyText(source: "p", text: document, file: "p"))],
        lastUsed: lastUsed.map(time), lastUsedTracked: tracked)
}

private func iamUser(_ name: String, created: String, actions: [String]) -> IAMUser {
    let document =
        #"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["#
        + actions.map { "\"\($0)\"" }.joined(separator: ", ") + #"], "Resource": "*"}]}"#
    return IAMUser(
        arn: userARN(name), name: name, createDate: time(created),
        inlinePolicies: [InlinePolicy(name: "p", document: PolicyText(source: "p", text: document, file: "p"))])
}

private func entry(
    _ name: String, created: String, password: Bool = false, passwordLastUsed: String? = nil,
    passwordChanged: String? = nil, keys: [AccessKeyStatus] = []
) -> CredentialReportEntry {
    CredentialReportEntry(
        user: name, arn: userARN(name), userCreationTime: time(created), passwordEnabled: password,
        passwordLastUsed: passwordLastUsed.map(time), passwordLastChanged: time(passwordChanged ?? created),
        accessKeys: keys)
}

private func key(_ number: Int, created: String, used: String? = nil) -> AccessKeyStatus {
    AccessKeyStatus(number: number, active: true, lastRotated: time(created), lastUsed: used.map(time))
}

/// Runs the unused-access rules; with `events`, over a store covering the window (minus `gaps`).
private func run(
    _ inventory: AccountInventory, events: [TestLedger.Event]? = nil, gaps: Set<String> = [],
    coveredFrom: String = "2026-08-03", dataEvents: Bool = true
) throws -> FindingsReport {
    let options = FindingOptions(asOf: time(asOf))
    var evidence: UsageEvidence?
    if let events {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try TestLedger.store(
            in: directory, events: events, account: account, coveredFrom: coveredFrom, coveredTo: "2026-10-31",
            gaps: gaps, dataEvents: dataEvents)
        evidence = try UsageEvidence(store: store, window: StoreWindow(start: options.windowStart, end: options.asOf))
    }
    return Findings.evaluate(
        FindingContext(inventory: inventory, options: options, catalog: TestCatalog.shared, evidence: evidence),
        rules: FindingRules.unused)
}

private func summary(_ report: FindingsReport) -> [String] {
    report.findings.map { "\($0.findingType) \($0.resource)" }
}

private let noEvidence = "not checked: UnusedPermission: no --store or --logs"

@Test func principalsCreatedInsideTheWindowAreNotJudged() throws {
    let inventory = AccountInventory(
        roles: [
            // `new` was used the day before as-of: the snapshot was taken then (else no role is judged).
            role("old", created: "2026-08-03"),
            role("new", created: "2026-08-03T00:00:01Z", lastUsed: "2026-10-31T12:00:00Z"),
            role("AWSServiceRoleForX", created: "2020-01-01", path: "/aws-service-role/x.amazonaws.com/"),
        ],
        credentialReport: CredentialReport(
            generatedTime: time(asOf),
            entries: [
                entry("old-user", created: "2026-01-01", password: true, keys: [key(1, created: "2026-01-01")]),
                entry("new-user", created: "2026-09-01", password: true, keys: [key(1, created: "2026-09-01")]),
                // The user is old, but this key and this password were set inside the window.
                entry(
                    "old-user-new-key", created: "2026-01-01", password: true, passwordChanged: "2026-10-01",
                    keys: [key(1, created: "2026-10-01")]),
            ]))
    let report = try run(inventory)
    #expect(
        summary(report) == [
            "UnusedIAMRole \(roleARN("old"))", "UnusedIAMUserAccessKey \(userARN("old-user"))",
            "UnusedIAMUserPassword \(userARN("old-user"))",
        ])
    #expect(
        report.findings.map(\.explanation)[0]
            == "role `old` was not used since the window start 2026-08-03 (never used)")
    // Roles, keys and passwords are judged on the snapshot's and the report's evidence; permissions are not.
    #expect(report.diagnostics == [])
    #expect(report.notCheckedLines == [noEvidence])
}

@Test func recentRoleLastUsedWithoutLogsIsNotUnused() throws {
    let inventory = AccountInventory(roles: [
        role("recent", created: "2026-01-01", lastUsed: "2026-10-30T08:00:00Z"),
        role("by-logs", created: "2026-01-01", lastUsed: "2026-07-01"),
        role("stale", created: "2026-01-01", lastUsed: "2026-07-01T10:00:00Z"),
    ])
    let report = try run(inventory, events: [.init(roleARN("by-logs"), "s3:GetObject", at: "2026-09-15T12:00:00Z")])
    #expect(summary(report) == ["UnusedIAMRole \(roleARN("stale"))"])
    #expect(
        report.findings[0].findingDetails == [
            .unusedIamRoleDetails(UnusedIamRoleDetails(lastAccessed: time("2026-07-01T10:00:00Z")))
        ])
    #expect(
        report.findings[0].explanation
            == "role `stale` was not used since the window start 2026-08-03 (last used 2026-07-01, 122 days ago)")
    // `by-logs` acted in the window, so it gets an UnusedPermission check and passes it (it used all it has).
    #expect(report.diagnostics == [])
}

/// `RoleLastUsed` says nothing of the time after the snapshot was taken: when the window ends more than
/// a day after the latest time the snapshot holds, a role is judged only by logs covering the window.
@Test func roleLastUsedIsNotJudgedPastTheSnapshot() throws {
    let inventory = AccountInventory(roles: [
        role("stale", created: "2026-01-01", lastUsed: "2026-07-01T10:00:00Z"),
        role("recent", created: "2026-01-01", lastUsed: "2026-10-31T01:00:00Z"),
    ])
    let staleFinding =
        "role `stale` was not used since the window start 2026-08-03 (last used 2026-07-01, 122 days ago)"
    // The snapshot holds 2026-10-31T01:00:00Z, less than a day before as-of: judged.
    let fresh = try run(inventory)
    #expect(fresh.findings.map(\.explanation) == [staleFinding])
    #expect(fresh.diagnostics == [])

    let old = AccountInventory(roles: [role("stale", created: "2026-01-01", lastUsed: "2026-07-01T10:00:00Z")])
    let past = try run(old)
    #expect(past.findings == [])
    #expect(
        past.diagnostics == [
            "UnusedIAMRole: 1 role not judged: the window ends 2026-11-01T00:00:00Z, after the latest time the "
                + "snapshot holds (2026-07-01T10:00:00Z), and no usage store or logs were given: `stale`"
        ])
    // Logs covering the window judge it.
    let logged = try run(old, events: [])
    #expect(logged.findings.map(\.explanation) == [staleFinding])
}

/// Days without logs are never read as "unused": a role that only the logs can judge is not judged;
/// `UnusedPermission` is judged over the days with logs when they are at least half the window, and says
/// so (explanation, details and diagnostic); with fewer it is not judged.
@Test func coverageGapsGiveAWarningAndNoUnusedVerdictForTheUncoveredDays() throws {
    let inventory = AccountInventory(
        users: [iamUser("dev", created: "2026-01-01", actions: ["s3:GetObject", "s3:PutObject"])],
        roles: [role("untracked", created: "2026-01-01", tracked: false)])
    let events: [TestLedger.Event] = [.init(userARN("dev"), "s3:GetObject", at: "2026-10-02T09:00:00Z")]
    func used(_ covered: Int, _ span: String) -> String {
        "user `dev` used 1 of 2 granted actions over the \(covered) of 90 days with logs, \(span); 0 of 1 granted "
            + "services unused, 1 partly used"
    }
    func details(_ covered: Int) -> [FindingDetail] {
        [
            .unusedPermissionDetails(
                UnusedPermissionDetails(
                    serviceNamespace: "s3", actions: [.init(action: "s3:PutObject", lastAccessed: nil)],
                    lastAccessed: time("2026-10-02T09:00:00Z"), coveredDays: covered, windowDays: 90))
        ]
    }

    let gap = try run(inventory, events: events, gaps: ["2026-09-10", "2026-09-11"])
    #expect(summary(gap) == ["UnusedPermission \(userARN("dev"))"])
    #expect(gap.findings.map(\.explanation) == [used(88, "2026-08-03 to 2026-10-31")])
    #expect(gap.findings.map(\.findingDetails) == [details(88)])
    let days = "2 of 90 days of the window 2026-08-03 to 2026-10-31 have no logs of account `111122223333`"
    #expect(
        gap.diagnostics == [
            "UnusedIAMRole: 1 role not judged: the snapshot has no RoleLastUsed and \(days): `untracked`",
            "UnusedPermission: 1 principal judged only over the days with logs: \(days): `dev`",
        ])

    // Half the window (45 of 90 days) is enough; 44 days are not.
    let half = try run(inventory, events: events, coveredFrom: "2026-09-17")
    #expect(half.findings.map(\.explanation) == [used(45, "2026-09-17 to 2026-10-31")])
    #expect(half.findings.map(\.findingDetails) == [details(45)])
    let late = try run(inventory, events: events, coveredFrom: "2026-09-18")
    #expect(late.findings == [])
    let lateDays = "46 of 90 days of the window 2026-08-03 to 2026-10-31 have no logs of account `111122223333`"
    #expect(
        late.diagnostics == [
            "UnusedIAMRole: 1 role not judged: the snapshot has no RoleLastUsed and \(lateDays): `untracked`",
            "UnusedPermission: 2 principals not judged: \(lateDays) (at least half of the window must have logs): "
                + "`dev`, `untracked`",
        ])

    let covered = try run(inventory, events: events)
    #expect(summary(covered) == ["UnusedIAMRole \(roleARN("untracked"))", "UnusedPermission \(userARN("dev"))"])
    #expect(covered.findings.last?.explanation == used(90, "2026-08-03 to 2026-10-31"))
    #expect(covered.diagnostics == [])

    let noStore = try run(inventory)
    #expect(noStore.findings == [])
    #expect(
        noStore.diagnostics == [
            "UnusedIAMRole: 1 role not judged: the snapshot has no RoleLastUsed and no usage store or logs were given: "
                + "`untracked`"
        ])
    #expect(
        noStore.notCheckedLines == [
            "not checked: UnusedIAMUserAccessKey, UnusedIAMUserPassword: no --credential-report", noEvidence,
        ])
}

@Test func unusedPermissionDetailsPerServiceWithActionsTheLogsShow() throws {
    let inventory = AccountInventory(users: [
        iamUser(
            "dev", created: "2026-01-01",
            actions: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "sqs:SendMessage", "sqs:ReceiveMessage"])
    ])
    let report = try run(
        inventory,
        events: [
            .init(userARN("dev"), "s3:GetObject", at: "2026-10-02T09:00:00Z"),
            .init(userARN("dev"), "s3:PutObject", at: "2026-05-01T10:00:00Z"),
            .init(userARN("dev"), "sqs:ReceiveMessage", at: "2026-06-01T11:00:00Z"),
            .init(userARN("dev"), "sqs:SendMessage", at: "2026-10-03T11:00:00Z", denied: true),
        ])
    #expect(summary(report) == ["UnusedPermission \(userARN("dev"))"])
    let finding = try #require(report.findings.first)
    #expect(finding.severity == .low)
    #expect(finding.resourceType == .user)
    #expect(
        finding.findingDetails == [
            // s3 was used in the window: every other granted s3 action is listed.
            .unusedPermissionDetails(
                UnusedPermissionDetails(
                    serviceNamespace: "s3",
                    actions: [
                        .init(action: "s3:DeleteObject", lastAccessed: nil),
                        .init(action: "s3:PutObject", lastAccessed: time("2026-05-01T10:00:00Z")),
                    ], lastAccessed: time("2026-10-02T09:00:00Z"), coveredDays: 90, windowDays: 90)),
            // sqs was not: the actions the logs show it used before, and the service's last use.
            .unusedPermissionDetails(
                UnusedPermissionDetails(
                    serviceNamespace: "sqs",
                    actions: [.init(action: "sqs:ReceiveMessage", lastAccessed: time("2026-06-01T11:00:00Z"))],
                    lastAccessed: time("2026-06-01T11:00:00Z"), coveredDays: 90, windowDays: 90)),
        ])
    #expect(
        finding.explanation
            == "user `dev` used 1 of 5 granted actions over the 90 of 90 days with logs, 2026-08-03 to 2026-10-31; "
            + "1 of 2 granted services unused, 1 partly used")
}

@Test func storeEvidenceCountsForAKeyOrPasswordOnlyWhenItIsTheOnlyCredential() throws {
    let inventory = AccountInventory(
        credentialReport: CredentialReport(entries: [
            entry("one-key", created: "2026-01-01", keys: [key(1, created: "2026-01-01", used: "2026-06-01")]),
            entry(
                "two-keys", created: "2026-01-01",
                keys: [
                    key(1, created: "2026-01-01", used: "2026-06-01"),
                    key(2, created: "2026-01-01", used: "2026-10-20"),
                ]),
            entry("console-only", created: "2026-01-01", password: true, passwordLastUsed: "2026-06-01"),
            entry(
                "console-and-key", created: "2026-01-01", password: true, passwordLastUsed: "2026-06-01",
                keys: [key(1, created: "2026-01-01", used: "2026-10-20")]),
        ]))
    let events: [TestLedger.Event] = ["one-key", "two-keys", "console-only", "console-and-key"].map {
        .init(userARN($0), "sts:GetCallerIdentity", at: "2026-10-25T00:00:00Z")
    }
    let report = try run(inventory, events: events)
    #expect(
        summary(report) == [
            "UnusedIAMUserAccessKey \(userARN("two-keys"))", "UnusedIAMUserPassword \(userARN("console-and-key"))",
        ])
    #expect(
        report.findings[0].findingDetails == [
            .unusedIamUserAccessKeyDetails(
                UnusedIamUserAccessKeyDetails(accessKeyId: "access_key_1", lastAccessed: time("2026-06-01")))
        ])
}

@Test func logsWithoutDataEventsAddAWarning() throws {
    let inventory = AccountInventory(users: [
        iamUser("dev", created: "2026-01-01", actions: ["s3:GetObject", "s3:ListBucket"])
    ])
    let report = try run(
        inventory, events: [.init(userARN("dev"), "s3:ListBucket", at: "2026-10-02T09:00:00Z")], dataEvents: false)
    #expect(summary(report) == ["UnusedPermission \(userARN("dev"))"])
    #expect(
        report.diagnostics == [
            "UnusedPermission: the logs of account `111122223333` hold no data events: actions CloudTrail records "
                + "only as data events (S3 object-level, Lambda Invoke, …) may be in use unseen"
        ])
}
