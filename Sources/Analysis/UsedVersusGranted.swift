import IAMCatalog
import UsageStore

/// A principal's use of its access in a window: what it used that it is granted, what it is granted
/// and did not use (with the last time it ever used it), what it used without a grant in its identity
/// policies (drift since the snapshot, or access through a resource policy), and its denied attempts.
public struct UsedVersusGranted: Sendable {
    /// A used action that the principal is granted.
    public struct UsedAction: Sendable, Hashable {
        public var usage: ActionUsage
        public var accessLevel: AccessLevel
        /// The grant depends on conditions.
        public var conditional: Bool

        public init(usage: ActionUsage, accessLevel: AccessLevel, conditional: Bool) {
            self.usage = usage
            self.accessLevel = accessLevel
            self.conditional = conditional
        }
    }

    /// A granted action not used in the window.
    public struct UnusedAction: Sendable, Hashable {
        public var action: String
        public var accessLevel: AccessLevel
        /// The last use before the window's end that the store knows of; `nil`: never seen.
        public var lastUsed: Int64?

        public init(action: String, accessLevel: AccessLevel, lastUsed: Int64?) {
            self.action = action
            self.accessLevel = accessLevel
            self.lastUsed = lastUsed
        }
    }

    /// Per service prefix with granted actions: how many are granted and unused, and the last use of any
    /// of its actions.
    public struct ServiceSummary: Sendable, Hashable {
        public var service: String
        public var granted: Int
        public var unused: Int
        public var lastUsed: Int64?

        public init(service: String, granted: Int, unused: Int, lastUsed: Int64?) {
            self.service = service
            self.granted = granted
            self.unused = unused
            self.lastUsed = lastUsed
        }
    }

    public let permissions: EffectivePermissions
    /// The ARN the principal's events are recorded under in the store; `nil` when it has none.
    public let storedPrincipal: String?
    public let window: StoreWindow
    /// Sorted by action.
    public let usedAndGranted: [UsedAction]
    /// In catalog order (prefix, then action).
    public let grantedUnused: [UnusedAction]
    /// Sorted by action.
    public let usedNotGranted: [ActionUsage]
    /// Denied attempts in the window, sorted by action.
    public let denied: [ActionUsage]
    /// Per service, sorted by prefix.
    public let services: [ServiceSummary]

    /// Compares `permissions` with the store's `evidence` of the same principal.
    public init(_ permissions: EffectivePermissions, evidence: UsageEvidence) {
        let catalog = permissions.catalog
        let activity = evidence.activity(of: permissions.principal)
        var usedIDs = ActionSet()
        var usedAndGranted: [UsedAction] = []
        var usedNotGranted: [ActionUsage] = []
        for usage in activity?.used ?? [] {
            if let id = catalog.action(named: usage.action), permissions.granted.contains(id) {
                usedIDs.insert(id)
                usedAndGranted.append(
                    UsedAction(
                        usage: usage, accessLevel: catalog.accessLevel(of: id),
                        conditional: !permissions.unconditional.contains(id)))
            } else {
                usedNotGranted.append(usage)
            }
        }
        let lastUsed = activity?.lastUsed ?? [:]
        let unused = permissions.granted.subtracting(usedIDs).map { id in
            let name = catalog.name(of: id)
            return UnusedAction(action: name, accessLevel: catalog.accessLevel(of: id), lastUsed: lastUsed[name])
        }
        var services: [String: ServiceSummary] = [:]
        for id in permissions.granted {
            let prefix = catalog.prefix(of: id)
            services[prefix, default: ServiceSummary(service: prefix, granted: 0, unused: 0, lastUsed: nil)].granted +=
                1
        }
        for action in unused { services[String(action.action.prefix { $0 != ":" })]?.unused += 1 }
        for (action, time) in lastUsed {
            guard let id = catalog.action(named: action), permissions.granted.contains(id) else { continue }
            let prefix = catalog.prefix(of: id)
            if let summary = services[prefix] { services[prefix]?.lastUsed = max(summary.lastUsed ?? time, time) }
        }

        self.permissions = permissions
        self.storedPrincipal = activity?.principal.arn
        self.window = evidence.window
        self.usedAndGranted = usedAndGranted
        self.grantedUnused = unused
        self.usedNotGranted = usedNotGranted
        self.denied = activity?.denied ?? []
        self.services = services.values.sorted { $0.service < $1.service }
    }
}
