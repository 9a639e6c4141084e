import IAMPolicy

/// A policy document of a snapshot or SCP file: its JSON text (URL-decoded when the snapshot stored it
/// URL-encoded) and the parsed document, or why it did not parse.
public struct PolicyText: Sendable, Hashable {
    /// Where the document comes from, for messages: ``role `app`: inline policy `s3` ``.
    public var source: String
    /// The JSON text of the document (compact when the snapshot embedded it as an object).
    public var text: String
    /// The parsed document; `nil` when it does not parse (``parseError`` says why, and the inventory
    /// lists it among its diagnostics).
    public var document: PolicyDocument?
    /// Why the document did not parse (``PolicyParseError/description`` names file, line:column and path).
    public var parseError: PolicyParseError?

    public init(source: String, text: String, document: PolicyDocument?, parseError: PolicyParseError? = nil) {
        self.source = source
        self.text = text
        self.document = document
        self.parseError = parseError
    }

    init(source: String, text: String, parsed: Result<PolicyDocument, PolicyParseError>) {
        switch parsed {
        case .success(let document): self.init(source: source, text: text, document: document)
        case .failure(let error): self.init(source: source, text: text, document: nil, parseError: error)
        }
    }

    /// Parses `text`; `source` labels the document in messages, `file` names it in parse errors.
    public init(source: String, text: String, file: String) {
        self.init(
            source: source, text: text,
            parsed: Result { () throws(PolicyParseError) in try PolicyDocument(parsing: text, source: file) })
    }
}

/// A key–value tag.
public struct Tag: Sendable, Hashable {
    public var key: String
    public var value: String

    public init(key: String, value: String) {
        self.key = key
        self.value = value
    }
}

/// An inline policy embedded in a user, group or role.
public struct InlinePolicy: Sendable, Hashable {
    public var name: String
    public var document: PolicyText

    public init(name: String, document: PolicyText) {
        self.name = name
        self.document = document
    }
}

/// A reference to a managed policy (an attachment or a permissions boundary).
public struct PolicyReference: Sendable, Hashable {
    public var arn: String
    public var name: String

    public init(arn: String, name: String) {
        self.arn = arn
        self.name = name
    }
}

/// A managed policy (AWS or customer managed) with its default version's document.
public struct ManagedPolicy: Sendable, Hashable {
    public var arn: String
    public var name: String
    public var path: String
    public var defaultVersionId: String
    /// The default version's document: the only one that applies.
    public var document: PolicyText
    public var createDate: Int64?
    /// `true` for `arn:aws:iam::aws:policy/…`.
    public var isAWSManaged: Bool { arn.hasPrefix("arn:aws:iam::aws:policy/") }

    public init(
        arn: String, name: String, path: String = "/", defaultVersionId: String, document: PolicyText,
        createDate: Int64? = nil
    ) {
        self.arn = arn
        self.name = name
        self.path = path
        self.defaultVersionId = defaultVersionId
        self.document = document
        self.createDate = createDate
    }
}

/// An IAM user.
public struct IAMUser: Sendable, Hashable {
    public var arn: String
    public var name: String
    public var id: String
    public var path: String
    public var createDate: Int64?
    /// Names of the groups the user belongs to (same account).
    public var groupNames: [String]
    public var inlinePolicies: [InlinePolicy]
    public var attachedPolicies: [PolicyReference]
    public var permissionsBoundary: PolicyReference?
    public var tags: [Tag]
    /// The account that owns the user (from its ARN).
    public var account: String { ARNParts.account(of: arn) }

    public init(
        arn: String, name: String, id: String = "", path: String = "/", createDate: Int64? = nil,
        groupNames: [String] = [], inlinePolicies: [InlinePolicy] = [], attachedPolicies: [PolicyReference] = [],
        permissionsBoundary: PolicyReference? = nil, tags: [Tag] = []
    ) {
        self.arn = arn
        self.name = name
        self.id = id
        self.path = path
        self.createDate = createDate
        self.groupNames = groupNames
        self.inlinePolicies = inlinePolicies
        self.attachedPolicies = attachedPolicies
        self.permissionsBoundary = permissionsBoundary
        self.tags = tags
    }
}

