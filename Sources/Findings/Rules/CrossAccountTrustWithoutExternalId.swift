import AccountInventory
import IAMPolicy

extension FindingType {
    /// A role trusts another AWS account without requiring `sts:ExternalId`.
    public static let crossAccountTrustWithoutExternalId = FindingType("CrossAccountTrustWithoutExternalId")
}

/// A role that another account may assume without an `sts:ExternalId` condition is open to the
/// confused-deputy problem (a third party's service tricked into acting for someone else) and, when the
/// account is unknown, is a classic backdoor. Severity medium. One finding per trust statement naming
/// principals of other accounts: account ids and ARNs in `Principal` (`*` is left to
/// ``TrustPolicyOpenToAnyPrincipal``), and the accounts a positive `aws:PrincipalAccount` or
/// `aws:PrincipalArn` condition admits (`{"AWS": "*"}` narrowed to another account is still that account).
struct CrossAccountTrustWithoutExternalId: FindingRule {
    let inputs: RuleInputs = .authorizationDetails

    let descriptor = RuleDescriptor(
        findingType: .crossAccountTrustWithoutExternalId, severity: .medium,
        summary: "a role trusts another AWS account without requiring `sts:ExternalId`",
        remediation:
            "if the account is a third party's, add `\"Condition\": {\"StringEquals\": {\"sts:ExternalId\": …}}` "
            + "with the id they give you; if you do not know the account, remove it from the trust policy")

    func findings(in context: FindingContext, diagnostics: inout [String]) -> [Finding] {
        var findings: [Finding] = []
        for role in context.inventory.roles {
            for (index, statement) in role.trustStatements {
                guard statement.effect == .allow, statement.allowsAssumeRole,
                    case .principal(.specified(let map))? = statement.principal,
                    !statement.hasCondition(onAnyOf: ["sts:externalid"])
                else { continue }
                let admitted =
                    (map[.aws] ?? [])
                    + statement.restrictingConditions(on: Self.accountKeys).flatMap(\.values)
                let foreign = admitted.filter { value in
                    guard let account = Self.account(of: value) else { return false }
                    return account != role.account
                }
                guard !foreign.isEmpty else { continue }
                let details = TrustPolicyDetails(
                    statementIndex: index, sid: statement.sid, principals: foreign, actions: statement.actionTexts,
                    conditionKeys: statement.conditionKeys)
                findings.append(
                    Finding(
                        type: descriptor.findingType, severity: descriptor.severity, resource: role.arn,
                        resourceType: .role, resourceOwnerAccount: role.account,
                        details: [.trustPolicyDetails(details)],
                        explanation: Message.explanation(role, index: index, principals: foreign),
                        discriminator: "statement \(index)"))
            }
        }
        return findings
    }

    /// Condition keys whose values name the calling principal's account.
    static let accountKeys: Set<String> = ["aws:principalaccount", "aws:principalarn"]

    /// The account of an `AWS` principal value: a 12-digit id or an ARN's account; `nil` for `*`,
    /// wildcard accounts and unique ids (`AROA…`).
    static func account(of value: String) -> String? {
        if value.utf8.count == 12, value.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) {
            return value
        }
        // An account written with wildcards (`arn:aws:iam::*:role/x`) names no account.
        return ARN(parsing: value).map(\.account).flatMap {
            $0.isEmpty || $0.contains("*") || $0.contains("?") ? nil : $0
        }
    }
}

private enum Message {
    static func explanation(_ role: IAMRole, index: Int, principals: [String]) -> String {
        let list = principals.map { "`\($0)`" }.joined(separator: ", ")
        return "\(role.subject): trust policy statement \(index) lets \(list) assume the role without "
            + "`sts:ExternalId`"
    }
}
