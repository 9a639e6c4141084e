import AccountInventory
import Foundation
import TestSupport
import Testing
import Timestamps

private let cloudsplaining = Repository.fixture("iam-account/cloudsplaining-test-authorization-details.json").path
private let cloudmapper = Repository.fixture("iam-account/cloudmapper-demo-authorization-details.json").path
private let reportCSV = Repository.fixture("iam-account/cloudmapper-demo-credential-report.csv").path
private let reportJSON = Repository.fixture("iam-account/cloudmapper-demo-credential-report.json").path

private func time(_ text: String) -> Int64? { Timestamp.parse(text) }

@Test func cloudsplainingSnapshotPrincipalsAndPolicies() throws {
    let inventory = try AccountInventory.load(authorizationDetails: [cloudsplaining])
    #expect(
        inventory.users.map(\.arn) == [
            "arn:aws:iam::012345678901:user/biden", "arn:aws:iam::012345678901:user/obama",
            "arn:aws:iam::012345678901:user/userwithlotsofpermissions",
        ])
    #expect(inventory.groups.map(\.name) == ["admin", "biden"])
    #expect(inventory.roles.map(\.name) == ["MyOtherRole", "MyRole", "OverprivilegedEC2"])
    #expect(inventory.managedPolicies.count == 32)
    #expect(inventory.diagnostics == [])
    #expect(inventory.accounts == ["012345678901"])

    let obama = try #require(inventory.users.first { $0.name == "obama" })
    #expect(obama.createDate == time("2019-12-18T19:10:08Z"))
    #expect(
        inventory.identityPolicies(of: obama).map { "\($0.kind):\($0.name):\($0.viaGroup ?? "-")" } == [
            "managed:AdministratorAccess:-", "managed:AdministratorAccess:arn:aws:iam::012345678901:group/admin",
        ])
    let biden = try #require(inventory.users.first { $0.name == "biden" })
    #expect(
        inventory.identityPolicies(of: biden).map(\.document.source) == [
            "user `biden`: inline policy `InsecureUserPolicy`",
            "policy `arn:aws:iam::aws:policy/AWSLambdaFullAccess` v8",
            "group `biden`: inline policy `InlinePolicyForBidenGroup`",
            "policy `arn:aws:iam::aws:policy/AmazonRDSFullAccess` v6",
        ])

    let role = try #require(inventory.roles.first { $0.name == "OverprivilegedEC2" })
    #expect(role.lastUsed == time("2019-01-20T18:48:00Z"))
    #expect(role.lastUsedRegion == "us-east-1")
    #expect(
        role.instanceProfiles == [
            InstanceProfile(
                arn: "arn:aws:iam::012345678901:instance-profile/OverprivilegedEC2", name: "OverprivilegedEC2",
                path: "/")
        ])
    #expect(
        role.trustPolicy?.text
            == #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#
    )
    #expect(inventory.roles.first { $0.name == "MyRole" }?.lastUsed == nil)
}

@Test func defaultVersionIsTheOneThatApplies() throws {
    let inventory = try AccountInventory.load(authorizationDetails: [cloudsplaining])
    // AWSCodeCommitPowerUser carries v11 (default) and v10.
    let policy = try #require(inventory.managedPolicies["arn:aws:iam::aws:policy/AWSCodeCommitPowerUser"])
    #expect(policy.defaultVersionId == "v11")
    #expect(policy.isAWSManaged)
    let raw = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: cloudsplaining)))
    let versions = try #require(
        ((raw as? [String: Any])?["Policies"] as? [[String: Any]])?
            .first { $0["PolicyName"] as? String == "AWSCodeCommitPowerUser" }?["PolicyVersionList"] as? [[String: Any]]
    )
    let v11 = try #require(versions.first { $0["VersionId"] as? String == "v11" }?["Document"])
    let v10 = try #require(versions.first { $0["VersionId"] as? String == "v10" }?["Document"])
    let parsed = try JSONSerialization.jsonObject(with: Data(policy.document.text.utf8))
    #expect((parsed as? NSDictionary) == (v11 as? NSDictionary))
    #expect((parsed as? NSDictionary) != (v10 as? NSDictionary))
}

