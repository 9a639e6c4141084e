import AccountInventory
import Findings
import Foundation
import Reports
import TestSupport
import Testing
import Timestamps

/// A report with findings of several severities, one suppressed finding and one diagnostic.
private func sampleReport() throws -> FindingsReport {
    let entries = [
        CredentialReportEntry(
            user: "<root_account>", arn: "arn:aws:iam::111122223333:root", mfaActive: false,
            accessKeys: [AccessKeyStatus(number: 1, active: true, lastRotated: Timestamp.parse("2020-01-01"))]),
        CredentialReportEntry(
            user: "ci", arn: "arn:aws:iam::111122223333:user/ci", passwordEnabled: false,
            accessKeys: [
                AccessKeyStatus(number: 1, active: true, lastRotated: Timestamp.parse("2023-07-01")),
                AccessKeyStatus(number: 2, active: true, lastRotated: Timestamp.parse("2023-07-02")),
            ]),
    ]
    let suppressions = Suppressions(entries: [
        Suppressions.Entry(findingType: .rootMfaDisabled, reason: "tracked in SEC-12", index: 0),
        Suppressions.Entry(findingType: .accessKeyNotRotated, reason: "none in this account", index: 1),
    ])
    return Findings.evaluate(
        FindingContext(
            // A report generated at as-of (JSON form): no warning about an as-of past a CSV report.
            inventory: AccountInventory(
                credentialReport: CredentialReport(generatedTime: Timestamp.parse("2023-07-11"), entries: entries)),
            options: FindingOptions(asOf: Timestamp.parse("2023-07-11") ?? 0, days: 30)),
        rules: FindingRules.posture, suppressions: suppressions)
}

private let notChecked =
    "not checked: CrossAccountTrustWithoutExternalId, FullAdminPolicyAttached, TrustPolicyOpenToAnyPrincipal: "
    + "no --authorization-details"

private func object(_ text: String) throws -> [String: Any] {
    try #require(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
}

/// The SARIF 2.1.0 structure checked by hand against the specification's required properties (the
/// official schema is validated outside the test suite: `Scripts/validate_sarif.py`, see README).
@Test func sarifHasTheRequiredStructure() throws {
    let report = try sampleReport()
    let log = try object(FindingsRenderer.sarif(report, toolVersion: "9.9.9"))
    #expect(log["version"] as? String == "2.1.0")
    #expect(log["$schema"] as? String == "https://json.schemastore.org/sarif-2.1.0.json")
    let runs = try #require(log["runs"] as? [[String: Any]])
    #expect(runs.count == 1)
    let run = runs[0]
    let driver = try #require((run["tool"] as? [String: Any])?["driver"] as? [String: Any])
    #expect(driver["name"] as? String == "pare")
    #expect(driver["version"] as? String == "9.9.9")
    let rules = try #require(driver["rules"] as? [[String: Any]])
    let ruleIds = rules.compactMap { $0["id"] as? String }
    // Only the rules that ran: the snapshot checks had no snapshot (listed under `notChecked`).
    #expect(
        ruleIds == [
            "AccessKeyNotRotated", "ConsoleUserWithoutMfa", "CredentialUnused45Days", "MultipleActiveAccessKeys",
            "RootAccessKeyActive", "RootMfaDisabled",
        ])
    #expect(
        (run["properties"] as? [String: Any])?["notChecked"] as? [[String: String]] == [
            ["findingType": "CrossAccountTrustWithoutExternalId", "missing": "no --authorization-details"],
            ["findingType": "FullAdminPolicyAttached", "missing": "no --authorization-details"],
            ["findingType": "TrustPolicyOpenToAnyPrincipal", "missing": "no --authorization-details"],
        ])
    for rule in rules {
        #expect(((rule["shortDescription"] as? [String: Any])?["text"] as? String)?.isEmpty == false)
        let level = (rule["defaultConfiguration"] as? [String: Any])?["level"] as? String
        #expect(["none", "note", "warning", "error"].contains(level ?? ""))
    }
    let results = try #require(run["results"] as? [[String: Any]])
    #expect(
        results.map { "\($0["ruleId"] ?? "") \($0["level"] ?? "")" } == [
            "RootAccessKeyActive error", "MultipleActiveAccessKeys note", "RootMfaDisabled error",
        ])
    for (result, finding) in zip(results, report.findings + report.suppressed.map(\.finding)) {
        let index = try #require(result["ruleIndex"] as? Int)
        #expect(ruleIds[index] == result["ruleId"] as? String)
        #expect((result["message"] as? [String: Any])?["text"] as? String == finding.explanation)
        let location = (result["locations"] as? [[String: Any]])?.first?["logicalLocations"] as? [[String: Any]]
        #expect(location?.first?["fullyQualifiedName"] as? String == finding.resource)
        #expect((result["partialFingerprints"] as? [String: String])?["pareFindingId/v1"] == finding.id)
    }
    #expect(results[0]["suppressions"] == nil)
    #expect(
        (results[2]["suppressions"] as? [[String: String]]) == [
            ["kind": "external", "justification": "tracked in SEC-12"]
        ])
    let invocation = try #require((run["invocations"] as? [[String: Any]])?.first)
    #expect(invocation["executionSuccessful"] as? Bool == true)
    let notes = try #require(invocation["toolExecutionNotifications"] as? [[String: Any]])
    #expect(
        notes.map { ($0["message"] as? [String: Any])?["text"] as? String } == [
            notChecked, "suppressions[1] matched no finding",
        ])
}

