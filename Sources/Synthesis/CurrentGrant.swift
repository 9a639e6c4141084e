import IAMPolicy

/// Whether the current policies allow a used action on its observed resources, and under which
/// conditions: the conditions of the granting statement are carried into the new policy.
struct CurrentGrant: Sendable {
    /// The observed resources the current policies allow (all replay targets when none was observed and the
    /// action is allowed on some resource: `["*"]`).
    var grantedTargets: [String]
    /// The conditions of the first granting statement, when every grant is conditional.
    var conditions: [Condition]

    var granted: Bool { !grantedTargets.isEmpty }

    /// Evaluates `action` on each of `targets` (on some resource when empty) against `current`.
    init(action: String, targets: [String], current: CurrentAccess, evaluator: PolicyEvaluator) {
        var granted: [String] = []
        var unconditional = false
        var conditional: [StatementReference] = []
        let requests =
            targets.isEmpty
            ? [Request(action: action, resource: "*")]
            : targets.map {
                Request(action: action, resource: $0)
            }
        for request in requests {
            let result =
                targets.isEmpty ? evaluator.evaluateOnSomeResource(request) : evaluator.evaluate(request)
            switch result.decision {
            case .allowed:
                granted.append(request.resource)
                unconditional = true
            case .allowedIfConditions:
                granted.append(request.resource)
                conditional += result.statements.filter { $0.effect == .allow }
            case .explicitDeny, .implicitDeny: break
            }
        }
        grantedTargets = granted
        conditions = []
        guard !unconditional else { return }
        for reference in conditional {
            guard let policy = current.identityPolicies.first(where: { $0.name == reference.policy }),
                policy.document.statements.indices.contains(reference.statementIndex)
            else { continue }
            let statement = policy.document.statements[reference.statementIndex]
            if !statement.conditions.isEmpty {
                conditions = statement.conditions
                return
            }
        }
    }
}
