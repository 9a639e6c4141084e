import AccountInventory

extension FindingType {
    /// An IAM user with a console password has no MFA device (CIS 1.10, Security Hub IAM.5).
    public static let consoleUserWithoutMfa = FindingType("ConsoleUserWithoutMfa")
}

/// A console password without MFA is one phished password away from a session. Severity medium (as
/// Security Hub IAM.5).
struct ConsoleUserWithoutMfa: FindingRule {
    let inputs: RuleInputs = .credentialReport

    let descriptor = RuleDescriptor(
        findingType: .consoleUserWithoutMfa, severity: .medium,
        summary: "an IAM user with a console password has no MFA device",
        remediation:
            "assign an MFA device to the user, or remove the console password if the user does not need the console; enforce MFA with a policy condition on `aws:MultiFactorAuthPresent`"
    )

    func findings(in context: FindingContext, diagnostics: inout [String]) -> [Finding] {
        context.credentialEntries.compactMap { entry -> Finding? in
            guard !entry.isRoot, entry.passwordEnabled == true, !entry.mfaActive else { return nil }
            return Finding(
                type: descriptor.findingType, severity: descriptor.severity, resource: entry.arn, resourceType: .user,
                resourceOwnerAccount: entry.account, details: [.passwordDetails(entry.passwordDetails)],
                explanation: Message.explanation(entry))
        }
    }
}

private enum Message {
    static func explanation(_ entry: CredentialReportEntry) -> String {
        "\(entry.subject) has a console password and no MFA device (\(entry.passwordUsePhrase))"
    }
}
