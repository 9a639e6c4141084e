import Foundation
import IAMCatalog
import Ingest
import TestSupport
import Testing
import UsageStore

/// Ingestion and `pare catalog resolve` answer the same for the same record: the actions ingestion
/// stores for an event are the resolver's (`actions(requestParametersJSON:)`) plus its `anyOf`.
@Suite struct ResolutionAgreementTests {
    struct Case: Sendable, CustomStringConvertible {
        var source: String
        var name: String
        var parameters: String
        /// What both paths must give.
        var expected: [String]
        var description: String { "\(name) \(parameters)" }
    }

    static let cases: [Case] = [
        Case(
            source: "ecs.amazonaws.com", name: "RunTask",
            parameters:
                #"{"cluster":"c","taskDefinition":"td","overrides":{"taskRoleArn":"arn:aws:iam::111122223333:role/t"}}"#,
            expected: ["ecs:RunTask", "iam:PassRole"]),
        Case(
            source: "ecs.amazonaws.com", name: "RunTask",
            parameters: #"{"overrides":{"containerOverrides":[{"name":"taskRoleArn"}],"taskRoleArn":null}}"#,
            expected: ["ecs:RunTask"]),
        Case(
            source: "ecs.amazonaws.com", name: "RunTask", parameters: #"{"overrides":null,"taskRoleArn":"x"}"#,
            expected: ["ecs:RunTask"]),
        Case(
            source: "ecs.amazonaws.com", name: "RunTask",
            parameters: #"{"overrides" : { "cpu" : "1", "taskRoleArn" : "arn:aws:iam::111122223333:role/t" } }"#,
            expected: ["ecs:RunTask", "iam:PassRole"]),
        Case(
            source: "ec2.amazonaws.com", name: "RunInstances",
            parameters: #"{"instanceType":"t3.micro","iamInstanceProfile":null}"#, expected: ["ec2:RunInstances"]),
        // An empty value passes nothing: `{}`, `""` and `[]` are absent, at the top level and in a path.
        Case(
            source: "ec2.amazonaws.com", name: "RunInstances",
            parameters: #"{"instanceType":"t3.micro","iamInstanceProfile":{}}"#, expected: ["ec2:RunInstances"]),
        Case(
            source: "ec2.amazonaws.com", name: "RunInstances",
            parameters: #"{"instanceType":"t3.micro","iamInstanceProfile":{ },"tagSpecificationSet":[]}"#,
            expected: ["ec2:RunInstances"]),
        Case(
            source: "states.amazonaws.com", name: "CreateStateMachine", parameters: #"{"name":"m","roleArn":""}"#,
            expected: ["states:CreateStateMachine"]),
        Case(
            source: "ecs.amazonaws.com", name: "RunTask",
            parameters: #"{"taskDefinition":"td","overrides":{"taskRoleArn":"","executionRoleArn":{}}}"#,
            expected: ["ecs:RunTask"]),
        // A list whose elements require a role passes one when it is not empty.
        Case(
            source: "sagemaker.amazonaws.com", name: "CreateCluster",
            parameters: #"{"clusterName":"c","instanceGroups":[]}"#, expected: ["sagemaker:CreateCluster"]),
        Case(
            source: "sagemaker.amazonaws.com", name: "CreateCluster",
            parameters:
                #"{"clusterName":"c","instanceGroups":[{"instanceGroupName":"g","executionRole":"arn:aws:iam::111122223333:role/h"}]}"#,
            expected: ["sagemaker:CreateCluster", "iam:PassRole"]),
        Case(
            source: "ec2.amazonaws.com", name: "RunInstances",
            parameters: #"{"iamInstanceProfile":{"name":"web"},"tagSpecificationSet":{"items":[]}}"#,
            expected: ["ec2:RunInstances", "iam:PassRole", "ec2:CreateTags"]),
        Case(
            source: "dynamodb.amazonaws.com", name: "TransactWriteItems",
            parameters: #"{"transactItems":[{"put":{"tableName":"x"}}]}"#,
            expected: ["dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:ConditionCheckItem"]),
        Case(
            source: "dynamodb.amazonaws.com", name: "ExecuteStatement", parameters: #"{"statement":"SELECT"}"#,
            expected: [
                "dynamodb:PartiQLSelect", "dynamodb:PartiQLInsert", "dynamodb:PartiQLUpdate", "dynamodb:PartiQLDelete",
            ]),
        Case(
            source: "states.amazonaws.com", name: "CreateStateMachine",
            parameters: #"{"name":"m","roleArn":"arn:aws:iam::111122223333:role/sfn"}"#,
            expected: ["states:CreateStateMachine", "iam:PassRole"]),
        Case(
            source: "states.amazonaws.com", name: "CreateStateMachine", parameters: #"{"name":"m","roleArn":null}"#,
            expected: ["states:CreateStateMachine"]),
        Case(
            source: "ec2.amazonaws.com", name: "CreateFlowLogs",
            parameters: #"{"CreateFlowLogsRequest":{"DeliverLogsPermissionArn":"arn:aws:iam::111122223333:role/fl"}}"#,
            expected: ["ec2:CreateFlowLogs", "iam:PassRole"]),
        Case(
            source: "s3.amazonaws.com", name: "GetObject",
            parameters: #"{"bucketName":"b","key":"k","versionId":null}"#,
            expected: ["s3:GetObject"]),
        Case(
            source: "s3.amazonaws.com", name: "CopyObject",
            parameters: #"{"bucketName":"b","key":"k","x-amz-acl":"private"}"#,
            expected: ["s3:PutObject", "s3:GetObject", "s3:PutObjectAcl"]),
    ]

    @Test(arguments: cases) func ingestionStoresWhatTheResolverSays(_ c: Case) throws {
        let catalog = try #require(TestCatalog.shared)
        let resolution = catalog.resolve(eventSource: c.source, eventName: c.name)
        let resolved = try resolution.actions(requestParametersJSON: c.parameters) + resolution.anyOf
        #expect(resolved == c.expected)

        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let logs = try writeLogs(
            ["a.json": [Event(name: c.name, source: c.source, identity: Event.role("app"), parameters: c.parameters)]],
            in: dir)
        let store = try UsageStore(path: dir.file("s.sqlite").path)
        let summary = try Ingestion.run(Ingestion.Options(paths: [logs], jobs: 1), store: store, resolver: catalog)
        #expect(summary.counts.used == 1)
        let usage = try store.usage(
            principal: "arn:aws:iam::111122223333:role/app", window: StoreWindow(start: 0, end: 4_000_000_000))
        #expect(usage.map(\.action).sorted() == c.expected.sorted())
    }

    /// A record that passes a role stores iam:PassRole with the role's ARN in its cover; the same call
    /// without the parameter stores no iam:PassRole.
    @Test func aPassedRoleIsStoredWithItsARN() throws {
        let catalog = try #require(TestCatalog.shared)
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let events = [
            Event(
                name: "CreateStateMachine", source: "states.amazonaws.com", identity: Event.role("deployer"),
                parameters: #"{"name":"m","definition":"{}","roleArn":"arn:aws:iam::111122223333:role/sfn-exec"}"#),
            Event(
                name: "CreateStateMachine", source: "states.amazonaws.com", identity: Event.role("builder"),
                parameters: #"{"name":"n","definition":"{}"}"#),
        ]
        let logs = try writeLogs(["a.json": events], in: dir)
        let store = try UsageStore(path: dir.file("s.sqlite").path)
        _ = try Ingestion.run(Ingestion.Options(paths: [logs], jobs: 1), store: store, resolver: catalog)
        let window = StoreWindow(start: 0, end: 4_000_000_000)
        let deployer = "arn:aws:iam::111122223333:role/deployer"
        #expect(
            try store.usage(principal: deployer, window: window).map(\.action) == [
                "iam:PassRole", "states:CreateStateMachine",
            ])
        #expect(
            try store.resources(principal: deployer, action: "iam:PassRole", window: window)
                == ResourceSample(arns: ["arn:aws:iam::111122223333:role/sfn-exec"], complete: true))
        #expect(
            try store.usage(principal: "arn:aws:iam::111122223333:role/builder", window: window).map(\.action) == [
                "states:CreateStateMachine"
            ])
    }
}
