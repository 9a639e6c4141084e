import AccountInventory
import IAMPolicy

extension FindingType {
    /// A role's trust policy lets any AWS principal assume it.
    public static let trustPolicyOpenToAnyPrincipal = FindingType("TrustPolicyOpenToAnyPrincipal")
}

/// A trust statement that allows `sts:AssumeRole*` to `"*"`, `{"AWS": "*"}` or through `NotPrincipal`,
/// with no condition on who the caller is, lets anyone with an AWS account assume the role. Severity
/// critical. Conditions on `aws:PrincipalOrgID`, `aws:PrincipalOrgPaths`, `aws:PrincipalAccount`,
/// `aws:PrincipalArn`, `aws:SourceAccount`, `aws:SourceArn`, `aws:SourceOrgID`, `aws:SourceOrgPaths`,
/// `aws:userid` or `aws:username` count as restricting it, unless they admit anyone: a negated operator
/// (`StringNotEquals`), `Null`, or under an operator that reads wildcards a value that admits any
/// account (`StringLike aws:PrincipalArn "*"`, `ArnLike aws:PrincipalArn "arn:aws:iam::*:role/admin"`;
/// see `Statement.restrictingConditions(on:)`). One finding per statement.
struct TrustPolicyOpenToAnyPrincipal: FindingRule {
    static let restrictingKeys: Set<String> = [
        "aws:principalorgid", "aws:principalorgpaths", "aws:principalaccount", "aws:principalarn",
        "aws:sourceaccount", "aws:sourcearn", "aws:sourceorgid", "aws:sourceorgpaths", "aws:userid", "aws:username",
    ]

    let inputs: RuleInputs = .authorizationDetails

    let descriptor = RuleDescriptor(
        findingType: .trustPolicyOpenToAnyPrincipal, severity: .critical,
        summary: "a role's trust policy lets any AWS principal assume it",
        remediation:
            "name the accounts or roles that may assume it in `Principal`, or add a condition on "
            + "`aws:PrincipalOrgID` / `aws:PrincipalArn`")

    func findings(in context: FindingContext, diagnostics: inout [String]) -> [Finding] {
        var findings: [Finding] = []
        for role in context.inventory.roles {
            for (index, statement) in role.trustStatements {
                guard statement.effect == .allow, statement.allowsAssumeRole,
                    let principals = statement.openPrincipals,
                    statement.restrictingConditions(on: Self.restrictingKeys).isEmpty
                else { continue }
                let details = TrustPolicyDetails(
                    statementIndex: index, sid: statement.sid, principals: principals,
                    actions: statement.actionTexts, conditionKeys: statement.conditionKeys)
                findings.append(
                    Finding(
                        type: descriptor.findingType, severity: descriptor.severity, resource: role.arn,
                        resourceType: .role, resourceOwnerAccount: role.account,
                        details: [.trustPolicyDetails(details)],
                        explanation: Message.explanation(role, index: index, principals: principals),
                        discriminator: "statement \(index)"))
            }
        }
        return findings
    }
}

extension Statement {
    /// The principal values that open the statement to everyone, or `nil`.
    fileprivate var openPrincipals: [String]? {
        switch principal {
        case .principal(.anyone)?: return ["*"]
        case .principal(.specified(let map))?:
            return (map[.aws] ?? []).contains("*") ? ["AWS:*"] : nil
        case .notPrincipal?: return ["NotPrincipal"]
        case nil: return nil
        }
    }
}

private enum Message {
    static func explanation(_ role: IAMRole, index: Int, principals: [String]) -> String {
        let who = principals == ["NotPrincipal"] ? "everyone outside `NotPrincipal`" : "any AWS principal"
        return "\(role.subject): trust policy statement \(index) lets \(who) assume the role, with no condition "
            + "on the caller"
    }
}