@Test func snapshotsOfSeveralAccountsMerge() throws {
    let inventory = try AccountInventory.load(authorizationDetails: [cloudsplaining, cloudmapper])
    #expect(inventory.accounts == ["012345678901", "123456789012", "aws"])
    #expect(inventory.users.count == 5)
    #expect(
        inventory.roles.map(\.name) == [
            "MyOtherRole", "MyRole", "OverprivilegedEC2", "bad_role", "exfiller",
            "level3", "level1",
        ])
    #expect(inventory.diagnostics == [])

    let twice = try AccountInventory.load(authorizationDetails: [cloudmapper, cloudmapper])
    #expect(twice.users.map(\.name) == ["USER", "USER_WITH_BAD_INLINE_POLICY"])
    #expect(
        twice.diagnostics.map(\.description) == [
            "`\(cloudmapper)`: group `arn:aws:iam::aws:group/GROUP_WITH_BAD_INLINE_POLICY` already read; ignored",
            "`\(cloudmapper)`: role `arn:aws:iam::123456789012:role/bad_role` already read; ignored",
            "`\(cloudmapper)`: role `arn:aws:iam::123456789012:role/exfiller` already read; ignored",
            "`\(cloudmapper)`: role `arn:aws:iam::123456789012:role/level3` already read; ignored",
            "`\(cloudmapper)`: role `arn:aws:iam::123456789012:role/service-role/level1` already read; ignored",
            "`\(cloudmapper)`: user `arn:aws:iam::aws:user/USER_WITH_BAD_INLINE_POLICY` already read; ignored",
            "`\(cloudmapper)`: user `arn:aws:iam::aws:user/USER` already read; ignored",
        ])
}

@Test func urlEncodedDocumentsOfTheRawAPIAreDecoded() throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let document =
        #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/a b+c"}]}"#
    let encoded = try #require(document.addingPercentEncoding(withAllowedCharacters: .alphanumerics))
    let trust =
        #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole"}]}"#
    let encodedTrust = try #require(trust.addingPercentEncoding(withAllowedCharacters: .alphanumerics))
    let snapshot = """
        {"RoleDetailList": [{"RoleName": "r", "Arn": "arn:aws:iam::111122223333:role/r", "Path": "/",
          "AssumeRolePolicyDocument": "\(encodedTrust)",
          "RolePolicyList": [{"PolicyName": "p", "PolicyDocument": "\(encoded)"}],
          "PermissionsBoundary": {"PermissionsBoundaryType": "Policy",
            "PermissionsBoundaryArn": "arn:aws:iam::111122223333:policy/boundary"},
          "RoleLastUsed": {"LastUsedDate": "2023-07-01T10:00:00Z", "Region": "eu-west-1"},
          "Tags": [{"Key": "team", "Value": "data"}]}],
         "Policies": [{"PolicyName": "boundary", "Arn": "arn:aws:iam::111122223333:policy/boundary",
          "DefaultVersionId": "v2", "PolicyVersionList": [
            {"VersionId": "v1", "IsDefaultVersion": false, "Document": "%7B%7D"},
            {"VersionId": "v2", "IsDefaultVersion": true, "Document": "\(encoded)"}]}]}
        """
    let file = directory.file("raw.json").path
    try snapshot.write(toFile: file, atomically: true, encoding: .utf8)
    let inventory = try AccountInventory.load(authorizationDetails: [file])
    let role = try #require(inventory.roles.first)
    #expect(role.inlinePolicies.map(\.document.text) == [document])
    #expect(role.trustPolicy?.text == trust)
    #expect(role.permissionsBoundary?.arn == "arn:aws:iam::111122223333:policy/boundary")
    #expect(inventory.boundary(role.permissionsBoundary)?.document.text == document)
    #expect(role.lastUsed == time("2023-07-01T10:00:00Z"))
    #expect(role.tags == [Tag(key: "team", value: "data")])
    #expect(inventory.diagnostics == [])
}

