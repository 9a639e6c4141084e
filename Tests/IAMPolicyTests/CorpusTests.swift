import Foundation
import IAMPolicy
import TestSupport
import Testing

/// Every real policy of `Fixtures/policies/` parses and round-trips through the canonical writer.
@Suite struct CorpusTests {
    static func gunzip(_ url: URL) throws -> [UInt8] { [UInt8](try TestSupport.gunzip(url)) }

    static func roundTrips(_ doc: PolicyDocument, _ name: String) throws {
        for style in [JSONStyle.pretty, .compact] {
            let again = try PolicyDocument(parsing: doc.json(style), source: name)
            #expect(again == doc, "\(name) \(style)")
            #expect(again.json(style) == doc.json(style))
        }
    }

    @Test func everyManagedPolicyParsesAndRoundTrips() throws {
        let bytes = try Self.gunzip(Repository.fixture("policies/aws-managed/aws-managed-policies.jsonl.gz"))
        let lines = try JSONValue.parseSequence(bytes)
        var names: [String] = []
        var statements = 0
        for line in lines {
            let name = try #require(line["name"]?.stringValue)
            let document = try #require(line["document"])
            let doc = try PolicyDocument(json: document, source: name, sourceBytes: bytes)
            statements += doc.statements.count
            try Self.roundTrips(doc, name)
            names.append(name)
        }
        // Figures from Fixtures/policies/aws-managed/README.md.
        #expect(names.count == 1645)
        #expect(Set(names).count == 1645)
        #expect(statements == 9032)
    }

