import AccountInventory

extension FindingType {
    /// A console password not used in the window (Access Analyzer's unused-access finding type).
    public static let unusedIAMUserPassword = FindingType("UnusedIAMUserPassword")
}

/// A console password nobody signed in with during the window. Evidence of use is the credential
/// report's `password_last_used`, and the usage store's last activity of the user when the password is
/// the user's only credential (no active access key). Judged only for users (not root) created at or
/// before the window start whose password was last set at or before it. Severity medium.
/// Not judged when the window ends after the report's `GeneratedTime` (the report cannot know since).
struct UnusedIAMUserPassword: FindingRule {
    let inputs: RuleInputs = .credentialReport

    let descriptor = RuleDescriptor(
        findingType: .unusedIAMUserPassword, severity: .medium,
        summary: "a console password was not used in the window",
        remediation: "delete the user's login profile (console password)")

    func findings(in context: FindingContext, diagnostics: inout [String]) -> [Finding] {
        var findings: [Finding] = []
        for (entry, context) in context.credentialRowsToJudge(descriptor.findingType, diagnostics: &diagnostics) {
            guard entry.passwordEnabled == true, context.existedForWholeWindow(entry.userCreationTime),
                entry.passwordLastChanged.map({ $0 <= context.windowStart }) ?? true
            else { continue }
            let onlyCredential = entry.activeAccessKeys.isEmpty
            let last = context.latest(
                entry.passwordLastUsed, onlyCredential ? context.storeLastActivity(entry.arn) : nil)
            if let last, last >= context.windowStart { continue }
            findings.append(
                Finding(
                    type: descriptor.findingType, severity: descriptor.severity, resource: entry.arn,
                    resourceType: .user, resourceOwnerAccount: entry.account,
                    details: [.unusedIamUserPasswordDetails(UnusedIamUserPasswordDetails(lastAccessed: last))],
                    explanation: "user `\(entry.user)`: console password \(notUsedPhrase(last, context))"))
        }
        return findings
    }
}
