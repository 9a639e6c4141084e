import AccountInventory

extension FindingType {
    /// The root user has no MFA device (CIS 1.5, Security Hub IAM.9).
    public static let rootMfaDisabled = FindingType("RootMfaDisabled")
}

/// Without MFA the root user's password alone controls the account. Severity critical.
struct RootMfaDisabled: FindingRule {
    let inputs: RuleInputs = .credentialReport

    let descriptor = RuleDescriptor(
        findingType: .rootMfaDisabled, severity: .critical,
        summary: "the root user has no MFA device",
        remediation:
            "sign in as root and assign an MFA device (hardware or passkey preferred); lock the root credentials away")

    func findings(in context: FindingContext, diagnostics: inout [String]) -> [Finding] {
        context.credentialEntries.compactMap { entry -> Finding? in
            guard entry.isRoot, !entry.mfaActive else { return nil }
            return Finding(
                type: descriptor.findingType, severity: descriptor.severity, resource: entry.arn,
                resourceType: .account,
                resourceOwnerAccount: entry.account, details: [.passwordDetails(entry.passwordDetails)],
                explanation: Message.explanation(entry))
        }
    }
}

private enum Message {
    static func explanation(_ entry: CredentialReportEntry) -> String {
        "the root user has no MFA device (\(entry.passwordUsePhrase))"
    }
}
