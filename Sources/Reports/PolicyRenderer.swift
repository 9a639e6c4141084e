import IAMCatalog
import IAMPolicy
import Synthesis
import Timestamps
import UsageStore

/// Renders `pare policy`'s result: the documents (IAM JSON, Terraform, CloudFormation), the JSON report
/// (DESIGN.md "Machine-readable outputs") and the text report for people.
public enum PolicyRenderer {
    /// The IAM JSON: one document, or an array of documents when the result was split.
    public static func json(_ result: SynthesisResult) -> String {
        let documents = result.policies.map(\.document.jsonValue)
        return (documents.count == 1 ? documents[0] : .array(documents)).text(.pretty) + "\n"
    }

    /// The `--report FILE` JSON.
    public static func report(_ result: SynthesisResult) -> String {
        let pairs: [(String, JSONValue)] = [
            ("principal", .string(result.principal)),
            (
                "window",
                .object([
                    ("start", .string(Timestamp.format(result.window.start))),
                    ("end", .string(Timestamp.format(result.window.end))),
                ])
            ),
            ("bounded", .bool(result.bounded)),
            ("neverBroadens", result.neverBroadens.map(JSONValue.bool) ?? .null),
            (
                "policies",
                .array(
                    result.policies.map {
                        .object([
                            ("name", .string($0.name)), ("size", .number($0.size)), ("document", $0.document.jsonValue),
                        ])
                    })
            ),
            ("summary", summary(result)),
            (
                "verification",
                .object([
                    ("observed", .number(result.verification.observed)),
                    ("allowed", .number(result.verification.allowed)),
                    ("allowedIfConditions", .number(result.verification.allowedIfConditions)),
                    (
                        "notAllowed",
                        .array(
                            result.verification.notAllowed.map {
                                .object([
                                    ("action", .string($0.action)), ("resource", .string($0.resource)),
                                    ("reason", .string($0.reason)),
                                ])
                            })
                    ),
                ])
            ),
            (
                "notGranted",
                .array(
                    result.notGranted.map {
                        .object([
                            ("action", .string($0.usage.action)), ("status", .string($0.status.rawValue)),
                            ("count", .number($0.usage.count)), ("reason", .string($0.notes.last ?? "")),
                        ])
                    })
            ),
            ("denied", .array(result.denied.map(usage))),
            ("actions", .array(result.actions.map(action))),
            ("warnings", .array(result.warnings.map(JSONValue.string))),
        ]
        return JSONValue.object(pairs).text(.pretty) + "\n"
    }

    private static func summary(_ result: SynthesisResult) -> JSONValue {
        let used = result.actions.count
        guard let s = result.summary else {
            // Without a snapshot nothing is known to be granted: the keys stay, as null.
            return .object([
                ("grantedActions", .null),
                ("usedActions", .number(used)),
                ("keptActions", .number(result.actions.count - result.notGranted.count)),
                ("removedActions", .null),
            ])
        }
        func levels(_ map: [AccessLevel: Int]) -> JSONValue {
            .object(
                [("total", .number(map.values.reduce(0, +)))]
                    + AccessLevel.allCases.map { ($0.rawValue, .number(map[$0] ?? 0)) })
        }
        return .object([
            ("grantedActions", levels(s.granted)), ("usedActions", .number(used)), ("keptActions", levels(s.kept)),
            ("removedActions", levels(s.removed)),
            ("removedPermissionsManagement", .array(s.removedPermissionsManagement.map(JSONValue.string))),
            ("removedWrite", .array(s.removedWrite.map(JSONValue.string))),
        ])
    }

    private static func usage(_ u: ActionUsage) -> JSONValue {
        .object([
            ("action", .string(u.action)), ("count", .number(u.count)),
            ("firstSeen", .string(Timestamp.format(u.firstSeen))), ("lastSeen", .string(Timestamp.format(u.lastSeen))),
        ])
    }

    private static func action(_ a: ActionOutcome) -> JSONValue {
        var pairs: [(String, JSONValue)] = [
            ("action", .string(a.usage.action)), ("status", .string(a.status.rawValue)),
            ("count", .number(a.usage.count)), ("firstSeen", .string(Timestamp.format(a.usage.firstSeen))),
            ("lastSeen", .string(Timestamp.format(a.usage.lastSeen))),
            (
                "events",
                .array(
                    a.events.filter(\.isRecorded).map {
                        .object([
                            ("eventSource", .string($0.eventSource)), ("eventName", .string($0.eventName)),
                            ("count", .number($0.count)),
                        ])
                    })
            ),
            ("eventsNotRecorded", .number(a.events.filter { !$0.isRecorded }.map(\.count).reduce(0, +))),
            ("scope", .string(a.scope)),
            ("resources", .array(a.resources.map(JSONValue.string))),
            ("observed", .array(a.observed.map(JSONValue.string))),
            ("observedFolded", .array(a.folded.map(JSONValue.string))), ("observedComplete", .bool(a.observedComplete)),
            ("conditions", conditions(a.conditions)),
        ]
        // Granted under several condition blocks today: which resources under which conditions.
        if a.grants.count > 1 {
            pairs.append(
                (
                    "grants",
                    .array(
                        a.grants.map {
                            .object([
                                ("conditions", conditions($0.conditions)),
                                ("resources", .array($0.resources.map(JSONValue.string))),
                            ])
                        })
                ))
        }
        pairs += [
            ("ungranted", .array(a.ungranted.map(JSONValue.string))), ("notes", .array(a.notes.map(JSONValue.string))),
        ]
        return .object(pairs)
    }