/// An IAM group.
public struct IAMGroup: Sendable, Hashable {
    public var arn: String
    public var name: String
    public var id: String
    public var path: String
    public var createDate: Int64?
    public var inlinePolicies: [InlinePolicy]
    public var attachedPolicies: [PolicyReference]
    public var account: String { ARNParts.account(of: arn) }

    public init(
        arn: String, name: String, id: String = "", path: String = "/", createDate: Int64? = nil,
        inlinePolicies: [InlinePolicy] = [], attachedPolicies: [PolicyReference] = []
    ) {
        self.arn = arn
        self.name = name
        self.id = id
        self.path = path
        self.createDate = createDate
        self.inlinePolicies = inlinePolicies
        self.attachedPolicies = attachedPolicies
    }
}

/// An instance profile that carries a role.
public struct InstanceProfile: Sendable, Hashable {
    public var arn: String
    public var name: String
    public var path: String

    public init(
        arn: String, name: String, path: String = "/"
    ) {
        self.arn = arn
        self.name = name
        self.path = path
    }
}

/// An IAM role.
public struct IAMRole: Sendable, Hashable {
    public var arn: String
    public var name: String
    public var id: String
    public var path: String
    public var createDate: Int64?
    /// The trust policy (`AssumeRolePolicyDocument`).
    public var trustPolicy: PolicyText?
    public var inlinePolicies: [InlinePolicy]
    public var attachedPolicies: [PolicyReference]
    public var permissionsBoundary: PolicyReference?
    public var tags: [Tag]
    /// `RoleLastUsed.LastUsedDate`, when the snapshot has it.
    public var lastUsed: Int64?
    /// `RoleLastUsed.Region`.
    public var lastUsedRegion: String?
    /// The snapshot has `RoleLastUsed` for the role (an empty `{}` included: AWS tracked the role and
    /// saw no use); `false` when the element is absent (older exports), so ``lastUsed`` says nothing.
    public var lastUsedTracked: Bool
    public var instanceProfiles: [InstanceProfile]
    public var account: String { ARNParts.account(of: arn) }
    /// A service-linked role (path `/aws-service-role/`): AWS manages it; unused-access rules skip it.
    public var isServiceLinked: Bool { path.hasPrefix("/aws-service-role/") }

    public init(
        arn: String, name: String, id: String = "", path: String = "/", createDate: Int64? = nil,
        trustPolicy: PolicyText? = nil, inlinePolicies: [InlinePolicy] = [], attachedPolicies: [PolicyReference] = [],
        permissionsBoundary: PolicyReference? = nil, tags: [Tag] = [], lastUsed: Int64? = nil,
        lastUsedRegion: String? = nil, lastUsedTracked: Bool = true, instanceProfiles: [InstanceProfile] = []
    ) {
        self.arn = arn
        self.name = name
        self.id = id
        self.path = path
        self.createDate = createDate
        self.trustPolicy = trustPolicy
        self.inlinePolicies = inlinePolicies
        self.attachedPolicies = attachedPolicies
        self.permissionsBoundary = permissionsBoundary
        self.tags = tags
        self.lastUsed = lastUsed
        self.lastUsedRegion = lastUsedRegion
        self.lastUsedTracked = lastUsedTracked
        self.instanceProfiles = instanceProfiles
    }
}

/// ARN fields, without validation (the readers validate principals' ARNs with ``isAccount(_:allowingAWS:)``).
enum ARNParts {
    /// `true` for a 12-digit account id; with `allowingAWS`, also for `aws`, the account of AWS's own
    /// ARNs (AWS managed policies, and principals in the real test snapshots).
    static func isAccount(_ account: String, allowingAWS: Bool = false) -> Bool {
        (account.utf8.count == 12 && account.utf8.allSatisfy { $0 >= 48 && $0 <= 57 })
            || (allowingAWS && account == "aws")
    }

    /// The account field (the fifth `:`-separated part), or an empty string.
    static func account(of arn: String) -> String {
        let parts = arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        return parts.count > 4 ? String(parts[4]) : ""
    }
}
