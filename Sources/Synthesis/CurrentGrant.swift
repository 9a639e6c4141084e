import IAMPolicy

/// Whether the current policies allow a used action on its observed resources, and under which
/// conditions: every condition block of the granting statements is an alternative the new policy keeps,
/// with the observed resources it grants.
struct CurrentGrant: Sendable {
    /// One way today's policies grant the action: the conditions of granting statements (none when a
    /// statement without conditions grants it) and the observed resources granted under them.
    struct Alternative: Sendable, Hashable {
        var conditions: [Condition]
        /// Sorted; `["*"]` when nothing was observed (the action on some resource).
        var targets: [String]
    }

    /// The observed resources the current policies allow (all replay targets when none was observed and the
    /// action is allowed on some resource: `["*"]`).
    var grantedTargets: [String]
    /// The alternatives, in the order their first target and statement are met. A target granted without
    /// conditions is under the unconditional alternative only: conditions would only narrow it.
    var alternatives: [Alternative]

    var granted: Bool { !grantedTargets.isEmpty }

    /// Evaluates `action` on each of `targets` (on some resource when empty) against `current`: with
    /// `evaluator` (every layer) whether it is granted, with `identity` (the identity policies alone) which
    /// Allows grant it.
    init(
        action: String, targets: [String], current: CurrentAccess, evaluator: PolicyEvaluator,
        identity: PolicyEvaluator
    ) {
        let requests =
            targets.isEmpty
            ? [Request(action: action, resource: "*")]
            : targets.sorted().map { Request(action: action, resource: $0) }
        let someResource = targets.isEmpty
        func decide(_ evaluator: PolicyEvaluator, _ request: Request) -> EvaluationResult {
            someResource ? evaluator.evaluateOnSomeResource(request) : evaluator.evaluate(request)
        }
        var granted: [String] = []
        var blocks: [[Condition]] = []
        var targetsByBlock: [[String]] = []
        for request in requests {
            let blocksOfRequest: [[Condition]]
            switch decide(evaluator, request).decision {
            case .allowed: blocksOfRequest = [[]]
            case .allowedIfConditions:
                // Allowed whatever the conditions when one granting Allow has none (a conditional Deny, carried
                // over, is what made it uncertain); otherwise under each granting Allow's conditions.
                let statements = decide(identity, request).statements.filter { $0.effect == .allow }.compactMap {
                    reference -> Statement? in
                    guard let policy = current.identityPolicies.first(where: { $0.name == reference.policy }),
                        policy.document.statements.indices.contains(reference.statementIndex)
                    else { return nil }
                    return policy.document.statements[reference.statementIndex]
                }
                // An Allow whose resource holds a policy variable is uncertain for another reason than its
                // conditions: it cannot stand for "granted whatever the conditions" beside Allows that grant for
                // sure under theirs.
                let certain = statements.filter { !$0.hasResourceVariables }
                let granting = certain.isEmpty ? statements : certain
                blocksOfRequest =
                    granting.contains { $0.conditions.isEmpty } || granting.isEmpty
                    ? [[]] : granting.map(\.conditions)
            case .explicitDeny, .implicitDeny: continue
            }
            granted.append(request.resource)
            for block in blocksOfRequest {
                // The same entries in another order are the same block.
                let index =
                    blocks.firstIndex { Set($0) == Set(block) }
                    ?? {
                        blocks.append(block)
                        targetsByBlock.append([])
                        return blocks.count - 1
                    }()
                if targetsByBlock[index].last != request.resource { targetsByBlock[index].append(request.resource) }
            }
        }
        grantedTargets = granted
        alternatives = zip(blocks, targetsByBlock).map { Alternative(conditions: $0, targets: $1) }
    }
}

extension Statement {
    /// Whether `Resource` or `NotResource` holds a policy variable (`${aws:username}`).
    fileprivate var hasResourceVariables: Bool {
        switch resource {
        case .resource(let patterns)?, .notResource(let patterns)?:
            patterns.contains { PolicyTemplate(parsing: $0).hasVariables }
        case nil: false
        }
    }
}

/// The resources an action is granted on under one condition block carried from today's policies.
public struct CarriedGrant: Sendable, Hashable {
    /// Empty: without conditions.
    public var conditions: [Condition]
    public var resources: [String]

    public init(conditions: [Condition], resources: [String]) {
        self.conditions = conditions
        self.resources = resources
    }
}

extension ActionOutcome {
    /// The conditions every grant carries: all of them when there is one grant.
    public var conditions: [Condition] {
        guard let first = grants.first else { return [] }
        return first.conditions.filter { condition in grants.allSatisfy { $0.conditions.contains(condition) } }
    }
}