    /// A `Condition` element, `{}` for none.
    private static func conditions(_ list: [Condition]) -> JSONValue {
        Statement(effect: .allow, actions: [], resources: [], conditions: list).jsonValue["Condition"] ?? .object([])
    }

    /// The report for people (stderr); with `explain`, every action's evidence.
    public static func text(_ result: SynthesisResult, explain: Bool) -> String {
        var out = "policy for \(result.principal)\n"
        out += "  window        \(Timestamp.format(result.window.start)) to \(Timestamp.format(result.window.end))\n"
        let kept = result.actions.count - result.notGranted.count
        out +=
            "  actions       \(result.actions.count) used, \(kept) kept, \(result.notGranted.count) left out,"
            + " \(result.denied.count) denied (never granted)\n"
        let sizes = result.policies.map { "`\($0.name)` \($0.size) characters" }.joined(separator: ", ")
        out += "  policies      \(result.policies.count): \(sizes)\n"
        switch result.neverBroadens {
        case true?: out += "  never broader PASS: the current policies allow everything the new one allows\n"
        case false?: out += "  never broader FAIL: see the warnings\n"
        case nil: out += "  never broader not checked: no IAM snapshot\n"
        }
        let v = result.verification
        out +=
            "  replay        \(v.allowed)/\(v.observed) observed calls allowed"
            + (v.allowedIfConditions > 0 ? " (\(v.allowedIfConditions) under the carried conditions)" : "") + "\n"
        for failure in v.notAllowed {
            out += "    not allowed: `\(failure.action)` on `\(failure.resource)`: \(failure.reason)\n"
        }
        if let s = result.summary {
            func levels(_ map: [AccessLevel: Int]) -> String {
                let parts = AccessLevel.allCases.compactMap { level in map[level].map { "\(level.rawValue) \($0)" } }
                return "\(map.values.reduce(0, +))" + (parts.isEmpty ? "" : " (" + parts.joined(separator: ", ") + ")")
            }
            out += "  granted       \(levels(s.granted)) actions before\n"
            out += "  kept          \(levels(s.kept))\n"
            out += "  removed       \(levels(s.removed))\n"
            out += list("removed Permissions management", s.removedPermissionsManagement)
            out += list("removed Write", s.removedWrite)
        }
        for outcome in result.actions {
            for note in outcome.notes where note.hasPrefix("account left open") || note.hasPrefix("region widened") {
                out += "  widened       `\(outcome.usage.action)`: \(note)\n"
            }
        }
        for outcome in result.notGranted {
            out += "  left out      `\(outcome.usage.action)` (\(outcome.usage.count)×): \(outcome.notes.last ?? "")\n"
        }
        for denied in result.denied {
            out += "  denied        `\(denied.action)` \(denied.count)× (last \(Timestamp.format(denied.lastSeen)))\n"
        }
        if explain {
            out += "explain\n"
            for a in result.actions {
                out +=
                    "  \(a.usage.action)  \(a.usage.count)×  \(Timestamp.format(a.usage.firstSeen)) – "
                    + "\(Timestamp.format(a.usage.lastSeen))  \(a.status.rawValue)"
                    + (a.scope.isEmpty ? "" : ", \(a.scope)") + "\n"
                for event in a.events where event.isRecorded {
                    out += "    event \(event.eventSource) \(event.eventName)  \(event.count)×\n"
                }
                let unrecorded = a.events.filter { !$0.isRecorded }.map(\.count).reduce(0, +)
                if unrecorded > 0 {
                    out += "    events not recorded for \(unrecorded)× (ingested before store v2)\n"
                }
                for arn in a.observed {
                    out +=
                        a.folded.contains(arn)
                        ? "    seen under \(arn) (folded by the store)\n" : "    seen on \(arn)\n"
                }
                if !a.observedComplete { out += "    (resource sample incomplete)\n" }
                for note in a.notes { out += "    \(note)\n" }
            }
        }
        for warning in result.warnings { out += "warning: \(warning)\n" }
        return out
    }

    /// At most ten names, then how many more.
    private static func list(_ title: String, _ names: [String]) -> String {
        guard !names.isEmpty else { return "" }
        let shown = names.prefix(10).map { "`\($0)`" }.joined(separator: ", ")
        return "  \(title): \(shown)" + (names.count > 10 ? " and \(names.count - 10) more" : "") + "\n"
    }
}