    /// `pare validate`'s checks find nothing in the managed policies (run on the canonical text, as the
    /// file holds each policy inside a record: positions are not compared).
    @Test func everyManagedPolicyValidates() throws {
        let bytes = try Self.gunzip(Repository.fixture("policies/aws-managed/aws-managed-policies.jsonl.gz"))
        var problems: [String] = []
        var policies = 0
        for line in try JSONValue.parseSequence(bytes) {
            let name = try #require(line["name"]?.stringValue)
            let doc = try PolicyDocument(json: try #require(line["document"]), source: name)
            problems += PolicyFile.validate(Array(doc.json(.compact).utf8), source: name).map(\.description)
            policies += 1
        }
        #expect(policies == 1645)
        #expect(problems == [])
    }

    static let exampleFolders = [
        "policies/scp-examples", "policies/data-perimeter-examples", "policies/permissions-boundary-examples",
    ]

    static var exampleFiles: [String] {
        exampleFolders.flatMap { folder in
            ((try? FileManager.default.contentsOfDirectory(atPath: Repository.fixture(folder).path)) ?? [])
                .filter { $0.hasSuffix(".json") }.sorted().map { folder + "/" + $0 }
        }
    }

    static let invalidExample =
        "policies/scp-examples/Service-specific-controls__AWS-IAM__deny-service-specific-credential-by-type.json"

    /// 57 SCP files (56 valid, one invalid upstream), 29 data-perimeter, 2 boundary examples.
    @Test func exampleFolderSizes() {
        #expect(Self.exampleFiles.count == 57 + 29 + 2)
    }

    @Test(arguments: exampleFiles.filter { $0 != invalidExample })
    func everyExamplePolicyParsesAndRoundTrips(file: String) throws {
        let bytes = [UInt8](try Data(contentsOf: Repository.fixture(file)))
        let doc = try PolicyDocument(parsing: bytes, source: file)
        #expect(!doc.statements.isEmpty)
        try Self.roundTrips(doc, file)
    }

    /// The placeholders of two data-perimeter templates (`<action>`, `<third-party-resource>`).
    static let templateProblems = [
        "policies/data-perimeter-examples/service_control_policies__resource_perimeter_scp.json": [
            "43:13: Statement[0].NotResource[34]: `<third-party-resource>` is not a resource (expected an ARN or `*`)",
            "79:13: Statement[2].Resource[0]: `<third-party-resource>` is not a resource (expected an ARN or `*`)",
        ],
        "policies/data-perimeter-examples/vpc_endpoint_policies__s3_endpoint_policy.json": [
            "118:23: Statement[4].Action: `<action>` is not an action (expected `service:action` or `*`)",
            "119:25: Statement[4].Resource: `<third-party-resource-arn>` is not a resource (expected an ARN or `*`)",
            "137:23: Statement[5].Action: `<action>` is not an action (expected `service:action` or `*`)",
            "138:25: Statement[5].Resource: `<third-party-resource-arn>` is not a resource (expected an ARN or `*`)",
        ],
    ]

    /// The templates whose `NotIpAddressIfExists` value is the placeholder `<my-corporate-cidr>`: where it is.
    static let cidrPlaceholders = [
        "policies/data-perimeter-examples/resource_control_policies__network_perimeter_sourcevpc_rcp.json":
            "25:27: Statement[0].Condition.NotIpAddressIfExists.aws:SourceIp",
        "policies/data-perimeter-examples/resource_control_policies__network_perimeter_vpceorgid_rcp.json":
            "18:37: Statement[0].Condition.NotIpAddressIfExists.aws:SourceIp",
        "policies/data-perimeter-examples/resource_control_policies__service_specific_controls__api_gateway_policy.json":
            "53:31: Statement[2].Condition.NotIpAddressIfExists.aws:SourceIp",
        "policies/data-perimeter-examples/resource_control_policies__service_specific_controls__sns_topic_policy.json":
            "49:31: Statement[1].Condition.NotIpAddressIfExists.aws:SourceIp",
        "policies/data-perimeter-examples/service_control_policies__network_perimeter_sourcevpc_scp.json":
            "31:19: Statement[0].Condition.NotIpAddressIfExists.aws:SourceIp[0]",
        "policies/data-perimeter-examples/service_control_policies__network_perimeter_vpceorgid_scp.json":
            "64:19: Statement[0].Condition.NotIpAddressIfExists.aws:SourceIp[0]",
        "policies/data-perimeter-examples/service_control_policies__service_specific_controls__network_perimeter_ec2_scp.json":
            "30:19: Statement[0].Condition.NotIpAddressIfExists.aws:SourceIp[0]",
        "policies/data-perimeter-examples/service_control_policies__service_specific_controls__network_perimeter_glue_scp.json":
            "29:19: Statement[0].Condition.NotIpAddressIfExists.aws:SourceIp[0]",
        "policies/data-perimeter-examples/service_control_policies__service_specific_controls__network_perimeter_iam_users_scp.json":
            "30:19: Statement[0].Condition.NotIpAddressIfExists.aws:SourceIp[0]",
        "policies/data-perimeter-examples/service_control_policies__service_specific_controls__network_perimeter_lambda_scp.json":
            "31:19: Statement[0].Condition.NotIpAddressIfExists.aws:SourceIp[0]",
        "policies/scp-examples/Protect-cloud-platform-resource__Deny-use-of-IAM-user-credentials-from-unexpected-networks.json":
            "30:25: Statement[0].Condition.NotIpAddressIfExists.aws:SourceIp[0]",
    ]

    /// `pare validate`'s checks find nothing in the example policies but the templates' placeholders.
    @Test(arguments: exampleFiles.filter { $0 != invalidExample })
    func everyExamplePolicyValidates(file: String) throws {
        let bytes = [UInt8](try Data(contentsOf: Repository.fixture(file)))
        let cidr = Self.cidrPlaceholders[file].map {
            [$0 + ": `<my-corporate-cidr>` is not an IP address (`NotIpAddress` expects an address or a CIDR range)"]
        }
        #expect(
            PolicyFile.validate(bytes, source: file).map(\.locatedMessage)
                == (Self.templateProblems[file] ?? []) + (cidr ?? []))
    }

    @Test func theInvalidSCPExampleGivesAOneLineErrorWithPosition() throws {
        let bytes = [UInt8](try Data(contentsOf: Repository.fixture(Self.invalidExample)))
        #expect(throws: PolicyParseError.self) { try PolicyDocument(parsing: bytes, source: "deny.json") }
        do {
            _ = try PolicyDocument(parsing: bytes, source: "deny.json")
        } catch {
            #expect(
                error.description
                    == "deny.json:15:13: Statement[0].Condition.StringEqualsIfExists."
                    + "iam:ServiceSpecificCredentialServiceName: expected `,` or `]`, found `/`")
        }
    }
}
