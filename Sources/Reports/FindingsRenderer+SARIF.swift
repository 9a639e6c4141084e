import Findings
import Timestamps

// SARIF 2.1.0 (OASIS): only the objects pare fills. Findings are about cloud resources, not source
// files, so results carry logical locations (the resource ARN), not physical ones.

struct SARIFLog: Encodable {
    enum CodingKeys: String, CodingKey {
        case schema = "$schema"
        case version, runs
    }

    var schema = "https://json.schemastore.org/sarif-2.1.0.json"
    var version = "2.1.0"
    var runs: [Run]

    init(_ report: FindingsReport, toolVersion: String) {
        let rules = report.rules.map(Rule.init)
        let index = Dictionary(uniqueKeysWithValues: report.rules.enumerated().map { ($1.findingType, $0) })
        let results =
            report.findings.map { Result($0, ruleIndex: index[$0.findingType], suppression: nil) }
            + report.suppressed.map {
                Result($0.finding, ruleIndex: index[$0.finding.findingType], suppression: $0.reason)
            }
        runs = [
            Run(
                tool: Tool(driver: Driver(version: toolVersion, rules: rules)),
                invocations: [
                    Invocation(
                        executionSuccessful: true,
                        toolExecutionNotifications: report.diagnostics.map {
                            Notification(level: "warning", message: Message(text: $0))
                        })
                ],
                results: results,
                properties: RunProperties(
                    asOf: Timestamp.format(report.options.asOf),
                    windowStart: Timestamp.format(report.options.windowStart), days: report.options.days))
        ]
    }

    struct Run: Encodable {
        var tool: Tool
        var invocations: [Invocation]
        var results: [Result]
        var properties: RunProperties
    }

    struct RunProperties: Encodable {
        var asOf: String
        var windowStart: String
        var days: Int
    }

    struct Tool: Encodable { var driver: Driver }

    struct Driver: Encodable {
        var name = "pare"
        var version: String
        var rules: [Rule]
    }

    struct Message: Encodable { var text: String }

    struct Rule: Encodable {
        struct Configuration: Encodable { var level: String }

        struct Properties: Encodable {
            enum CodingKeys: String, CodingKey {
                case securitySeverity = "security-severity"
                case severity, tags
            }

            var securitySeverity: String
            var severity: String
            var tags = ["security", "iam"]
        }

        var id: String
        var name: String
        var shortDescription: Message
        var help: Message
        var defaultConfiguration: Configuration
        var properties: Properties

        init(_ descriptor: RuleDescriptor) {
            id = descriptor.findingType.rawValue
            name = descriptor.findingType.rawValue
            shortDescription = Message(text: descriptor.summary)
            help = Message(text: descriptor.remediation)
            defaultConfiguration = Configuration(level: sarifLevel(descriptor.severity))
            properties = Properties(
                securitySeverity: securitySeverity(descriptor.severity), severity: descriptor.severity.rawValue)
        }
    }

    struct Result: Encodable {
        struct Location: Encodable { var logicalLocations: [LogicalLocation] }

        struct LogicalLocation: Encodable {
            var fullyQualifiedName: String
            var kind = "resource"
        }

        struct Suppression: Encodable {
            var kind = "external"
            var justification: String
        }

        struct Properties: Encodable {
            var id: String
            var severity: String
            var resourceType: String
            var resourceOwnerAccount: String
            var findingDetails: [FindingDetail]
        }

        var ruleId: String
        var ruleIndex: Int?
        var level: String
        var message: Message
        var locations: [Location]
        var partialFingerprints: [String: String]
        var suppressions: [Suppression]?
        var properties: Properties

        init(_ finding: Finding, ruleIndex: Int?, suppression: String?) {
            ruleId = finding.findingType.rawValue
            self.ruleIndex = ruleIndex
            level = sarifLevel(finding.severity)
            message = Message(text: finding.explanation)
            locations = [Location(logicalLocations: [LogicalLocation(fullyQualifiedName: finding.resource)])]
            partialFingerprints = ["pareFindingId/v1": finding.id]
            suppressions = suppression.map { [Suppression(justification: $0)] }
            properties = Properties(
                id: finding.id, severity: finding.severity.rawValue, resourceType: finding.resourceType.rawValue,
                resourceOwnerAccount: finding.resourceOwnerAccount, findingDetails: finding.findingDetails)
        }
    }

    struct Invocation: Encodable {
        var executionSuccessful: Bool
        var toolExecutionNotifications: [Notification]
    }

    struct Notification: Encodable {
        var level: String
        var message: Message
    }
}

/// SARIF `level`: critical and high are errors, medium a warning, the rest notes.
private func sarifLevel(_ severity: Severity) -> String {
    switch severity {
    case .critical, .high: "error"
    case .medium: "warning"
    case .low, .informational: "note"
    }
}

/// GitHub code scanning's `security-severity` (0–10): critical ≥ 9, high 7–8.9, medium 4–6.9, low < 4.
private func securitySeverity(_ severity: Severity) -> String {
    switch severity {
    case .critical: "9.5"
    case .high: "8.0"
    case .medium: "5.5"
    case .low: "3.0"
    case .informational: "0.0"
    }
}
