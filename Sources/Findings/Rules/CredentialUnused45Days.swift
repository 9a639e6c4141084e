import AccountInventory

extension FindingType {
    /// A console password or active access key not used for 45 days or more (CIS 1.12, Security Hub
    /// IAM.22).
    public static let credentialUnused45Days = FindingType("CredentialUnused45Days")
}

/// Unused credentials are pure risk. Flagged at 45 days or more (CIS: "45 days or greater"). A credential never used counts from when it was set (the password
/// from its last change or the user's creation, a key from its last rotation). Severity medium; one
/// finding per credential (`password`, `access_key_1`, `access_key_2`); root is left to the root rules.
/// Not judged when the window ends after the report's `GeneratedTime` (the report cannot know since).
struct CredentialUnused45Days: FindingRule {
    static let days = 45

    let inputs: RuleInputs = .credentialReport

    let descriptor = RuleDescriptor(
        findingType: .credentialUnused45Days, severity: .medium,
        summary: "a console password or active access key has not been used for 45 days or more",
        remediation: "deactivate the access key or remove the console password; delete them once nothing breaks")

    func findings(in context: FindingContext, diagnostics: inout [String]) -> [Finding] {
        var findings: [Finding] = []
        for (entry, context) in context.credentialRowsToJudge(descriptor.findingType, diagnostics: &diagnostics) {
            let limit = context.options.daysBefore(Self.days)
            func finding(_ credential: String, _ detail: FindingDetail, since: Int64, used: Bool) -> Finding {
                Finding(
                    type: descriptor.findingType, severity: descriptor.severity, resource: entry.arn,
                    resourceType: .user,
                    resourceOwnerAccount: entry.account, details: [detail],
                    explanation: Message.explanation(
                        entry, credential, since: since, used: used, age: context.options.age(of: since)),
                    discriminator: credential)
            }
            if entry.passwordEnabled == true,
                let since = entry.passwordLastUsed ?? entry.passwordLastChanged ?? entry.userCreationTime,
                since <= limit
            {
                findings.append(
                    finding(
                        "password", .passwordDetails(entry.passwordDetails), since: since,
                        used: entry.passwordLastUsed != nil))
            }
            for key in entry.activeAccessKeys {
                guard let since = key.lastUsed ?? key.lastRotated, since <= limit else { continue }
                findings.append(
                    finding(key.slot, .accessKeyDetails(key.details), since: since, used: key.lastUsed != nil))
            }
        }
        return findings
    }
}

private enum Message {
    static func explanation(
        _ entry: CredentialReportEntry, _ credential: String, since: Int64, used: Bool, age: Int64
    ) -> String {
        let what = credential == "password" ? "console password" : "active \(credential)"
        let when = used ? "last used \(day(since))" : "never used since \(day(since))"
        return "\(entry.subject): \(what) \(when), \(age) days ago (limit \(CredentialUnused45Days.days))"
    }
}
