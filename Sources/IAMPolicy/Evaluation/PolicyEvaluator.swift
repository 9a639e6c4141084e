/// The offline IAM policy evaluator: identity policies, an optional permissions boundary and optional
/// service control policies, compiled once and then asked about any number of requests.
///
/// The logic is AWS's for a request within one account:
/// 1. a Deny that applies, in any policy of any layer → ``Decision/explicitDeny``;
/// 2. each layer (identity policies; the boundary when given; the SCPs when given) needs an Allow that
///    applies, otherwise → ``Decision/implicitDeny``;
/// 3. when every layer has an Allow that certainly applies and no Deny may apply → ``Decision/allowed``;
///    when it depends on unknown conditions (no context: ``Request/context`` is `nil`), on either side →
///    ``Decision/allowedIfConditions``. A Deny with unknown conditions therefore never yields `allowed`.
///
/// A statement applies when its action element, its resource element (absent: any resource), its
/// principal element (checked only when the request names a principal) and every condition apply.
/// `NotAction` applies to every action that matches none of its patterns; `NotResource` likewise for
/// resources; `NotPrincipal` to every principal not listed. The SCPs given are taken as attached at one
/// level: as in AWS, one of them must allow the action, so pass `FullAWSAccess` along with deny-list SCPs.
public struct PolicyEvaluator: Sendable {
    private let identity: [CompiledStatement]
    private let boundary: [CompiledStatement]?
    private let scps: [CompiledStatement]?

    public init(
        identityPolicies: [NamedPolicy], permissionsBoundary: NamedPolicy? = nil,
        serviceControlPolicies: [NamedPolicy]? = nil
    ) {
        identity = identityPolicies.flatMap(CompiledStatement.compile)
        boundary = permissionsBoundary.map(CompiledStatement.compile)
        scps = serviceControlPolicies.map { $0.flatMap(CompiledStatement.compile) }
    }

    /// The decision for `request`, with the statements that made it.
    public func evaluate(_ request: Request) -> EvaluationResult {
        decide(request, anyResource: false)
    }

    /// Whether `action` is allowed on *some* resource (``Request/resource`` is ignored): an Allow applies
    /// when its action element matches, whatever its resources (unless it is `NotResource: "*"`); a Deny
    /// only when it covers every resource (`Resource: "*"`, or an empty `NotResource`). This is the
    /// action-level view of granted access ("granted `s3:GetObject`, on some buckets"); it over-approximates
    /// when Denies cover only part of the resources.
    public func evaluateOnSomeResource(_ request: Request) -> EvaluationResult {
        decide(request, anyResource: true)
    }

    private func decide(_ request: Request, anyResource: Bool) -> EvaluationResult {
        var layers: [(name: String, statements: [CompiledStatement])] = [("identity policies", identity)]
        if let boundary { layers.append(("the permissions boundary", boundary)) }
        if let scps { layers.append(("the service control policies", scps)) }

        var denies: [StatementReference] = []
        var maybeDenies: [StatementReference] = []
        var allows: [StatementReference] = []
        var maybeAllows: [StatementReference] = []
        var missingLayer: String?
        var uncertain = false
        for layer in layers {
            var layerAllows = Truth.no
            for statement in layer.statements {
                let applies = statement.applies(to: request, anyResource: anyResource)
                switch (statement.effect, applies) {
                case (.deny, .yes): denies.append(statement.reference)
                case (.deny, .unknown): maybeDenies.append(statement.reference)
                case (.allow, .yes):
                    allows.append(statement.reference)
                    layerAllows = .yes
                case (.allow, .unknown):
                    maybeAllows.append(statement.reference)
                    if layerAllows == .no { layerAllows = .unknown }
                case (_, .no): break
                }
            }
            if layerAllows == .no, missingLayer == nil { missingLayer = layer.name }
            if layerAllows == .unknown { uncertain = true }
        }
        if !denies.isEmpty {
            return EvaluationResult(
                decision: .explicitDeny, statements: denies, reason: "a deny statement applies to the request")
        }
        if let missingLayer {
            return EvaluationResult(
                decision: .implicitDeny, statements: [],
                reason: "no statement of \(missingLayer) allows the request")
        }
        if uncertain || !maybeDenies.isEmpty {
            let reason =
                switch (uncertain, maybeDenies.isEmpty) {
                case (true, true): "allowed only if the conditions of the listed allow statements hold"
                case (false, _): "allowed unless the conditions of the listed deny statements hold"
                case (true, false):
                    "allowed only if the conditions of the listed allow statements hold"
                        + " and those of the listed deny statements do not"
                }
            return EvaluationResult(
                decision: .allowedIfConditions, statements: allows + maybeAllows + maybeDenies, reason: reason)
        }
        return EvaluationResult(decision: .allowed, statements: allows, reason: "allowed by every policy layer")
    }

    /// Fills the variables of `template` from `context`: text stays a wildcard pattern, variable values and
    /// `${*}`-style characters are literal. `nil` when a variable is absent and has no default (or there is
    /// no context).
    static func substitute(_ template: PolicyTemplate, _ context: RequestContext?) -> [WildcardPattern.Piece]? {
        var pieces: [WildcardPattern.Piece] = []
        for part in template.parts {
            switch part {
            case .text(let s): pieces.append(.pattern(s))
            case .literal(let c): pieces.append(.literal(String(c)))
            case .variable(let key, let defaultValue):
                if let value = context?[key]?.first {
                    pieces.append(.literal(value))
                } else if let defaultValue {
                    pieces.append(.literal(defaultValue))
                } else {
                    return nil
                }
            }
        }
        return pieces
    }
}

