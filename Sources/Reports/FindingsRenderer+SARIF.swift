import Findings
import IAMPolicy
import Timestamps

// SARIF 2.1.0 (OASIS). Findings are about cloud resources, not source files, so results carry logical
// locations (the resource ARN), not physical ones.

extension FindingsRenderer {
    /// A SARIF 2.1.0 log with one run: every rule that ran (`tool.driver.rules`, with the
    /// `security-severity` GitHub code scanning reads), one result per finding with the finding id as
    /// its fingerprint and the Access Analyzer details in `properties`, suppressed findings as results
    /// with an `external` suppression, diagnostics as tool notifications. Rules that could not run for
    /// want of an input are not in `rules` (code scanning would read their absence of results as fixed
    /// alerts); the run's `properties.notChecked` lists them and a notification per missing input says so.
    public static func sarif(_ report: FindingsReport, toolVersion: String) -> String {
        let index = Dictionary(uniqueKeysWithValues: report.rules.enumerated().map { ($1.findingType, $0) })
        let results =
            report.findings.map { result($0, ruleIndex: index[$0.findingType], suppression: nil) }
            + report.suppressed.map {
                result($0.finding, ruleIndex: index[$0.finding.findingType], suppression: $0.reason)
            }
        let driver = JSONValue.object([
            ("name", .string("pare")), ("version", .string(toolVersion)),
            ("rules", .array(report.rules.map(rule))),
        ])
        let invocation = JSONValue.object([
            ("executionSuccessful", JSONValue(.bool(true))),
            (
                "toolExecutionNotifications",
                .array(
                    (report.notCheckedLines + report.diagnostics).map {
                        .object([("level", .string("warning")), ("message", message($0))])
                    })
            ),
        ])
        let run = JSONValue.object([
            ("tool", .object([("driver", driver)])),
            ("invocations", .array([invocation])),
            ("results", .array(results)),
            (
                "properties",
                .object([
                    ("asOf", .string(Timestamp.format(report.options.asOf))),
                    ("windowStart", .string(Timestamp.format(report.options.windowStart))),
                    ("days", JSONValue(.number("\(report.options.days)"))),
                    ("notChecked", notChecked(report)),
                ])
            ),
        ])
        return JSONValue.object([
            ("$schema", .string("https://json.schemastore.org/sarif-2.1.0.json")),
            ("version", .string("2.1.0")),
            ("runs", .array([run])),
        ]).text(.pretty) + "\n"
    }

    private static func message(_ text: String) -> JSONValue { .object([("text", .string(text))]) }

    private static func rule(_ descriptor: RuleDescriptor) -> JSONValue {
        .object([
            ("id", .string(descriptor.findingType.rawValue)),
            ("name", .string(descriptor.findingType.rawValue)),
            ("shortDescription", message(descriptor.summary)),
            ("help", message(descriptor.remediation)),
            ("defaultConfiguration", .object([("level", .string(level(descriptor.severity)))])),
            (
                "properties",
                .object([
                    ("security-severity", .string(securitySeverity(descriptor.severity))),
                    ("severity", .string(descriptor.severity.rawValue)),
                    ("tags", .array([.string("security"), .string("iam")])),
                ])
            ),
        ])
    }

    private static func result(_ finding: Finding, ruleIndex: Int?, suppression: String?) -> JSONValue {
        var result = JSONObject()
        result.add("ruleId", finding.findingType.rawValue)
        result.add("ruleIndex", ruleIndex)
        result.add("level", level(finding.severity))
        result.add("message", message(finding.explanation))
        result.add(
            "locations",
            .array([
                .object([
                    (
                        "logicalLocations",
                        .array([
                            .object([("fullyQualifiedName", .string(finding.resource)), ("kind", .string("resource"))])
                        ])
                    )
                ])
            ]))
        result.add("partialFingerprints", .object([("pareFindingId/v1", .string(finding.id))]))
        if let suppression {
            result.add(
                "suppressions",
                .array([.object([("kind", .string("external")), ("justification", .string(suppression))])]))
        }
        result.add(
            "properties",
            .object([
                ("id", .string(finding.id)), ("severity", .string(finding.severity.rawValue)),
                ("resourceType", .string(finding.resourceType.rawValue)),
                ("resourceOwnerAccount", .string(finding.resourceOwnerAccount)),
                ("findingDetails", .array(finding.findingDetails.map(\.jsonValue))),
            ]))
        return result.value
    }

    /// SARIF `level`: critical and high are errors, medium a warning, the rest notes.
    private static func level(_ severity: Severity) -> String {
        switch severity {
        case .critical, .high: "error"
        case .medium: "warning"
        case .low, .informational: "note"
        }
    }

    /// GitHub code scanning's `security-severity` (0–10): critical ≥ 9, high 7–8.9, medium 4–6.9, low < 4.
    private static func securitySeverity(_ severity: Severity) -> String {
        switch severity {
        case .critical: "9.5"
        case .high: "8.0"
        case .medium: "5.5"
        case .low: "3.0"
        case .informational: "0.0"
        }
    }
}
