import AccountInventory
import Analysis
import Foundation
import IAMCatalog
import IAMPolicy
import TestSupport
import Testing
import Timestamps
import UsageStore

let catalog = TestCatalog.shared

func loadInventory(_ files: [String], credentialReport: String? = nil, scps: [String] = []) throws
    -> AccountInventory
{
    try AccountInventory.load(
        authorizationDetails: files.map { Repository.fixture($0).path },
        credentialReports: credentialReport.map { [Repository.fixture($0).path] } ?? [],
        serviceControlPolicies: scps.map { Repository.fixture($0).path })
}

/// Per principal: granted actions by access level, conditional ones, services, diagnostics.
func effectiveSummary(_ inventory: AccountInventory, catalog: ActionCatalog) -> String {
    var out = ""
    for principal in inventory.principals {
        let permissions = EffectivePermissions(of: principal, in: inventory, catalog: catalog)
        let levels = permissions.counts(of: permissions.granted).map { "\($0.0.rawValue) \($0.1)" }
        out += "\(principal.kind) \(principal.arn)\n"
        out += "  granted \(permissions.granted.count): \(levels.joined(separator: ", "))\n"
        out += "  conditional \(permissions.conditional.count)\n"
        out += "  services \(permissions.services.count)\n"
        out += grantedActionLines(permissions, catalog: catalog)
        for diagnostic in permissions.diagnostics { out += "  diagnostic: \(diagnostic)\n" }
    }
    return out
}

/// The granted actions, per service and per the resources (and condition) they are granted on:
/// `    s3 on [*]: all 150` when every action of the service is, else the action names.
func grantedActionLines(_ permissions: EffectivePermissions, catalog: ActionCatalog) -> String {
    var perService: [String: Int] = [:]
    for index in 0..<catalog.count {
        perService[catalog.prefix(of: ActionID(rawValue: UInt32(index))), default: 0] += 1
    }
    // service → (resources + conditional marker) → action names
    var groups: [String: [String: [String]]] = [:]
    for action in permissions.actions {
        let notResources = action.grants.compactMap { grant -> String? in
            guard case .notResources(let list) = grant.resources else { return nil }
            return "NotResource " + list.joined(separator: ", ")
        }
        var scope = "[" + (action.resources + notResources).joined(separator: ", ") + "]"
        if action.isConditional { scope += " if conditions" }
        if !action.restrictions.isEmpty { scope += " restricted" }
        let service = catalog.prefix(of: action.action)
        groups[service, default: [:]][scope, default: []].append(String(action.name.drop { $0 != ":" }.dropFirst()))
    }
    var out = ""
    for service in groups.keys.sorted() {
        for (scope, names) in (groups[service] ?? [:]).sorted(by: { $0.key < $1.key }) {
            let list = names.count == perService[service] ? "all \(names.count)" : names.sorted().joined(separator: " ")
            out += "    \(service) on \(scope): \(list)\n"
        }
    }
    return out
}

@Test(arguments: [
    ("cloudmapper-demo", "iam-account/cloudmapper-demo-authorization-details.json"),
    ("cloudsplaining-test", "iam-account/cloudsplaining-test-authorization-details.json"),
    // The constructed demo snapshot, with real AWS managed policies (some name retired services).
    ("demo", "demo/authorization-details.json"),
])
func effectivePermissionsOfEveryPrincipalOfTheSnapshots(_ name: String, _ file: String) throws {
    let catalog = try #require(catalog)
    let inventory = try loadInventory([file])
    assertGolden(
        effectiveSummary(inventory, catalog: catalog),
        file: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Golden/effective-\(name).txt"))
}

@Test func exactGrantsOfNarrowRealPrincipals() throws {
    let catalog = try #require(catalog)
    let inventory = try loadInventory(["iam-account/cloudmapper-demo-authorization-details.json"])
    func granted(_ name: String) throws -> [String: [String]] {
        let principal = try #require(inventory.principals(named: name).first)
        let permissions = EffectivePermissions(of: principal, in: inventory, catalog: catalog)
        return Dictionary(uniqueKeysWithValues: permissions.actions.map { ($0.name, $0.resources) })
    }
    #expect(try granted("level3") == ["s3:GetBucketLocation": ["*"], "s3:ListAllMyBuckets": ["*"]])
    #expect(
        try granted("level1") == [
            "s3:GetObject": ["arn:aws:s3:::level1.flaws2.cloud/*"],
            "s3:ListBucket": ["arn:aws:s3:::level1.flaws2.cloud"],
            "ecr:ListImages": ["arn:aws:ecr:*:123456789012:repository/level2"],
            "ecr:GetDownloadUrlForLayer": ["arn:aws:ecr:*:123456789012:repository/level2"],
            "ecr:BatchGetImage": ["arn:aws:ecr:*:123456789012:repository/level2"],
            "ecr:GetAuthorizationToken": ["*"],
        ])
    let level1 = try #require(inventory.principals(named: "level1").first)
    let getObject = try #require(
        EffectivePermissions(of: level1, in: inventory, catalog: catalog).action(named: "S3:getobject"))
    #expect(
        getObject.grants.map(\.source) == [
            StatementSource(
                layer: .identity, policyName: "level1", policyArn: nil, attachedVia: nil, statementIndex: 0, sid: nil)
        ])
    #expect(getObject.accessLevel == .read && !getObject.isConditional && getObject.restrictions.isEmpty)
}

