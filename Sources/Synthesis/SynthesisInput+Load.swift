import AccountInventory
import IAMPolicy
import UsageStore

extension SynthesisInput {
    /// Reads the principal named `name` (ARN or bare name) from `store` for `window`, with its current
    /// policies from `inventory` when given.
    ///
    /// Errors: no such principal, an ambiguous name (the candidates are listed), a principal the snapshot
    /// does not have, a window without any logs.
    public static func load(
        store: UsageStore, principal name: String, window: StoreWindow, inventory: AccountInventory?
    ) throws(SynthesisError) -> SynthesisInput {
        do {
            let candidates = try store.principals(named: name)
            guard let principal = candidates.first else {
                throw SynthesisError("no principal `\(name)` in the usage store")
            }
            guard candidates.count == 1 else {
                throw SynthesisError(
                    "`\(name)` is ambiguous: " + candidates.map { "`\($0.arn)`" }.joined(separator: ", "))
            }
            let coverage = try store.coverage(window: window)
            guard !coverage.days.isEmpty else {
                throw SynthesisError(
                    "no logs in the window: nothing to synthesize from; check --days, --as-of and the logs given")
            }
            let events = try store.usageEvents(principal: principal.arn, window: window)
            let used = try store.usage(principal: principal.arn, window: window).map { usage throws(StoreError) in
                UsedAction(
                    usage: usage,
                    resources: try store.resources(principal: principal.arn, action: usage.action, window: window),
                    events: events[usage.action] ?? [])
            }
            let current = try inventory.map { inventory throws(SynthesisError) in
                try CurrentAccess.of(principal.arn, in: inventory)
            }
            return SynthesisInput(
                principal: principal.arn, window: window, used: used,
                denied: try store.denied(principal: principal.arn, window: window),
                regions: Set(coverage.entries.filter { $0.account == principal.account }.map(\.region)).sorted(),
                gapDays: coverage.gaps.count, current: current)
        } catch let error as StoreError {
            throw SynthesisError(error.description)
        } catch let error as SynthesisError {
            throw error
        } catch {
            throw SynthesisError("\(error)")
        }
    }
}

extension CurrentAccess {
    /// The current policies of the role or user `arn` in `inventory`: policy names are unique
    /// (`inline:NAME`, the managed policy's ARN, `GROUP: …` for a user's group policies).
    public static func of(_ arn: String, in inventory: AccountInventory) throws(SynthesisError) -> CurrentAccess {
        var profiles: [String: [String]] = [:]
        for role in inventory.roles {
            for profile in role.instanceProfiles { profiles[profile.arn, default: []].append(role.arn) }
        }
        let applied: [AppliedPolicy]
        let boundary: PolicyReference?
        if let role = inventory.roles.first(where: { $0.arn == arn }) {
            applied = inventory.identityPolicies(of: role)
            boundary = role.permissionsBoundary
        } else if let user = inventory.users.first(where: { $0.arn == arn }) {
            applied = inventory.identityPolicies(of: user)
            boundary = user.permissionsBoundary
        } else {
            throw SynthesisError(
                "`\(arn)` is not in the IAM snapshot: cannot bound the policy by its current grants"
                    + " (leave out --authorization-details to synthesize from usage alone)")
        }
        let policies = applied.compactMap { policy -> NamedPolicy? in
            guard let document = policy.document.document else { return nil }
            let name = policy.arn ?? "inline:\(policy.name)"
            return NamedPolicy(name: policy.viaGroup.map { "\($0): \(name)" } ?? name, document: document)
        }
        let scps = inventory.serviceControlPolicies.compactMap { text in
            text.document.map { NamedPolicy(name: text.source, document: $0) }
        }
        return CurrentAccess(
            identityPolicies: policies,
            permissionsBoundary: inventory.boundary(boundary).flatMap { managed in
                managed.document.document.map { NamedPolicy(name: managed.arn, document: $0) }
            },
            serviceControlPolicies: scps.isEmpty ? nil : scps, instanceProfileRoles: profiles)
    }
}
