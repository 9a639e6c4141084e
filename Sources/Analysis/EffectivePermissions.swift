import AccountInventory
import IAMCatalog
import IAMPolicy

/// What a principal is allowed to do, at the action level: the union of its identity policies' Allows
/// (a user's groups included), minus the Denies that certainly apply, intersected with its permissions
/// boundary and the service control policies when given (DESIGN.md "Granted access").
///
/// Build it with ``init(of:in:catalog:)``; then ``granted`` (every action allowed on some resource under
/// some conditions), ``unconditional`` / ``conditional``, and per action ``action(_:)`` with the
/// statements, resources and conditions that grant it and those that may restrict it.
///
/// What is decided and what is carried: a Deny without conditions on `Resource: "*"` removes its
/// actions; a Deny that is conditional or names some resources is *carried* in
/// ``GrantedAction/restrictions`` and the action stays granted. Likewise a boundary or SCP Allow that
/// covers an action only on some resources or under conditions is carried. `NotAction` covers every
/// catalog action that its patterns do not match; a `NotResource` Allow grants on every resource
/// except those listed (nothing when it lists `*`). Patterns the catalog does not know grant nothing and
/// are reported in ``diagnostics``; so are policies that did not parse (their statements are ignored).
public struct EffectivePermissions: Sendable {
    /// The principal analysed.
    public let principal: InventoryPrincipal
    /// Every action allowed on some resource under some conditions.
    public let granted: ActionSet
    /// The granted actions that some statement of every layer allows without conditions.
    public let unconditional: ActionSet
    /// Every statement read, in the order identity policies, permissions boundary, SCPs; each policy
    /// in statement order.
    public let statements: [GrantStatement]
    /// Problems with the principal's policies (unparseable documents, unknown actions, policies or
    /// groups missing from the snapshot), one line each, sorted.
    public let diagnostics: [String]
    let catalog: ActionCatalog
    /// Per layer that limits the identity grants (boundary, SCPs): the actions one of its Allows covers
    /// on every resource without conditions.
    let unrestrictedByLayer: [PolicyLayer: ActionSet]

    /// The granted actions that need a condition to hold (in some Allow of every granting path).
    public var conditional: ActionSet { granted.subtracting(unconditional) }

    /// The granted action `id`, with its grants and restrictions; `nil` when it is not granted.
    public func action(_ id: ActionID) -> GrantedAction? {
        guard granted.contains(id) else { return nil }
        let grants = statements.filter {
            $0.source.layer == .identity && $0.effect == .allow && $0.actions.contains(id)
        }
        let restrictions = statements.filter { statement in
            guard statement.actions.contains(id), !(statement.effect == .deny && statement.isUnrestricted) else {
                return false
            }
            switch (statement.effect, statement.source.layer) {
            case (.deny, _): return true
            case (.allow, .identity): return false
            case (.allow, let layer): return unrestrictedByLayer[layer]?.contains(id) != true
            }
        }
        return GrantedAction(
            action: id, name: catalog.name(of: id), accessLevel: catalog.accessLevel(of: id), grants: grants,
            restrictions: restrictions, isConditional: !unconditional.contains(id))
    }

    /// The granted action named `name` (any case); `nil` when unknown or not granted.
    public func action(named name: String) -> GrantedAction? {
        catalog.action(named: name).flatMap(action)
    }

    /// Every granted action, in catalog order (by prefix, then name).
    public var actions: [GrantedAction] { granted.compactMap(action) }

    /// The number of granted actions per access level, every level present.
    public func counts(of set: ActionSet) -> [(AccessLevel, Int)] {
        var counts: [AccessLevel: Int] = [:]
        for id in set { counts[catalog.accessLevel(of: id), default: 0] += 1 }
        return AccessLevel.allCases.map { ($0, counts[$0] ?? 0) }
    }

    /// The service prefixes with at least one granted action, sorted.
    public var services: [String] {
        var prefixes = Set<String>()
        for id in granted { prefixes.insert(catalog.prefix(of: id)) }
        return prefixes.sorted()
    }
}

