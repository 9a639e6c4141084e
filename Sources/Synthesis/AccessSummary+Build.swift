import AccountInventory
import Analysis
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

    /// The actions granted on some resource: `Analysis`'s ``EffectivePermissions/granted`` of a role that
    /// carries `current` (identity policies inline, the boundary, the SCPs).
    static func grantedActions(_ current: CurrentAccess, catalog: ActionCatalog) -> ActionSet {
        func text(_ policy: NamedPolicy) -> PolicyText {
            PolicyText(source: policy.name, text: policy.document.json(.compact), document: policy.document)
        }
        let boundaryArn = "arn:aws:iam::000000000000:policy/pare-boundary"
        let role = IAMRole(
            arn: "arn:aws:iam::000000000000:role/pare-synthesis", name: "pare-synthesis",
            inlinePolicies: current.identityPolicies.enumerated().map {
                InlinePolicy(name: "\($0.offset)", document: text($0.element))
            },
            permissionsBoundary: current.permissionsBoundary.map { _ in
                PolicyReference(arn: boundaryArn, name: "pare-boundary")
            })
        let inventory = AccountInventory(
            roles: [role],
            managedPolicies: current.permissionsBoundary.map {
                [ManagedPolicy(arn: boundaryArn, name: "pare-boundary", defaultVersionId: "v1", document: text($0))]
            } ?? [],
            serviceControlPolicies: (current.serviceControlPolicies ?? []).map(text))
        return EffectivePermissions(of: .role(role), in: inventory, catalog: catalog).granted
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
