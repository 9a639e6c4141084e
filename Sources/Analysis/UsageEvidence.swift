import Timestamps
import UsageStore

/// What the usage store says about a window: per principal the actions used and denied in it and the
/// last time each action was used before its end, and the window's log coverage. Read once from the
/// store, then a plain value that rules and comparisons share.
public struct UsageEvidence: Sendable {
    /// One store principal's evidence.
    public struct Activity: Sendable, Hashable {
        public var principal: StoredPrincipal
        /// Actions used (successfully) in the window, sorted by action.
        public var used: [ActionUsage]
        /// Denied attempts in the window, sorted by action.
        public var denied: [ActionUsage]
        /// Per action, the last time it was used before the window's end (over all the store holds).
        public var lastUsed: [String: Int64]
        /// The last attributed event of any kind before the window's end (sign-ins and calls that need
        /// no permission included): the store's evidence that the principal was active.
        public var lastActivity: Int64?
    }

    public let window: StoreWindow
    public let coverage: Coverage
    /// By store ARN.
    public let activities: [String: Activity]

    /// Reads the evidence of `window` from `store`.
    public init(store: UsageStore, window: StoreWindow) throws(StoreError) {
        let before = StoreWindow(start: 0, end: window.end)
        var activities: [String: Activity] = [:]
        for principal in try store.principals() {
            var lastUsed: [String: Int64] = [:]
            for usage in try store.usage(principal: principal.arn, window: before) {
                lastUsed[usage.action] = usage.lastSeen
            }
            activities[principal.arn] = Activity(
                principal: principal, used: try store.usage(principal: principal.arn, window: window),
                denied: try store.denied(principal: principal.arn, window: window), lastUsed: lastUsed,
                lastActivity: try store.activity(principal: principal.arn, window: before)?.lastSeen)
        }
        self.window = window
        self.coverage = try store.coverage(window: window)
        self.activities = activities
    }

    /// The store's evidence of a snapshot principal: see ``activity(arn:)``.
    public func activity(of principal: InventoryPrincipal) -> Activity? { activity(arn: principal.arn) }

    /// The store's evidence of the user or role `arn`: the store principal with the same ARN (a role's
    /// ARN has its path; an Identity Center role is recorded under its `AWSReservedSSO_…` role), else the
    /// only one of the same account, kind (`user/`, `role/`) and name (an ARN recorded without its path).
    public func activity(arn: String) -> Activity? {
        if let exact = activities[arn] { return exact }
        guard let (account, kind, name) = Self.parts(arn) else { return nil }
        let candidates = activities.values.filter { activity in
            guard let parts = Self.parts(activity.principal.arn) else { return false }
            return parts == (account, kind, name)
        }
        return candidates.count == 1 ? candidates.first : nil
    }

    /// Account, kind (`user`, `role`) and name of an IAM user or role ARN.
    private static func parts(_ arn: String) -> (String, String, String)? {
        let fields = arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard fields.count == 6, fields[2] == "iam" else { return nil }
        let path = fields[5].split(separator: "/")
        guard path.count >= 2, let name = path.last else { return nil }
        return (String(fields[4]), String(path[0]), String(name))
    }

    /// The number of days of the window with logs of `account`.
    public func coveredDays(account: String) -> Int {
        let days = Set(coverage.entries.filter { $0.account == account }.map(\.day))
        return window.days.count { days.contains($0) }
    }

    /// `nil` when every day of the window has logs of `account`; otherwise why the window cannot be
    /// read as complete evidence (one line): no logs of the account, or the days without logs.
    public func coverageProblem(account: String) -> String? {
        let span = "\(Timestamp.formatDay(window.days.lowerBound)) to \(Timestamp.formatDay(window.days.upperBound))"
        let days = Set(coverage.entries.filter { $0.account == account }.map(\.day))
        if days.isEmpty { return "no logs of account `\(account)` in the window \(span)" }
        let missing = window.days.count { !days.contains($0) }
        guard missing > 0 else { return nil }
        return "\(missing) of \(window.days.count) days of the window \(span) have no logs of account `\(account)`"
    }
}
