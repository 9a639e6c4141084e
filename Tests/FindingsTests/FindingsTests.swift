import AccountInventory
import Findings
import Foundation
import TestSupport
import Testing
import Timestamps

private func time(_ text: String) -> Int64 { Timestamp.parse(text) ?? 0 }

/// Runs the posture checks (the unused-access rules have their own tests), or `rules`.
private func evaluate(
    _ inventory: AccountInventory, asOf: String, suppressions: Suppressions = .none,
    rules: [any FindingRule] = FindingRules.posture
) -> FindingsReport {
    Findings.evaluate(
        FindingContext(inventory: inventory, options: FindingOptions(asOf: time(asOf))), rules: rules,
        suppressions: suppressions)
}

/// Without a usage store, `UnusedPermission` does not run, and the report says so.
private let unusedPermissionNotChecked = "not checked: UnusedPermission: no --store or --logs"

/// `SEVERITY Type resource` lines, the form the expectations below are written in.
private func summary(_ report: FindingsReport) -> [String] {
    report.findings.map { "\($0.severity) \($0.findingType) \($0.resource)" }
}

private let demoAccount = "arn:aws:iam::123837392027"

// MARK: - The real and demo snapshots, checked by hand

/// Every posture problem and every unused role, key and password constructed into the demo
/// (Fixtures/demo/README.md) is found, and nothing else (no usage store: evidence from the snapshot's
/// `RoleLastUsed` and the credential report).
@Test func demoFindingsAreExactlyTheConstructedOnes() throws {
    let inventory = try AccountInventory.load(
        authorizationDetails: [Repository.fixture("demo/authorization-details.json").path],
        credentialReports: [Repository.fixture("demo/credential-report.csv").path])
    let report = evaluate(inventory, asOf: "2023-07-11", rules: FindingRules.all)
    #expect(
        summary(report) == [
            "critical TrustPolicyOpenToAnyPrincipal \(demoAccount):role/legacy-ci-deploy",
            "high FullAdminPolicyAttached \(demoAccount):group/Admins",
            "high FullAdminPolicyAttached \(demoAccount):role/stratus-red-team-backdoor-r-role",
            "high FullAdminPolicyAttached \(demoAccount):user/bert-jan",
            "high FullAdminPolicyAttached \(demoAccount):user/malicious-iam-user",
            "medium AccessKeyNotRotated \(demoAccount):user/bert-jan",
            "medium AccessKeyNotRotated \(demoAccount):user/deploy-legacy",
            "medium ConsoleUserWithoutMfa \(demoAccount):user/former-contractor",
            "medium ConsoleUserWithoutMfa \(demoAccount):user/marketing-analyst",
            "medium ConsoleUserWithoutMfa \(demoAccount):user/stratus-red-team-login-profile-user",
            "medium ConsoleUserWithoutMfa \(demoAccount):user/stratus-red-team-nmfalu-gfjyeaypjt",
            "medium CredentialUnused45Days \(demoAccount):user/deploy-legacy",
            "medium CredentialUnused45Days \(demoAccount):user/former-contractor",
            "medium CrossAccountTrustWithoutExternalId \(demoAccount):role/stratus-red-team-backdoor-r-role",
            "medium CrossAccountTrustWithoutExternalId \(demoAccount):role/vendor-monitoring",
            "medium UnusedIAMRole \(demoAccount):role/legacy-ci-deploy",
            "medium UnusedIAMRole \(demoAccount):role/vendor-monitoring",
            "medium UnusedIAMUserAccessKey \(demoAccount):user/deploy-legacy",
            "medium UnusedIAMUserPassword \(demoAccount):user/former-contractor",
            "low MultipleActiveAccessKeys \(demoAccount):user/benjamin",
        ])
    #expect(report.diagnostics == [])
    #expect(report.notCheckedLines == [unusedPermissionNotChecked])
    let backdoor = try #require(report.findings.first { $0.findingType == .crossAccountTrustWithoutExternalId })
    #expect(
        backdoor.findingDetails == [
            .trustPolicyDetails(
                TrustPolicyDetails(
                    statementIndex: 1, sid: nil, principals: ["arn:aws:iam::193672423079:root"],
                    actions: ["sts:AssumeRole"], conditionKeys: []))
        ])
}

