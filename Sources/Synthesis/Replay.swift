import IAMPolicy

/// Replays every distinct successful (action, resource) of the window against the new documents through
/// the evaluator: each observed resource of the action's own types, or the action on some resource when
/// none was observed. Actions left out count as not allowed, with the reason they were left out.
enum Replay {
    static func verify(_ outcomes: [ActionOutcome], policies: [SynthesizedPolicy]) -> Verification {
        let evaluator = PolicyEvaluator(
            identityPolicies: policies.map { NamedPolicy(name: $0.name, document: $0.document) })
        var verification = Verification(observed: 0, allowed: 0, allowedIfConditions: 0, notAllowed: [])
        for outcome in outcomes {
            let targets = outcome.observed.isEmpty ? ["*"] : outcome.observed
            for target in targets {
                verification.observed += 1
                guard outcome.status == .included else {
                    verification.notAllowed.append(
                        Verification.Failure(
                            action: outcome.usage.action, resource: target,
                            reason: outcome.notes.last ?? "left out"))
                    continue
                }
                if outcome.ungranted.contains(target) {
                    verification.notAllowed.append(
                        Verification.Failure(
                            action: outcome.usage.action, resource: target,
                            reason: "left out: not granted on it by the current policies"))
                    continue
                }
                let request = Request(action: outcome.usage.action, resource: target)
                let result =
                    outcome.observed.isEmpty ? evaluator.evaluateOnSomeResource(request) : evaluator.evaluate(request)
                switch result.decision {
                case .allowed: verification.allowed += 1
                case .allowedIfConditions:
                    verification.allowed += 1
                    verification.allowedIfConditions += 1
                case .explicitDeny, .implicitDeny:
                    verification.notAllowed.append(
                        Verification.Failure(action: outcome.usage.action, resource: target, reason: result.reason))
                }
            }
        }
        return verification
    }
}
