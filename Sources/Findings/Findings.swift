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
    /// Active findings: severity descending, then type, resource and id.
    public var findings: [Finding]
    /// Suppressed findings, in the same order.
    public var suppressed: [Suppressed]
    /// Input problems and notes (inventory diagnostics, rules that could not judge, expired or
    /// unmatched suppressions), sorted.
    public var diagnostics: [String]

    /// `true` when a finding is at or above `severity` (`--fail-on`, exit 2).
    public func fails(at severity: Severity) -> Bool { findings.contains { $0.severity >= severity } }

    /// Active findings per severity, every severity present (zero included).
    public var countsBySeverity: [(Severity, Int)] {
        Severity.allCases.reversed().map { severity in (severity, findings.count { $0.severity == severity }) }
    }
}

/// The findings job: one entry point for the command and for other front ends.
public enum Findings {
    /// Runs `rules` over `context`, applies `suppressions` and sorts the result.
    public static func evaluate(
        _ context: FindingContext, rules: [any FindingRule] = FindingRules.all,
        suppressions: Suppressions = .none
    ) -> FindingsReport {
        var diagnostics = context.inventory.diagnostics.map(\.description)
        var all: [Finding] = []
        for rule in rules { all += rule.findings(in: context, diagnostics: &diagnostics) }
        all.sort(by: order)

        var active: [Finding] = []
        var suppressed: [FindingsReport.Suppressed] = []
        var used = Set<Int>()
        let live = suppressions.entries.filter { entry in
            guard let expires = entry.expires, expires <= context.options.asOf else { return true }
            diagnostics.append(
                "suppressions[\(entry.index)] expired on \(Timestamp.formatDay(Timestamp.day(of: expires))); "
                    + "not applied")
            return false
        }
        for finding in all {
            if let entry = live.first(where: { $0.matches(finding) }) {
                suppressed.append(.init(finding: finding, reason: entry.reason))
                used.insert(entry.index)
            } else {
                active.append(finding)
            }
        }
        for entry in live where !used.contains(entry.index) {
            diagnostics.append("suppressions[\(entry.index)] matched no finding")
        }
        return FindingsReport(
            options: context.options, rules: rules.map(\.descriptor).sorted { $0.findingType < $1.findingType },
            findings: active, suppressed: suppressed, diagnostics: diagnostics.sorted())
    }

    private static func order(_ a: Finding, _ b: Finding) -> Bool {
        if a.severity != b.severity { return a.severity > b.severity }
        return (a.findingType.rawValue, a.resource, a.id) < (b.findingType.rawValue, b.resource, b.id)
    }
}
