/// One finding, in the shape of an IAM Access Analyzer finding (`findingType`, `resource`,
/// `resourceType`, `resourceOwnerAccount`, `status`, `findingDetails`) plus a severity and a one-line
/// explanation.
public struct Finding: Sendable, Hashable {
    /// Stable across runs: derived from the type, the resource and the rule's discriminator (what tells
    /// two findings of one type on one resource apart), never from times. Formatted like a UUID.
    public var id: String
    public var findingType: FindingType
    public var severity: Severity
    /// The ARN of the principal or account the finding is about (`arn:aws:iam::<account>:root` for root).
    public var resource: String
    public var resourceType: ResourceType
    public var resourceOwnerAccount: String
    public var status: FindingStatus
    public var findingDetails: [FindingDetail]
    /// One line for people: what is wrong, with the values that show it.
    public var explanation: String

    /// A finding; `discriminator` separates several findings of one type on one resource
    /// (a key slot, a policy and how it is attached, a trust statement, a service namespace).
    public init(
        type: FindingType, severity: Severity, resource: String, resourceType: ResourceType,
        resourceOwnerAccount: String, details: [FindingDetail], explanation: String, discriminator: String = ""
    ) {
        self.id = StableID.make(type.rawValue, resource, discriminator)
        self.findingType = type
        self.severity = severity
        self.resource = resource
        self.resourceType = resourceType
        self.resourceOwnerAccount = resourceOwnerAccount
        self.status = .active
        self.findingDetails = details
        self.explanation = explanation
    }
}

/// A finding type name (`UnusedIAMRole`, `RootAccessKeyActive`, …). Each rule declares its own in
/// its file: `extension FindingType { public static let rootAccessKeyActive = FindingType("RootAccessKeyActive") }`.
public struct FindingType: RawRepresentable, Sendable, Hashable, Comparable, CustomStringConvertible {
    public let rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ rawValue: String) { self.rawValue = rawValue }

    public var description: String { rawValue }
    public static func < (lhs: FindingType, rhs: FindingType) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// How bad a finding is, from `informational` to `critical`; `--fail-on` compares against it.
public enum Severity: String, Sendable, Hashable, CaseIterable, Comparable, CustomStringConvertible {
    case informational
    case low
    case medium
    case high
    case critical

    private var rank: Int {
        switch self {
        case .informational: 0
        case .low: 1
        case .medium: 2
        case .high: 3
        case .critical: 4
        }
    }

    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
    public var description: String { rawValue }
}

/// The kind of resource a finding is about (CloudFormation / AWS Config type names).
public enum ResourceType: String, Sendable, Hashable {
    case role = "AWS::IAM::Role"
    case user = "AWS::IAM::User"
    case group = "AWS::IAM::Group"
    /// The account itself: findings about its root user.
    case account = "AWS::::Account"
}

/// Access Analyzer's finding status; pare emits `ACTIVE` (suppressed findings are listed apart).
public enum FindingStatus: String, Sendable, Hashable {
    case active = "ACTIVE"
}

/// Stable, UUID-shaped ids: two 64-bit FNV-1a hashes (different offsets) of the id's parts, each put
/// through MurmurHash3's 64-bit finalizer so that inputs differing in one byte give unrelated ids.
enum StableID {
    static func make(_ parts: String...) -> String {
        var bytes: [UInt8] = []
        for part in parts {
            bytes += part.utf8
            bytes.append(0)
        }
        let high = fnv1a(bytes, basis: 0xcbf2_9ce4_8422_2325)
        let low = fnv1a(bytes, basis: 0x6c62_272e_07bb_0142)
        let hex = hex64(high) + hex64(low)
        let chars = Array(hex)
        return [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { String(chars[$0]) }.joined(separator: "-")
    }

    private static func fnv1a(_ bytes: [UInt8], basis: UInt64) -> UInt64 {
        var hash = basis
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        hash ^= hash >> 33
        hash = hash &* 0xff51_afd7_ed55_8ccd
        hash ^= hash >> 33
        hash = hash &* 0xc4ce_b9fe_1a85_ec53
        hash ^= hash >> 33
        return hash
    }

    private static func hex64(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