@Test func conditionalGrantOfTheCloudsplainingUserBiden() throws {
    let catalog = try #require(catalog)
    let inventory = try loadInventory(["iam-account/cloudsplaining-test-authorization-details.json"])
    let biden = try #require(inventory.principals(named: "biden").first { $0.kind == "user" })
    let permissions = EffectivePermissions(of: biden, in: inventory, catalog: catalog)
    #expect(catalog.names(of: permissions.conditional) == ["iam:CreateServiceLinkedRole"])
    let action = try #require(permissions.action(named: "iam:CreateServiceLinkedRole"))
    #expect(action.isConditional)
    #expect(action.grants.map(\.source.policyName) == ["AmazonRDSFullAccess"])
    #expect(action.grants.map(\.source.attachedVia) == ["arn:aws:iam::012345678901:group/biden"])
    #expect(action.grants.flatMap(\.conditions).map(\.key) == ["iam:AWSServiceName"])
}

// MARK: - Constructed policies

private func policy(_ name: String, _ json: String) -> InlinePolicy {
    InlinePolicy(name: name, document: PolicyText(source: "policy `\(name)`", text: json, file: name))
}

private func role(
    _ name: String, _ policies: [InlinePolicy], boundary: String? = nil, path: String = "/"
) -> IAMRole {
    IAMRole(
        arn: "arn:aws:iam::111122223333:role\(path)\(name)", name: name, path: path, inlinePolicies: policies,
        permissionsBoundary: boundary.map { PolicyReference(arn: "arn:aws:iam::111122223333:policy/\($0)", name: $0) })
}

private func managed(_ name: String, _ json: String) -> ManagedPolicy {
    ManagedPolicy(
        arn: "arn:aws:iam::111122223333:policy/\(name)", name: name, defaultVersionId: "v1",
        document: PolicyText(source: "policy `\(name)`", text: json, file: name))
}

private func statements(_ list: String...) -> String {
    #"{"Version": "2012-10-17", "Statement": ["# + list.joined(separator: ", ") + "]}"
}

@Test func deniesOnEverythingRemoveNarrowAndConditionalOnesAreCarried() throws {
    let catalog = try #require(catalog)
    let document = statements(
        #"{"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "sqs:SendMessage"], "Resource": "*"}"#,
        #"{"Effect": "Deny", "Action": "s3:DeleteObject", "Resource": "*"}"#,
        #"{"Sid": "Narrow", "Effect": "Deny", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::prod/*"}"#,
        #"{"Sid": "Cond", "Effect": "Deny", "Action": "sqs:*", "Resource": "*", "Condition": {"Bool": {"aws:SecureTransport": "false"}}}"#
    )
    let app = role("app", [policy("app", document)])
    let inventory = AccountInventory(roles: [app])
    let permissions = EffectivePermissions(of: .role(app), in: inventory, catalog: catalog)
    #expect(catalog.names(of: permissions.granted) == ["s3:GetObject", "s3:PutObject", "sqs:SendMessage"])
    #expect(permissions.conditional.isEmpty)
    #expect(try #require(permissions.action(named: "s3:PutObject")).restrictions.map(\.source.sid) == ["Narrow"])
    #expect(try #require(permissions.action(named: "sqs:SendMessage")).restrictions.map(\.source.sid) == ["Cond"])
    #expect(try #require(permissions.action(named: "s3:GetObject")).restrictions.isEmpty)
    #expect(permissions.action(named: "s3:DeleteObject") == nil)
    #expect(permissions.diagnostics.isEmpty)
}

