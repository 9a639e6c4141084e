import Compare
import IAMCatalog
import IAMPolicy
import PropertyBased
import TestSupport
import Testing

/// Differential properties of `pare diff` against the evaluator, on random policies with conditions from a
/// small pool (independent keys, and `Bool`/`BoolIfExists` on one key, which are not independent).
@Suite struct DiffPropertyTests {
    static let conditionPool = [
        Condition(ConditionOperator(.stringEquals), key: "aws:PrincipalTag/team", values: ["a"]),
        Condition(ConditionOperator(.stringEquals), key: "aws:PrincipalTag/env", values: ["prod"]),
        Condition(ConditionOperator(.bool), key: "aws:SecureTransport", values: ["false"]),
        Condition(ConditionOperator(.bool, ifExists: true), key: "aws:SecureTransport", values: ["false"]),
        Condition(ConditionOperator(.bool), key: "aws:MultiFactorAuthPresent", values: ["true"]),
    ]
    /// Every combination of the pool's keys absent or set to a value that makes some entry hold or fail.
    static let contexts: [RequestContext] = {
        var result: [[String: [String]]] = [[:]]
        let choices: [(String, [String])] = [
            ("aws:PrincipalTag/team", ["a"]), ("aws:PrincipalTag/env", ["prod"]),
            ("aws:SecureTransport", ["false", "true"]), ("aws:MultiFactorAuthPresent", ["true"]),
        ]
        for (key, values) in choices {
            result = result.flatMap { context in
                [context] + values.map { value in context.merging([key: [value]]) { a, _ in a } }
            }
        }
        return result.map { RequestContext($0) }
    }()

    static let actionPatterns = [
        "s3:GetObject", "s3:PutObject", "s3:Get*", "s3:*", "sqs:SendMessage", "sqs:*", "*", "iam:PassRole",
        "S3:getobject", "s3:?etObject",
    ]
    static let resourcePatterns = [
        "*", "arn:aws:s3:::b/*", "arn:aws:s3:::b/x/*", "arn:aws:s3:::b/x/y", "arn:aws:s3:::c/*",
        "arn:aws:sqs:us-east-1:1:q?", "arn:aws:sqs:*:1:q1", "arn:aws:s3:::*",
    ]
    static let sampleActions = [
        "s3:GetObject", "s3:PutObject", "s3:GetObjectAcl", "sqs:SendMessage", "sqs:DeleteQueue", "iam:PassRole",
        "ec2:RunInstances",
    ]
    static let sampleResources = [
        "arn:aws:s3:::b/x/y", "arn:aws:s3:::b/x/z", "arn:aws:s3:::b/a", "arn:aws:s3:::c/k", "arn:aws:s3:::d",
        "arn:aws:sqs:us-east-1:1:q1", "arn:aws:sqs:eu-west-1:1:q1", "arn:aws:sqs:us-east-1:1:q2",
    ]

    static let statement = zip(
        Gen.int(in: 0...3), Gen.int(in: 0...5),
        Gen.int(in: 0...(actionPatterns.count - 1)).map { actionPatterns[$0] }.array(of: 1...2),
        Gen.int(in: 0...(resourcePatterns.count - 1)).map { resourcePatterns[$0] }.array(of: 1...2),
        Gen.int(in: 0...(conditionPool.count - 1)).array(of: 0...2)
    ).map { effect, shape, actions, resources, conditions in
        Statement(
            effect: effect == 0 ? .deny : .allow,
            action: shape == 0 ? .notAction(actions) : .action(actions),
            resource: shape == 1 ? .notResource(resources) : .resource(resources),
            conditions: Set(conditions).sorted().map { conditionPool[$0] })
    }
    static let policy = statement.array(of: 0...4).map { PolicyDocument(statements: $0) }

    static func allows(_ document: PolicyDocument, _ action: String, _ resource: String, _ context: RequestContext)
        -> Bool
    {
        PolicyEvaluator(identityPolicies: [NamedPolicy(name: "p", document: document)])
            .evaluate(Request(action: action, resource: resource, context: context)).decision == .allowed
    }

    /// The contexts in which `after` allows the request and `before` does not.
    static func newlyAllowed(_ before: PolicyDocument, _ after: PolicyDocument, _ action: String, _ resource: String)
        -> [RequestContext]
    {
        contexts.filter { allows(after, action, resource, $0) && !allows(before, action, resource, $0) }
    }

    @Test func aPolicyGrantsNothingNewOverItself() async throws {
        let catalog = try #require(TestCatalog.shared)
        await propertyCheck(count: 150, input: Self.policy) { document in
            let p = [NamedPolicy(name: "p", document: document)]
            let result = AccessComparison.compare(before: p, after: p, catalog: catalog)
            #expect(result.passed, "\(result.reasons.map(\.description))")
            #expect(result.removed.isEmpty)
        }
    }

    /// Adding one statement fails exactly when the evaluator allows some request under the new policy that
    /// it denies under the old, in some context: a definite reason's witness is such a request, and when the
    /// comparison passes no sampled request is one in any sampled context. ("Possibly new" reasons may be
    /// false alarms: `BoolIfExists` is wider than `Bool`, which opaque condition entries do not know.)
    @Test func oneMoreStatementFailsExactlyWhenTheEvaluatorFindsNewAccess() async throws {
        let catalog = try #require(TestCatalog.shared)
        await propertyCheck(count: 200, input: Self.policy, Self.statement) { document, extra in
            var widened = document
            widened.statements.append(extra)
            let result = AccessComparison.compare(
                before: [NamedPolicy(name: "before", document: document)],
                after: [NamedPolicy(name: "after", document: widened)], catalog: catalog)
            if result.passed {
                for action in Self.sampleActions {
                    for resource in Self.sampleResources {
                        #expect(
                            Self.newlyAllowed(document, widened, action, resource).isEmpty,
                            "missed \(action) on \(resource)")
                    }
                }
            } else {
                for reason in result.reasons where reason.kind == .newAccess {
                    let named = reason.actions.first ?? ""
                    let action = catalog.expand(named).first { _ in true }.map { catalog.name(of: $0) } ?? named
                    #expect(
                        !Self.newlyAllowed(document, widened, action, reason.witness ?? "").isEmpty,
                        "\(reason.description)")
                }
            }
        }
    }
}