@Test func cloudMapperFindings() throws {
    let inventory = try AccountInventory.load(
        authorizationDetails: [Repository.fixture("iam-account/cloudmapper-demo-authorization-details.json").path],
        credentialReports: [Repository.fixture("iam-account/cloudmapper-demo-credential-report.csv").path])
    let report = evaluate(inventory, asOf: "2019-05-08", rules: FindingRules.all)
    let account = "arn:aws:iam::123456789012"
    #expect(
        summary(report) == [
            "critical RootAccessKeyActive \(account):root",
            "critical TrustPolicyOpenToAnyPrincipal \(account):role/bad_role",
            "high FullAdminPolicyAttached \(account):role/bad_role",
            "medium AccessKeyNotRotated \(account):user/user",
            "medium ConsoleUserWithoutMfa \(account):user/user",
            "medium CredentialUnused45Days \(account):user/user",
            "medium CredentialUnused45Days \(account):user/user",
            // access_key_1 was rotated on 2019-05-07, inside the window: not judged.
            "medium UnusedIAMUserAccessKey \(account):user/user",
            "medium UnusedIAMUserPassword \(account):user/user",
            "low MultipleActiveAccessKeys \(account):user/user",
        ])
    // This snapshot predates `RoleLastUsed`: without logs its roles cannot be judged.
    #expect(
        report.diagnostics == [
            "UnusedIAMRole: 4 roles not judged: the snapshot has no RoleLastUsed and no usage store or logs were "
                + "given: `bad_role`, `exfiller`, `level1`, `level3`",
            // The snapshot's AWS-managed-looking principals (`arn:aws:iam::aws:user/USER`) are from the real data.
            "account `aws` has a snapshot but no credential report",
        ])
    #expect(report.notCheckedLines == [unusedPermissionNotChecked])
    let root = try #require(report.findings.first)
    #expect(root.resourceType == .account)
    #expect(root.resourceOwnerAccount == "123456789012")
    #expect(root.explanation == "the root user has 1 active access key (access_key_1 last used 2018-11-27)")
    #expect(
        root.findingDetails == [
            .accessKeyDetails(
                AccessKeyDetails(
                    accessKey: "access_key_1", active: true, lastRotated: time("2018-11-23T16:01:14Z"),
                    lastUsed: time("2018-11-27T00:02:00Z"), lastUsedService: "ecr"))
        ])
}

@Test func cloudsplainingFindings() throws {
    let inventory = try AccountInventory.load(
        authorizationDetails: [Repository.fixture("iam-account/cloudsplaining-test-authorization-details.json").path])
    // The snapshot's principals hold dates up to 2019-12-18T19:10:08Z.
    let report = evaluate(inventory, asOf: "2019-12-19", rules: FindingRules.all)
    let account = "arn:aws:iam::012345678901"
    #expect(
        summary(report) == [
            "high FullAdminPolicyAttached \(account):group/admin",
            "high FullAdminPolicyAttached \(account):user/obama",
            "high FullAdminPolicyAttached \(account):user/obama",
            "high FullAdminPolicyAttached \(account):user/userwithlotsofpermissions",
            // `RoleLastUsed` `{}` (created 2019-08-16) and 2019-01-20: none used since 2019-09-20.
            "medium UnusedIAMRole \(account):role/MyOtherRole",
            "medium UnusedIAMRole \(account):role/MyRole",
            "medium UnusedIAMRole \(account):role/OverprivilegedEC2",
        ])
    #expect(
        report.findings.map(\.findingDetails) == [
            [.policyDetails(admin(via: nil))], [.policyDetails(admin(via: nil))],
            [.policyDetails(admin(via: "\(account):group/admin"))],
            [.policyDetails(admin(via: "\(account):group/admin"))],
            [.unusedIamRoleDetails(UnusedIamRoleDetails(lastAccessed: nil))],
            [.unusedIamRoleDetails(UnusedIamRoleDetails(lastAccessed: nil))],
            [.unusedIamRoleDetails(UnusedIamRoleDetails(lastAccessed: time("2019-01-20T18:48:00Z")))],
        ])
}

private func admin(via: String?) -> PolicyDetails {
    PolicyDetails(
        policyName: "AdministratorAccess", policyArn: "arn:aws:iam::aws:policy/AdministratorAccess",
        policyType: "managed", attachedVia: via, statementIndex: 0)
}

// MARK: - Credential-report rules: thresholds

private func user(
    _ name: String, password: Bool? = nil, passwordLastUsed: String? = nil, mfa: Bool = false,
    created: String = "2020-01-01", keys: [AccessKeyStatus] = []
) -> CredentialReportEntry {
    CredentialReportEntry(
        user: name,
        arn: name == "<root_account>" ? "arn:aws:iam::111122223333:root" : "arn:aws:iam::111122223333:user/\(name)",
        userCreationTime: time(created), passwordEnabled: password, passwordLastUsed: passwordLastUsed.map(time),
        passwordLastChanged: time(created), mfaActive: mfa, accessKeys: keys)
}

