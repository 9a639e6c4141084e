import AccountInventory
import Timestamps

// Helpers the credential-report rules share.

extension FindingContext {
    /// The credential report's rows (none without a report).
    var credentialEntries: [CredentialReportEntry] { inventory.credentialReport?.entries ?? [] }
}

extension FindingContext {
    /// `true`, with a diagnostic, when the window ends after the credential report was generated: the
    /// report cannot say whether a credential was used since, so `rule` gives no unused verdict.
    func windowOutlastsCredentialReport(_ rule: FindingType, diagnostics: inout [String]) -> Bool {
        guard let generated = inventory.credentialReport?.generatedTime, options.asOf > generated else {
            return false
        }
        diagnostics.append(
            "\(rule): not judged: the window ends \(Timestamp.format(options.asOf)), after the credential "
                + "report was generated (\(Timestamp.format(generated))); give --as-of \(Timestamp.format(generated)) "
                + "or a newer report")
        return true
    }
}

extension CredentialReportEntry {
    /// The resource type of a row's findings: the account for root, the user otherwise.
    var resourceType: ResourceType { isRoot ? .account : .user }

    var passwordDetails: PasswordDetails {
        PasswordDetails(
            enabled: passwordEnabled, lastUsed: passwordLastUsed, lastChanged: passwordLastChanged,
            mfaActive: mfaActive)
    }

    /// `password last used 2023-07-10`, or `password never used`.
    var passwordUsePhrase: String {
        passwordLastUsed == nil ? "password never used" : "password last used \(day(passwordLastUsed))"
    }

    /// How messages name the row: `the root user` or ``user `alice` ``.
    var subject: String { isRoot ? "the root user" : "user `\(user)`" }
}

extension AccessKeyStatus {
    /// `access_key_1 last used 2023-07-10`, or `access_key_1 never used`.
    var usePhrase: String { lastUsed == nil ? "\(slot) never used" : "\(slot) last used \(day(lastUsed))" }

    var details: AccessKeyDetails {
        AccessKeyDetails(
            accessKey: slot, active: active, lastRotated: lastRotated, lastUsed: lastUsed,
            lastUsedService: lastUsedService)
    }
}

/// A day for messages: `2023-07-10`, or `never`.
func day(_ time: Int64?) -> String {
    time.map { Timestamp.formatDay(Timestamp.day(of: $0)) } ?? "never"
}
