import AccountInventory

extension FindingType {
    /// An IAM user has two active access keys (CIS 1.13).
    public static let multipleActiveAccessKeys = FindingType("MultipleActiveAccessKeys")
}

/// Two active keys are normal only during a rotation; otherwise one is forgotten. Severity low.
/// Root keys are left to ``RootAccessKeyActive``.
struct MultipleActiveAccessKeys: FindingRule {
    let inputs: RuleInputs = .credentialReport

    let descriptor = RuleDescriptor(
        findingType: .multipleActiveAccessKeys, severity: .low,
        summary: "an IAM user has two active access keys",
        remediation: "find which key is in use (the credential report's last-used date) and deactivate the other")

    func findings(in context: FindingContext, diagnostics: inout [String]) -> [Finding] {
        context.credentialEntries.compactMap { entry -> Finding? in
            let keys = entry.activeAccessKeys
            guard !entry.isRoot, keys.count > 1 else { return nil }
            return Finding(
                type: descriptor.findingType, severity: descriptor.severity, resource: entry.arn, resourceType: .user,
                resourceOwnerAccount: entry.account, details: keys.map { .accessKeyDetails($0.details) },
                explanation: Message.explanation(entry, keys))
        }
    }
}

private enum Message {
    static func explanation(_ entry: CredentialReportEntry, _ keys: [AccessKeyStatus]) -> String {
        let list = keys.map(\.usePhrase).joined(separator: ", ")
        return "\(entry.subject) has \(keys.count) active access keys (\(list))"
    }
}
