import Compare
import Findings
import IAMPolicy

/// What `pare diff` found, ready to render: one section for two policy sets, one per principal for two
/// snapshots.
public struct DiffReport: Sendable {
    public struct Section: Sendable {
        /// The principal's ARN when comparing snapshots.
        public var principal: String?
        /// Whether the principal is new in AFTER.
        public var added: Bool
        public var result: ComparisonResult

        public init(principal: String?, added: Bool, result: ComparisonResult) {
            self.principal = principal
            self.added = added
            self.result = result
        }
    }

    public var before: String
    public var after: String
    public var sections: [Section]
    public var removedPrincipals: [String]
    public var diagnostics: [String]

    public var passed: Bool { sections.allSatisfy(\.result.passed) }

    public init(
        before: String, after: String, sections: [Section], removedPrincipals: [String] = [], diagnostics: [String] = []
    ) {
        self.before = before
        self.after = after
        self.sections = sections
        self.removedPrincipals = removedPrincipals
        self.diagnostics = diagnostics
    }

    /// Every new grant with the principal it belongs to.
    var reasons: [(principal: String?, reason: AccessReason)] {
        sections.flatMap { section in section.result.reasons.map { (section.principal, $0) } }
    }

    var removed: [(principal: String?, reason: AccessReason)] {
        sections.flatMap { section in section.result.removed.map { (section.principal, $0) } }
    }

    var unknownActions: [String] {
        Array(Set(sections.flatMap { $0.result.unknownActions.map(\.description) })).sorted()
    }
}

/// Renders `pare diff` results as text, JSON (close to Access Analyzer's `CheckNoNewAccess`) and SARIF.
public enum ComparisonRenderer {
    /// Where a statement is, for SARIF: the file and the line of `Statement[i]` when known.
    public typealias Locator = @Sendable (AccessReason) -> (uri: String, line: Int?)?

    public static func text(_ report: DiffReport) -> String {
        var lines: [String] = []
        let reasons = report.reasons
        lines.append(
            report.passed
                ? "PASS: `\(report.after)` grants no access that `\(report.before)` does not"
                : "FAIL: `\(report.after)` grants "
                    + (reasons.allSatisfy { $0.reason.kind == .listedAccess }
                        ? "listed access" : "access that `\(report.before)` does not")
                    + " (\(reasons.count) \(reasons.count == 1 ? "reason" : "reasons"))")
        for (principal, reason) in reasons { lines.append("  " + line(principal, reason)) }
        let added = report.sections.filter(\.added).compactMap(\.principal)
        if !added.isEmpty { lines.append("new principals: " + added.map { "`\($0)`" }.joined(separator: ", ")) }
        if !report.removedPrincipals.isEmpty {
            lines.append("removed principals: " + report.removedPrincipals.map { "`\($0)`" }.joined(separator: ", "))
        }
        let removed = report.removed
        if !removed.isEmpty {
            lines.append("removed access (information):")
            for (principal, reason) in removed {
                lines.append("  " + line(principal, reason))
            }
        }
        for unknown in report.unknownActions { lines.append("warning: not compared: \(unknown)") }
        for diagnostic in report.diagnostics { lines.append("warning: \(diagnostic)") }
        return lines.joined(separator: "\n") + "\n"
    }

    public static func json(_ report: DiffReport) -> String {
        var root = JSONObject()
        root.add("result", report.passed ? "PASS" : "FAIL")
        root.add("reasons", .array(report.reasons.map(reasonJSON)))
        root.add("removed", .array(report.removed.map(reasonJSON)))
        if report.sections.contains(where: { $0.principal != nil }) {
            root.add(
                "principals",
                .object([
                    ("added", .array(report.sections.filter(\.added).compactMap(\.principal).map { .string($0) })),
                    ("removed", .array(report.removedPrincipals.map { .string($0) })),
                ]))
        }
        root.add("unknownActions", report.unknownActions)
        root.add("diagnostics", report.diagnostics)
        return root.value.text(.pretty) + "\n"
    }

