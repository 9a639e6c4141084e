import IAMCatalog
import IAMPolicy

extension AccessSummary {
    /// Before → after: the catalog actions `current` grants, by access level; those the new documents keep
    /// and those they remove.
    static func build(
        current: CurrentAccess, new documents: [PolicyDocument], used: Int, catalog: ActionCatalog
    ) -> AccessSummary {
        let granted = grantedActions(current, catalog: catalog)
        let newActions = grantedActions(
            CurrentAccess(
                identityPolicies: documents.map {
                    NamedPolicy(name: "new", document: $0)
                }), catalog: catalog)
        let kept = granted.intersection(newActions)
        let removed = granted.subtracting(newActions)
        func levels(_ set: ActionSet) -> [AccessLevel: Int] {
            var result: [AccessLevel: Int] = [:]
            for action in set { result[catalog.accessLevel(of: action), default: 0] += 1 }
            return result
        }
        return AccessSummary(
            granted: levels(granted), used: used, kept: levels(kept), removed: levels(removed),
            removedPermissionsManagement: compress(
                removed.intersection(catalog.actions(accessLevel: .permissionsManagement)), catalog: catalog),
            removedWrite: compress(removed.intersection(catalog.actions(accessLevel: .write)), catalog: catalog))
    }

    /// The actions some Allow of every layer grants on some resource, less those an unconditional Deny on
    /// every resource takes away. (The one place to switch to `Analysis`'s effective permissions.)
    static func grantedActions(_ current: CurrentAccess, catalog: ActionCatalog) -> ActionSet {
        func layer(_ policies: [NamedPolicy]) -> ActionSet {
            var allowed = ActionSet()
            var denied = ActionSet()
            for statement in policies.flatMap(\.document.statements) {
                let actions: ActionSet =
                    switch statement.action {
                    case .action(let patterns): catalog.expand(patterns)
                    case .notAction(let patterns): catalog.expand(notAction: patterns)
                    }
                switch statement.effect {
                case .allow:
                    if case .notResource(let list) = statement.resource, list.contains("*") { continue }
                    allowed.formUnion(actions)
                case .deny:
                    let everywhere: Bool =
                        switch statement.resource {
                        case nil: true
                        case .resource(let list): list.contains("*")
                        case .notResource(let list): list.isEmpty
                        }
                    if everywhere && statement.conditions.isEmpty { denied.formUnion(actions) }
                }
            }
            return allowed.subtracting(denied)
        }
        var result = layer(current.identityPolicies)
        if let boundary = current.permissionsBoundary { result.formIntersection(layer([boundary])) }
        if let scps = current.serviceControlPolicies { result.formIntersection(layer(scps)) }
        return result
    }

    /// Names for people: a whole service as `prefix:*`, sorted.
    static func compress(_ set: ActionSet, catalog: ActionCatalog) -> [String] {
        var byPrefix: [String: ActionSet] = [:]
        for action in set { _ = byPrefix[catalog.prefix(of: action), default: ActionSet()].insert(action) }
        var names: [String] = []
        for (prefix, actions) in byPrefix {
            names += actions == catalog.actions(prefix: prefix) ? ["\(prefix):*"] : catalog.names(of: actions)
        }
        return names.sorted()
    }
}
