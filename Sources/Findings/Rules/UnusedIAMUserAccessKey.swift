import AccountInventory

extension FindingType {
    /// An active access key not used in the window (Access Analyzer's unused-access finding type).
    public static let unusedIAMUserAccessKey = FindingType("UnusedIAMUserAccessKey")
}

/// An active access key nobody used in the window is a standing secret to leak. Evidence of use is the
/// credential report's `access_key_N_last_used_date`, and the usage store's last activity of the user
/// when that key is the user's only credential (one active key, no console password: every logged call
/// of the user used it). Judged only for keys of users (not root) that existed for the whole window:
/// the user created and the key last rotated at or before the window start. `accessKeyId` is the
/// credential report's slot (`access_key_1`): the report carries no key ids. Severity medium.
/// Not judged when the window ends after the report's `GeneratedTime` (the report cannot know since).
struct UnusedIAMUserAccessKey: FindingRule {
    let inputs: RuleInputs = .credentialReport

    let descriptor = RuleDescriptor(
        findingType: .unusedIAMUserAccessKey, severity: .medium,
        summary: "an active access key was not used in the window",
        remediation: "deactivate the access key, then delete it once nothing breaks")

    func findings(in context: FindingContext, diagnostics: inout [String]) -> [Finding] {
        var findings: [Finding] = []
        for (entry, context) in context.credentialRowsToJudge(descriptor.findingType, diagnostics: &diagnostics) {
            let keys = entry.activeAccessKeys
            for key in keys {
                guard context.existedForWholeWindow(entry.userCreationTime),
                    key.lastRotated.map({ $0 <= context.windowStart }) ?? true
                else { continue }
                let onlyCredential = keys.count == 1 && entry.passwordEnabled != true
                let last = context.latest(key.lastUsed, onlyCredential ? context.storeLastActivity(entry.arn) : nil)
                if let last, last >= context.windowStart { continue }
                findings.append(
                    Finding(
                        type: descriptor.findingType, severity: descriptor.severity, resource: entry.arn,
                        resourceType: .user, resourceOwnerAccount: entry.account,
                        details: [
                            .unusedIamUserAccessKeyDetails(
                                UnusedIamUserAccessKeyDetails(accessKeyId: key.slot, lastAccessed: last))
                        ],
                        explanation: "user `\(entry.user)`: active \(key.slot) \(notUsedPhrase(last, context))",
                        discriminator: key.slot))
            }
        }
        return findings
    }
}
