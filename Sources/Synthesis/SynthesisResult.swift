import IAMCatalog
import IAMPolicy
import UsageStore

/// What `pare policy` produced: the documents, what happened to every used action, the replay and the
/// before → after summary. Everything is sorted: identical input gives an identical result.
public struct SynthesisResult: Sendable {
    public var principal: String
    public var window: StoreWindow
    /// The documents, in order; more than one when the statements did not fit ``SynthesisOptions/maxPolicySize``.
    public var policies: [SynthesizedPolicy]
    /// Every used action and what became of it, sorted by action.
    public var actions: [ActionOutcome]
    public var denied: [ActionUsage]
    public var verification: Verification
    /// `nil` without a snapshot.
    public var summary: AccessSummary?
    /// Whether a snapshot bounded the result (``SynthesisInput/current`` was given).
    public var bounded: Bool
    /// The never-broaden proof: `true` when `pare diff`'s comparison of the new policy against the current
    /// ones passes; `nil` without a snapshot.
    public var neverBroadens: Bool?
    /// Things the reader must know (no snapshot, gaps, widened regions, splits), one line each.
    public var warnings: [String]

    /// Actions left out because the current policies do not grant them (or not provably).
    public var notGranted: [ActionOutcome] { actions.filter { $0.status != .included } }
}

/// One document of the result.
public struct SynthesizedPolicy: Sendable, Hashable {
    /// `pare-<principal name>`, with `-2`, `-3`… when split.
    public var name: String
    public var document: PolicyDocument
    /// IAM's measure: ``PolicyDocument/awsSize``.
    public var size: Int
}

/// A used action and what synthesis did with it.
public struct ActionOutcome: Sendable, Hashable {
    public enum Status: String, Sendable, Hashable {
        /// In the new policy.
        case included
        /// Used, but the current policies do not allow it: left out (never broaden).
        case notGranted
        /// Granted, but no scope of it could be proven within the current grants: left out.
        case notProvable
        /// The catalog does not know the action: left out.
        case unknownAction
    }

    public var usage: ActionUsage
    /// The CloudTrail events that justified it, sorted by source and name (``UsedAction/events``).
    public var events: [EventUsage]
    public var status: Status
    /// The resources granted, under any of ``grants`` (empty when left out).
    public var resources: [String]
    /// What the new policy grants, one entry per condition block of today's granting statements (one entry
    /// without conditions when granted unconditionally, or without a snapshot); empty when left out.
    public var grants: [CarriedGrant]
    /// The observed resources of the action (its resource types only), as the store keeps them: ARNs, and
    /// prefixes the store folded written `prefix*`.
    public var observed: [String]
    /// Of ``observed``, the folded prefixes (`prefix*`): each stands for every resource under it.
    public var folded: [String]
    /// Of ``observed``, those the current policies do not allow: left out of the new policy too.
    public var ungranted: [String]
    /// Whether ``observed`` is every resource the action was seen on.
    public var observedComplete: Bool
    /// How the resources were chosen (`observed`, `generalized`, `template`, `any`, `no resource types`).
    public var scope: String
    /// Why, for people (`left out: not granted by the current policies`, `region widened: …`).
    public var notes: [String]
}

/// The replay of the window's distinct successful calls against the new policy.
public struct Verification: Sendable, Hashable {
    public struct Failure: Sendable, Hashable {
        public var action: String
        /// The resource replayed; `*` when the action was replayed on some resource (none observed).
        public var resource: String
        public var reason: String

        public init(action: String, resource: String, reason: String) {
            self.action = action
            self.resource = resource
            self.reason = reason
        }
    }

    /// Distinct (action, resource) pairs replayed; an action without observed resources counts once.
    public var observed: Int
    public var allowed: Int
    /// Of ``allowed``, those allowed only under the carried conditions.
    public var allowedIfConditions: Int
    public var notAllowed: [Failure]

    public init(observed: Int, allowed: Int, allowedIfConditions: Int, notAllowed: [Failure]) {
        self.observed = observed
        self.allowed = allowed
        self.allowedIfConditions = allowedIfConditions
        self.notAllowed = notAllowed
    }
}

/// Granted actions before and after, by access level (catalog actions).
public struct AccessSummary: Sendable, Hashable {
    public var granted: [AccessLevel: Int]
    public var used: Int
    public var kept: [AccessLevel: Int]
    public var removed: [AccessLevel: Int]
    /// Removed `Permissions management` actions, names compressed (`iam:*` for a whole service).
    public var removedPermissionsManagement: [String]
    /// Removed `Write` actions, names compressed.
    public var removedWrite: [String]

    public var grantedTotal: Int { granted.values.reduce(0, +) }
    public var keptTotal: Int { kept.values.reduce(0, +) }
    public var removedTotal: Int { removed.values.reduce(0, +) }
}

/// Why `pare policy` could not produce a policy.
public struct SynthesisError: Error, Sendable, Hashable, CustomStringConvertible {
    public var description: String

    public init(_ description: String) { self.description = description }
}
