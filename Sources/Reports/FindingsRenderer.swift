import Findings
import Foundation
import Timestamps

/// Renders a ``FindingsReport`` as text (for people), JSON (`{"findings": […], "summary": {…}}`) or
/// SARIF 2.1.0. Output is deterministic: the report is sorted and JSON keys are sorted.
public enum FindingsRenderer {
    /// Text for people; it may change between versions.
    public static func text(_ report: FindingsReport) -> String {
        let options = report.options
        var out = "findings as of \(Timestamp.format(options.asOf)) (window \(day(options.windowStart)) → "
        out += "\(day(options.asOf)), \(options.days) days; rules: \(report.rules.count))\n"
        for finding in report.findings {
            out += "\n\(finding.severity.rawValue.uppercased())  \(finding.findingType)  \(finding.resource)\n"
            out += "  \(finding.explanation)\n"
            out += "  id \(finding.id)\n"
        }
        out += "\n"
        if report.findings.isEmpty {
            out += "no findings\n"
        } else {
            let counts = report.countsBySeverity.filter { $0.1 > 0 }.map { "\($0.1) \($0.0)" }
            out += "\(report.findings.count) finding\(report.findings.count == 1 ? "" : "s"): "
            out += counts.joined(separator: ", ") + "\n"
        }
        if !report.suppressed.isEmpty {
            out += "\(report.suppressed.count) suppressed:\n"
            for item in report.suppressed {
                out += "  \(item.finding.findingType)  \(item.finding.resource)  (\(item.reason))\n"
            }
        }
        if !report.diagnostics.isEmpty {
            out += "\(report.diagnostics.count) diagnostic\(report.diagnostics.count == 1 ? "" : "s"):\n"
            for diagnostic in report.diagnostics { out += "  \(diagnostic)\n" }
        }
        return out
    }

    /// `{"findings": [...], "summary": {...}}`, pretty-printed with sorted keys.
    public static func json(_ report: FindingsReport) -> String {
        encode(JSONReport(findings: report.findings, summary: Summary(report)))
    }

    /// A SARIF 2.1.0 log with one run: every rule that ran, one result per finding, suppressed findings
    /// as results with an `external` suppression, diagnostics as tool notifications.
    public static func sarif(_ report: FindingsReport, toolVersion: String) -> String {
        encode(SARIFLog(report, toolVersion: toolVersion))
    }

    static func encode(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // Encoding these value types cannot fail; an empty object keeps the signature total.
        guard let data = try? encoder.encode(value) else { return "{}\n" }
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    static func day(_ time: Int64) -> String { Timestamp.formatDay(Timestamp.day(of: time)) }
}

private struct JSONReport: Encodable {
    var findings: [Finding]
    var summary: Summary
}

/// The `summary` object of the JSON output.
private struct Summary: Encodable {
    struct Window: Encodable {
        var start: String
        var end: String
    }

    struct SuppressedFinding: Encodable {
        var id: String
        var findingType: String
        var severity: String
        var resource: String
        var reason: String
    }

    var asOf: String
    var window: Window
    var days: Int
    var rules: [String]
    var total: Int
    var bySeverity: [String: Int]
    var byType: [String: Int]
    var suppressed: Int
    var suppressedFindings: [SuppressedFinding]
    var diagnostics: [String]

    init(_ report: FindingsReport) {
        asOf = Timestamp.format(report.options.asOf)
        window = Window(start: Timestamp.format(report.options.windowStart), end: asOf)
        days = report.options.days
        rules = report.rules.map(\.findingType.rawValue)
        total = report.findings.count
        bySeverity = Dictionary(uniqueKeysWithValues: report.countsBySeverity.map { ($0.0.rawValue, $0.1) })
        byType = Dictionary(grouping: report.findings, by: \.findingType.rawValue).mapValues(\.count)
        suppressed = report.suppressed.count
        suppressedFindings = report.suppressed.map {
            SuppressedFinding(
                id: $0.finding.id, findingType: $0.finding.findingType.rawValue,
                severity: $0.finding.severity.rawValue, resource: $0.finding.resource, reason: $0.reason)
        }
        diagnostics = report.diagnostics
    }
}
