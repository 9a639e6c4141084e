/// An IAM policy document: identity policy, permissions boundary, SCP, RCP, trust or resource policy.
///
/// The model is *normalized*, deliberately: `Statement` is always a list, every string-or-array element
/// (`Action`, `Resource`, principal values, condition values) is a list of strings, condition values that
/// were JSON booleans or numbers keep their text (`true`, `10`), and conditions are ordered by operator
/// then key. Two documents that differ only in those forms are equal. The canonical writer
/// (``PolicyDocument/json(_:)``) emits one-element lists as a bare string and longer lists as arrays, in a
/// fixed key order, so parse → write → parse gives an equal document.
public struct PolicyDocument: Sendable, Hashable {
    /// `Version` (`2012-10-17` or `2008-10-17`), `nil` when absent.
    public var version: String?
    /// `Id`, `nil` when absent.
    public var id: String?
    /// The statements, in document order.
    public var statements: [Statement]

    /// The policy language version to write into new documents.
    public static let currentVersion = "2012-10-17"

    public init(version: String? = PolicyDocument.currentVersion, id: String? = nil, statements: [Statement]) {
        self.version = version
        self.id = id
        self.statements = statements
    }
}

/// `Allow` or `Deny`.
public enum Effect: String, Sendable, Hashable, CaseIterable {
    case allow = "Allow"
    case deny = "Deny"
}

/// One statement of a policy document.
///
/// Exactly one of ``actions`` / ``notActions`` is set (an empty list is allowed and matches nothing).
/// Resource and principal elements are optional: identity policies carry `Resource`, trust and resource
/// policies carry `Principal`.
public struct Statement: Sendable, Hashable {
    /// The action element: `Action` (the listed actions) or `NotAction` (every action except them).
    public enum ActionElement: Sendable, Hashable {
        case action([String])
        case notAction([String])
    }

    /// The resource element: `Resource` or `NotResource`.
    public enum ResourceElement: Sendable, Hashable {
        case resource([String])
        case notResource([String])
    }

    /// The principal element: `Principal` or `NotPrincipal`.
    public enum PrincipalElement: Sendable, Hashable {
        case principal(Principal)
        case notPrincipal(Principal)
    }

    public var sid: String?
    public var effect: Effect
    public var action: ActionElement
    /// `nil` when the statement has neither `Resource` nor `NotResource` (trust policies).
    public var resource: ResourceElement?
    public var principal: PrincipalElement?
    /// The `Condition` block, flattened: one entry per (operator, key), sorted by operator text then key.
    public var conditions: [Condition]

    public init(
        sid: String? = nil, effect: Effect, action: ActionElement, resource: ResourceElement? = nil,
        principal: PrincipalElement? = nil, conditions: [Condition] = []
    ) {
        self.sid = sid
        self.effect = effect
        self.action = action
        self.resource = resource
        self.principal = principal
        self.conditions = conditions.sorted { ($0.operator.name, $0.key) < ($1.operator.name, $1.key) }
    }

    /// An `Action` statement on `Resource`s: the common identity-policy form.
    public init(
        sid: String? = nil, effect: Effect, actions: [String], resources: [String], conditions: [Condition] = []
    ) {
        self.init(
            sid: sid, effect: effect, action: .action(actions), resource: .resource(resources), conditions: conditions)
    }
}

/// A `Principal` / `NotPrincipal` value: `"*"` or a map from principal type to values.
public enum Principal: Sendable, Hashable {
    /// `"Principal": "*"` — everyone (also written `{"AWS": "*"}`, which stays in ``specified(_:)``).
    case anyone
    /// `{"AWS": [...], "Service": [...], ...}`.
    case specified([PrincipalType: [String]])
}

/// The principal types of the policy grammar, in the canonical writer's order.
public enum PrincipalType: String, Sendable, Hashable, CaseIterable, Comparable {
    case aws = "AWS"
    case canonicalUser = "CanonicalUser"
    case federated = "Federated"
    case service = "Service"

    public static func < (a: PrincipalType, b: PrincipalType) -> Bool { a.rawValue < b.rawValue }
}
