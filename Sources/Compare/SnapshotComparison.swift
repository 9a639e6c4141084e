import AccountInventory
import IAMCatalog
import IAMPolicy

/// `pare diff` over two authorization-details snapshots: every user, group and role compared by ARN.
public struct SnapshotComparison: Sendable, Hashable {
    /// One principal present in AFTER (new principals are compared against nothing).
    public struct Principal: Sendable, Hashable {
        public var arn: String
        /// `true` when BEFORE has no principal with this ARN.
        public var added: Bool
        public var result: ComparisonResult
    }

    /// Principals of AFTER, sorted by ARN.
    public var principals: [Principal]
    /// ARNs of BEFORE's principals that AFTER no longer has.
    public var removedPrincipals: [String]
    /// Policies that could not be parsed (they are left out of the comparison), one line each.
    public var diagnostics: [String]

    /// Passes when no principal of AFTER gains access.
    public var passed: Bool { principals.allSatisfy(\.result.passed) }

    /// Compares the identity policies (inline, attached managed, and a user's groups') of every principal.
    /// Permissions boundaries are not applied.
    public static func compare(
        before: AccountInventory, after: AccountInventory, catalog: ActionCatalog, notGranted: AccessList? = nil
    ) -> SnapshotComparison {
        var diagnostics: [String] = []
        func policies(_ inventory: AccountInventory) -> [String: [NamedPolicy]] {
            var result: [String: [NamedPolicy]] = [:]
            func add(_ arn: String, _ applied: [AppliedPolicy]) {
                result[arn] = applied.compactMap { policy in
                    let name = "\(arn): \(policy.arn ?? policy.name)" + (policy.viaGroup.map { " via \($0)" } ?? "")
                    guard let document = policy.document.document else {
                        diagnostics.append("`\(name)`: not compared: the policy does not parse")
                        return nil
                    }
                    return NamedPolicy(name: name, document: document)
                }
            }
            for user in inventory.users { add(user.arn, inventory.identityPolicies(of: user)) }
            for group in inventory.groups { add(group.arn, inventory.identityPolicies(of: group)) }
            for role in inventory.roles { add(role.arn, inventory.identityPolicies(of: role)) }
            return result
        }
        let old = policies(before)
        let new = policies(after)
        let principals = new.keys.sorted().map { arn in
            Principal(
                arn: arn, added: old[arn] == nil,
                result: AccessComparison.compare(
                    before: old[arn] ?? [], after: new[arn] ?? [], catalog: catalog, notGranted: notGranted))
        }
        return SnapshotComparison(
            principals: principals, removedPrincipals: old.keys.filter { new[$0] == nil }.sorted(),
            diagnostics: Array(Set(diagnostics)).sorted())
    }
}
