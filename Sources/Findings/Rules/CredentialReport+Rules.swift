import AccountInventory
import Timestamps

// Helpers the credential-report rules share.

extension FindingContext {
    /// The credential report's rows (none without a report).
    var credentialEntries: [CredentialReportEntry] { inventory.credentialReport?.entries ?? [] }
}

extension FindingContext {
    /// The context to judge `entry`'s credentials in. Without `--as-of`, each account's credentials are
    /// judged as of the end of its own credential report (``CredentialReport/evidenceEnd(account:)``):
    /// reports of several accounts generated at different times do not share one window. With
    /// `--as-of`, this context.
    func judging(_ entry: CredentialReportEntry) -> FindingContext {
        guard options.asOfSource != nil, let end = inventory.credentialReport?.evidenceEnd(account: entry.account)
        else { return self }
        var context = self
        context.options.asOf = end.time
        return context
    }

    /// The rows (not root) that `rule` can give an unused verdict on, each with the context to judge it
    /// in. A row whose report was generated before its window ends is left out (the report cannot say
    /// whether a credential was used since), with one diagnostic per report time.
    func credentialRowsToJudge(
        _ rule: FindingType, diagnostics: inout [String]
    ) -> [(entry: CredentialReportEntry, context: FindingContext)] {
        var outlasted = Set<Int64>()
        var rows: [(entry: CredentialReportEntry, context: FindingContext)] = []
        for entry in credentialEntries where !entry.isRoot {
            let context = judging(entry)
            if let generated = entry.reportGeneratedTime, context.options.asOf > generated {
                outlasted.insert(generated)
            } else {
                rows.append((entry, context))
            }
        }
        for generated in outlasted.sorted() {
            diagnostics.append(
                "\(rule): not judged: the window ends \(Timestamp.format(options.asOf)), after the credential "
                    + "report was generated (\(Timestamp.format(generated))); give --as-of "
                    + "\(Timestamp.format(generated)) or a newer report")
        }
        return rows
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
