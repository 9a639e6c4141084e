import Compare
import Foundation
import IAMCatalog
import IAMPolicy
import PropertyBased
import Synthesis
import Testing
import UsageStore

/// Properties of `pare policy` on generated usage and snapshots: never broader than the snapshot (checked
/// again, independently, with `pare diff`'s comparison), every observed call of a kept action replays as
/// allowed — under every request context exactly when today's policies allow it, whichever condition
/// blocks grant it —, deterministic, only catalog actions, every document within its limit.
@Suite struct SynthesisPropertyTests {
    static let actions = [
        "s3:GetObject", "s3:PutObject", "s3:ListBucket", "s3:ListAllMyBuckets", "s3:GetBucketAcl",
        "sqs:SendMessage", "iam:PassRole", "ec2:DescribeInstances", "dynamodb:GetItem", "kms:Decrypt",
    ]
    static let arns = [
        "arn:aws:s3:::b", "arn:aws:s3:::b/x/1", "arn:aws:s3:::b/x/2", "arn:aws:s3:::b/y/1", "arn:aws:s3:::c",
        "arn:aws:s3:::c/k", "arn:aws:sqs:us-east-1:111122223333:q1", "arn:aws:sqs:eu-west-1:111122223333:q2",
        "arn:aws:iam::111122223333:role/r1", "arn:aws:iam::111122223333:role/ops/r2",
        "arn:aws:dynamodb:us-east-1:111122223333:table/t", "arn:aws:kms:us-east-1:111122223333:key/k1",
    ]
    static let actionPatterns = [
        "s3:GetObject", "s3:Get*", "s3:*", "s3:List*", "sqs:*", "iam:PassRole", "ec2:Describe*", "dynamodb:GetItem",
        "kms:Decrypt", "*",
    ]
    static let resourcePatterns = [
        "*", "arn:aws:s3:::b/*", "arn:aws:s3:::b/x/*", "arn:aws:s3:::b", "arn:aws:s3:::*",
        "arn:aws:sqs:us-east-1:111122223333:*", "arn:aws:iam::111122223333:role/*", "arn:aws:dynamodb:*:*:table/t",
        "arn:aws:kms:us-east-1:111122223333:key/*",
    ]

    static let usedAction = zip(
        Gen.int(in: 0...(actions.count - 1)), Gen.int(in: 0...(arns.count - 1)).array(of: 0...4), Gen.bool
    ).map { action, resources, complete in
        used(actions[action], Array(Set(resources.map { arns[$0] })), complete: complete)
    }
    static let usage = usedAction.array(of: 1...6).map { list in
        // One entry per action, as the store gives them.
        var seen = Set<String>()
        return list.filter { seen.insert($0.usage.action).inserted }
    }
    static let vpc = Condition(ConditionOperator(.stringEquals), key: "aws:SourceVpc", values: ["vpc-1"])
    static let mfa = Condition(ConditionOperator(.bool), key: "aws:MultiFactorAuthPresent", values: ["true"])
    /// Several condition blocks, so that an action is often granted under different ones (or under one and
    /// without conditions).
    static let conditionBlocks: [[Condition]] = [[vpc], [mfa], [vpc, mfa], [mfa, vpc], [], [], [], []]
    /// Request contexts that tell the condition blocks apart.
    static let contexts: [RequestContext] = [
        RequestContext(), RequestContext(["aws:SourceVpc": ["vpc-1"]]),
        RequestContext(["aws:MultiFactorAuthPresent": ["true"]]),
        RequestContext(["aws:SourceVpc": ["vpc-1"], "aws:MultiFactorAuthPresent": ["true"]]),
        RequestContext(["aws:SourceVpc": ["vpc-2"], "aws:MultiFactorAuthPresent": ["false"]]),
    ]
    static let statement = zip(
        Gen.int(in: 0...4), Gen.int(in: 0...(conditionBlocks.count - 1)),
        Gen.int(in: 0...(actionPatterns.count - 1)).map { actionPatterns[$0] }.array(of: 1...3),
        Gen.int(in: 0...(resourcePatterns.count - 1)).map { resourcePatterns[$0] }.array(of: 1...2)
    ).map { effect, block, actions, resources in
        Statement(
            effect: effect == 0 ? .deny : .allow, actions: actions, resources: resources,
            conditions: conditionBlocks[block])
    }
    /// One or two policies (the grants of an action may come from either).
    static let snapshot = zip(statement.array(of: 1...3), statement.array(of: 0...2)).map { first, second in
        [first, second].filter { !$0.isEmpty }.enumerated().map { index, statements in
            NamedPolicy(name: index == 0 ? "current" : "other", document: PolicyDocument(statements: statements))
        }
    }
    static let limits = [300, 1_000, 6_144]

    @Test func propertiesHoldWithASnapshot() async throws {
        let catalog = try catalog()
        await propertyCheck(
            count: 100, input: Self.usage, Self.snapshot, Gen.int(in: 0...2), Gen.bool
        ) { used, policies, limitIndex, safe in
            let current = CurrentAccess(identityPolicies: policies)
            let input = SynthesisInput(
                principal: role, window: window, used: used, regions: ["us-east-1"], current: current)
            let options = SynthesisOptions(wildcards: safe ? .safe : .none, maxPolicySize: Self.limits[limitIndex])
            Self.check(input, options, catalog: catalog)
        }
    }

