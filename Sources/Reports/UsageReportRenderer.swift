import Analysis
import Foundation
import Timestamps
import UsageStore

/// `pare usage`'s report (``UsageReport``) as JSON, CSV or text.
public enum UsageReportRenderer {
    private struct JSONShape: Encodable {
        struct Window: Encodable {
            var start: String
            var end: String
        }
        struct Event: Encodable {
            var eventSource: String
            var eventName: String
            var count: Int
        }
        struct Action: Encodable {
            var action: String
            var count: Int
            var firstSeen: String
            var lastSeen: String
            /// The recorded events, sorted by source and name.
            var events: [Event]
            /// Uses whose event is not known (ingested before store v2).
            var eventsNotRecorded: Int
        }
        struct Denied: Encodable {
            var action: String
            var count: Int
            var lastSeen: String
        }
        struct Principal: Encodable {
            var principal: String
            var type: String
            var flagged: Bool
            var actions: [Action]
            var denied: [Denied]
        }
        struct Unresolved: Encodable {
            var eventSource: String
            var eventName: String
            var count: Int
        }
        struct Gap: Encodable {
            var from: String
            var to: String
        }
        struct CoverageShape: Encodable {
            var days: [String]
            var gaps: [Gap]
            var accounts: [String]
            var regions: [String]
        }
        var window: Window
        var principals: [Principal]
        var unresolved: [Unresolved]
        var coverage: CoverageShape
    }

    /// The JSON of DESIGN.md "Machine-readable outputs", keys sorted, times ISO 8601 UTC; coverage gaps
    /// are runs of days `{"from", "to"}` (inclusive).
    public static func json(_ report: UsageReport) -> String { json(report, appending: [:]) }

    /// The same JSON with more top-level members (`pare usage --authorization-details` adds `granted`);
    /// the report's own keys are unchanged.
    public static func json(_ report: UsageReport, appending sections: [String: any Encodable & Sendable]) -> String {
        let t = Timestamp.format
        let shape = JSONShape(
            window: .init(start: t(report.window.start), end: t(report.window.end)),
            principals: report.principals.map { p in
                .init(
                    principal: p.principal.arn, type: p.principal.type, flagged: p.principal.flagged,
                    actions: p.actions.map { a in
                        let events = p.events[a.action] ?? []
                        return .init(
                            action: a.action, count: a.count, firstSeen: t(a.firstSeen), lastSeen: t(a.lastSeen),
                            events: events.filter(\.isRecorded).map {
                                .init(eventSource: $0.eventSource, eventName: $0.eventName, count: $0.count)
                            },
                            eventsNotRecorded: events.filter { !$0.isRecorded }.map(\.count).reduce(0, +))
                    },
                    denied: p.denied.map { .init(action: $0.action, count: $0.count, lastSeen: t($0.lastSeen)) })
            },
            unresolved: report.unresolved.map {
                .init(eventSource: $0.eventSource, eventName: $0.eventName, count: $0.count)
            },
            coverage: .init(
                days: report.coverage.days.map(Timestamp.formatDay),
                gaps: Self.runs(report.coverage.gaps).map {
                    .init(from: Timestamp.formatDay($0), to: Timestamp.formatDay($1))
                },
                accounts: report.coverage.accounts, regions: report.coverage.regions))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(Extended(base: shape, sections: sections))) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// A report shape with more top-level members, encoded into the same object.
    private struct Extended: Encodable {
        struct Key: CodingKey {
            var stringValue: String
            var intValue: Int? { nil }
            init(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }
        var base: JSONShape
        var sections: [String: any Encodable & Sendable]

        func encode(to encoder: any Encoder) throws {
            try base.encode(to: encoder)
            var container = encoder.container(keyedBy: Key.self)
            for (key, value) in sections { try container.encode(value, forKey: Key(stringValue: key)) }
        }
    }

    /// Sorted days as runs of consecutive days `(first, last)`.
    static func runs(_ days: [Int64]) -> [(Int64, Int64)] {
        var runs: [(Int64, Int64)] = []
        for day in days {
            if let last = runs.last, last.1 + 1 == day { runs[runs.count - 1].1 = day } else { runs.append((day, day)) }
        }
        return runs
    }

    /// One row per (principal, action, outcome): `principal,action,outcome,count,firstSeen,lastSeen`.
    public static func csv(_ report: UsageReport) -> String {
        var out = "principal,action,outcome,count,firstSeen,lastSeen\n"
        for p in report.principals {
            for (outcome, rows) in [("used", p.actions), ("denied", p.denied)] {
                for a in rows {
                    out +=
                        [
                            csvField(p.principal.arn), csvField(a.action), outcome, String(a.count),
                            Timestamp.format(a.firstSeen), Timestamp.format(a.lastSeen),
                        ].joined(separator: ",") + "\n"
                }
            }
        }
        return out
    }

    /// For people.
    public static func text(_ report: UsageReport) -> String {
        var out = "window \(Timestamp.format(report.window.start)) to \(Timestamp.format(report.window.end))\n"
        for p in report.principals {
            out += "\n\(p.principal.arn) (\(p.principal.type)\(p.principal.flagged ? ", flagged" : ""))\n"
            if p.actions.isEmpty { out += "  no actions used\n" }
            let width = (p.actions + p.denied).map(\.action.count).max() ?? 0
            for a in p.actions {
                let pad = String(repeating: " ", count: width - a.action.count)
                out +=
                    "  \(a.action)\(pad)  \(a.count)×  \(Timestamp.format(a.firstSeen)) – \(Timestamp.format(a.lastSeen))\n"
            }
            for a in p.denied {
                let pad = String(repeating: " ", count: width - a.action.count)
                out += "  \(a.action)\(pad)  denied \(a.count)×  last \(Timestamp.format(a.lastSeen))\n"
            }
        }
        if !report.unresolved.isEmpty {
            out += "\nunresolved events (not mapped to IAM actions)\n"
            for u in report.unresolved { out += "  \(u.eventSource) \(u.eventName)  \(u.count)×\n" }
        }
        out += "\ncoverage: \(report.coverage.days.count) of \(report.window.days.count) days with logs"
        if !report.coverage.accounts.isEmpty {
            out +=
                "; accounts \(report.coverage.accounts.joined(separator: ", ")); regions \(report.coverage.regions.joined(separator: ", "))"
        }
        out += "\n"
        return out
    }
}
