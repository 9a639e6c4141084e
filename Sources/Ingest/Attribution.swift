import CloudTrail

/// Who an event is attributed to (DESIGN.md "Attribution and what counts as used").
enum Attribution {
    /// Bytes of the record, or bytes built from it.
    enum Name {
        case slice(ByteSlice)
        case built([UInt8])
    }

    /// The kind of a principal: `user`, `role`, `root`, or the identity type of a flagged one (`Unknown`
    /// without one). Made a string only when asked (once per principal and batch, not per event).
    enum Kind {
        case user, role, root
        case identity(ByteSlice?)

        var name: String {
            switch self {
            case .user: "user"
            case .role: "role"
            case .root: "root"
            case .identity(let type): type.map { $0.string } ?? "Unknown"
            }
        }
    }

    /// A principal: its ARN (or, when flagged, what the record gives) and kind.
    case principal(arn: Name, kind: Kind, flagged: Bool)
    /// `userIdentity.type` `AWSService` or an `AwsServiceEvent`: not a principal.
    case awsService
    /// No `userIdentity` at all.
    case unattributed

    /// | `userIdentity.type` | principal |
    /// |---|---|
    /// | `IAMUser` | the user ARN (built from `userName` when absent, flagged) |
    /// | `AssumedRole` | `sessionIssuer.arn` (the role with its path; Identity Center roles keep the permission set) |
    /// | `Root` | `arn:aws:iam::<account>:root` |
    /// | `FederatedUser` | the issuing IAM user (`sessionIssuer.arn`) |
    /// | `AWSAccount`, `IdentityCenterUser`, unknown | the record's ARN (or type/principalId), flagged |
    static func of(_ r: EventRecord) -> Attribution {
        if let type = r.eventType, type.equals("AwsServiceEvent") { return .awsService }
        guard r.hasUserIdentity else { return .unattributed }
        let type = r.identityType
        if let type, type.equals("AWSService") { return .awsService }
        if let type, type.equals("IAMUser") {
            if let arn = r.identityArn { return .principal(arn: .slice(arn), kind: .user, flagged: false) }
            // Some records (`CheckMfa`) give only the user name: the ARN without its path, flagged.
            if let name = r.identityUserName, let account = r.identityAccountId ?? r.recipientAccountId {
                let arn = Array("arn:aws:iam::".utf8) + Array(account) + Array(":user/".utf8) + Array(name)
                return .principal(arn: .built(arn), kind: .user, flagged: true)
            }
        }
        if let type, type.equals("AssumedRole") {
            if let issuer = r.issuerArn, issuer.count > 0 {
                return .principal(arn: .slice(issuer), kind: .role, flagged: false)
            }
            // No session issuer: the role from `arn:aws:sts::<acct>:assumed-role/<role>/<session>`,
            // without its path (unknown here), flagged.
            if let arn = r.identityArn, let role = roleFromSessionArn(Array(arn)) {
                return .principal(arn: .built(role), kind: .role, flagged: true)
            }
        }
        if let type, type.equals("Root"), let account = r.identityAccountId ?? r.recipientAccountId {
            let arn = Array("arn:aws:iam::".utf8) + Array(account) + Array(":root".utf8)
            return .principal(arn: .built(arn), kind: .root, flagged: false)
        }
        if let type, type.equals("FederatedUser"), let issuer = r.issuerArn, issuer.count > 0 {
            return .principal(arn: .slice(issuer), kind: .user, flagged: false)
        }
        let kind = Kind.identity(type)
        if let arn = r.identityArn, arn.count > 0 { return .principal(arn: .slice(arn), kind: kind, flagged: true) }
        let id = r.identityPrincipalId ?? r.identityAccountId
        return .principal(
            arn: .built(Array("\(kind.name)/\(id?.string ?? "unknown")".utf8)), kind: kind, flagged: true)
    }

    /// `arn:aws:sts::123:assumed-role/Name/session` → `arn:aws:iam::123:role/Name`.
    static func roleFromSessionArn(_ arn: [UInt8]) -> [UInt8]? {
        let parts = arn.split(separator: UInt8(ascii: ":"), maxSplits: 5, omittingEmptySubsequences: false)
        guard parts.count == 6, parts[2].elementsEqual("sts".utf8) else { return nil }
        let resource = parts[5].split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false)
        guard resource.count >= 2, resource[0].elementsEqual("assumed-role".utf8) else { return nil }
        return Array("arn:".utf8) + parts[1] + Array(":iam::".utf8) + parts[4] + Array(":role/".utf8) + resource[1]
    }

    /// The account of a principal ARN (its fifth field), if it has one.
    static func account(of arn: [UInt8]) -> [UInt8]? {
        let parts = arn.split(separator: UInt8(ascii: ":"), maxSplits: 5, omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0].elementsEqual("arn".utf8), !parts[4].isEmpty else { return nil }
        return Array(parts[4])
    }
}

/// Whether an `errorCode` means the call failed authorization: `AccessDenied`, `AccessDeniedException`,
/// `UnauthorizedOperation`, `Client.UnauthorizedOperation` and anything containing `Unauthorized`.
func isDenied(_ code: ByteSlice) -> Bool {
    if code.equals("AccessDenied") || code.equals("AccessDeniedException") { return true }
    let needle = ByteSlice("Unauthorized")
    guard code.count >= needle.count else { return false }
    for i in 0...(code.count - needle.count)
    where ByteSlice(rebasing: code[i..<(i + needle.count)]).hasSameBytes(as: needle) {
        return true
    }
    return false
}