    @Test func propertiesHoldWithoutASnapshot() async throws {
        let catalog = try catalog()
        await propertyCheck(count: 60, input: Self.usage, Gen.int(in: 0...2)) { used, resourceIndex in
            let input = SynthesisInput(principal: role, window: window, used: used, regions: ["us-east-1"])
            let scope = SynthesisOptions.ResourceScope.allCases[resourceIndex]
            Self.check(input, SynthesisOptions(resources: scope), catalog: catalog)
        }
    }

    static func check(_ input: SynthesisInput, _ options: SynthesisOptions, catalog: ActionCatalog) {
        let result: SynthesisResult
        do {
            result = try PolicySynthesis.synthesize(input, catalog: catalog, options: options)
        } catch {
            // Only when nothing used is granted today.
            #expect(error.description.hasSuffix("refusing to write an empty policy"))
            #expect(input.current != nil)
            return
        }
        let named = result.policies.map { NamedPolicy(name: $0.name, document: $0.document) }
        if let current = input.current {
            let comparison = AccessComparison.compare(
                before: current.identityPolicies, after: named, catalog: catalog)
            #expect(comparison.passed, "\(comparison.reasons.map(\.description))")
            #expect(result.neverBroadens == true)
            // An oracle independent of `Compare` (which synthesis itself uses): every request the new policy
            // allows on an instance of its own resource patterns is allowed by the current policies too
            // (unconditionally when the new one allows it unconditionally).
            let old = PolicyEvaluator(identityPolicies: current.identityPolicies)
            let new = PolicyEvaluator(identityPolicies: named)
            for policy in result.policies {
                for statement in policy.document.statements where statement.effect == .allow {
                    guard case .action(let names) = statement.action, case .resource(let patterns)? = statement.resource
                    else { continue }
                    let actions = names.flatMap { name in
                        name.contains("*") || name.contains("?") ? catalog.names(of: catalog.expand(name)) : [name]
                    }
                    for action in actions {
                        for pattern in patterns where !pattern.contains("${") {
                            for filler in ["", "x"] {
                                let resource = pattern.replacingOccurrences(of: "*", with: filler)
                                    .replacingOccurrences(of: "?", with: "x")
                                let request = Request(action: action, resource: resource)
                                let now = new.evaluate(request).decision
                                let before = old.evaluate(request).decision
                                if now == .allowed {
                                    #expect(before == .allowed, "\(action) on \(resource) newly allowed")
                                } else if now == .allowedIfConditions {
                                    #expect(
                                        before == .allowed || before == .allowedIfConditions,
                                        "\(action) on \(resource) newly allowed under conditions")
                                }
                            }
                        }
                    }
                }
            }
        }
        if let current = input.current {
            // Under every request context, an observed call of a kept action is allowed by the new policy exactly
            // when it is allowed today: each condition block of today's grants is carried with the resources it
            // grants. An action left out is allowed nowhere.
            let old = PolicyEvaluator(identityPolicies: current.identityPolicies)
            let new = PolicyEvaluator(identityPolicies: named)
            for outcome in result.actions {
                for resource in outcome.observed {
                    for context in Self.contexts {
                        let request = Request(action: outcome.usage.action, resource: resource, context: context)
                        let now = new.evaluate(request).decision
                        if outcome.status == .included {
                            #expect(
                                now == old.evaluate(request).decision,
                                "\(outcome.usage.action) on \(resource) in \(context)")
                        } else {
                            #expect(now != .allowed, "\(outcome.usage.action) on \(resource) in \(context)")
                        }
                    }
                }
            }
        }
        // Replay: what is kept is allowed on every observed resource.
        let evaluator = PolicyEvaluator(identityPolicies: named)
        for outcome in result.actions where outcome.status == .included {
            for resource in outcome.observed where !outcome.ungranted.contains(resource) {
                let decision = evaluator.evaluate(Request(action: outcome.usage.action, resource: resource)).decision
                #expect(decision == .allowed || decision == .allowedIfConditions, "\(outcome.usage.action) \(resource)")
            }
        }
        #expect(
            result.verification.notAllowed.allSatisfy { failure in
                result.actions.contains {
                    $0.usage.action == failure.action
                        && ($0.status != .included || $0.ungranted.contains(failure.resource))
                }
            })
        // Only catalog actions, documents within the limit.
        for policy in result.policies {
            #expect(policy.size <= options.maxPolicySize)
            for statement in policy.document.statements {
                #expect(statement.resource != .resource([]), "\(statement)")
                guard case .action(let names) = statement.action else {
                    Issue.record("NotAction emitted")
                    continue
                }
                for name in names {
                    #expect(!catalog.expand(name).isEmpty, "\(name)")
                    #expect(name.contains("*") || catalog.action(named: name).map { catalog.name(of: $0) } == name)
                }
            }
        }
        // Deterministic.
        let again = try? PolicySynthesis.synthesize(input, catalog: catalog, options: options)
        #expect(again?.policies == result.policies)
        #expect(again?.actions == result.actions)
    }
}