@Test func credentialReportCSVAndJSONReadAlike() throws {
    let csv = try AccountInventory.load(credentialReports: [reportCSV])
    let json = try AccountInventory.load(credentialReports: [reportJSON])
    let report = try #require(csv.credentialReport)
    #expect(report.generatedTime == nil)
    // The rows alike, but for the report time each JSON row keeps (reports merge per account).
    #expect(
        json.credentialReport?.entries.map(\.reportGeneratedTime)
            == [Int64?](repeating: time("2019-05-07T15:40:22Z"), count: 3))
    #expect(
        json.credentialReport?.entries.map {
            var entry = $0
            entry.reportGeneratedTime = nil
            return entry
        }
            == report.entries)
    #expect(json.credentialReport?.generatedTime == time("2019-05-07T15:40:22Z"))

    let root = report.entries[0]
    #expect(root.isRoot)
    #expect(root.arn == "arn:aws:iam::123456789012:root")
    #expect(root.passwordEnabled == nil)  // not_supported
    #expect(root.passwordLastUsed == time("2019-03-03T16:58:16Z"))
    #expect(root.mfaActive)
    #expect(
        root.accessKeys == [
            AccessKeyStatus(
                number: 1, active: true, lastRotated: time("2018-11-23T16:01:14Z"),
                lastUsed: time("2018-11-27T00:02:00Z"), lastUsedRegion: "us-east-1", lastUsedService: "ecr"),
            AccessKeyStatus(
                number: 2, active: false, lastRotated: nil, lastUsed: nil, lastUsedRegion: nil, lastUsedService: nil),
        ])
    let auditor = report.entries[1]
    #expect(auditor.user == "auditor_tmp")
    #expect(auditor.passwordEnabled == false)
    #expect(auditor.passwordLastUsed == nil)
    #expect(auditor.accessKeys[0].lastUsed == nil)  // N/A: never used
    #expect(auditor.line == 3)
    #expect(report.entries[2].activeAccessKeys.map(\.slot) == ["access_key_1", "access_key_2"])
}

@Test func credentialReportJSONWithBase64Content() throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let csv = try Data(contentsOf: URL(fileURLWithPath: reportCSV))
    let file = directory.file("report.json").path
    try
        #"{"Content": "\#(csv.base64EncodedString())", "ReportFormat": "text/csv", "GeneratedTime": "2019-05-07T15:40:22Z"}"#
        .write(toFile: file, atomically: true, encoding: .utf8)
    let fromBase64 = try AccountInventory.load(credentialReports: [file])
    let fromCSV = try AccountInventory.load(credentialReports: [reportCSV])
    #expect(
        fromBase64.credentialReport?.entries.map {
            var entry = $0
            entry.reportGeneratedTime = nil
            return entry
        }
            == fromCSV.credentialReport?.entries)
}

@Test func serviceControlPolicyFiles() throws {
    let scp = Repository.fixture("policies/scp-examples/Protect-cloud-platform-resource__Deny-KMS-key-deletion.json")
        .path
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let described = directory.file("described.json").path
    try
        #"{"Policy": {"PolicySummary": {"Name": "deny-leave"}, "Content": "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\",\"Action\":\"organizations:LeaveOrganization\",\"Resource\":\"*\"}]}"}}"#
        .write(toFile: described, atomically: true, encoding: .utf8)
    let inventory = try AccountInventory.load(serviceControlPolicies: [scp, described])
    #expect(inventory.serviceControlPolicies.map(\.source) == ["SCP `\(scp)`", "SCP `deny-leave`"])
    #expect(
        inventory.serviceControlPolicies[1].text
            == #"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"organizations:LeaveOrganization","Resource":"*"}]}"#
    )
    #expect(inventory.serviceControlPolicies[0].text.contains(#""kms:ScheduleKeyDeletion""#))
}

