import Foundation
import TestSupport
import Testing

private let demo = [
    "usage", "--logs", "Fixtures/demo/AWSLogs", "--authorization-details", "Fixtures/demo/authorization-details.json",
    "--as-of", "2023-07-11",
]
private let gapWarning =
    "warning: 89 of 90 days of the window `2023-04-12T00:00:00Z` to `2023-07-11T00:00:00Z` have no logs\n"

private func golden(_ name: String) -> URL {
    Repository.root.appendingPathComponent("Tests/PareCLITests/Golden/usage/\(name)")
}

private func object(_ text: String) throws -> [String: Any] {
    try #require(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
}

/// Used vs granted of one demo role, in every format.
@Test func usageWithAuthorizationDetailsOnTheDemo() throws {
    for (format, suffix) in [("text", "txt"), ("json", "json"), ("csv", "csv")] {
        let run = try Pare.run(demo + ["--principal", "stratus-red-team-ec2-enumerate-role", "--format", format])
        #expect(run.status == 0)
        #expect(run.stderr == gapWarning)
        assertGolden(run.stdout, file: golden("demo-ec2-enumerate-role.\(suffix)"))
    }
}

/// The usage JSON keeps its keys and values; `granted` is added.
@Test func grantedIsAddedAndTheUsageJSONIsUnchanged() throws {
    let arguments = ["--principal", "bert-jan", "--format", "json"]
    let with = try object(try Pare.run(demo + arguments).stdout)
    let without = try object(
        try Pare.run(["usage", "--logs", "Fixtures/demo/AWSLogs", "--as-of", "2023-07-11"] + arguments).stdout)
    #expect(with.keys.sorted() == ["coverage", "granted", "principals", "unresolved", "window"])
    var rest = with
    rest["granted"] = nil
    #expect(NSDictionary(dictionary: rest).isEqual(to: without))
    let granted = try #require(with["granted"] as? [[String: Any]])
    #expect(granted.map { $0["principal"] as? String } == ["arn:aws:iam::123837392027:user/bert-jan"])
    #expect(granted.first?["grantedActions"] as? Int == 22321)
    let denied = try #require(granted.first?["denied"] as? [[String: Any]])
    let principals = try #require(with["principals"] as? [[String: Any]])
    let usageDenied = try #require(principals.first?["denied"] as? [[String: Any]])
    #expect(denied.map { $0["action"] as? String } == usageDenied.map { $0["action"] as? String })
}

/// Real drift in the demo: the logs show `ec2:RunInstances` passing authorization (it failed later on
/// the vCPU limit) for a role whose snapshot policy grants only `ec2:DescribeInstances`.
@Test func usedButNotGrantedIsReported() throws {
    let run = try Pare.run(demo + ["--principal", "stratus-red-team-ec2lui-role-pcccexdthk", "--format", "csv"])
    #expect(run.status == 0)
    #expect(
        run.stdout == """
            principal,action,accessLevel,status,count,firstSeen,lastSeen
            arn:aws:iam::123837392027:role/stratus-red-team-ec2lui-role-pcccexdthk,ec2:RunInstances,Write,\
            usedNotGranted,1,2023-07-10T12:06:42Z,2023-07-10T12:06:42Z
            arn:aws:iam::123837392027:role/stratus-red-team-ec2lui-role-pcccexdthk,ec2:DescribeInstances,List,\
            unused,0,,

            """)
}

/// A principal of the snapshot that never acted: no usage, everything granted is unused
/// (`AmazonSSMManagedInstanceCore`: 15 ssm, 4 ssmmessages and 6 ec2messages actions).
@Test func aPrincipalWithoutEventsHasOnlyGrants() throws {
    let run = try Pare.run(demo + ["--principal", "ec2-ssm-instance-role", "--format", "json"])
    #expect(run.status == 0)
    let json = try object(run.stdout)
    #expect((json["principals"] as? [Any])?.isEmpty == true)
    let granted = try #require((json["granted"] as? [[String: Any]])?.first)
    #expect(granted["storedPrincipal"] == nil)
    #expect(granted["grantedActions"] as? Int == 25)
    #expect((granted["usedAndGranted"] as? [Any])?.isEmpty == true)
    let services = try #require(granted["services"] as? [[String: Any]])
    #expect(
        services.map { "\($0["service"] ?? "") \($0["grantedActions"] ?? "") \($0["unusedActions"] ?? "")" } == [
            "ec2messages 6 6", "ssm 15 15", "ssmmessages 4 4",
        ])
    #expect(services.allSatisfy { $0["lastUsed"] == nil })
}

@Test func usageWithAuthorizationDetailsErrors() throws {
    let unknown = try Pare.run(demo + ["--principal", "nobody"])
    #expect(unknown.status == 1)
    #expect(
        unknown.stderr
            == "error: unknown principal `nobody`: no user or role of that name in the authorization details\n")
    let scpAlone = try Pare.run(["usage", "--logs", "Fixtures/demo/AWSLogs", "--scp", "x.json"])
    #expect(scpAlone.status == 64)
    #expect(scpAlone.stderr == "error: --scp needs --authorization-details; see `pare usage --help`\n")
    let missing = try Pare.run(demo + ["--authorization-details", "no/such.json"])
    #expect(missing.status == 1)
    #expect(missing.stderr == "error: cannot read `no/such.json`: no such file\n")
}

/// Each granted action names the statements that grant it; the statements carry their resources and
/// conditions as written (the AWS managed Inspector2 service role policy of the demo).
@Test func grantedActionsCarryTheirStatementsWithResourcesAndConditions() throws {
    let run = try Pare.run(demo + ["--principal", "AWSServiceRoleForAmazonInspector2", "--format", "json"])
    let granted = try #require(try object(run.stdout)["granted"] as? [[String: Any]])
    let role = try #require(granted.first)
    let statements = try #require(role["statements"] as? [[String: Any]])
    let unused = try #require(role["unused"] as? [[String: Any]])
    let getPolicy = try #require(unused.first { $0["action"] as? String == "iam:GetPolicy" })
    let grants = try #require(getPolicy["grants"] as? [Int])
    #expect(grants == [8])
    let statement = statements[grants[0]]
    #expect(statement["sid"] as? String == "CodeGuruCodeVulnerabilityScanning")
    #expect(statement["policy"] as? String == "AmazonInspector2ServiceRolePolicy")
    #expect(statement["resources"] as? [String] == ["*"])
    let conditions = try #require(statement["conditions"] as? [[String: Any]])
    #expect(
        conditions.map { "\($0["operator"] ?? "") \($0["key"] ?? "") \($0["values"] as? [String] ?? [])" } == [
            "ForAnyValue:StringEquals aws:CalledVia [\"codeguru-security.amazonaws.com\"]"
        ])
}
