import AccountInventory
import Analysis
import IAMCatalog

/// A check that turns the inputs into findings. One rule per file (`Rules/<FindingType>.swift`), with
/// its finding type, severity and messages declared next to it; list it in ``FindingRules``.
public protocol FindingRule: Sendable {
    /// What the rule checks, for reports and SARIF rule metadata.
    var descriptor: RuleDescriptor { get }
    /// The inputs the rule reads; without one of them it does not run (``Findings/evaluate(_:rules:suppressions:)``
    /// lists it as not checked instead of reporting nothing found).
    var inputs: RuleInputs { get }
    /// The findings, in any order (``Findings/evaluate(_:rules:suppressions:)`` sorts them). Problems
    /// with the inputs go to `diagnostics`, one line each.
    func findings(in context: FindingContext, diagnostics: inout [String]) -> [Finding]
}

/// A rule's metadata: the type it emits, its default severity, one line on what it means and one on
/// how to fix it (SARIF `rules[]`, the README's finding reference).
public struct RuleDescriptor: Sendable, Hashable {
    public var findingType: FindingType
    public var severity: Severity
    public var summary: String
    public var remediation: String

    public init(findingType: FindingType, severity: Severity, summary: String, remediation: String) {
        self.findingType = findingType
        self.severity = severity
        self.summary = summary
        self.remediation = remediation
    }
}

/// The inputs a rule needs: a snapshot (`--authorization-details`), a credential report
/// (`--credential-report`), the usage store's evidence (`--store` or `--logs`).
public struct RuleInputs: OptionSet, Sendable, Hashable {
    public let rawValue: Int

    public init(rawValue: Int) { self.rawValue = rawValue }

    public static let authorizationDetails = RuleInputs(rawValue: 1)
    public static let credentialReport = RuleInputs(rawValue: 2)
    public static let usage = RuleInputs(rawValue: 4)

    /// How messages name each missing input: `no --credential-report`, joined with `, `.
    var missingPhrase: String {
        var parts: [String] = []
        if contains(.authorizationDetails) { parts.append("no --authorization-details") }
        if contains(.credentialReport) { parts.append("no --credential-report") }
        if contains(.usage) { parts.append("no --store or --logs") }
        return parts.joined(separator: ", ")
    }
}

/// What rules look at: the inventory, the options, and for the unused-access rules the action catalog
/// and the usage store's evidence of the window. Rules that need more evidence read it from here; add
/// it as a stored property.
public struct FindingContext: Sendable {
    public var inventory: AccountInventory
    public var options: FindingOptions
    /// The action catalog (effective permissions for `UnusedPermission`); `nil`: not judged.
    public var catalog: ActionCatalog?
    /// The usage store's evidence of the window `[asOf − days, asOf)` (CloudTrail last use, log
    /// coverage); `nil` when no store or logs were given.
    public var evidence: UsageEvidence?

    public init(
        inventory: AccountInventory, options: FindingOptions, catalog: ActionCatalog? = nil,
        evidence: UsageEvidence? = nil
    ) {
        self.inventory = inventory
        self.options = options
        self.catalog = catalog
        self.evidence = evidence
    }

    /// The inputs this context has.
    public var available: RuleInputs {
        var inputs: RuleInputs = []
        if inventory.hasAuthorizationDetails { inputs.insert(.authorizationDetails) }
        if inventory.credentialReport != nil { inputs.insert(.credentialReport) }
        if evidence != nil { inputs.insert(.usage) }
        return inputs
    }
}

/// The time frame of an analysis.
public struct FindingOptions: Sendable, Hashable {
    /// The end of the window (exclusive) and the "now" of age checks, in seconds since the epoch.
    public var asOf: Int64
    /// The window length in days (`--days`, default 90).
    public var days: Int
    /// Where `asOf` comes from when the user did not give it (``Findings/defaultAsOf(_:)``), for a note
    /// in the report; `nil` when given.
    public var asOfSource: String?

    public init(asOf: Int64, days: Int = 90, asOfSource: String? = nil) {
        self.asOf = asOf
        self.days = days
        self.asOfSource = asOfSource
    }

    /// The start of the window `[asOf − days, asOf)`.
    public var windowStart: Int64 { asOf - Int64(days) * 86_400 }

    /// `asOf` minus `days` days (for fixed-age checks such as 45 or 90 days).
    public func daysBefore(_ days: Int) -> Int64 { asOf - Int64(days) * 86_400 }

    /// Whole days from `time` to `asOf`; never negative (0 for a time after `asOf`).
    public func age(of time: Int64) -> Int64 { max(0, (asOf - time) / 86_400) }
}

/// The rule sets. A new rule is one file in `Rules/` plus one entry here.
public enum FindingRules {
    /// Every rule `pare findings` runs.
    public static let all: [any FindingRule] = unused + posture

    /// The unused-access rules (Access Analyzer's types).
    public static let unused: [any FindingRule] = [
        UnusedIAMRole(), UnusedIAMUserAccessKey(), UnusedIAMUserPassword(), UnusedPermission(),
    ]

    /// The posture checks (credential report and snapshot).
    public static let posture: [any FindingRule] = [
        RootAccessKeyActive(), RootMfaDisabled(), ConsoleUserWithoutMfa(), AccessKeyNotRotated(),
        MultipleActiveAccessKeys(), CredentialUnused45Days(), FullAdminPolicyAttached(),
        TrustPolicyOpenToAnyPrincipal(), CrossAccountTrustWithoutExternalId(),
    ]
}