/// Malformed inputs: one line naming the file and the place.
@Test(arguments: [
    ("authz", "{\"RoleDetailList\": [", "1:21: not valid JSON: expected a value, found the end of the input"),
    ("authz", "[]", "1:1: expected an object, found an array"),
    (
        "authz", "{\"Foo\": 1}",
        "not an authorization-details file (no `UserDetailList`, `GroupDetailList`, `RoleDetailList` or `Policies`)"
    ),
    (
        "authz", "{\"RoleDetailList\": [{\"Arn\": \"arn:aws:iam::1:role/x\"}]}",
        "1:21: RoleDetailList[0]: missing `RoleName`"
    ),
    (
        "authz", "{\"UserDetailList\": [{\"UserName\": \"u\", \"Arn\": \"a\", \"CreateDate\": \"yesterday\"}]}",
        "1:65: UserDetailList[0].CreateDate: expected an ISO 8601 time, found `yesterday`"
    ),
    (
        "authz", "{\"UserDetailList\": [{\"UserName\": \"u\", \"Arn\": \"a\", \"GroupList\": \"g\"}]}",
        "1:64: UserDetailList[0].GroupList: expected an array, found a string"
    ),
    (
        "authz",
        "{\"RoleDetailList\": [{\"RoleName\": \"r\", \"Arn\": \"a\", \"RolePolicyList\": [{\"PolicyName\": \"p\", \"PolicyDocument\": 7}]}]}",
        "1:108: RoleDetailList[0].RolePolicyList[0].PolicyDocument: expected a policy document (an object or a string), "
            + "found a number"
    ),
    ("report", "user,arn\n", "line 1: missing column `user_creation_time`"),
    ("report", "{\"GeneratedTime\": \"2019-05-07T15:40:22Z\"}", "1:1: missing `Content`"),
    ("scp", "{\"Version\": ", "1:13: not valid JSON: expected a value, found the end of the input"),
])
func malformedInputIsOneLineNamingTheFile(kind: String, content: String, reason: String) throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let file = directory.file("input.json").path
    try content.write(toFile: file, atomically: true, encoding: .utf8)
    let error = #expect(throws: InventoryError.self) {
        switch kind {
        case "authz": _ = try AccountInventory.load(authorizationDetails: [file])
        case "report": _ = try AccountInventory.load(credentialReports: [file])
        default: _ = try AccountInventory.load(serviceControlPolicies: [file])
        }
    }
    #expect(error?.description == "cannot read `\(file)`: \(reason)")
}

@Test func malformedCredentialReportRowNamesLineAndColumn() throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    var lines = try String(contentsOfFile: reportCSV, encoding: .utf8).split(separator: "\n").map(String.init)
    lines[2] = lines[2].replacingOccurrences(of: "2019-05-07T15:35:55+00:00", with: "last tuesday")
    let file = directory.file("report.csv").path
    try lines.joined(separator: "\n").write(toFile: file, atomically: true, encoding: .utf8)
    let error = #expect(throws: InventoryError.self) { try AccountInventory.load(credentialReports: [file]) }
    #expect(
        error?.description
            == "cannot read `\(file)`: line 3: `access_key_1_last_rotated`: expected a time, `N/A`, `no_information` or "
            + "`not_supported`, found `last tuesday`")

    lines[2] = "auditor_tmp,arn:aws:iam::123456789012:user/auditor_tmp,2019-05-07T15:35:54+00:00"
    try lines.joined(separator: "\n").write(toFile: file, atomically: true, encoding: .utf8)
    let short = #expect(throws: InventoryError.self) { try AccountInventory.load(credentialReports: [file]) }
    #expect(short?.description == "cannot read `\(file)`: line 3: expected 22 fields, found 3")
}

