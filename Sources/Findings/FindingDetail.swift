/// One element of a finding's `findingDetails`. The first four are Access Analyzer's unused-access
/// details; the others carry the evidence of the posture checks. Times are seconds since the epoch
/// (`nil`: never, or not known).
public enum FindingDetail: Sendable, Hashable {
    case unusedPermissionDetails(UnusedPermissionDetails)
    case unusedIamRoleDetails(UnusedIamRoleDetails)
    case unusedIamUserAccessKeyDetails(UnusedIamUserAccessKeyDetails)
    case unusedIamUserPasswordDetails(UnusedIamUserPasswordDetails)
    case accessKeyDetails(AccessKeyDetails)
    case passwordDetails(PasswordDetails)
    case policyDetails(PolicyDetails)
    case trustPolicyDetails(TrustPolicyDetails)
}

/// Access Analyzer `UnusedPermissionDetails`: a service namespace not used in the window; pare adds
/// the log coverage the verdict rests on (`coveredDays` of `windowDays` days with logs of the account).
public struct UnusedPermissionDetails: Sendable, Hashable {
    public struct Action: Sendable, Hashable {
        public var action: String
        public var lastAccessed: Int64?

        public init(action: String, lastAccessed: Int64?) {
            self.action = action
            self.lastAccessed = lastAccessed
        }
    }

    public var serviceNamespace: String
    public var actions: [Action]
    public var lastAccessed: Int64?
    /// The days of the window with logs of the principal's account.
    public var coveredDays: Int
    /// The days of the window.
    public var windowDays: Int

    public init(
        serviceNamespace: String, actions: [Action], lastAccessed: Int64?, coveredDays: Int, windowDays: Int
    ) {
        self.serviceNamespace = serviceNamespace
        self.actions = actions
        self.lastAccessed = lastAccessed
        self.coveredDays = coveredDays
        self.windowDays = windowDays
    }
}

/// Access Analyzer `UnusedIamRoleDetails`.
public struct UnusedIamRoleDetails: Sendable, Hashable {
    public var lastAccessed: Int64?

    public init(lastAccessed: Int64?) { self.lastAccessed = lastAccessed }
}

/// Access Analyzer `UnusedIamUserAccessKeyDetails`.
public struct UnusedIamUserAccessKeyDetails: Sendable, Hashable {
    public var accessKeyId: String
    public var lastAccessed: Int64?

    public init(accessKeyId: String, lastAccessed: Int64?) {
        self.accessKeyId = accessKeyId
        self.lastAccessed = lastAccessed
    }
}

/// Access Analyzer `UnusedIamUserPasswordDetails`.
public struct UnusedIamUserPasswordDetails: Sendable, Hashable {
    public var lastAccessed: Int64?

    public init(lastAccessed: Int64?) { self.lastAccessed = lastAccessed }
}

/// An access key as the credential report shows it (the report names slots, not key ids).
public struct AccessKeyDetails: Sendable, Hashable {
    /// `access_key_1` or `access_key_2`.
    public var accessKey: String
    public var active: Bool
    public var lastRotated: Int64?
    public var lastUsed: Int64?
    public var lastUsedService: String?

    public init(accessKey: String, active: Bool, lastRotated: Int64?, lastUsed: Int64?, lastUsedService: String?) {
        self.accessKey = accessKey
        self.active = active
        self.lastRotated = lastRotated
        self.lastUsed = lastUsed
        self.lastUsedService = lastUsedService
    }
}

/// A console password as the credential report shows it.
public struct PasswordDetails: Sendable, Hashable {
    /// `nil` when the report says `not_supported` (root).
    public var enabled: Bool?
    public var lastUsed: Int64?
    public var lastChanged: Int64?
    public var mfaActive: Bool

    public init(enabled: Bool?, lastUsed: Int64?, lastChanged: Int64?, mfaActive: Bool) {
        self.enabled = enabled
        self.lastUsed = lastUsed
        self.lastChanged = lastChanged
        self.mfaActive = mfaActive
    }
}

/// A policy and how it reaches the principal.
public struct PolicyDetails: Sendable, Hashable {
    public var policyName: String
    /// The managed policy's ARN; `nil` for an inline policy.
    public var policyArn: String?
    /// `inline` or `managed`.
    public var policyType: String
    /// The group the policy comes through; `nil` when attached directly.
    public var attachedVia: String?
    /// The statement (0-based) that grants what the finding is about.
    public var statementIndex: Int?

    public init(policyName: String, policyArn: String?, policyType: String, attachedVia: String?, statementIndex: Int?)
    {
        self.policyName = policyName
        self.policyArn = policyArn
        self.policyType = policyType
        self.attachedVia = attachedVia
        self.statementIndex = statementIndex
    }
}

/// A statement of a role's trust policy.
public struct TrustPolicyDetails: Sendable, Hashable {
    /// 0-based.
    public var statementIndex: Int
    public var sid: String?
    /// The principals the finding is about, as written (`*`, `arn:aws:iam::111122223333:root`).
    public var principals: [String]
    public var actions: [String]
    /// The condition keys of the statement (sorted), so a reader sees what does (not) restrict it.
    public var conditionKeys: [String]

    public init(statementIndex: Int, sid: String?, principals: [String], actions: [String], conditionKeys: [String]) {
        self.statementIndex = statementIndex
        self.sid = sid
        self.principals = principals
        self.actions = actions
        self.conditionKeys = conditionKeys
    }
}
