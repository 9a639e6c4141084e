import IAMPolicy
import UsageStore

/// Everything `pare policy` synthesizes from: one principal's usage in a window and, optionally, what
/// its current policies grant. Built from a store and a snapshot by
/// ``SynthesisInput/load(store:principal:window:inventory:)``, or in memory (tests, other front ends).
public struct SynthesisInput: Sendable {
    /// The principal's ARN.
    public var principal: String
    public var window: StoreWindow
    /// Actions used successfully in the window (the `when` extras included), with their resource samples.
    public var used: [UsedAction]
    /// Denied attempts in the window: never granted, listed in the report.
    public var denied: [ActionUsage]
    /// Regions with logs of the principal's account in the window, sorted: where a filled ARN template's
    /// `${Region}` may point.
    public var regions: [String]
    /// The days of the window without logs, as UTC day numbers.
    public var gapDays: Int
    /// What the principal is granted today; `nil` without a snapshot (then nothing bounds the result).
    public var current: CurrentAccess?

    public init(
        principal: String, window: StoreWindow, used: [UsedAction], denied: [ActionUsage] = [],
        regions: [String] = [], gapDays: Int = 0, current: CurrentAccess? = nil
    ) {
        self.principal = principal
        self.window = window
        self.used = used
        self.denied = denied
        self.regions = regions
        self.gapDays = gapDays
        self.current = current
    }
}

/// One action used successfully in the window.
public struct UsedAction: Sendable, Hashable {
    public var usage: ActionUsage
    /// The resources seen (a bounded sample; ``ResourceSample/complete`` says whether it is all of them).
    public var resources: ResourceSample
    /// The CloudTrail events that used it, sorted by source and name; their counts add up to
    /// ``ActionUsage/count`` (an event not recorded, from a store before v2, is `("", "")`).
    public var events: [EventUsage]

    public init(usage: ActionUsage, resources: ResourceSample, events: [EventUsage] = []) {
        self.usage = usage
        self.resources = resources
        self.events = events
    }
}

/// The principal's current policies, as the snapshot gives them.
public struct CurrentAccess: Sendable {
    /// Inline and attached managed policies, and for a user those of its groups.
    public var identityPolicies: [NamedPolicy]
    public var permissionsBoundary: NamedPolicy?
    /// `nil` when no SCP was given.
    public var serviceControlPolicies: [NamedPolicy]?
    /// Instance profile ARN → the ARNs of its roles (for `iam:PassRole` through `ec2:RunInstances`).
    public var instanceProfileRoles: [String: [String]]

    public init(
        identityPolicies: [NamedPolicy], permissionsBoundary: NamedPolicy? = nil,
        serviceControlPolicies: [NamedPolicy]? = nil, instanceProfileRoles: [String: [String]] = [:]
    ) {
        self.identityPolicies = identityPolicies
        self.permissionsBoundary = permissionsBoundary
        self.serviceControlPolicies = serviceControlPolicies
        self.instanceProfileRoles = instanceProfileRoles
    }

    var evaluator: PolicyEvaluator {
        PolicyEvaluator(
            identityPolicies: identityPolicies, permissionsBoundary: permissionsBoundary,
            serviceControlPolicies: serviceControlPolicies)
    }
}
