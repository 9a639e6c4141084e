import Findings
import IAMPolicy
import Timestamps

/// Renders a ``FindingsReport`` as text (for people), JSON (`{"findings": […], "summary": {…}}`) or
/// SARIF 2.1.0. Output is deterministic: the report is sorted and keys come in a fixed order.
public enum FindingsRenderer {
    /// Text for people; it may change between versions. Values from the inputs (ARNs, principals in
    /// explanations, reasons, diagnostics) have their control characters escaped (`\n`), so that each
    /// finding keeps its lines.
    public static func text(_ report: FindingsReport) -> String {
        let options = report.options
        var out = "findings as of \(Timestamp.format(options.asOf)) (window \(day(options.windowStart)) → "
        out += "\(day(options.asOf)), \(options.days) days; rules: \(report.rules.count))\n"
        for finding in report.findings {
            out += "\n\(finding.severity.rawValue.uppercased())  \(finding.findingType)  \(finding.resource.oneLine)\n"
            out += "  \(finding.explanation.oneLine)\n"
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
        for line in report.notCheckedLines { out += line + "\n" }
        if !report.suppressed.isEmpty {
            out += "\(report.suppressed.count) suppressed:\n"
            for item in report.suppressed {
                out += "  \(item.finding.findingType)  \(item.finding.resource.oneLine)  (\(item.reason.oneLine))\n"
            }
        }
        if !report.diagnostics.isEmpty {
            out += "\(report.diagnostics.count) diagnostic\(report.diagnostics.count == 1 ? "" : "s"):\n"
            for diagnostic in report.diagnostics { out += "  \(diagnostic.oneLine)\n" }
        }
        return out
    }

    /// `{"findings": [...], "summary": {...}}`.
    ///
    /// `summary`: `asOf`, `window` (`start`, `end`), `days`, `total` (active findings), `bySeverity`
    /// (every severity, zeros included), `byType`, `suppressed` (count), `suppressedFindings` (`id`,
    /// `findingType`, `severity`, `resource`, `reason`), `rules` (the finding types checked),
    /// `notChecked` (`findingType`, `missing`: the rules that could not run and the inputs they lack),
    /// `diagnostics`.
    public static func json(_ report: FindingsReport) -> String {
        JSONValue.object([("findings", .array(report.findings.map(\.jsonValue))), ("summary", summary(report))])
            .text(.pretty) + "\n"
    }

    static func summary(_ report: FindingsReport) -> JSONValue {
        var summary = JSONObject()
        summary.add("asOf", Timestamp.format(report.options.asOf))
        summary.add(
            "window",
            .object([
                ("start", .string(Timestamp.format(report.options.windowStart))),
                ("end", .string(Timestamp.format(report.options.asOf))),
            ]))
        summary.add("days", report.options.days)
        summary.add("total", report.findings.count)
        summary.add(
            "bySeverity", .object(report.countsBySeverity.map { ($0.0.rawValue, JSONValue(.number("\($0.1)"))) }))
        let byType = Dictionary(grouping: report.findings, by: \.findingType.rawValue)
        summary.add(
            "byType", .object(byType.keys.sorted().map { ($0, JSONValue(.number("\(byType[$0]?.count ?? 0)"))) }))
        summary.add("suppressed", report.suppressed.count)
        summary.add(
            "suppressedFindings",
            .array(
                report.suppressed.map { item in
                    var o = JSONObject()
                    o.add("id", item.finding.id)
                    o.add("findingType", item.finding.findingType.rawValue)
                    o.add("severity", item.finding.severity.rawValue)
                    o.add("resource", item.finding.resource)
                    o.add("reason", item.reason)
                    return o.value
                }))
        summary.add("rules", report.rules.map(\.findingType.rawValue))
        summary.add("notChecked", notChecked(report))
        summary.add("diagnostics", report.diagnostics)
        return summary.value
    }

    /// `[{"findingType": …, "missing": "no --credential-report"}]`.
    static func notChecked(_ report: FindingsReport) -> JSONValue {
        .array(
            report.notChecked.map {
                .object([("findingType", .string($0.rule.findingType.rawValue)), ("missing", .string($0.missing))])
            })
    }

    static func day(_ time: Int64) -> String { Timestamp.formatDay(Timestamp.day(of: time)) }
}
