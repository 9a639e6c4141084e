import Foundation
import IAMCatalog
import TestSupport
import Testing

/// One row of the DESIGN.md traps table: an event, optional request parameters, what it needs.
struct ResolutionCase: CustomTestStringConvertible, Sendable {
    var source: String
    var name: String
    var parameters: String?
    var status: EventResolution.Status
    var actions: [String]
    var reason: String?

    var testDescription: String { "\(source) \(name)\(parameters.map { " \($0)" } ?? "")" }
}

let resolutionCases: [ResolutionCase] = [
    .init(source: "lambda.amazonaws.com", name: "Invoke", status: .resolved, actions: ["lambda:InvokeFunction"]),
    .init(
        source: "s3.amazonaws.com", name: "PutBucketReplication", status: .resolved,
        actions: ["s3:PutReplicationConfiguration", "iam:PassRole"]),
    .init(source: "s3.amazonaws.com", name: "ListObjects", status: .resolved, actions: ["s3:ListBucket"]),
    .init(source: "s3.amazonaws.com", name: "ListObjectsV2", status: .resolved, actions: ["s3:ListBucket"]),
    .init(source: "s3.amazonaws.com", name: "HeadObject", status: .resolved, actions: ["s3:GetObject"]),
    .init(
        source: "s3.amazonaws.com", name: "HeadObject", parameters: #"{"bucketName":"b","key":"k","versionId":"v1"}"#,
        status: .resolved, actions: ["s3:GetObject", "s3:GetObjectVersion"]),
    .init(source: "s3.amazonaws.com", name: "ListBuckets", status: .resolved, actions: ["s3:ListAllMyBuckets"]),
    .init(
        source: "kms.amazonaws.com", name: "ReEncrypt", status: .resolved,
        actions: ["kms:ReEncryptFrom", "kms:ReEncryptTo"]),
    .init(
        source: "monitoring.amazonaws.com", name: "DescribeAlarms", status: .resolved,
        actions: ["cloudwatch:DescribeAlarms"]),
    .init(
        source: "signin.amazonaws.com", name: "ConsoleLogin", status: .noPermission, actions: [],
        reason: "console sign-in needs no identity-policy permission"),
    .init(
        source: "sts.amazonaws.com", name: "GetCallerIdentity", status: .noPermission, actions: [],
        reason: "sts:GetCallerIdentity needs no permission (an explicit deny is ignored)"),
    .init(
        source: "sts.amazonaws.com", name: "AssumeRoleWithWebIdentity", status: .noPermission, actions: [],
        reason: "authorized by the role's trust policy (Principal.Federated), not by an identity policy of the caller"),
    .init(
        source: "sts.amazonaws.com", name: "AssumeRoleWithSAML", status: .noPermission, actions: [],
        reason: "authorized by the role's trust policy (Principal.Federated), not by an identity policy of the caller"),
    .init(
        source: "sso.amazonaws.com", name: "GetRoleCredentials", status: .noPermission, actions: [],
        reason:
            "IAM Identity Center portal call, authorized by the user's portal session, not by an identity policy"),
    // A regression: the portal's own host (`portal.sso.amazonaws.com`) was unresolved.
    .init(
        source: "portal.sso.amazonaws.com", name: "GetRoleCredentials", status: .noPermission, actions: [],
        reason:
            "IAM Identity Center portal call, authorized by the user's portal session, not by an identity policy"),
    .init(
        source: "lambda.amazonaws.com", name: "GetFunction20150331v2", status: .resolved,
        actions: ["lambda:GetFunction"]),
    .init(
        source: "lambda.amazonaws.com", name: "ListFunctions20150331", status: .resolved,
        actions: ["lambda:ListFunctions"]),
    .init(
        source: "lambda.amazonaws.com", name: "UpdateFunctionConfiguration20150331v2",
        parameters: #"{"functionName":"f","role":"arn:aws:iam::111122223333:role/r"}"#, status: .resolved,
        actions: ["lambda:UpdateFunctionConfiguration", "iam:PassRole"]),
    .init(
        source: "lambda.amazonaws.com", name: "CreateFunction20150331", status: .resolved,
        actions: ["lambda:CreateFunction", "iam:PassRole"]),
    .init(
        source: "cloudfront.amazonaws.com", name: "UpdateDistribution2020_05_31", status: .resolved,
        actions: ["cloudfront:UpdateDistribution"]),
    .init(
        source: "cloudfront.amazonaws.com", name: "GetDistributionConfig2020_05_31", status: .resolved,
        actions: ["cloudfront:GetDistributionConfig"]),
    .init(
        source: "ec2.amazonaws.com", name: "RunInstances", parameters: #"{"instanceType":"t3.micro"}"#,
        status: .resolved, actions: ["ec2:RunInstances"]),
    .init(
        source: "ec2.amazonaws.com", name: "RunInstances",
        parameters: #"{"instanceType":"t3.micro","iamInstanceProfile":{"name":"app"}}"#, status: .resolved,
        actions: ["ec2:RunInstances", "iam:PassRole"]),
    .init(
        source: "ec2.amazonaws.com", name: "RunInstances", parameters: #"{"iamInstanceProfile":null}"#,
        status: .resolved, actions: ["ec2:RunInstances"]),
    .init(
        source: "s3.amazonaws.com", name: "CopyObject", status: .resolved, actions: ["s3:PutObject", "s3:GetObject"]),
    .init(
        source: "s3.amazonaws.com", name: "CopyObject", parameters: #"{"x-amz-copy-source-version-id":"v2"}"#,
        status: .resolved, actions: ["s3:PutObject", "s3:GetObject", "s3:GetObjectVersion"]),
    .init(
        source: "ecs.amazonaws.com", name: "RunTask",
        parameters: #"{"overrides":{"taskRoleArn":"arn:aws:iam::1:role/t"}}"#,
        status: .resolved, actions: ["ecs:RunTask", "iam:PassRole"]),
    // iam:PassRole when the request passes a role (the generator's rule over botocore input shapes).
    .init(
        source: "lambda.amazonaws.com", name: "CreateFunction20150331",
        parameters: #"{"functionName":"f","runtime":"python3.12","role":"arn:aws:iam::111122223333:role/fn"}"#,
        status: .resolved, actions: ["lambda:CreateFunction", "iam:PassRole"]),
    .init(
        source: "states.amazonaws.com", name: "CreateStateMachine",
        parameters: #"{"name":"m","roleArn":"arn:aws:iam::111122223333:role/sfn"}"#, status: .resolved,
        actions: ["states:CreateStateMachine", "iam:PassRole"]),
    .init(
        source: "states.amazonaws.com", name: "CreateStateMachine", parameters: #"{"name":"m"}"#,
        status: .resolved, actions: ["states:CreateStateMachine"]),
    .init(
        source: "cloudformation.amazonaws.com", name: "CreateStack",
        parameters: #"{"stackName":"s","roleARN":"arn:aws:iam::111122223333:role/cfn"}"#, status: .resolved,
        actions: ["cloudformation:CreateStack", "iam:PassRole"]),
    .init(
        source: "cloudformation.amazonaws.com", name: "CreateStack", parameters: #"{"stackName":"s"}"#,
        status: .resolved, actions: ["cloudformation:CreateStack"]),
    .init(
        source: "elasticmapreduce.amazonaws.com", name: "RunJobFlow",
        parameters: #"{"name":"j","jobFlowRole":"EMR_EC2_DefaultRole","serviceRole":"EMR_DefaultRole"}"#,
        status: .resolved, actions: ["elasticmapreduce:RunJobFlow", "iam:PassRole"]),
    .init(
        source: "ecs.amazonaws.com", name: "StartTask",
        parameters: #"{"taskDefinition":"td","overrides":{"executionRoleArn":"arn:aws:iam::111122223333:role/x"}}"#,
        status: .resolved, actions: ["ecs:StartTask", "iam:PassRole"]),
    .init(
        source: "ec2.amazonaws.com", name: "RequestSpotInstances",
        parameters: #"{"launchSpecification":{"iamInstanceProfile":{"name":"web"}}}"#, status: .resolved,
        actions: ["ec2:RequestSpotInstances", "iam:PassRole"]),
    // A Snowflake database role is no IAM role (overlays/passrole_not_roles.json).
    .init(
        source: "quicksight.amazonaws.com", name: "CreateDataSource",
        parameters:
            #"{"awsAccountId":"111122223333","dataSourceId":"d","name":"n","type":"SNOWFLAKE","dataSourceParameters":{"snowflakeParameters":{"host":"h","database":"db","warehouse":"w","databaseAccessControlRole":"ANALYST"}}}"#,
        status: .resolved, actions: ["quicksight:CreateDataSource"]),
    .init(
        source: "quicksight.amazonaws.com", name: "CreateDataSource",
        parameters:
            #"{"awsAccountId":"111122223333","dataSourceId":"d","name":"n","type":"ATHENA","dataSourceParameters":{"athenaParameters":{"workGroup":"w","roleArn":"arn:aws:iam::111122223333:role/qs"}}}"#,
        status: .resolved, actions: ["quicksight:CreateDataSource", "iam:PassRole"]),
    // A required role in a list's elements: the list's presence passes a role; an empty list does not.
    .init(
        source: "api.sagemaker.amazonaws.com", name: "CreateCluster",
        parameters:
            #"{"clusterName":"c","instanceGroups":[{"instanceGroupName":"g","executionRole":"arn:aws:iam::111122223333:role/h"}]}"#,
        status: .resolved, actions: ["sagemaker:CreateCluster", "iam:PassRole"]),
    .init(
        source: "api.sagemaker.amazonaws.com", name: "CreateCluster",
        parameters: #"{"clusterName":"c","instanceGroups":[]}"#,
        status: .resolved, actions: ["sagemaker:CreateCluster"]),
    // SageMaker logs on `sagemaker.amazonaws.com`, a host of the prefix that is no botocore endpoint.
    .init(
        source: "sagemaker.amazonaws.com", name: "CreateTrainingJob",
        parameters: #"{"trainingJobName":"t","roleArn":"arn:aws:iam::111122223333:role/sm"}"#, status: .resolved,
        actions: ["sagemaker:CreateTrainingJob", "iam:PassRole"]),
    // EC2 logs some calls under `<Operation>Request` (CreateFlowLogs in Fixtures/cloudtrail/stratus-red-team).
    .init(
        source: "ec2.amazonaws.com", name: "CreateFlowLogs",
        parameters:
            #"{"CreateFlowLogsRequest":{"DeliverLogsPermissionArn":"arn:aws:iam::111122223333:role/fl","ResourceType":"VPC"}}"#,
        status: .resolved, actions: ["ec2:CreateFlowLogs", "iam:PassRole"]),
    .init(
        source: "ec2.amazonaws.com", name: "CreateFlowLogs",
        parameters: #"{"CreateFlowLogsRequest":{"LogDestinationType":"s3","ResourceType":"VPC"}}"#, status: .resolved,
        actions: ["ec2:CreateFlowLogs"]),
    .init(source: "apigateway.amazonaws.com", name: "GetRestApis", status: .resolved, actions: ["apigateway:GET"]),
    .init(source: "s3.amazonaws.com", name: "getobject", status: .resolved, actions: ["s3:GetObject"]),
    // Source and name are looked up case-insensitively at every step.
    .init(source: "S3.AMAZONAWS.COM", name: "getobject", status: .resolved, actions: ["s3:GetObject"]),
    .init(source: "S3.Amazonaws.com", name: "listobjectsv2", status: .resolved, actions: ["s3:ListBucket"]),
    .init(
        source: "Monitoring.amazonaws.com", name: "DescribeAlarms", status: .resolved,
        actions: ["cloudwatch:DescribeAlarms"]),
    .init(
        source: "LAMBDA.amazonaws.com", name: "getFunction20150331v2", status: .resolved,
        actions: ["lambda:GetFunction"]),
    .init(
        source: "Signin.amazonaws.com", name: "consolelogin", status: .noPermission, actions: [],
        reason: "console sign-in needs no identity-policy permission"),
    .init(
        source: "EXAMPLE.amazonaws.com", name: "DoThing", status: .unresolved, actions: [],
        reason: "unknown event source `EXAMPLE.amazonaws.com`"),
    .init(source: "iam.amazonaws.com", name: "CreateRole", status: .resolved, actions: ["iam:CreateRole"]),
    .init(source: "sqs.amazonaws.com", name: "SendMessageBatch", status: .resolved, actions: ["sqs:SendMessage"]),
    .init(
        source: "s3.amazonaws.com", name: "DeleteBucketPublicAccessBlock", status: .resolved,
        actions: ["s3:PutBucketPublicAccessBlock"]),
    .init(
        source: "cloudfront.amazonaws.com", name: "CreateDistributionWithTags2020_05_31", status: .resolved,
        actions: ["cloudfront:CreateDistribution", "cloudfront:TagResource"]),
    .init(
        source: "s3.amazonaws.com", name: "FlyToTheMoon", status: .unresolved, actions: [],
        reason: "no action `s3:FlyToTheMoon` in the catalog"),
    .init(
        source: "example.amazonaws.com", name: "DoThing", status: .unresolved, actions: [],
        reason: "unknown event source `example.amazonaws.com`"),
    .init(
        source: "lambda.amazonaws.com", name: "GetFunction2015", status: .unresolved, actions: [],
        reason: "no action `lambda:GetFunction2015` in the catalog"),
]