/// A statement with its patterns compiled.
private struct CompiledStatement: Sendable {
    let reference: StatementReference
    let effect: Effect
    let actions: [WildcardPattern]
    let notAction: Bool
    /// `nil`: no resource element (any resource).
    let resources: [ResourcePattern]?
    let notResource: Bool
    let principal: Statement.PrincipalElement?
    let conditions: [Condition]
    let variablesEnabled: Bool

    enum ResourcePattern: Sendable {
        case fixed(WildcardPattern)
        case template(PolicyTemplate)
    }

    static func compile(_ policy: NamedPolicy) -> [CompiledStatement] {
        let variables = policy.document.version == PolicyDocument.currentVersion
        return policy.document.statements.enumerated().map { index, statement in
            let (actionList, notAction): ([String], Bool) =
                switch statement.action {
                case .action(let list): (list, false)
                case .notAction(let list): (list, true)
                }
            var resourceList: [String]?
            var notResource = false
            switch statement.resource {
            case .resource(let list): resourceList = list
            case .notResource(let list):
                resourceList = list
                notResource = true
            case nil: break
            }
            return CompiledStatement(
                reference: StatementReference(
                    policy: policy.name, statementIndex: index, sid: statement.sid, effect: statement.effect),
                effect: statement.effect,
                actions: actionList.map { WildcardPattern($0, caseInsensitive: true) },
                notAction: notAction,
                resources: resourceList.map { list in
                    list.map { text in
                        let template = PolicyTemplate(parsing: text)
                        return variables && template.parts != [.text(text)]
                            ? .template(template) : .fixed(WildcardPattern(text, caseInsensitive: false))
                    }
                },
                notResource: notResource, principal: statement.principal, conditions: statement.conditions,
                variablesEnabled: variables)
        }
    }

    func applies(to request: Request, anyResource: Bool) -> Truth {
        let actionHit = actions.contains { $0.matches(request.action) }
        guard actionHit != notAction else { return .no }
        let principalTruth = principalApplies(request.principal)
        guard principalTruth else { return .no }
        var truth = anyResource ? someResourceApplies() : resourceApplies(request)
        if truth == .no { return .no }
        let evaluator = ConditionEvaluator(context: request.context, variablesEnabled: variablesEnabled)
        for condition in conditions {
            truth = truth && evaluator.evaluate(condition)
            if truth == .no { return .no }
        }
        return truth
    }

    /// The resource element read for "some resource": see ``PolicyEvaluator/evaluateOnSomeResource(_:)``.
    private func someResourceApplies() -> Truth {
        guard let resources else { return .yes }
        let coversAll = resources.contains {
            if case .fixed(let pattern) = $0 { return pattern.text == "*" }
            return false
        }
        switch (effect, notResource) {
        case (.allow, false): return Truth(!resources.isEmpty)
        case (.allow, true): return Truth(!coversAll)
        case (.deny, false): return Truth(coversAll)
        case (.deny, true): return Truth(resources.isEmpty)
        }
    }

    private func resourceApplies(_ request: Request) -> Truth {
        guard let resources else { return .yes }
        var hit = Truth.no
        for resource in resources {
            switch resource {
            case .fixed(let pattern):
                if pattern.matches(request.resource) { hit = .yes }
            case .template(let template):
                guard request.context != nil || !template.hasVariables else {
                    if hit == .no { hit = .unknown }
                    continue
                }
                if let pieces = PolicyEvaluator.substitute(template, request.context),
                    WildcardPattern(pieces: pieces, caseInsensitive: false).matches(request.resource)
                {
                    hit = .yes
                }
            }
            if hit == .yes { break }
        }
        guard notResource else { return hit }
        switch hit {
        case .yes: return .no
        case .no: return .yes
        case .unknown: return .unknown
        }
    }

    /// `Principal` / `NotPrincipal`, when the request names its principal.
    private func principalApplies(_ caller: String?) -> Bool {
        guard let caller, let principal else { return true }
        switch principal {
        case .principal(let p): return CompiledStatement.matches(p, caller)
        case .notPrincipal(let p): return !CompiledStatement.matches(p, caller)
        }
    }

    /// `*`, `{"AWS": "*"}`, the exact value, or an account (`111122223333` or
    /// `arn:aws:iam::111122223333:root`) that the caller's ARN belongs to.
    static func matches(_ principal: Principal, _ caller: String) -> Bool {
        guard case .specified(let map) = principal else { return true }
        let callerAccount = ARN(parsing: caller)?.account
        for (type, values) in map {
            for value in values {
                if value == caller || (type == .aws && value == "*") { return true }
                guard type == .aws, let account = callerAccount, !account.isEmpty else { continue }
                if value == account
                    || ARN(parsing: value).map({ $0.account == account && $0.resource == "root" }) == true
                {
                    return true
                }
            }
        }
        return false
    }
}