/// The policy layers of a request in one account.
public enum PolicyLayer: String, Sendable, Hashable, CaseIterable, Comparable {
    /// The principal's identity policies (a user's groups included).
    case identity
    /// The permissions boundary.
    case boundary
    /// The service control policies (`--scp`).
    case serviceControlPolicy

    public static func < (a: PolicyLayer, b: PolicyLayer) -> Bool {
        allCases.firstIndex(of: a) ?? 0 < allCases.firstIndex(of: b) ?? 0
    }
}

/// Where a statement comes from.
public struct StatementSource: Sendable, Hashable {
    public var layer: PolicyLayer
    /// The inline policy's name, the managed policy's name, or the SCP's label.
    public var policyName: String
    /// The managed policy's ARN; `nil` for inline policies and SCPs.
    public var policyArn: String?
    /// The ARN of the group the policy comes through; `nil` when attached to the principal itself.
    public var attachedVia: String?
    /// 0-based index in the policy's `Statement` list.
    public var statementIndex: Int
    public var sid: String?

    public init(
        layer: PolicyLayer, policyName: String, policyArn: String?, attachedVia: String?, statementIndex: Int,
        sid: String?
    ) {
        self.layer = layer
        self.policyName = policyName
        self.policyArn = policyArn
        self.attachedVia = attachedVia
        self.statementIndex = statementIndex
        self.sid = sid
    }
}

/// The resources a statement applies to, as written.
public enum ResourceScope: Sendable, Hashable {
    /// `Resource`: the listed patterns (a statement without a resource element reads as `["*"]`).
    case resources([String])
    /// `NotResource`: every resource except the listed patterns.
    case notResources([String])

    /// `Resource` containing `*`, or an empty `NotResource`: every resource.
    public var coversAll: Bool {
        switch self {
        case .resources(let list): list.contains("*")
        case .notResources(let list): list.isEmpty
        }
    }

    /// `Resource: []` or `NotResource` containing `*`: no resource at all.
    public var isEmpty: Bool {
        switch self {
        case .resources(let list): list.isEmpty
        case .notResources(let list): list.contains("*")
        }
    }
}

/// One statement of a principal's policies read at the action level.
public struct GrantStatement: Sendable, Hashable {
    public var source: StatementSource
    public var effect: Effect
    /// The catalog actions its `Action` (or `NotAction`, as a complement) covers.
    public var actions: ActionSet
    public var resources: ResourceScope
    /// The `Condition` block; empty when unconditional.
    public var conditions: [Condition]

    public init(
        source: StatementSource, effect: Effect, actions: ActionSet, resources: ResourceScope, conditions: [Condition]
    ) {
        self.source = source
        self.effect = effect
        self.actions = actions
        self.resources = resources
        self.conditions = conditions
    }

    /// It has a `Condition` block.
    public var isConditional: Bool { !conditions.isEmpty }

    /// It applies to every resource and has no conditions.
    public var isUnrestricted: Bool { conditions.isEmpty && resources.coversAll }
}

/// One granted action and how it is granted.
public struct GrantedAction: Sendable, Hashable {
    public var action: ActionID
    /// `service:Action`, in the catalog's spelling.
    public var name: String
    public var accessLevel: AccessLevel
    /// The identity-policy Allows that grant it: their resources, conditions and sources.
    public var grants: [GrantStatement]
    /// Statements that may take part of it away, carried rather than decided: Denies that are conditional
    /// or name some resources, and boundary or SCP Allows that cover it only on some resources or under
    /// conditions (when no Allow of that layer covers it on `*` unconditionally).
    public var restrictions: [GrantStatement]
    /// It is allowed only when conditions hold (no unconditional Allow in some layer).
    public var isConditional: Bool

    /// The `Resource` patterns of the grants, sorted and without duplicates (`NotResource` grants are
    /// in ``grants``).
    public var resources: [String] {
        var patterns = Set<String>()
        for grant in grants {
            if case .resources(let list) = grant.resources { patterns.formUnion(list) }
        }
        return patterns.sorted()
    }
}

extension EffectivePermissions {
    /// The access level of the catalog action `name` (any case); `nil` when the catalog does not know it.
    public func accessLevel(named name: String) -> AccessLevel? {
        catalog.action(named: name).map(catalog.accessLevel)
    }
}
