/// How `pare policy` scopes resources, uses wildcards and sizes documents.
public struct SynthesisOptions: Sendable, Hashable {
    /// `--resources`.
    public enum ResourceScope: String, Sendable, Hashable, CaseIterable {
        /// Observed ARNs while few, generalized at path boundaries past ``observedLimit``, the catalog's
        /// ARN template (observed account and region) when nothing usable was observed.
        case observed
        /// The catalog's ARN templates filled with the observed account and region, for every action.
        case template
        /// `*` for every action.
        case any
    }

    /// `--wildcards`.
    public enum Wildcards: String, Sendable, Hashable, CaseIterable {
        /// Only action names.
        case none
        /// `svc:Prefix*` where every catalog action it matches was used (and sits in the same statement).
        case safe
    }

    public var resources: ResourceScope
    public var wildcards: Wildcards
    /// The size limit of one document, in IAM's measure (characters without whitespace).
    public var maxPolicySize: Int
    /// Up to this many distinct ARNs of one resource type an action keeps them as observed; past it they
    /// are generalized at path boundaries to at most this many patterns.
    public var observedLimit: Int
    /// How many times the statements the never-broaden comparison flags are narrowed before it gives up
    /// (``SynthesisResult/neverBroadens`` is then `false`). Tests lower it to reach that outcome.
    package var narrowingRounds = 3

    /// IAM's limit for one customer managed policy.
    public static let managedPolicyLimit = 6_144
    /// IAM's limits for all the inline policies of a role, a group and a user together.
    public static let roleInlineLimit = 10_240
    public static let groupInlineLimit = 5_120
    public static let userInlineLimit = 2_048
    public static let defaultObservedLimit = 10

    public init(
        resources: ResourceScope = .observed, wildcards: Wildcards = .none,
        maxPolicySize: Int = SynthesisOptions.managedPolicyLimit,
        observedLimit: Int = SynthesisOptions.defaultObservedLimit
    ) {
        self.resources = resources
        self.wildcards = wildcards
        self.maxPolicySize = maxPolicySize
        self.observedLimit = observedLimit
    }

    /// The inline-policy limit for a principal ARN (`:role/`, `:user/`, `:group/`), `nil` for others.
    public static func inlineLimit(for principal: String) -> Int? {
        if principal.contains(":role/") { return roleInlineLimit }
        if principal.contains(":user/") { return userInlineLimit }
        if principal.contains(":group/") { return groupInlineLimit }
        return nil
    }
}