@Suite struct EventResolutionTests {
    @Test(arguments: resolutionCases)
    func resolvesTheTraps(_ row: ResolutionCase) throws {
        let catalog = try #require(bundledCatalog)
        let resolution = catalog.resolve(eventSource: row.source, eventName: row.name)
        #expect(resolution.status == row.status)
        #expect(resolution.reason == row.reason)
        let actions = try row.parameters.map { try resolution.actions(requestParametersJSON: $0) } ?? resolution.actions
        #expect(actions == row.actions)
    }

    @Test func runInstancesCarriesItsConditionalExtras() throws {
        let catalog = try #require(bundledCatalog)
        #expect(
            catalog.resolve(eventSource: "ec2.amazonaws.com", eventName: "RunInstances")
                == EventResolution(
                    status: .resolved, actions: ["ec2:RunInstances"],
                    conditional: [
                        .init(parameter: "iamInstanceProfile", actions: ["iam:PassRole"]),
                        .init(parameter: "tagSpecificationSet", actions: ["ec2:CreateTags"]),
                    ]))
    }

    @Test func transactWriteItemsNeedsOneOfTheItemActions() throws {
        let catalog = try #require(bundledCatalog)
        #expect(
            catalog.resolve(eventSource: "dynamodb.amazonaws.com", eventName: "TransactWriteItems")
                == EventResolution(
                    status: .resolved,
                    anyOf: [
                        "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:ConditionCheckItem",
                    ],
                    note: "depends on the item kinds in transactItems"))
    }

    @Test func recordLevelNoPermission() throws {
        let catalog = try #require(bundledCatalog)
        #expect(
            catalog.noPermissionReason(eventType: "AwsServiceEvent", userIdentityType: nil)
                == "AWS service event, not a call by a principal")
        #expect(
            catalog.noPermissionReason(eventType: "AwsApiCall", userIdentityType: "AWSService")
                == "call made by an AWS service, not by a principal")
        #expect(catalog.noPermissionReason(eventType: "AwsApiCall", userIdentityType: "IAMUser") == nil)
    }

    @Test func requestParametersMustBeAnObject() throws {
        let catalog = try #require(bundledCatalog)
        let resolution = catalog.resolve(eventSource: "ec2.amazonaws.com", eventName: "RunInstances")
        #expect(throws: CatalogError.self) { try resolution.actions(requestParametersJSON: "[1]") }
        #expect(throws: CatalogError.self) { try resolution.actions(requestParametersJSON: "{") }
    }

    @Test func everyExceptionAndHostNamesCatalogEntries() throws {
        // The loader rejects unknown names; this checks the map is also complete for the fixtures'
        // hosts and that every emitted action round-trips to the catalog's spelling.
        let catalog = try #require(bundledCatalog)
        for (source, name, _) in try fixturePairs() {
            #expect(catalog.prefix(eventSource: source) != nil, "unknown host \(source)")
            let resolution = catalog.resolve(eventSource: source, eventName: name)
            let emitted = resolution.actions + resolution.conditional.flatMap(\.actions) + resolution.anyOf
            for action in emitted {
                let id = try #require(catalog.action(named: action), "\(source) \(name) emits unknown \(action)")
                #expect(catalog.name(of: id) == action)
            }
        }
    }

    /// Every distinct (eventSource, eventName) of the real logs, resolved as ingestion would (record
    /// level first: an `eventType` that needs no permission decides); unresolved pairs with reasons.
    @Test func fixtureEventsGolden() throws {
        let catalog = try #require(bundledCatalog)
        var lines = ["# eventSource\teventName\tstatus\tactions | when … | one of … | reason"]
        for (source, name, eventTypes) in try fixturePairs() {
            let recordReasons = eventTypes.map { catalog.noPermissionReason(eventType: $0, userIdentityType: nil) }
            if let reason = recordReasons.first ?? nil, recordReasons.allSatisfy({ $0 == reason }) {
                lines.append("\(source)\t\(name)\tnoPermission\t\(reason)")
                continue
            }
            let r = catalog.resolve(eventSource: source, eventName: name)
            var parts = [r.actions.joined(separator: ",")]
            parts += r.conditional.map { "when \($0.parameter): \($0.actions.joined(separator: ","))" }
            if !r.anyOf.isEmpty { parts.append("one of: \(r.anyOf.joined(separator: ","))") }
            if let reason = r.reason { parts.append(reason) }
            lines.append(
                "\(source)\t\(name)\t\(r.status.rawValue)\t\(parts.filter { !$0.isEmpty }.joined(separator: " | "))")
        }
        assertGolden(lines.joined(separator: "\n") + "\n", file: goldenFile("cloudtrail-event-resolution.tsv"))
    }

    /// (eventSource, eventName, eventTypes) of `Fixtures/derived/cloudtrail-event-pairs.tsv`.
    private func fixturePairs() throws -> [(String, String, [String])] {
        let text = try String(
            contentsOf: Repository.fixture("derived/cloudtrail-event-pairs.tsv"), encoding: .utf8)
        return text.split(separator: "\n").filter { !$0.hasPrefix("#") }.map { line in
            let fields = line.split(separator: "\t")
            return (String(fields[0]), String(fields[1]), fields[2].split(separator: ",").map(String.init))
        }
    }
}
