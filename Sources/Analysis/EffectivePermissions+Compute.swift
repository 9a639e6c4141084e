import AccountInventory
import IAMCatalog
import IAMPolicy

extension EffectivePermissions {
    /// The effective permissions of `principal`: its identity policies from `inventory` (a user's groups
    /// included), its permissions boundary, and `inventory`'s service control policies when it has any
    /// (SCPs do not apply to service-linked roles).
    public init(of principal: InventoryPrincipal, in inventory: AccountInventory, catalog: ActionCatalog) {
        var reader = StatementReader(catalog: catalog, owner: "\(principal.kind) `\(principal.arn)`")
        let policies: [AppliedPolicy]
        let boundaryReference: PolicyReference?
        switch principal {
        case .user(let user):
            policies = inventory.identityPolicies(of: user)
            boundaryReference = user.permissionsBoundary
            for name in user.groupNames where inventory.group(named: name, account: user.account) == nil {
                reader.diagnostics.append("\(reader.owner): group `\(name)` is not in the snapshot; ignored")
            }
            let attached = user.attachedPolicies + inventory.groups(of: user).flatMap(\.attachedPolicies)
            reader.checkPresent(attached, in: inventory)
        case .role(let role):
            policies = inventory.identityPolicies(of: role)
            boundaryReference = role.permissionsBoundary
            reader.checkPresent(role.attachedPolicies, in: inventory)
        }

        for policy in policies {
            reader.read(
                policy.document, layer: .identity, name: policy.name, arn: policy.arn, via: policy.viaGroup)
        }
        var layers: [PolicyLayer] = []
        if let boundaryReference {
            if let boundary = inventory.boundary(boundaryReference) {
                if reader.read(boundary.document, layer: .boundary, name: boundary.name, arn: boundary.arn, via: nil) {
                    layers.append(.boundary)
                }
            } else {
                reader.diagnostics.append(
                    "\(reader.owner): permissions boundary `\(boundaryReference.arn)` is not in the snapshot; not applied"
                )
            }
        }
        if !inventory.serviceControlPolicies.isEmpty, !principal.isServiceLinked {
            var anyRead = false
            for scp in inventory.serviceControlPolicies {
                anyRead =
                    reader.read(scp, layer: .serviceControlPolicy, name: scp.source, arn: nil, via: nil) || anyRead
            }
            if anyRead { layers.append(.serviceControlPolicy) }
        }

        let statements = reader.statements
        func allowed(_ layer: PolicyLayer, unrestricted: Bool, conditionFree: Bool = false) -> ActionSet {
            statements.reduce(into: ActionSet()) { set, statement in
                guard statement.source.layer == layer, statement.effect == .allow, !statement.resources.isEmpty,
                    !unrestricted || statement.isUnrestricted, !conditionFree || !statement.isConditional
                else { return }
                set.formUnion(statement.actions)
            }
        }
        let removed = statements.reduce(into: ActionSet()) { set, statement in
            if statement.effect == .deny, statement.isUnrestricted { set.formUnion(statement.actions) }
        }
        var granted = allowed(.identity, unrestricted: false)
        var unconditional = allowed(.identity, unrestricted: false, conditionFree: true)
        var unrestrictedByLayer: [PolicyLayer: ActionSet] = [:]
        for layer in layers {
            granted.formIntersection(allowed(layer, unrestricted: false))
            unconditional.formIntersection(allowed(layer, unrestricted: false, conditionFree: true))
            unrestrictedByLayer[layer] = allowed(layer, unrestricted: true)
        }
        granted.subtract(removed)
        unconditional.formIntersection(granted)

        self.principal = principal
        self.granted = granted
        self.unconditional = unconditional
        self.statements = statements
        self.diagnostics = reader.diagnostics.sorted()
        self.catalog = catalog
        self.unrestrictedByLayer = unrestrictedByLayer
    }
}

/// Turns policy documents into ``GrantStatement``s and collects the problems met.
private struct StatementReader {
    let catalog: ActionCatalog
    let owner: String
    var statements: [GrantStatement] = []
    var diagnostics: [String] = []

    init(catalog: ActionCatalog, owner: String) {
        self.catalog = catalog
        self.owner = owner
    }

    /// Reads one policy; `false` (and a diagnostic) when it did not parse.
    @discardableResult
    mutating func read(_ text: PolicyText, layer: PolicyLayer, name: String, arn: String?, via: String?) -> Bool {
        let label = layer == .boundary ? "permissions boundary `\(name)`" : "policy `\(name)`"
        guard let document = text.document else {
            let why = text.parseError.map { ": \($0.description)" } ?? ""
            let consequence = layer == .identity ? "its statements are ignored" : "not applied"
            diagnostics.append("\(owner): \(label) does not parse\(why); \(consequence)")
            return false
        }
        for (index, statement) in document.statements.enumerated() {
            let patterns: [String]
            let actions: ActionSet
            switch statement.action {
            case .action(let list):
                patterns = list
                actions = catalog.expand(list)
            case .notAction(let list):
                patterns = list
                actions = catalog.expand(notAction: list)
            }
            let unknown = catalog.unknownActions(in: patterns)
            if unknown.count == 1 {
                diagnostics.append("\(owner): \(label): Statement[\(index)]: \(unknown[0].description)")
            } else if !unknown.isEmpty {
                let list = unknown.map { "`\($0.pattern)`" }.joined(separator: ", ")
                diagnostics.append(
                    "\(owner): \(label): Statement[\(index)]: \(unknown.count) patterns name no catalog action "
                        + "and grant nothing: \(list)")
            }
            let resources: ResourceScope =
                switch statement.resource {
                case .resource(let list): .resources(list)
                case .notResource(let list): .notResources(list)
                case nil: .resources(["*"])
                }
            statements.append(
                GrantStatement(
                    source: StatementSource(
                        layer: layer, policyName: name, policyArn: arn, attachedVia: via, statementIndex: index,
                        sid: statement.sid),
                    effect: statement.effect, actions: actions, resources: resources,
                    conditions: statement.conditions))
        }
        return true
    }

    /// A diagnostic for each attached managed policy that the snapshot does not have.
    mutating func checkPresent(_ references: [PolicyReference], in inventory: AccountInventory) {
        for reference in references where inventory.managedPolicies[reference.arn] == nil {
            diagnostics.append("\(owner): policy `\(reference.arn)` is not in the snapshot; ignored")
        }
    }
}
