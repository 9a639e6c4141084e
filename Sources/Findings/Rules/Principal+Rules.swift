import AccountInventory
import IAMPolicy

// Helpers the snapshot rules share: which principals carry which policies, and how trust statements
// read.

/// A user, group or role of the inventory with what findings need of it.
struct PolicyHolder {
    var arn: String
    var account: String
    var resourceType: ResourceType
    /// `user `alice``, `group `Admins``, `role `app``.
    var subject: String
    var policies: [AppliedPolicy]
}

extension AccountInventory {
    /// Every group, user and role with its identity policies (a user's include its groups').
    var policyHolders: [PolicyHolder] {
        groups.map {
            PolicyHolder(
                arn: $0.arn, account: $0.account, resourceType: .group, subject: "group `\($0.name)`",
                policies: identityPolicies(of: $0))
        }
            + users.map {
                PolicyHolder(
                    arn: $0.arn, account: $0.account, resourceType: .user, subject: "user `\($0.name)`",
                    policies: identityPolicies(of: $0))
            }
            + roles.map {
                PolicyHolder(
                    arn: $0.arn, account: $0.account, resourceType: .role, subject: "role `\($0.name)`",
                    policies: identityPolicies(of: $0))
            }
    }
}

extension Statement {
    /// The actions that assume a role; a trust statement allowing none of them grants nothing to worry
    /// about here (`sts:TagSession` alone, for example).
    private static let assumeActions = ["sts:AssumeRole", "sts:AssumeRoleWithSAML", "sts:AssumeRoleWithWebIdentity"]

    /// `true` when the statement's action element covers one of the `sts:AssumeRole*` actions.
    var allowsAssumeRole: Bool {
        switch action {
        case .action(let patterns):
            let compiled = patterns.map { WildcardPattern($0, caseInsensitive: true) }
            return Self.assumeActions.contains { action in compiled.contains { $0.matches(action) } }
        case .notAction(let patterns):
            let compiled = patterns.map { WildcardPattern($0, caseInsensitive: true) }
            return Self.assumeActions.contains { action in !compiled.contains { $0.matches(action) } }
        }
    }

    /// The action element as written, for details.
    var actionTexts: [String] {
        switch action {
        case .action(let list): list
        case .notAction(let list): list.map { "NotAction:\($0)" }
        }
    }

    /// The condition keys, sorted and unique.
    var conditionKeys: [String] { Array(Set(conditions.map(\.key))).sorted() }

    /// `true` when a condition uses one of `keys` (compared case-insensitively, as IAM does).
    func hasCondition(onAnyOf keys: Set<String>) -> Bool {
        conditions.contains { keys.contains($0.key.lowercased()) }
    }

    /// The conditions on one of `keys` that narrow who matches: a positive operator (not `…Not…`, not
    /// `Null`) whose values are none of them only wildcards (`*`, `?`) where the operator reads
    /// wildcards (`StringLike`, the `Arn` operators). `StringLike aws:PrincipalArn "*"` or
    /// `StringNotEquals aws:PrincipalAccount …` admit (almost) anyone and so do not count.
    func restrictingConditions(on keys: Set<String>) -> [Condition] {
        conditions.filter { condition in
            let op = condition.operator
            guard keys.contains(condition.key.lowercased()), !op.base.isNegated, op.base != .null,
                !condition.values.isEmpty
            else { return false }
            let readsWildcards = op.base == .stringLike || op.base.family == .arn
            return !(readsWildcards && condition.values.contains { $0.utf8.allSatisfy { $0 == 42 || $0 == 63 } })
        }
    }
}

extension IAMRole {
    /// The trust policy's statements with their indexes, when it parsed.
    var trustStatements: [(index: Int, statement: Statement)] {
        (trustPolicy?.document?.statements ?? []).enumerated().map { ($0, $1) }
    }

    var subject: String { "role `\(name)`" }
}