@Test func notActionAndNotResourceAreComplements() throws {
    let catalog = try #require(catalog)
    let document = statements(
        #"{"Effect": "Allow", "NotAction": ["iam:*", "sts:*", "organizations:*"], "Resource": "*"}"#,
        #"{"Effect": "Allow", "Action": "iam:GetRole", "NotResource": "arn:aws:iam::*:role/admin"}"#,
        #"{"Effect": "Allow", "Action": "iam:DeleteRole", "NotResource": "*"}"#,
        #"{"Effect": "Deny", "NotAction": "s3:*", "Resource": "*", "Condition": {"StringNotEquals": {"aws:RequestedRegion": "eu-west-1"}}}"#
    )
    let app = role("app", [policy("app", document)])
    let permissions = EffectivePermissions(of: .role(app), in: AccountInventory(roles: [app]), catalog: catalog)
    let expected = catalog.complement(of: catalog.expand(["iam:*", "sts:*", "organizations:*"]))
        .union(catalog.expand("iam:GetRole"))
    #expect(permissions.granted == expected)
    #expect(permissions.conditional.isEmpty)
    let getRole = try #require(permissions.action(named: "iam:GetRole"))
    #expect(getRole.grants.map(\.resources) == [.notResources(["arn:aws:iam::*:role/admin"])])
    #expect(getRole.resources.isEmpty)
    // The conditional NotAction Deny is carried on everything but s3, not on s3.
    #expect(getRole.restrictions.map(\.source.statementIndex) == [3])
    #expect(try #require(permissions.action(named: "s3:GetObject")).restrictions.isEmpty)
}