private func key(_ number: Int, rotated: String, used: String? = nil, active: Bool = true) -> AccessKeyStatus {
    AccessKeyStatus(number: number, active: active, lastRotated: time(rotated), lastUsed: used.map(time))
}

private func report(_ entries: [CredentialReportEntry], asOf: String) -> FindingsReport {
    evaluate(AccountInventory(credentialReport: CredentialReport(entries: entries)), asOf: asOf)
}

@Test func accessKeyAgeLimitIs90DaysExclusive() {
    let entries = [
        user("exactly-90", keys: [key(1, rotated: "2023-04-12T00:00:00Z", used: "2023-07-10")]),
        user("a-second-more", keys: [key(1, rotated: "2023-04-11T23:59:59Z", used: "2023-07-10")]),
        user("inactive", keys: [key(1, rotated: "2020-01-01", used: "2023-07-10", active: false)]),
    ]
    #expect(
        summary(report(entries, asOf: "2023-07-11")) == [
            "medium AccessKeyNotRotated arn:aws:iam::111122223333:user/a-second-more"
        ])
}

@Test func unusedCredentialsCountFromLastUseOrFromWhenTheyWereSet() {
    let entries = [
        user("used-44-days-ago", password: true, passwordLastUsed: "2023-05-28T00:00:00Z", mfa: true),
        user("key-used-45-days-ago", keys: [key(1, rotated: "2023-01-01", used: "2023-05-27T00:00:00Z")]),
        user("used-45-days-ago", password: true, passwordLastUsed: "2023-05-27T00:00:00Z", mfa: true),
        user("used-46-days-ago", password: true, passwordLastUsed: "2023-05-26T00:00:00Z", mfa: true),
        user("never-used-new", password: true, mfa: true, created: "2023-07-01"),
        user("never-used-old", password: true, mfa: true, created: "2023-01-01"),
        user("key-never-used", keys: [key(2, rotated: "2023-05-01")]),
        user("no-password-no-key"),
    ]
    let found = report(entries, asOf: "2023-07-11")
    #expect(
        summary(found) == [
            "medium AccessKeyNotRotated arn:aws:iam::111122223333:user/key-used-45-days-ago",
            "medium CredentialUnused45Days arn:aws:iam::111122223333:user/key-never-used",
            "medium CredentialUnused45Days arn:aws:iam::111122223333:user/key-used-45-days-ago",
            "medium CredentialUnused45Days arn:aws:iam::111122223333:user/never-used-old",
            "medium CredentialUnused45Days arn:aws:iam::111122223333:user/used-45-days-ago",
            "medium CredentialUnused45Days arn:aws:iam::111122223333:user/used-46-days-ago",
        ])
    #expect(
        found.findings.filter { $0.findingType == .credentialUnused45Days }.map(\.explanation) == [
            "user `key-never-used`: active access_key_2 never used since 2023-05-01, 71 days ago (limit 45)",
            "user `key-used-45-days-ago`: active access_key_1 last used 2023-05-27, 45 days ago (limit 45)",
            "user `never-used-old`: console password never used since 2023-01-01, 191 days ago (limit 45)",
            "user `used-45-days-ago`: console password last used 2023-05-27, 45 days ago (limit 45)",
            "user `used-46-days-ago`: console password last used 2023-05-26, 46 days ago (limit 45)",
        ])
}

@Test func rootRulesJudgeOnlyRootAndUserRulesNeverRoot() {
    let entries = [
        user(
            "<root_account>", password: nil, passwordLastUsed: "2020-01-01", mfa: false,
            keys: [key(1, rotated: "2019-01-01"), key(2, rotated: "2019-01-01")]),
        user("alice", password: true, passwordLastUsed: "2023-07-10", mfa: false),
    ]
    let found = report(entries, asOf: "2023-07-11")
    #expect(
        summary(found) == [
            "critical RootAccessKeyActive arn:aws:iam::111122223333:root",
            "critical RootMfaDisabled arn:aws:iam::111122223333:root",
            "medium ConsoleUserWithoutMfa arn:aws:iam::111122223333:user/alice",
        ])
    #expect(
        found.findings.map(\.explanation) == [
            "the root user has 2 active access keys (access_key_1 never used, access_key_2 never used)",
            "the root user has no MFA device (password last used 2020-01-01)",
            "user `alice` has a console password and no MFA device (password last used 2023-07-10)",
        ])
}

// MARK: - Snapshot rules on constructed trust and identity policies

private func role(_ name: String, trust: String, inline: [String: String] = [:]) -> IAMRole {
    IAMRole(
        arn: "arn:aws:iam::111122223333:role/\(name)", name: name,
        trustPolicy: PolicyText(source: "role `\(name)`: trust policy", text: trust, file: "test"),
        inlinePolicies: inline.sorted { $0.key < $1.key }.map {
            InlinePolicy(name: $0.key, document: PolicyText(source: $0.key, text: $0.value, file: "test"))
        })
}

