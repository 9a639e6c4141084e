/// One request to authorize: an action on a resource, by an optional principal, with optional context.
public struct Request: Sendable, Hashable {
    /// `service:Action`, matched case-insensitively.
    public var action: String
    /// The resource ARN, or `*` for actions without resource types; matched case-sensitively.
    public var resource: String
    /// The calling principal's ARN (or service name), for `Principal` / `NotPrincipal`; when `nil` those
    /// elements are not checked.
    public var principal: String?
    /// The request context. `nil` means *no context at all*: every condition is then unknown and an Allow
    /// that depends on one gives ``Decision/allowedIfConditions``. An empty context means "no key
    /// present": AWS's missing-key rules apply.
    public var context: RequestContext?

    public init(action: String, resource: String, principal: String? = nil, context: RequestContext? = nil) {
        self.action = action
        self.resource = resource
        self.principal = principal
        self.context = context
    }
}

extension Request {
    /// Whether `action` can be the action of a request: `service:Action` — a service prefix of ASCII
    /// letters, digits and `-`, one colon, and a non-empty name of ASCII letters, digits, `-` and `_` (no
    /// wildcard, no space).
    public static func isActionName(_ action: String) -> Bool {
        guard PolicyFile.isActionShaped(action), let colon = action.utf8.firstIndex(of: UInt8(ascii: ":")) else {
            return false
        }
        return action.utf8[action.utf8.index(after: colon)...].allSatisfy {
            ($0 | 0x20) &- UInt8(ascii: "a") < 26 || $0 &- UInt8(ascii: "0") < 10 || $0 == UInt8(ascii: "-")
                || $0 == UInt8(ascii: "_")
        }
    }
}

/// Context keys and their values (`aws:SourceIp` → `["203.0.113.7"]`); keys are case-insensitive, values
/// keep their case. A key with several values is multivalued (`aws:TagKeys`).
public struct RequestContext: Sendable, Hashable {
    private var storage: [String: [String]]

    public init(_ values: [String: [String]] = [:]) {
        storage = [:]
        for (key, list) in values { storage[key.lowercased(), default: []].append(contentsOf: list) }
    }

    /// The values of `key`, or `nil` when the key is absent (an empty list counts as absent).
    public subscript(key: String) -> [String]? {
        guard let values = storage[key.lowercased()], !values.isEmpty else { return nil }
        return values
    }

    /// Adds one value to `key`.
    public mutating func add(_ key: String, _ value: String) {
        storage[key.lowercased(), default: []].append(value)
    }
}

/// The outcome of evaluating a request.
public enum Decision: String, Sendable, Hashable, CaseIterable {
    /// Some Allow applies in every layer (identity, boundary, SCPs) and no Deny can apply.
    case allowed
    /// A Deny statement applies.
    case explicitDeny
    /// Some layer has no Allow that applies.
    case implicitDeny
    /// Allowed only if the conditions of the listed statements come out right: the Allows' conditions hold
    /// and the Denies' conditions do not. Given when a condition is unknown (no context).
    case allowedIfConditions
}

/// A policy with the name it is reported under (`AdministratorAccess`, `inline:app`, a file name).
public struct NamedPolicy: Sendable, Hashable {
    public var name: String
    public var document: PolicyDocument

    public init(name: String, document: PolicyDocument) {
        self.name = name
        self.document = document
    }
}

/// A statement that took part in a decision.
public struct StatementReference: Sendable, Hashable {
    /// The ``NamedPolicy/name`` of its policy.
    public var policy: String
    /// Its 0-based index in the policy's `Statement` list.
    public var statementIndex: Int
    public var sid: String?
    public var effect: Effect

    public init(policy: String, statementIndex: Int, sid: String?, effect: Effect) {
        self.policy = policy
        self.statementIndex = statementIndex
        self.sid = sid
        self.effect = effect
    }
}

/// A decision with the statements that made it.
public struct EvaluationResult: Sendable, Hashable {
    public var decision: Decision
    /// `explicitDeny`: the Denies that apply; `allowed`: the Allows that apply, in every layer;
    /// `allowedIfConditions`: the Allows that apply or may apply and the Denies that may apply;
    /// `implicitDeny`: empty. In the order identity policies, boundary, SCPs; then by policy and index.
    public var statements: [StatementReference]
    /// One line for people: why (`no statement of the permissions boundary allows the request`).
    public var reason: String

    public init(decision: Decision, statements: [StatementReference], reason: String) {
        self.decision = decision
        self.statements = statements
        self.reason = reason
    }
}
