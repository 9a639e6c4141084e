import IAMPolicy
import TestSupport
import Testing

@Suite struct PolicyEvaluatorTests {
    static let table = PolicyDecisionTable.shared

    static func policy(_ name: String) throws -> NamedPolicy {
        let text = try #require(table.policies[name], "unknown policy \(name)")
        return NamedPolicy(name: name, document: try PolicyDocument(parsing: text, source: name))
    }

    @Test func theTableIsLargeAndCoversEveryCategory() {
        #expect(Self.table.cases.count >= 80)
        #expect(
            Set(Self.table.cases.map(\.category)) == [
                "deny-across", "not-action", "not-resource", "wildcards", "case", "boundary", "scp", "ip-address",
                "bool", "if-exists", "numeric", "date", "string", "arn", "null", "set-operators", "binary",
                "conditions-and", "variables", "principal",
            ])
        #expect(Set(Self.table.cases.map(\.decision)) == Set(Decision.allCases.map(\.rawValue)))
    }

    @Test(arguments: table.cases)
    func decision(_ row: PolicyDecisionCase) throws {
        let evaluator = PolicyEvaluator(
            identityPolicies: try row.identity.map(Self.policy),
            permissionsBoundary: try row.boundary.map(Self.policy),
            serviceControlPolicies: try row.scps.map { try $0.map(Self.policy) })
        let result = evaluator.evaluate(
            Request(
                action: row.action, resource: row.resource, principal: row.principal,
                context: row.context.map(RequestContext.init)))
        #expect(result.decision.rawValue == row.decision)
        #expect(result.statements.map { "\($0.policy)#\($0.statementIndex)" } == row.statements)
        let documents = try Set((row.identity + (row.scps ?? []) + [row.boundary].compactMap { $0 }).map(Self.policy))
        for reference in result.statements {
            let document = try #require(documents.first { $0.name == reference.policy }).document
            let statement = document.statements[reference.statementIndex]
            #expect(reference.sid == statement.sid)
            #expect(reference.effect == statement.effect)
        }
    }

    @Test func reasonsNameTheLayer() throws {
        let admin = try Self.policy("admin")
        let boundary = try Self.policy("boundary-s3-logs")
        let evaluator = PolicyEvaluator(identityPolicies: [admin], permissionsBoundary: boundary)
        #expect(
            evaluator.evaluate(Request(action: "ec2:RunInstances", resource: "*"))
                == EvaluationResult(
                    decision: .implicitDeny, statements: [],
                    reason: "no statement of the permissions boundary allows the request"))
        let ip = PolicyEvaluator(identityPolicies: [admin, try Self.policy("deny-not-ip")])
        #expect(
            ip.evaluate(Request(action: "s3:GetObject", resource: "*")).reason
                == "allowed unless the conditions of the listed deny statements hold")
        let both = PolicyEvaluator(identityPolicies: [try Self.policy("ip"), try Self.policy("deny-not-ip")])
        #expect(
            both.evaluate(Request(action: "s3:GetObject", resource: "*")).reason
                == "allowed only if the conditions of the listed allow statements hold"
                + " and those of the listed deny statements do not")
        #expect(
            PolicyEvaluator(identityPolicies: [try Self.policy("ip")])
                .evaluate(Request(action: "s3:GetObject", resource: "*")).reason
                == "allowed only if the conditions of the listed allow statements hold")
    }
}