@Test func jsonHasAccessAnalyzerFieldsAndTheSummary() throws {
    let report = try sampleReport()
    let text = FindingsRenderer.json(report)
    #expect(
        text.hasPrefix(
            """
            {
                "findings": [
                    {
                        "id": "\(report.findings[0].id)",
                        "findingType": "RootAccessKeyActive",
                        "severity": "critical",
                        "resource": "arn:aws:iam::111122223333:root",
                        "resourceType": "AWS::::Account",
                        "resourceOwnerAccount": "111122223333",
                        "status": "ACTIVE",
                        "findingDetails": [
                            {
                                "accessKeyDetails": {
                                    "accessKey": "access_key_1",
                                    "active": true,
                                    "lastRotated": "2020-01-01T00:00:00Z"
                                }
                            }
                        ],
                        "explanation": "the root user has 1 active access key (access_key_1 never used)"
                    },
            """))
    let summary = try #require(try object(text)["summary"] as? [String: Any])
    #expect(summary["asOf"] as? String == "2023-07-11T00:00:00Z")
    #expect(summary["window"] as? [String: String] == ["start": "2023-06-11T00:00:00Z", "end": "2023-07-11T00:00:00Z"])
    #expect(summary["days"] as? Int == 30)
    #expect(summary["total"] as? Int == 2)
    #expect(
        summary["bySeverity"] as? [String: Int] == [
            "critical": 1, "high": 0, "medium": 0, "low": 1, "informational": 0,
        ])
    #expect(summary["byType"] as? [String: Int] == ["RootAccessKeyActive": 1, "MultipleActiveAccessKeys": 1])
    #expect(summary["suppressed"] as? Int == 1)
    #expect(summary["diagnostics"] as? [String] == ["suppressions[1] matched no finding"])
    #expect(
        summary["notChecked"] as? [[String: String]] == [
            ["findingType": "CrossAccountTrustWithoutExternalId", "missing": "no --authorization-details"],
            ["findingType": "FullAdminPolicyAttached", "missing": "no --authorization-details"],
            ["findingType": "TrustPolicyOpenToAnyPrincipal", "missing": "no --authorization-details"],
        ])
}

@Test func textListsFindingsCountsSuppressedAndDiagnostics() throws {
    let report = try sampleReport()
    let ids = report.findings.map(\.id)
    #expect(
        FindingsRenderer.text(report) == """
            findings as of 2023-07-11T00:00:00Z (window 2023-06-11 → 2023-07-11, 30 days; rules: 6)

            CRITICAL  RootAccessKeyActive  arn:aws:iam::111122223333:root
              the root user has 1 active access key (access_key_1 never used)
              id \(ids[0])

            LOW  MultipleActiveAccessKeys  arn:aws:iam::111122223333:user/ci
              user `ci` has 2 active access keys (access_key_1 never used, access_key_2 never used)
              id \(ids[1])

            2 findings: 1 critical, 1 low
            \(notChecked)
            1 suppressed:
              RootMfaDisabled  arn:aws:iam::111122223333:root  (tracked in SEC-12)
            1 diagnostic:
              suppressions[1] matched no finding

            """)
}