@Test func missingFile() {
    let error = #expect(throws: InventoryError.self) {
        try AccountInventory.load(authorizationDetails: ["no/such/authz.json"])
    }
    #expect(error?.description == "cannot read `no/such/authz.json`: no such file")
}

/// Every policy document of the two real snapshots parses (identity, trust, every default version).
@Test(arguments: [cloudsplaining, cloudmapper])
func everyPolicyOfTheRealSnapshotsParses(file: String) throws {
    let inventory = try AccountInventory.load(authorizationDetails: [file])
    var texts = inventory.managedPolicies.values.map(\.document)
    for user in inventory.users { texts += user.inlinePolicies.map(\.document) }
    for group in inventory.groups { texts += group.inlinePolicies.map(\.document) }
    for role in inventory.roles { texts += role.inlinePolicies.map(\.document) + [try #require(role.trustPolicy)] }
    #expect(texts.filter { $0.document == nil }.map(\.source) == [])
    #expect(inventory.diagnostics == [])
}

@Test func aPolicyThatDoesNotParseIsADiagnosticNamingIt() throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let file = directory.file("authz.json").path
    try """
    {"RoleDetailList": [{"RoleName": "r", "Arn": "arn:aws:iam::111122223333:role/r",
      "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": []},
      "RolePolicyList": [{"PolicyName": "broken", "PolicyDocument": {"Statement": [{"Effect": "Allow", "Action": 3}]}},
                         {"PolicyName": "fine", "PolicyDocument": {"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}}]}]}
    """.write(toFile: file, atomically: true, encoding: .utf8)
    let inventory = try AccountInventory.load(authorizationDetails: [file])
    let role = try #require(inventory.roles.first)
    #expect(role.inlinePolicies.map { $0.document.document != nil } == [false, true])
    #expect(
        inventory.diagnostics.map(\.description) == [
            "role `r`: inline policy `broken` is ignored: \(file):3:110: "
                + "RoleDetailList[0].RolePolicyList[0].PolicyDocument.Statement[0].Action: expected a string or an array "
                + "of strings, found a number"
        ])
}

@Test func theUpstreamInvalidSCPIsAnErrorNamingTheFile() throws {
    let file = Repository.fixture(
        "policies/scp-examples/Service-specific-controls__AWS-IAM__deny-service-specific-credential-by-type.json"
    ).path
    let error = #expect(throws: InventoryError.self) { try AccountInventory.load(serviceControlPolicies: [file]) }
    #expect(error?.description == "cannot read `\(file)`: 15:13: not valid JSON: expected `,` or `]`, found `/`")
}

/// Several credential reports merge (several accounts); a user's row read twice is kept once; an
/// account with a report and no snapshot (or the reverse) is a diagnostic.
@Test func credentialReportsOfSeveralAccountsMerge() throws {
    let demoSnapshot = Repository.fixture("demo/authorization-details.json").path
    let demoReport = Repository.fixture("demo/credential-report.csv").path
    let inventory = try AccountInventory.load(
        authorizationDetails: [demoSnapshot], credentialReports: [demoReport, reportJSON])
    #expect(
        inventory.credentialReport?.entries.filter(\.isRoot).map(\.arn) == [
            "arn:aws:iam::123837392027:root", "arn:aws:iam::123456789012:root",
        ])
    #expect(inventory.credentialReport?.generatedTime == time("2019-05-07T15:40:22Z"))
    #expect(
        inventory.diagnostics.map(\.description) == [
            "account `123456789012` has a credential report but no --authorization-details snapshot"
        ])

    let twice = try AccountInventory.load(credentialReports: [reportCSV, reportJSON])
    #expect(
        twice.credentialReport?.entries.map(\.user) == [
            "<root_account>", "auditor_tmp", "user",
        ])
    #expect(
        twice.diagnostics.map(\.description) == [
            "`\(reportJSON)`: 3 rows of users already read from an earlier credential report; ignored"
        ])
}

