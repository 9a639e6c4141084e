import AccountInventory

extension FindingType {
    /// An active access key is older than 90 days (CIS 1.14, Security Hub IAM.3).
    public static let accessKeyNotRotated = FindingType("AccessKeyNotRotated")
}

/// Long-lived keys leak (laptops, CI logs, repositories); rotate them every 90 days. Severity medium.
/// One finding per key; root keys are left to ``RootAccessKeyActive``.
struct AccessKeyNotRotated: FindingRule {
    static let maximumAgeInDays = 90

    let inputs: RuleInputs = .credentialReport

    let descriptor = RuleDescriptor(
        findingType: .accessKeyNotRotated, severity: .medium,
        summary: "an active access key is older than 90 days",
        remediation:
            "create a new key, switch its consumers to it, deactivate and then delete the old one; better, replace long-lived keys with roles"
    )

    func findings(in context: FindingContext, diagnostics: inout [String]) -> [Finding] {
        context.credentialEntries.filter { !$0.isRoot }.flatMap { entry in
            let context = context.judging(entry)
            let limit = context.options.daysBefore(Self.maximumAgeInDays)
            return entry.activeAccessKeys.compactMap { key -> Finding? in
                guard let rotated = key.lastRotated, rotated < limit else { return nil }
                return Finding(
                    type: descriptor.findingType, severity: descriptor.severity, resource: entry.arn,
                    resourceType: .user,
                    resourceOwnerAccount: entry.account, details: [.accessKeyDetails(key.details)],
                    explanation: Message.explanation(entry, key, age: context.options.age(of: rotated)),
                    discriminator: key.slot)
            }
        }
    }
}

private enum Message {
    static func explanation(_ entry: CredentialReportEntry, _ key: AccessKeyStatus, age: Int64) -> String {
        "\(entry.subject): active \(key.slot) was last rotated \(day(key.lastRotated)), \(age) days ago "
            + "(limit \(AccessKeyNotRotated.maximumAgeInDays))"
    }
}
