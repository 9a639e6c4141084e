import AccountInventory
import IAMPolicy

extension FindingType {
    /// A policy that allows `*` on `*` is attached to a user, group or role (Security Hub IAM.1).
    public static let fullAdminPolicyAttached = FindingType("FullAdminPolicyAttached")
}

/// Full administrative access: whoever holds it can do anything, including granting themselves more.
/// Severity high. One finding per (principal, policy, group it comes through): a group's finding, and
/// one for each member user, with `attachedVia` naming the group.
struct FullAdminPolicyAttached: FindingRule {
    let inputs: RuleInputs = .authorizationDetails

    let descriptor = RuleDescriptor(
        findingType: .fullAdminPolicyAttached, severity: .high,
        summary: "a policy that allows every action on every resource (`*` on `*`) is attached",
        remediation:
            "replace it with a policy scoped to what the principal uses (`pare policy` writes one from the "
            + "logs); keep full admin on a few break-glass roles with MFA")

    func findings(in context: FindingContext, diagnostics: inout [String]) -> [Finding] {
        var findings: [Finding] = []
        for holder in context.inventory.policyHolders {
            for policy in holder.policies {
                guard let document = policy.document.document,
                    let index = document.statements.firstIndex(where: \.allowsEverything)
                else { continue }
                let details = PolicyDetails(
                    policyName: policy.name, policyArn: policy.arn, policyType: policy.kind.rawValue,
                    attachedVia: policy.viaGroup, statementIndex: index)
                findings.append(
                    Finding(
                        type: descriptor.findingType, severity: descriptor.severity, resource: holder.arn,
                        resourceType: holder.resourceType, resourceOwnerAccount: holder.account,
                        details: [.policyDetails(details)],
                        explanation: Message.explanation(
                            holder, policy, conditional: !document.statements[index].conditions.isEmpty),
                        discriminator: "\(policy.arn ?? "inline:\(policy.name)")|\(policy.viaGroup ?? "")"))
            }
        }
        return findings
    }
}

extension Statement {
    /// `Allow` of `*` (or `*:*`) on `*`.
    fileprivate var allowsEverything: Bool {
        guard effect == .allow, case .action(let actions) = action, case .resource(let resources)? = resource
        else { return false }
        return actions.contains { $0 == "*" || $0 == "*:*" } && resources.contains("*")
    }
}

private enum Message {
    static func explanation(_ holder: PolicyHolder, _ policy: AppliedPolicy, conditional: Bool) -> String {
        let what = policy.kind == .inline ? "inline policy `\(policy.name)`" : "`\(policy.name)`"
        let via = policy.viaGroup.map { " through group `\($0.split(separator: "/").last ?? "")`" } ?? ""
        let condition = conditional ? " under a condition" : ""
        return "\(holder.subject) has \(what)\(via), which allows `*` on `*`\(condition)"
    }
}