private func trust(_ principal: String, action: String = "\"sts:AssumeRole\"", condition: String = "") -> String {
    let condition = condition.isEmpty ? "" : ", \"Condition\": \(condition)"
    return
        #"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": \#(principal), "Action": \#(action)\#(condition)}]}"#
}

@Test func trustRulesFlagOpenAndForeignPrincipalsOnly() {
    let roles = [
        role("open-star", trust: trust(#""*""#)),
        role("open-aws-star", trust: trust(#"{"AWS": ["arn:aws:iam::111122223333:root", "*"]}"#)),
        role(
            "open-but-org",
            trust: trust(#"{"AWS": "*"}"#, condition: #"{"StringEquals": {"aws:PrincipalOrgID": "o-1"}}"#)),
        role(
            "not-principal",
            trust:
                #"{"Statement": [{"Effect": "Allow", "NotPrincipal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "sts:AssumeRole"}]}"#
        ),
        role("tag-only", trust: trust(#"{"AWS": "*"}"#, action: #""sts:TagSession""#)),
        role("wildcard-action", trust: trust(#"{"AWS": "444455556666"}"#, action: #""sts:Assume*""#)),
        role(
            "with-external-id",
            trust: trust(#"{"AWS": "444455556666"}"#, condition: #"{"StringEquals": {"sts:ExternalId": "x"}}"#)),
        role("same-account", trust: trust(#"{"AWS": ["111122223333", "arn:aws:iam::111122223333:role/ci"]}"#)),
        role("service", trust: trust(#"{"Service": "ec2.amazonaws.com"}"#)),
        role("deny", trust: #"{"Statement": [{"Effect": "Deny", "Principal": "*", "Action": "sts:AssumeRole"}]}"#),
    ]
    let found = evaluate(AccountInventory(roles: roles), asOf: "2023-07-11")
    #expect(
        found.findings.map { "\($0.findingType) \($0.resource.split(separator: "/").last ?? "")" } == [
            "TrustPolicyOpenToAnyPrincipal not-principal", "TrustPolicyOpenToAnyPrincipal open-aws-star",
            "TrustPolicyOpenToAnyPrincipal open-star", "CrossAccountTrustWithoutExternalId wildcard-action",
        ])
    #expect(
        found.findings.map(\.explanation) == [
            "role `not-principal`: trust policy statement 0 lets everyone outside `NotPrincipal` assume the role, "
                + "with no condition on the caller",
            "role `open-aws-star`: trust policy statement 0 lets any AWS principal assume the role, with no "
                + "condition on the caller",
            "role `open-star`: trust policy statement 0 lets any AWS principal assume the role, with no condition "
                + "on the caller",
            "role `wildcard-action`: trust policy statement 0 lets `444455556666` assume the role without "
                + "`sts:ExternalId`",
        ])
}

/// Conditions that admit anyone do not restrict an open trust; conditions that name another account make
/// it a cross-account trust (reviewer's h1.json).
@Test func trustConditionsAreJudgedByWhatTheyAdmit() {
    func open(_ condition: String) -> String { trust(#"{"AWS": "*"}"#, condition: condition) }
    let roles = [
        role("like-star", trust: open(#"{"StringLike": {"aws:PrincipalArn": "*"}}"#)),
        role("arn-like-star", trust: open(#"{"ArnLike": {"aws:PrincipalArn": ["arn:aws:iam::111122223333:*", "*"]}}"#)),
        role("not-equals", trust: open(#"{"StringNotEquals": {"aws:PrincipalAccount": "999988887777"}}"#)),
        role("null", trust: open(#"{"Null": {"aws:PrincipalOrgID": "false"}}"#)),
        role("other-account", trust: open(#"{"StringEquals": {"aws:PrincipalAccount": "999988887777"}}"#)),
        role("other-arn", trust: open(#"{"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::999988887777:role/*"}}"#)),
        role("own-account", trust: open(#"{"StringEquals": {"aws:PrincipalAccount": "111122223333"}}"#)),
        role("equals-star", trust: open(#"{"StringEquals": {"aws:PrincipalArn": "*"}}"#)),
        // A wildcard in the account admits any account (the reviewer's zz.json).
        role("like-any-account-arn", trust: open(#"{"StringLike": {"aws:PrincipalArn": "arn:aws:iam::*:*"}}"#)),
        role("arn-like-arn-star", trust: open(#"{"ArnLike": {"aws:PrincipalArn": "arn:*"}}"#)),
        role("any-account-admin", trust: open(#"{"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/admin"}}"#)),
        role("ten-accounts", trust: open(#"{"StringLike": {"aws:PrincipalAccount": "44445555666?"}}"#)),
        role(
            "ten-accounts-arn",
            trust: open(#"{"StringLike": {"aws:PrincipalArn": "arn:aws:iam::44445555666?:role/*"}}"#)),
        role("any-org", trust: open(#"{"StringLike": {"aws:PrincipalOrgID": "o-*"}}"#)),
        // A literal account with wildcards elsewhere narrows to that account.
        role(
            "own-account-roles", trust: open(#"{"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::111122223333:role/*"}}"#)),
        role(
            "other-account-external-id",
            trust: open(
                #"{"StringEquals": {"aws:PrincipalAccount": "999988887777", "sts:ExternalId": "x"}}"#)),
    ]
    let found = evaluate(AccountInventory(roles: roles), asOf: "2023-07-11")
    #expect(
        found.findings.map { "\($0.findingType) \($0.resource.split(separator: "/").last ?? "")" } == [
            "TrustPolicyOpenToAnyPrincipal any-account-admin", "TrustPolicyOpenToAnyPrincipal any-org",
            "TrustPolicyOpenToAnyPrincipal arn-like-arn-star", "TrustPolicyOpenToAnyPrincipal arn-like-star",
            "TrustPolicyOpenToAnyPrincipal like-any-account-arn", "TrustPolicyOpenToAnyPrincipal like-star",
            "TrustPolicyOpenToAnyPrincipal not-equals", "TrustPolicyOpenToAnyPrincipal null",
            "TrustPolicyOpenToAnyPrincipal ten-accounts", "TrustPolicyOpenToAnyPrincipal ten-accounts-arn",
            "CrossAccountTrustWithoutExternalId other-account", "CrossAccountTrustWithoutExternalId other-arn",
        ])
    #expect(
        found.findings.suffix(2).map(\.explanation) == [
            "role `other-account`: trust policy statement 0 lets `999988887777` assume the role without "
                + "`sts:ExternalId`",
            "role `other-arn`: trust policy statement 0 lets `arn:aws:iam::999988887777:role/*` assume the role "
                + "without `sts:ExternalId`",
        ])
}

@Test func fullAdminIsStarOnStarAllowOnly() {
    let allow = #"{"Statement": [{"Effect": "Allow", "Action": "%@", "Resource": "%@"%@}]}"#
    func policy(_ action: String, _ resource: String, _ extra: String = "") -> String {
        String(format: allow, action, resource, extra)
    }
    let roles = [
        role("star", trust: trust(#""ec2.amazonaws.com""#), inline: ["p": policy("*", "*")]),
        role("star-colon-star", trust: trust(#""ec2.amazonaws.com""#), inline: ["p": policy("*:*", "*")]),
        role(
            "conditional", trust: trust(#""ec2.amazonaws.com""#),
            inline: ["p": policy("*", "*", #", "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}"#)]),
        role("s3-star", trust: trust(#""ec2.amazonaws.com""#), inline: ["p": policy("s3:*", "*")]),
        role("star-on-bucket", trust: trust(#""ec2.amazonaws.com""#), inline: ["p": policy("*", "arn:aws:s3:::b")]),
        role(
            "not-action", trust: trust(#""ec2.amazonaws.com""#),
            inline: ["p": #"{"Statement": [{"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}]}"#]),
        role(
            "deny", trust: trust(#""ec2.amazonaws.com""#),
            inline: ["p": #"{"Statement": [{"Effect": "Deny", "Action": "*", "Resource": "*"}]}"#]),
    ]
    let found = evaluate(AccountInventory(roles: roles), asOf: "2023-07-11")
    #expect(
        found.findings.map(\.explanation) == [
            "role `conditional` has inline policy `p`, which allows `*` on `*` under a condition",
            "role `star` has inline policy `p`, which allows `*` on `*`",
            "role `star-colon-star` has inline policy `p`, which allows `*` on `*`",
        ])
}

// MARK: - Ids, suppressions, fail-on

@Test func idsAreStableAcrossRunsAndTimesAndDistinctPerDiscriminator() {
    let entries = [user("bob", keys: [key(1, rotated: "2020-01-01"), key(2, rotated: "2020-02-01")])]
    let early = report(entries, asOf: "2023-07-11").findings.filter { $0.findingType == .accessKeyNotRotated }
    let late = report(entries, asOf: "2024-01-01").findings.filter { $0.findingType == .accessKeyNotRotated }
    #expect(early.map(\.id) == late.map(\.id))
    #expect(Set(early.map(\.id)).count == 2)
    // Ids must not change between versions (suppression files name them). The expected values were
    // computed independently (Python: FNV-1a 64 of `type\0resource\0slot\0`, offsets cbf29ce484222325
    // and 6c62272e07bb0142, each through Murmur3's fmix64).
    #expect(early.map(\.id) == ["90196a0f-8088-1dee-ac8d-624f8d45426d", "ca66cb68-d9df-9318-ee7a-0341e143ee38"])
}

@Test func suppressionsByIdAndPatternExpiredAndUnmatched() throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let entries = [
        user("ci-a", keys: [key(1, rotated: "2020-01-01", used: "2023-07-10")]),
        user("ci-b", keys: [key(1, rotated: "2020-01-01", used: "2023-07-10")]),
        user("alice", password: true, passwordLastUsed: "2023-07-10", mfa: false),
    ]
    let before = report(entries, asOf: "2023-07-11")
    let alice = try #require(before.findings.first { $0.findingType == .consoleUserWithoutMfa })
    let file = directory.file("suppress.json").path
    try """
    {"suppressions": [
      {"findingType": "AccessKeyNotRotated", "resource": "arn:aws:iam::*:user/ci-*", "reason": "keys rotate via vault"},
      {"id": "\(alice.id)", "reason": "break-glass user"},
      {"findingType": "RootMfaDisabled", "reason": "no root in this account"},
      {"resource": "arn:aws:iam::111122223333:user/alice", "reason": "old exception", "expires": "2023-01-01"}
    ]}
    """.write(toFile: file, atomically: true, encoding: .utf8)
    let suppressions = try Suppressions(contentsOf: file)
    let after = Findings.evaluate(
        FindingContext(
            inventory: AccountInventory(credentialReport: CredentialReport(entries: entries)),
            options: FindingOptions(asOf: time("2023-07-11"))),
        suppressions: suppressions)
    #expect(after.findings == [])
    #expect(
        after.suppressed.map { "\($0.finding.findingType) \($0.finding.resource) \($0.reason)" } == [
            "AccessKeyNotRotated arn:aws:iam::111122223333:user/ci-a keys rotate via vault",
            "AccessKeyNotRotated arn:aws:iam::111122223333:user/ci-b keys rotate via vault",
            "ConsoleUserWithoutMfa arn:aws:iam::111122223333:user/alice break-glass user",
        ])
    #expect(
        after.diagnostics == [
            "suppressions[2] matched no finding", "suppressions[3] expired on 2023-01-01; not applied",
        ])
    #expect(before.fails(at: .medium))
    #expect(!before.fails(at: .high))
    #expect(!after.fails(at: .informational))
}

@Test(arguments: [
    ("{\"suppressions\": [{\"id\": \"x\"}]}", "suppressions[0]: missing `reason`"),
    (
        "{\"suppressions\": [{\"reason\": \"r\"}]}",
        "suppressions[0]: give at least one of `id`, `findingType`, `resource`"
    ),
    (
        "{\"suppressions\": [{\"reason\": \"r\", \"id\": \"x\", \"until\": \"2024\"}]}",
        "suppressions[0]: unknown field `until`"
    ),
    (
        "{\"suppressions\": [{\"reason\": \"r\", \"id\": \"x\", \"expires\": \"soon\"}]}",
        "suppressions[0].expires: expected an ISO 8601 time, found `soon`"
    ),
    ("{\"suppressions\": [{\"reason\": 3, \"id\": \"x\"}]}", "suppressions[0].reason: expected a non-empty string"),
    ("[]", "expected an object with a `suppressions` array"),
    ("{", "not valid JSON"),
])
func malformedSuppressionFiles(content: String, reason: String) throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let file = directory.file("s.json").path
    try content.write(toFile: file, atomically: true, encoding: .utf8)
    let error = #expect(throws: FindingsError.self) { try Suppressions(contentsOf: file) }
    #expect(error?.description == "cannot read `\(file)`: \(reason)")
}

@Test func severityOrder() {
    #expect(Severity.allCases.sorted() == [.informational, .low, .medium, .high, .critical])
    #expect(Severity.critical > .high && Severity.low > .informational)
}

/// The README's finding reference has a row for every rule, with the rule's severity.
@Test func readmeReferenceListsEveryRuleWithItsSeverity() throws {
    let readme = try String(contentsOf: Repository.root.appendingPathComponent("README.md"), encoding: .utf8)
    let missing = FindingRules.all.map(\.descriptor).filter {
        !readme.contains("| `\($0.findingType)` | \($0.severity) |")
    }
    #expect(missing.map(\.findingType.rawValue) == [])
}

// MARK: - Rules without their input

/// A snapshot without a credential report: the credential-report checks do not run, are not in `rules`
/// and are listed as not checked (never as checked and clean); `UnusedPermission` needs the logs too.
@Test func rulesWithoutTheirInputAreNotChecked() throws {
    let inventory = try AccountInventory.load(
        authorizationDetails: [Repository.fixture("iam-account/cloudsplaining-test-authorization-details.json").path])
    let report = evaluate(inventory, asOf: "2020-11-19", rules: FindingRules.all)
    #expect(
        report.rules.map(\.findingType.rawValue) == [
            "CrossAccountTrustWithoutExternalId", "FullAdminPolicyAttached", "TrustPolicyOpenToAnyPrincipal",
            "UnusedIAMRole",
        ])
    #expect(
        report.notCheckedLines == [
            "not checked: AccessKeyNotRotated, ConsoleUserWithoutMfa, CredentialUnused45Days, "
                + "MultipleActiveAccessKeys, RootAccessKeyActive, RootMfaDisabled, UnusedIAMUserAccessKey, "
                + "UnusedIAMUserPassword: no --credential-report",
            "not checked: UnusedPermission: no --store or --logs",
        ])
}

/// A credential report alone: the snapshot checks are the ones not checked.
@Test func snapshotRulesWithoutASnapshotAreNotChecked() {
    let report = Findings.evaluate(
        FindingContext(
            inventory: AccountInventory(credentialReport: CredentialReport(entries: [user("alice")])),
            options: FindingOptions(asOf: time("2023-07-11"))))
    #expect(
        report.rules.map(\.findingType.rawValue) == [
            "AccessKeyNotRotated", "ConsoleUserWithoutMfa", "CredentialUnused45Days", "MultipleActiveAccessKeys",
            "RootAccessKeyActive", "RootMfaDisabled", "UnusedIAMUserAccessKey", "UnusedIAMUserPassword",
        ])
    #expect(
        report.notCheckedLines == [
            "not checked: CrossAccountTrustWithoutExternalId, FullAdminPolicyAttached, TrustPolicyOpenToAnyPrincipal, "
                + "UnusedIAMRole: no --authorization-details",
            "not checked: UnusedPermission: no --authorization-details, no --store or --logs",
        ])
}

// MARK: - The window and the end of the evidence

private func cloudMapperWithJSONReport() throws -> AccountInventory {
    try AccountInventory.load(
        authorizationDetails: [Repository.fixture("iam-account/cloudmapper-demo-authorization-details.json").path],
        credentialReports: [Repository.fixture("iam-account/cloudmapper-demo-credential-report.json").path])
}

/// Without --as-of the window ends when the evidence does: the report's GeneratedTime, else the latest
/// time the inputs hold.
@Test func defaultAsOfIsWhenTheEvidenceEnds() throws {
    let json = try #require(Findings.defaultAsOf(try cloudMapperWithJSONReport()))
    #expect(json.time == time("2019-05-07T15:40:22Z"))
    #expect(json.source == "the credential report's GeneratedTime")
    let csv = try #require(
        Findings.defaultAsOf(
            try AccountInventory.load(
                credentialReports: [Repository.fixture("iam-account/cloudmapper-demo-credential-report.csv").path])))
    #expect(csv.time == time("2019-05-07T15:35:55Z"))
    #expect(
        csv.source == "the latest time the credential report holds (give --as-of: the inputs carry no generation time)")
    let snapshot = try #require(
        Findings.defaultAsOf(
            try AccountInventory.load(authorizationDetails: [
                Repository.fixture("iam-account/cloudsplaining-test-authorization-details.json").path
            ])))
    // The snapshot's principals, not its AWS managed policies' version dates (2020-01-29).
    #expect(Timestamp.format(snapshot.time) == "2019-12-18T19:10:08Z")
    #expect(snapshot.source == "the latest time the snapshot holds (give --as-of: the inputs carry no generation time)")
    #expect(Findings.defaultAsOf(AccountInventory()) == nil)
}

/// The demo snapshot holds AWS managed policy versions dated 2026 (SecurityAudit v92); its principals'
/// dates end 2023-07-10T12:32:01Z and the CSV report's 2023-07-10T12:29:00Z: the window ends at the
/// earliest of the inputs' ends, not at a date no input evidences.
@Test func defaultAsOfIsTheEarliestEndOfTheInputs() throws {
    let snapshot = Repository.fixture("demo/authorization-details.json").path
    let report = Repository.fixture("demo/credential-report.csv").path
    let alone = try #require(Findings.defaultAsOf(try AccountInventory.load(authorizationDetails: [snapshot])))
    #expect(Timestamp.format(alone.time) == "2023-07-10T12:32:01Z")
    let both = try #require(
        Findings.defaultAsOf(try AccountInventory.load(authorizationDetails: [snapshot], credentialReports: [report])))
    #expect(Timestamp.format(both.time) == "2023-07-10T12:29:00Z")
    #expect(
        both.source == "the latest time the credential report holds (give --as-of: the inputs carry no generation time)"
    )
    // The CloudMapper report was generated in 2019, its snapshot holds dates of 2021: 2019 it is.
    #expect(
        Timestamp.format(try #require(Findings.defaultAsOf(try cloudMapperWithJSONReport())).time)
            == "2019-05-07T15:40:22Z")
}

/// Credential reports of two accounts generated years apart (CloudMapper's JSON of 2019, the demo's CSV
/// of 2023): without --as-of each account's credentials are judged as of the end of its own report,
/// exactly as when its report is read alone, and a diagnostic says so; no age is negative.
@Test func severalReportsAreEachJudgedAsOfTheirOwnEnd() throws {
    let cloudMapper = Repository.fixture("iam-account/cloudmapper-demo-credential-report.json").path
    let demo = Repository.fixture("demo/credential-report.csv").path
    func run(_ files: [String]) throws -> FindingsReport {
        let inventory = try AccountInventory.load(credentialReports: files)
        let asOf = try #require(Findings.defaultAsOf(inventory))
        return Findings.evaluate(
            FindingContext(inventory: inventory, options: FindingOptions(asOf: asOf.time, asOfSource: asOf.source)))
    }
    let both = try run([cloudMapper, demo])
    let alone = try run([cloudMapper]).findings + run([demo]).findings
    #expect(both.findings == alone.sorted(by: order))
    #expect(both.findings.contains { $0.resourceOwnerAccount == "123837392027" })
    #expect(
        both.diagnostics.filter { $0.hasPrefix("no --as-of") } == [
            "no --as-of: the credentials of account `123837392027` are judged as of 2023-07-10T12:29:00Z, the "
                + "latest time its credential report holds",
            "no --as-of: the window ends at 2019-05-07T15:40:22Z, the credential report's GeneratedTime",
        ])
    #expect(FindingOptions(asOf: 0).age(of: 3 * 86_400) == 0)
}

/// A CSV report has no generation time: an --as-of more than a day after its latest time gets a warning.
@Test func anAsOfLongAfterACSVReportIsWarnedAbout() throws {
    let inventory = try AccountInventory.load(credentialReports: [Repository.fixture("demo/credential-report.csv").path]
    )
    let warning =
        "--as-of 2030-01-01T00:00:00Z is more than a day after the latest time the credential report of account "
        + "`123837392027` holds (2023-07-10T12:29:00Z): a CSV report carries no generation time, so credentials "
        + "may have been used since; give the JSON report or an earlier --as-of"
    #expect(evaluate(inventory, asOf: "2030-01-01").diagnostics == [warning])
    #expect(evaluate(inventory, asOf: "2023-07-11T12:29:00Z").diagnostics == [])
}

private func order(_ a: Finding, _ b: Finding) -> Bool {
    if a.severity != b.severity { return a.severity > b.severity }
    return (a.findingType.rawValue, a.resource, a.id) < (b.findingType.rawValue, b.resource, b.id)
}

/// A window that ends after the credential report was generated: no unused verdict from the report
/// (it cannot know what happened since), a diagnostic per rule instead.
@Test func aWindowPastTheCredentialReportGivesNoUnusedVerdicts() throws {
    let report = evaluate(try cloudMapperWithJSONReport(), asOf: "2026-11-29", rules: FindingRules.all)
    let types = Set(report.findings.map(\.findingType))
    #expect(types.intersection([.unusedIAMUserAccessKey, .unusedIAMUserPassword, .credentialUnused45Days]) == [])
    let past =
        "not judged: the window ends 2026-11-29T00:00:00Z, after the credential report was generated "
        + "(2019-05-07T15:40:22Z); give --as-of 2019-05-07T15:40:22Z or a newer report"
    #expect(
        report.diagnostics.filter { $0.contains("credential report was generated") } == [
            "CredentialUnused45Days: \(past)", "UnusedIAMUserAccessKey: \(past)", "UnusedIAMUserPassword: \(past)",
        ])
    // At the report's time they are judged.
    let atReport = evaluate(try cloudMapperWithJSONReport(), asOf: "2019-05-07T15:40:22Z", rules: FindingRules.all)
    #expect(
        summary(atReport).filter { $0.contains("Unused") } == [
            "medium CredentialUnused45Days arn:aws:iam::123456789012:user/user",
            "medium CredentialUnused45Days arn:aws:iam::123456789012:user/user",
            "medium UnusedIAMUserAccessKey arn:aws:iam::123456789012:user/user",
            "medium UnusedIAMUserPassword arn:aws:iam::123456789012:user/user",
        ])
}