    /// SARIF 2.1.0: one result per new grant (`error`, or `warning` when only possibly new), located at
    /// the AFTER statement when `locate` knows it.
    public static func sarif(_ report: DiffReport, toolVersion: String, locate: Locator) -> String {
        let kinds: [AccessReason.Kind] = [.newAccess, .listedAccess, .conditionsDiffer, .undecided]
        let rules = kinds.map { kind in
            JSONValue.object([
                ("id", .string(ruleID(kind))),
                ("shortDescription", .object([("text", .string(summary(kind)))])),
                ("defaultConfiguration", .object([("level", .string(level(kind)))])),
            ])
        }
        let results = report.reasons.map { principal, reason in
            var result = JSONObject()
            result.add("ruleId", ruleID(reason.kind))
            result.add("ruleIndex", kinds.firstIndex(of: reason.kind))
            result.add("level", level(reason.kind))
            result.add("message", .object([("text", .string(line(principal, reason)))]))
            var location = JSONObject()
            if let place = locate(reason) {
                var physical = JSONObject()
                physical.add("artifactLocation", .object([("uri", .string(place.uri))]))
                if let line = place.line {
                    physical.add("region", .object([("startLine", JSONValue(.number("\(line)")))]))
                }
                location.add("physicalLocation", physical.value)
            }
            location.add(
                "logicalLocations",
                .array([
                    .object([
                        ("fullyQualifiedName", .string("\(reason.policy)#Statement[\(reason.statementIndex)]")),
                        ("kind", .string("statement")),
                    ])
                ]))
            result.add("locations", .array([location.value]))
            result.add("properties", reasonJSON(principal, reason))
            return result.value
        }
        let run = JSONValue.object([
            (
                "tool",
                .object([
                    (
                        "driver",
                        .object([
                            ("name", .string("pare")), ("version", .string(toolVersion)), ("rules", .array(rules)),
                        ])
                    )
                ])
            ),
            ("results", .array(results)),
        ])
        return JSONValue.object([
            ("$schema", .string("https://json.schemastore.org/sarif-2.1.0.json")),
            ("version", .string("2.1.0")),
            ("runs", .array([run])),
        ]).text(.pretty) + "\n"
    }

    private static func line(_ principal: String?, _ reason: AccessReason) -> String {
        guard let principal, !reason.policy.hasPrefix(principal) else { return reason.description }
        return "`\(principal)`: " + reason.description
    }

    private static func reasonJSON(_ principal: String?, _ reason: AccessReason) -> JSONValue {
        var object = JSONObject()
        object.add("description", reason.description)
        object.add("kind", reason.kind.rawValue)
        object.add("principal", principal)
        object.add("policy", reason.policy)
        object.add("statementIndex", reason.statementIndex)
        object.add("statementId", reason.statementId.map { JSONValue.string($0) } ?? JSONValue(.null))
        object.add("actions", reason.actions)
        object.add("witness", reason.witness.map { JSONValue.string($0) } ?? JSONValue(.null))
        return object.value
    }

    private static func ruleID(_ kind: AccessReason.Kind) -> String {
        switch kind {
        case .newAccess: "NewAccess"
        case .removedAccess: "RemovedAccess"
        case .listedAccess: "AccessNotGranted"
        case .conditionsDiffer: "PossiblyNewAccessConditionsDiffer"
        case .undecided: "PossiblyNewAccessUndecided"
        }
    }

    private static func summary(_ kind: AccessReason.Kind) -> String {
        switch kind {
        case .newAccess: "The proposed policy allows requests the current one denies."
        case .removedAccess: "The current policy allows requests the proposed one denies."
        case .listedAccess: "The proposed policy grants an action or resource listed as not to be granted."
        case .conditionsDiffer:
            "The proposed policy allows requests the current one allows only under other conditions."
        case .undecided:
            "The resources or conditions are too complex to compare exactly; treated as possibly new access."
        }
    }

    private static func level(_ kind: AccessReason.Kind) -> String {
        switch kind {
        case .newAccess, .listedAccess: "error"
        case .conditionsDiffer, .undecided: "warning"
        case .removedAccess: "note"
        }
    }
}