@Suite struct ConditionDetailTests {
    static func decide(_ condition: String, _ context: [String: [String]]?) throws -> Decision {
        let doc = try PolicyDocument(
            parsing: #"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "*", "Resource": "*", "#
                + #""Condition": \#(condition)}}"#, source: "c")
        return PolicyEvaluator(identityPolicies: [NamedPolicy(name: "c", document: doc)])
            .evaluate(Request(action: "s3:GetObject", resource: "*", context: context.map(RequestContext.init)))
            .decision
    }

    @Test(arguments: [
        (#"{"IpAddress": {"k": "10.0.0.0/8"}}"#, "10.255.1.2", Decision.allowed),
        (#"{"IpAddress": {"k": "10.0.0.0/8"}}"#, "11.0.0.1", .implicitDeny),
        (#"{"IpAddress": {"k": "10.0.0.7"}}"#, "10.0.0.7", .allowed),
        (#"{"IpAddress": {"k": "0.0.0.0/0"}}"#, "192.0.2.1", .allowed),
        (#"{"IpAddress": {"k": "0.0.0.0/0"}}"#, "::1", .implicitDeny),
        (#"{"IpAddress": {"k": "2001:db8:a::/48"}}"#, "2001:db8:a:ffff::1", .allowed),
        (#"{"IpAddress": {"k": "2001:db8:a::/48"}}"#, "2001:db8:b::1", .implicitDeny),
        (#"{"IpAddress": {"k": "::ffff:192.0.2.0/120"}}"#, "::ffff:192.0.2.9", .allowed),
        (#"{"IpAddress": {"k": "10.0.0.0/33"}}"#, "10.0.0.1", .implicitDeny),
        (#"{"IpAddress": {"k": "10.0.0.0/8"}}"#, "not-an-ip", .implicitDeny),
        (#"{"NumericGreaterThan": {"k": "1.5"}}"#, "2", .allowed),
        (#"{"NumericEquals": {"k": 3}}"#, "3.0", .allowed),
        (#"{"NumericNotEquals": {"k": ["1", "2"]}}"#, "2", .implicitDeny),
        (#"{"NumericNotEquals": {"k": ["1", "2"]}}"#, "3", .allowed),
        (#"{"DateEquals": {"k": "2026-11-01T00:00:00Z"}}"#, "2026-11-01", .allowed),
        (#"{"DateNotEquals": {"k": "2026-11-01T00:00:00Z"}}"#, "2026-11-02T00:00:00+02:00", .allowed),
        (#"{"DateLessThanEquals": {"k": "2026-11-01T00:00:00Z"}}"#, "2026-11-01T02:00:00+02:00", .allowed),
        (#"{"StringNotLike": {"k": ["a*", "b*"]}}"#, "abc", .implicitDeny),
        (#"{"StringNotLike": {"k": ["a*", "b*"]}}"#, "cab", .allowed),
        (#"{"StringNotEqualsIgnoreCase": {"k": "ABC"}}"#, "abc", .implicitDeny),
        (#"{"StringLike": {"k": "a?c"}}"#, "abc", .allowed),
        (#"{"Bool": {"k": "TRUE"}}"#, "true", .allowed),
        (#"{"ArnNotEquals": {"k": "arn:aws:iam::1:role/a"}}"#, "arn:aws:iam::1:role/a", .implicitDeny),
        (#"{"ArnLike": {"k": "arn:aws:iam::*:role/*"}}"#, "arn:aws:iam::1:user/a", .implicitDeny),
        (#"{"ForAllValues:StringLike": {"k": "x*"}}"#, "xy", .allowed),
        (#"{"ForAnyValue:StringNotEquals": {"k": "x"}}"#, "x", .implicitDeny),
    ])
    func operatorsOnPresentKeys(condition: String, value: String, expected: Decision) throws {
        #expect(try Self.decide(condition, ["k": [value]]) == expected)
    }

    @Test(arguments: [
        (#"{"StringEquals": {"k": "v"}}"#, Decision.implicitDeny),
        (#"{"StringNotEquals": {"k": "v"}}"#, .allowed),
        (#"{"StringNotLike": {"k": "v"}}"#, .allowed),
        (#"{"ArnNotLike": {"k": "arn:aws:iam::1:role/a"}}"#, .allowed),
        (#"{"NumericLessThan": {"k": "1"}}"#, .implicitDeny),
        (#"{"StringEqualsIfExists": {"k": "v"}}"#, .allowed),
        (#"{"ForAllValues:StringEquals": {"k": "v"}}"#, .allowed),
        (#"{"ForAnyValue:StringEquals": {"k": "v"}}"#, .implicitDeny),
        (#"{"ForAnyValue:StringNotEquals": {"k": "v"}}"#, .implicitDeny),
        (#"{"Null": {"k": "true"}}"#, .allowed),
        (#"{"Null": {"k": "false"}}"#, .implicitDeny),
    ])
    func missingKeys(condition: String, expected: Decision) throws {
        #expect(try Self.decide(condition, [:]) == expected)
        #expect(try Self.decide(condition, nil) == .allowedIfConditions)
    }
}

@Suite struct SomeResourceTests {
    static func evaluator(_ names: [String]) throws -> PolicyEvaluator {
        PolicyEvaluator(identityPolicies: try names.map(PolicyEvaluatorTests.policy))
    }

    @Test(arguments: [
        (["s3-read"], "s3:GetObject", Decision.allowed, ["s3-read#0"]),
        (["s3-read"], "s3:PutObject", .implicitDeny, []),
        (["allow-notresource"], "s3:GetObject", .allowed, ["allow-notresource#0"]),
        (["admin", "deny-delete"], "s3:DeleteObject", .explicitDeny, ["deny-delete#0"]),
        // A Deny on some resources leaves the action granted elsewhere.
        (["admin", "deny-outside-safe"], "s3:GetObject", .allowed, ["admin#0"]),
        (["two-statements"], "s3:DeleteObject", .allowed, ["two-statements#0"]),
        (["ip"], "s3:GetObject", .allowedIfConditions, ["ip#0"]),
        (["home"], "s3:GetObject", .allowed, ["home#0"]),
    ])
    func actionLevelDecisions(policies: [String], action: String, decision: Decision, statements: [String]) throws {
        let result = try Self.evaluator(policies)
            .evaluateOnSomeResource(Request(action: action, resource: "ignored"))
        #expect(result.decision == decision)
        #expect(result.statements.map { "\($0.policy)#\($0.statementIndex)" } == statements)
    }

    /// A regression: `Double(_:)` read `0x10` as 16 and `inf` as infinity; IAM reads decimal numbers only.
    @Test(arguments: [
        ("0x10", "5", Decision.implicitDeny), ("10", "0x5", .implicitDeny), ("inf", "5", .implicitDeny),
        ("1e400", "5", .implicitDeny),
        ("10", "5", .allowed), ("1e1", "5.5", .allowed), ("-1", "-2", .allowed),
    ])
    func numericConditionsReadDecimalNumbersOnly(policyValue: String, contextValue: String, decision: Decision)
        throws
    {
        let document = try PolicyDocument(
            parsing: #"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:ListBucket", "#
                + #""Resource": "*", "Condition": {"NumericLessThan": {"s3:max-keys": "\#(policyValue)"}}}}"#,
            source: "n.json")
        let evaluator = PolicyEvaluator(identityPolicies: [NamedPolicy(name: "n.json", document: document)])
        let request = Request(
            action: "s3:ListBucket", resource: "arn:aws:s3:::b",
            context: RequestContext(["s3:max-keys": [contextValue]]))
        #expect(evaluator.evaluate(request).decision == decision)
    }
}
