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

    /// Compares the identity policies (inline, attached managed, and a user's groups') of every principal,
    /// each side capped by the principal's permissions boundary there; a role whose trust policy has an
    /// Allow statement BEFORE lacks, or lacks a Deny statement BEFORE has, is possibly new access (who may
    /// assume it is not compared further).
    public static func compare(
        before: AccountInventory, after: AccountInventory, catalog: ActionCatalog, notGranted: AccessList? = nil
    ) -> SnapshotComparison {
        var diagnostics: [String] = []
        struct Side {
            var policies: [String: [NamedPolicy]] = [:]
            var boundaries: [String: NamedPolicy] = [:]
            /// The boundary ARN of each principal that has one, and those the snapshot does not hold.
            var boundaryARNs: [String: String] = [:]
            var unresolved: Set<String> = []
            var trust: [String: PolicyDocument] = [:]
        }
        func side(_ inventory: AccountInventory) -> Side {
            var result = Side()
            func document(_ text: PolicyText, _ name: String) -> NamedPolicy? {
                guard let document = text.document else {
                    diagnostics.append("`\(name)`: not compared: the policy does not parse")
                    return nil
                }
                return NamedPolicy(name: name, document: document)
            }
            func add(_ arn: String, _ applied: [AppliedPolicy], boundary: PolicyReference? = nil) {
                result.policies[arn] = applied.compactMap { policy in
                    document(
                        policy.document,
                        "\(arn): \(policy.arn ?? policy.name)" + (policy.viaGroup.map { " via \($0)" } ?? ""))
                }
                guard let boundary else { return }
                result.boundaryARNs[arn] = boundary.arn
                if let managed = inventory.boundary(boundary) {
                    result.boundaries[arn] = document(managed.document, "\(arn): boundary \(managed.arn)")
                } else {
                    diagnostics.append(
                        "`\(arn)`: permissions boundary `\(boundary.arn)` not in the snapshot: not applied")
                }
                if result.boundaries[arn] == nil { result.unresolved.insert(arn) }
            }
            for user in inventory.users {
                add(user.arn, inventory.identityPolicies(of: user), boundary: user.permissionsBoundary)
            }
            for group in inventory.groups { add(group.arn, inventory.identityPolicies(of: group)) }
            for role in inventory.roles {
                add(role.arn, inventory.identityPolicies(of: role), boundary: role.permissionsBoundary)
                result.trust[role.arn] = role.trustPolicy?.document
            }
            return result
        }
        let old = side(before)
        let new = side(after)
        let principals = new.policies.keys.sorted().map { arn in
            var result = AccessComparison.compare(
                before: old.policies[arn] ?? [], after: new.policies[arn] ?? [], catalog: catalog,
                notGranted: notGranted, beforeBoundary: old.boundaries[arn], afterBoundary: new.boundaries[arn])
            if old.policies[arn] != nil, let trust = new.trust[arn] {
                result.reasons += trustChanges(of: arn, from: old.trust[arn], to: trust)
            }
            let (from, to) = (old.boundaryARNs[arn], new.boundaryARNs[arn])
            if old.policies[arn] != nil, from != to, old.unresolved.contains(arn) || new.unresolved.contains(arn) {
                result.reasons.append(
                    AccessReason(
                        kind: .undecided,
                        description:
                            "possibly new access: the permissions boundary of `\(arn)` changed from `\(from ?? "none")` to `\(to ?? "none")`: a boundary not in the snapshot is not compared",
                        policy: "\(arn): permissions boundary", statementIndex: 0, statementId: nil, actions: [],
                        witness: nil))
            }
            return Principal(arn: arn, added: old.policies[arn] == nil, result: result)
        }
        return SnapshotComparison(
            principals: principals, removedPrincipals: old.policies.keys.filter { new.policies[$0] == nil }.sorted(),
            diagnostics: Array(Set(diagnostics)).sorted())
    }

    /// The Allow statements of a role's trust policy that BEFORE's lacks, and the Deny statements of BEFORE's
    /// that AFTER's lacks (removed or changed): possibly new principals may assume it.
    static func trustChanges(of arn: String, from old: PolicyDocument?, to new: PolicyDocument) -> [AccessReason] {
        let policy = "\(arn): trust policy"
        func changed(_ effect: Effect, in side: PolicyDocument?, notIn other: PolicyDocument?, _ what: String)
            -> [AccessReason]
        {
            (side?.statements ?? []).enumerated().compactMap { index, statement in
                guard statement.effect == effect, other?.statements.contains(statement) != true else { return nil }
                let actions: [String]
                switch statement.action {
                case .action(let patterns), .notAction(let patterns): actions = patterns.sorted()
                }
                let place = "statement \(index)\(statement.sid.map { " (`\($0)`)" } ?? "") of `\(policy)`"
                return AccessReason(
                    kind: .undecided,
                    description:
                        "possibly new access: \(what)\(place) is \(effect == .allow ? "new" : "removed") or changed: who may assume the role is not compared",
                    policy: policy, statementIndex: index, statementId: statement.sid, actions: actions, witness: nil)
            }
        }
        return changed(.allow, in: new, notIn: old, "") + changed(.deny, in: old, notIn: new, "BEFORE's Deny ")
    }
}
