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
    /// `Null`) none of whose values admits anyone. Under an operator that reads wildcards (`StringLike`,
    /// the `Arn` operators) a value admits anyone when it is only wildcards (`*`, `?`); an
    /// `aws:PrincipalArn` value unless its account field is a literal 12-digit account
    /// (`arn:aws:iam::*:role/admin` is any account's `admin`), an `aws:SourceArn` value whose account
    /// has a wildcard, and an `aws:PrincipalAccount`, `aws:SourceAccount`, `aws:PrincipalOrgID` or
    /// `aws:SourceOrgID` value with any wildcard (`44445555666?` is ten accounts).
    /// `StringLike aws:PrincipalArn "*"` or `StringNotEquals aws:PrincipalAccount …` admit (almost)
    /// anyone and so do not count.
    func restrictingConditions(on keys: Set<String>) -> [Condition] {
        conditions.filter { condition in
            let op = condition.operator
            let key = condition.key.lowercased()
            guard keys.contains(key), !op.base.isNegated, op.base != .null, !condition.values.isEmpty else {
                return false
            }
            let readsWildcards = op.base == .stringLike || op.base.family == .arn
            return !(readsWildcards && condition.values.contains { Self.admitsAnyone(key: key, value: $0) })
        }
    }

    /// `true` when `value` of condition `key` (lowercased), read with wildcards, matches any caller
    /// (see ``restrictingConditions(on:)``).
    private static func admitsAnyone(key: String, value: String) -> Bool {
        func hasWildcard(_ text: String) -> Bool { text.utf8.contains { $0 == 42 || $0 == 63 } }
        if value.utf8.allSatisfy({ $0 == 42 || $0 == 63 }) { return true }
        switch key {
        case "aws:principalarn":
            guard let account = ARN(parsing: value)?.account else { return true }
            return account.utf8.count != 12 || !account.utf8.allSatisfy { $0 >= 48 && $0 <= 57 }
        case "aws:sourcearn":
            return ARN(parsing: value).map { hasWildcard($0.account) } ?? false
        case "aws:principalaccount", "aws:sourceaccount", "aws:principalorgid", "aws:sourceorgid":
            return hasWildcard(value)
        default:
            return false
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