@Test func boundaryAndServiceControlPoliciesIntersect() throws {
    let catalog = try #require(catalog)
    let identity = statements(#"{"Effect": "Allow", "Action": ["s3:*", "ec2:*", "dynamodb:GetItem"], "Resource": "*"}"#)
    let boundary = managed(
        "boundary",
        statements(
            #"{"Effect": "Allow", "Action": ["s3:Get*", "ec2:Describe*"], "Resource": "*"}"#,
            #"{"Effect": "Allow", "Action": "dynamodb:*", "Resource": "arn:aws:dynamodb:*:*:table/app"}"#,
            #"{"Effect": "Allow", "Action": "ec2:DescribeInstances", "Resource": "*", "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}}"#
        ))
    let scp = PolicyText(
        source: "SCP `deny-ec2-describe-images`",
        text: statements(
            #"{"Effect": "Allow", "Action": "*", "Resource": "*"}"#,
            #"{"Effect": "Deny", "Action": "ec2:DescribeImages", "Resource": "*"}"#,
            #"{"Effect": "Allow", "Action": "ec2:RunInstances", "Resource": "*"}"#),
        file: "scp.json")
    let app = role("app", [policy("app", identity)], boundary: "boundary")
    let linked = role("AWSServiceRoleForX", [policy("app", identity)], path: "/aws-service-role/x.amazonaws.com/")
    let inventory = AccountInventory(roles: [app, linked], managedPolicies: [boundary], serviceControlPolicies: [scp])
    let permissions = EffectivePermissions(of: .role(app), in: inventory, catalog: catalog)
    let expected = catalog.expand(["s3:Get*", "ec2:Describe*", "dynamodb:GetItem"])
        .subtracting(catalog.expand("ec2:DescribeImages"))
    #expect(permissions.granted == expected)
    #expect(permissions.conditional.isEmpty)
    // Granted by the boundary only on one table: carried.
    let getItem = try #require(permissions.action(named: "dynamodb:GetItem"))
    #expect(getItem.restrictions.map(\.source.layer) == [.boundary])
    #expect(getItem.restrictions.map(\.resources) == [.resources(["arn:aws:dynamodb:*:*:table/app"])])
    // The conditional boundary Allow does not restrict what an unconditional one covers.
    #expect(try #require(permissions.action(named: "ec2:DescribeInstances")).restrictions.isEmpty)
    // SCPs do not apply to service-linked roles.
    let linkedPermissions = EffectivePermissions(of: .role(linked), in: inventory, catalog: catalog)
    #expect(linkedPermissions.granted == catalog.expand(["s3:*", "ec2:*", "dynamodb:GetItem"]))
}

@Test func unparseableAndUnknownArePerPrincipalDiagnostics() throws {
    let catalog = try #require(catalog)
    let good = statements(
        #"{"Effect": "Allow", "Action": ["s3:GetObjcet", "sqs:SendMessage"], "Resource": "*"}"#,
        #"{"Effect": "Allow", "Action": ["s4:Get*", "codestar:List*"], "Resource": "*"}"#)
    let app = role(
        "app", [policy("broken", #"{"Statement": [{"Effect": "Allow", "Action": 7}]}"#), policy("good", good)],
        boundary: "missing")
    let permissions = EffectivePermissions(of: .role(app), in: AccountInventory(roles: [app]), catalog: catalog)
    #expect(catalog.names(of: permissions.granted) == ["sqs:SendMessage"])
    #expect(
        permissions.diagnostics == [
            "role `arn:aws:iam::111122223333:role/app`: permissions boundary "
                + "`arn:aws:iam::111122223333:policy/missing` is not in the snapshot; not applied",
            "role `arn:aws:iam::111122223333:role/app`: policy `broken` does not parse: "
                + "broken:1:46: Statement[0].Action: expected a string or an array of strings, found a number; "
                + "its statements are ignored",
            "role `arn:aws:iam::111122223333:role/app`: policy `good`: Statement[0]: unknown action "
                + "`s3:GetObjcet`; did you mean `s3:GetObject`?",
            "role `arn:aws:iam::111122223333:role/app`: policy `good`: Statement[1]: 2 patterns name no catalog "
                + "action and grant nothing: `s4:Get*`, `codestar:List*`",
        ])
}

// MARK: - Against the evaluator

/// The action-level view must agree with `PolicyEvaluator.evaluateOnSomeResource` on every action:
/// granted ⇔ allowed or allowed-if-conditions.
@Test(arguments: [
    "iam-account/cloudmapper-demo-authorization-details.json",
    "iam-account/cloudsplaining-test-authorization-details.json", "demo/authorization-details.json",
])
func grantedAgreesWithTheEvaluator(_ file: String) throws {
    let catalog = try #require(catalog)
    let inventory = try loadInventory([file])
    for principal in inventory.principals {
        let permissions = EffectivePermissions(of: principal, in: inventory, catalog: catalog)
        let policies: [AppliedPolicy] =
            switch principal {
            case .user(let user): inventory.identityPolicies(of: user)
            case .role(let role): inventory.identityPolicies(of: role)
            }
        let boundary: ManagedPolicy? =
            switch principal {
            case .user(let user): inventory.boundary(user.permissionsBoundary)
            case .role(let role): inventory.boundary(role.permissionsBoundary)
            }
        let evaluator = PolicyEvaluator(
            identityPolicies: policies.compactMap { p in
                p.document.document.map { NamedPolicy(name: p.name, document: $0) }
            },
            permissionsBoundary: boundary.flatMap { b in
                b.document.document.map { NamedPolicy(name: b.name, document: $0) }
            })
        var mismatches: [String] = []
        for index in 0..<catalog.count {
            let id = ActionID(rawValue: UInt32(index))
            let decision = evaluator.evaluateOnSomeResource(Request(action: catalog.name(of: id), resource: "*"))
                .decision
            let allowed = decision == .allowed || decision == .allowedIfConditions
            if allowed != permissions.granted.contains(id)
                || (decision == .allowed) != permissions.unconditional.contains(id)
            {
                mismatches.append("\(principal.arn) \(catalog.name(of: id)) \(decision)")
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(5))")
    }
}

// MARK: - Used versus granted

@Test func usedVersusGrantedOverAConstructedLedger() throws {
    let catalog = try #require(catalog)
    let document = statements(
        #"{"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject", "sqs:SendMessage"], "Resource": "*"}"#,
        #"{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*", "Condition": {"Bool": {"aws:SecureTransport": "true"}}}"#
    )
    // The snapshot ARN has a path; the store recorded the role without it.
    let app = role("app", [policy("app", document)], path: "/service/")
    let recorded = "arn:aws:iam::111122223333:role/app"
    func t(_ text: String) -> Int64 { Timestamp.parse(text) ?? 0 }
    func once(_ action: String, _ time: String) -> ActionUsage {
        ActionUsage(action: action, count: 1, firstSeen: t(time), lastSeen: t(time))
    }
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let store = try TestLedger.store(
        in: directory,
        events: [
            .init(recorded, "s3:GetObject", at: "2026-10-20T10:00:00Z"),
            .init(recorded, "s3:GetObject", at: "2026-10-21T10:00:00Z"),
            .init(recorded, "kms:Decrypt", at: "2026-10-21T11:00:00Z"),
            .init(recorded, "s3:PutObject", at: "2026-05-01T09:00:00Z"),
            .init(recorded, "dynamodb:GetItem", at: "2026-10-21T12:00:00Z"),
            .init(recorded, "sqs:SendMessage", at: "2026-10-22T13:00:00Z", denied: true),
            // After the window's end: not evidence of anything in it.
            .init(recorded, "sqs:SendMessage", at: "2026-11-02T13:00:00Z"),
        ],
        account: "111122223333", coveredFrom: "2026-08-03", coveredTo: "2026-10-31")
    let evidence = try UsageEvidence(store: store, window: StoreWindow(start: t("2026-08-03"), end: t("2026-11-01")))
    let comparison = UsedVersusGranted(
        EffectivePermissions(of: .role(app), in: AccountInventory(roles: [app]), catalog: catalog), evidence: evidence)
    #expect(comparison.storedPrincipal == recorded)
    #expect(
        comparison.usedAndGranted == [
            .init(usage: once("kms:Decrypt", "2026-10-21T11:00:00Z"), accessLevel: .write, conditional: true),
            .init(
                usage: ActionUsage(
                    action: "s3:GetObject", count: 2, firstSeen: t("2026-10-20T10:00:00Z"),
                    lastSeen: t("2026-10-21T10:00:00Z")),
                accessLevel: .read, conditional: false),
        ])
    #expect(
        comparison.grantedUnused == [
            .init(action: "s3:PutObject", accessLevel: .write, lastUsed: t("2026-05-01T09:00:00Z")),
            .init(action: "sqs:SendMessage", accessLevel: .write, lastUsed: nil),
        ])
    #expect(comparison.usedNotGranted == [once("dynamodb:GetItem", "2026-10-21T12:00:00Z")])
    #expect(comparison.denied == [once("sqs:SendMessage", "2026-10-22T13:00:00Z")])
    #expect(
        comparison.services == [
            .init(service: "kms", granted: 1, unused: 0, lastUsed: t("2026-10-21T11:00:00Z")),
            .init(service: "s3", granted: 2, unused: 1, lastUsed: t("2026-10-21T10:00:00Z")),
            .init(service: "sqs", granted: 1, unused: 1, lastUsed: nil),
        ])
}

@Test func snapshotPrincipalsAreMatchedToTheStoreByARNThenByName() throws {
    let sso = "arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_Admin_0123abcd"
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let store = try TestLedger.store(
        in: directory,
        events: [
            .init(sso, "s3:ListAllMyBuckets", at: "2026-10-01T00:00:00Z"),
            // Recorded without its path.
            .init("arn:aws:iam::111122223333:role/app", "s3:GetObject", at: "2026-10-01T00:00:00Z"),
            // Two store principals named `twin`: a path-less match would be a guess.
            .init("arn:aws:iam::111122223333:role/a/twin", "s3:GetObject", at: "2026-10-01T00:00:00Z"),
            .init("arn:aws:iam::111122223333:role/b/twin", "s3:GetObject", at: "2026-10-01T00:00:00Z"),
            .init("arn:aws:iam::111122223333:user/app", "s3:GetObject", at: "2026-10-01T00:00:00Z"),
        ],
        account: "111122223333", coveredFrom: "2026-09-01", coveredTo: "2026-10-31")
    let evidence = try UsageEvidence(
        store: store,
        window: StoreWindow(start: Timestamp.parse("2026-09-01") ?? 0, end: Timestamp.parse("2026-11-01") ?? 0))
    #expect(evidence.activity(arn: sso)?.principal.arn == sso)
    #expect(
        evidence.activity(arn: "arn:aws:iam::111122223333:role/service/app")?.principal.arn
            == "arn:aws:iam::111122223333:role/app")
    #expect(evidence.activity(arn: "arn:aws:iam::111122223333:role/c/twin") == nil)
    #expect(evidence.activity(arn: "arn:aws:iam::444455556666:role/app") == nil)
    #expect(
        evidence.coverageProblem(account: "444455556666")
            == "no logs of account `444455556666` in the window 2026-09-01 to 2026-10-31")
    #expect(evidence.coverageProblem(account: "111122223333") == nil)

    let ssoRole = IAMRole(
        arn: sso, name: "AWSReservedSSO_Admin_0123abcd", path: "/aws-reserved/sso.amazonaws.com/eu-west-1/")
    let inventory = AccountInventory(roles: [ssoRole, role("Admin", [])])
    // Ambiguous: the role named `Admin` and the permission set `Admin` (sorted by ARN).
    #expect(inventory.principals(named: "Admin").map(\.arn) == ["arn:aws:iam::111122223333:role/Admin", sso])
    #expect(inventory.principals(named: sso).map(\.arn) == [sso])
    #expect(inventory.principals(named: "AWSReservedSSO_Admin_0123abcd").map(\.arn) == [sso])
}
