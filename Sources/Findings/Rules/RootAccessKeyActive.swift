import AccountInventory

extension FindingType {
    /// The root user has an active access key (CIS 1.4, Security Hub IAM.4).
    public static let rootAccessKeyActive = FindingType("RootAccessKeyActive")
}

/// Root access keys give unrestricted, unconditional API access to the whole account; they should not
/// exist. Severity critical. One finding per account, a detail per active key.
struct RootAccessKeyActive: FindingRule {
    let inputs: RuleInputs = .credentialReport

    let descriptor = RuleDescriptor(
        findingType: .rootAccessKeyActive, severity: .critical,
        summary: "the root user has an active access key",
        remediation:
            "delete the root access keys (Security credentials page as root); use IAM roles or users for API access")

    func findings(in context: FindingContext, diagnostics: inout [String]) -> [Finding] {
        context.credentialEntries.compactMap { entry -> Finding? in
            let keys = entry.activeAccessKeys
            guard entry.isRoot, !keys.isEmpty else { return nil }
            return Finding(
                type: descriptor.findingType, severity: descriptor.severity, resource: entry.arn,
                resourceType: .account,
                resourceOwnerAccount: entry.account, details: keys.map { .accessKeyDetails($0.details) },
                explanation: Message.explanation(keys))
        }
    }
}

private enum Message {
    static func explanation(_ keys: [AccessKeyStatus]) -> String {
        let list = keys.map(\.usePhrase).joined(separator: ", ")
        return "the root user has \(keys.count) active access key\(keys.count == 1 ? "" : "s") (\(list))"
    }
}
