import AccountInventory
import Timestamps

/// The result of one findings run: active findings (sorted), suppressed ones, and diagnostics.
public struct FindingsReport: Sendable {
    /// A finding that a suppression entry matched.
    public struct Suppressed: Sendable, Hashable {
        public var finding: Finding
        public var reason: String
    }

    public var options: FindingOptions
    /// The rules that ran, by finding type.
    public var rules: [RuleDescriptor]
    /// The rules that did not run for want of an input, by finding type, with what was missing
    /// (`no --credential-report`).
    public var notChecked: [(rule: RuleDescriptor, missing: String)]
    /// Active findings: severity descending, then type, resource and id.
    public var findings: [Finding]
    /// Suppressed findings, in the same order.
    public var suppressed: [Suppressed]
    /// Input problems and notes (inventory diagnostics, rules that could not judge, expired or
    /// unmatched suppressions), sorted.
    public var diagnostics: [String]

    /// `true` when a finding is at or above `severity` (`--fail-on`, exit 2).
    public func fails(at severity: Severity) -> Bool { findings.contains { $0.severity >= severity } }

    /// The rules not checked, one line per missing input:
    /// `not checked: RootAccessKeyActive, RootMfaDisabled: no --credential-report`.
    public var notCheckedLines: [String] {
        let byReason = Dictionary(grouping: notChecked, by: \.missing)
        return byReason.keys.sorted().map { reason in
            let names = (byReason[reason] ?? []).map(\.rule.findingType.rawValue).joined(separator: ", ")
            return "not checked: \(names): \(reason)"
        }
    }

    /// Active findings per severity, every severity present (zero included).
    public var countsBySeverity: [(Severity, Int)] {
        Severity.allCases.reversed().map { severity in (severity, findings.count { $0.severity == severity }) }
    }
}

/// The findings job: one entry point for the command and for other front ends.
public enum Findings {
    /// Runs the `rules` whose inputs `context` has (the others are listed as not checked), applies
    /// `suppressions` and sorts the result.
    public static func evaluate(
        _ context: FindingContext, rules: [any FindingRule] = FindingRules.all,
        suppressions: Suppressions = .none
    ) -> FindingsReport {
        var diagnostics = context.inventory.diagnostics.map(\.description)
        if let source = context.options.asOfSource {
            diagnostics.append("no --as-of: the window ends at \(Timestamp.format(context.options.asOf)), \(source)")
            // Each account's credentials are judged as of the end of its own report (FindingContext.judging).
            if let report = context.inventory.credentialReport {
                for account in Set(report.entries.map(\.account)).sorted() {
                    guard let end = report.evidenceEnd(account: account), end.time != context.options.asOf else {
                        continue
                    }
                    let which =
                        end.generated
                        ? "the GeneratedTime of its credential report" : "the latest time its credential report holds"
                    diagnostics.append(
                        "no --as-of: the credentials of account `\(account)` are judged as of "
                            + "\(Timestamp.format(end.time)), \(which)")
                }
            }
        }
        if context.options.asOfSource == nil, let report = context.inventory.credentialReport {
            // A CSV report carries no generation time: an --as-of long after its rows is worth a word.
            for account in Set(report.entries.map(\.account)).sorted() {
                guard let end = report.evidenceEnd(account: account), !end.generated,
                    context.options.asOf > end.time + 86_400
                else { continue }
                diagnostics.append(
                    "--as-of \(Timestamp.format(context.options.asOf)) is more than a day after the latest time the "
                        + "credential report of account `\(account)` holds (\(Timestamp.format(end.time))): a CSV "
                        + "report carries no generation time, so credentials may have been used since; give the "
                        + "JSON report or an earlier --as-of")
            }
        }
        var all: [Finding] = []
        var ran: [RuleDescriptor] = []
        var notChecked: [(rule: RuleDescriptor, missing: String)] = []
        let available = context.available
        for rule in rules {
            let missing = rule.inputs.subtracting(available)
            guard missing.isEmpty else {
                notChecked.append((rule.descriptor, missing.missingPhrase))
                continue
            }
            ran.append(rule.descriptor)
            all += rule.findings(in: context, diagnostics: &diagnostics)
        }
        all.sort(by: order)

        var active: [Finding] = []
        var suppressed: [FindingsReport.Suppressed] = []
        var used = Set<Int>()
        let live = suppressions.entries.indices.filter { position in
            let entry = suppressions.entries[position]
            guard let expires = entry.expires, expires <= context.options.asOf else { return true }
            diagnostics.append(
                "\(entry.label) expired on \(Timestamp.formatDay(Timestamp.day(of: expires))); not applied")
            return false
        }
        for finding in all {
            if let position = live.first(where: { suppressions.entries[$0].matches(finding) }) {
                suppressed.append(.init(finding: finding, reason: suppressions.entries[position].reason))
                used.insert(position)
            } else {
                active.append(finding)
            }
        }
        for position in live where !used.contains(position) {
            diagnostics.append("\(suppressions.entries[position].label) matched no finding")
        }
        return FindingsReport(
            options: context.options, rules: ran.sorted { $0.findingType < $1.findingType },
            notChecked: notChecked.sorted { $0.rule.findingType < $1.rule.findingType }, findings: active,
            suppressed: suppressed, diagnostics: diagnostics.sorted())
    }

    /// The end of the window when `--as-of` is not given: when the evidence ends, not today (a report
    /// from 2019 says nothing of 2026). Each input judges only what it evidences, so the window ends at
    /// the earliest of their ends: the credential report's `GeneratedTime` (without it, a CSV report,
    /// the latest time its rows hold), and the latest time the snapshots hold about the accounts'
    /// principals (creation and `RoleLastUsed` dates, never AWS managed policy version dates), both
    /// lower bounds of when they were taken. `nil` when the inputs hold no time. `source` says which,
    /// for the report's note.
    public static func defaultAsOf(_ inventory: AccountInventory) -> (time: Int64, source: String)? {
        var ends: [(time: Int64, source: String)] = []
        if let report = inventory.credentialReport {
            if let generated = report.generatedTime {
                ends.append((generated, "the credential report's GeneratedTime"))
            } else if let latest = report.latestTime {
                ends.append((latest, "the latest time the credential report holds"))
            }
        }
        if let latest = inventory.latestSnapshotTime {
            ends.append((latest, "the latest time the snapshot holds"))
        }
        guard let end = ends.min(by: { $0.time < $1.time }) else { return nil }
        let exact = end.source.hasSuffix("GeneratedTime")
        return (end.time, end.source + (exact ? "" : " (give --as-of: the inputs carry no generation time)"))
    }

    private static func order(_ a: Finding, _ b: Finding) -> Bool {
        if a.severity != b.severity { return a.severity > b.severity }
        return (a.findingType.rawValue, a.resource, a.id) < (b.findingType.rawValue, b.resource, b.id)
    }
}