/// A bad `%` escape in a URL-encoded document is like a document that does not parse (a diagnostic,
/// the rest of the file read); a principal whose `Arn` is not an IAM ARN of its kind is skipped.
@Test func badEscapesAndBadARNsAreDiagnostics() throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let file = directory.file("authz.json").path
    try """
    {"RoleDetailList": [
     {"RoleName": "r1", "Arn": "arn:aws:iam::111122223333:role/r1", "AssumeRolePolicyDocument": "%ZZ"},
     {"RoleName": "r2", "Arn": "garbage"},
     {"RoleName": "r3", "Arn": "arn:aws:iam::111122223333:user/r3"},
     {"RoleName": "r4", "Arn": "arn:aws:iam::abc:role/r4"},
     {"RoleName": "r5", "Arn": "arn:aws:iam::aws:role/r5"}],
     "UserDetailList": [{"UserName": "u", "Arn": "arn:aws:s3:::u"}]}
    """.write(toFile: file, atomically: true, encoding: .utf8)
    let inventory = try AccountInventory.load(authorizationDetails: [file])
    // `aws` is AWS's own account (as in the real test snapshots); `abc` is no account.
    #expect(inventory.roles.map(\.name) == ["r1", "r5"])
    #expect(inventory.users == [])
    #expect(
        inventory.diagnostics.map(\.description) == [
            "role `r1`: trust policy is ignored: \(file):2:93: RoleDetailList[0].AssumeRolePolicyDocument: "
                + "not a URL-encoded policy document (bad `%` escape)",
            "`\(file)`: RoleDetailList[1]: role `r2`: `Arn` `garbage` is not an IAM role ARN; skipped",
            "`\(file)`: RoleDetailList[2]: role `r3`: `Arn` `arn:aws:iam::111122223333:user/r3` is not an IAM role "
                + "ARN; skipped",
            "`\(file)`: RoleDetailList[3]: role `r4`: `Arn` `arn:aws:iam::abc:role/r4` is not an IAM role ARN; skipped",
            "`\(file)`: UserDetailList[0]: user `u`: `Arn` `arn:aws:s3:::u` is not an IAM user ARN; skipped",
        ])
}

/// Credential-report rows without an IAM user or root ARN are skipped, repeated rows kept once; each
/// with a diagnostic (reviewer's weird.csv).
@Test func credentialReportRowsWithBadOrRepeatedARNs() throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let file = directory.file("report.csv").path
    let lines = try String(contentsOf: URL(fileURLWithPath: reportCSV), encoding: .utf8)
        .split(separator: "\n").map(String.init)
    let user = lines[3]
    try
        ([
            lines[0], lines[1], user, user.replacingOccurrences(of: "arn:aws:iam::123456789012:user/user", with: ""),
            user.replacingOccurrences(of: "arn:aws:iam::123456789012:user/user", with: "not-an-arn"), user,
            user.replacingOccurrences(of: "arn:aws:iam::123456789012:user/user", with: "arn:aws:iam::abc:user/x"),
        ]
        .joined(separator: "\n") + "\n").write(toFile: file, atomically: true, encoding: .utf8)
    let inventory = try AccountInventory.load(credentialReports: [file])
    #expect(inventory.credentialReport?.entries.map(\.user) == ["<root_account>", "user"])
    #expect(
        inventory.diagnostics.map(\.description) == [
            "`\(file)`: 1 row repeats a user read before (line 6); ignored",
            "`\(file)`: line 4: `arn` `` is not an IAM user or root ARN; row skipped",
            "`\(file)`: line 5: `arn` `not-an-arn` is not an IAM user or root ARN; row skipped",
            "`\(file)`: line 7: `arn` `arn:aws:iam::abc:user/x` is not an IAM user or root ARN; row skipped",
        ])
}
