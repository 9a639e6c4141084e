import Foundation
import Timestamps
import UsageStore

/// What `pare usage` shows: per principal its actions (count, first and last seen) and denied
/// attempts in a window, the unresolved events, and the window's log coverage with its gaps.
public struct UsageReport: Sendable, Hashable {
    public struct PrincipalUsage: Sendable, Hashable {
        public var principal: StoredPrincipal
        public var actions: [ActionUsage]
        public var denied: [ActionUsage]
        /// Action → the events that used it (``UsageStore/usageEvents(principal:window:)``).
        public var events: [String: [EventUsage]]
    }

    public var window: StoreWindow
    public var principals: [PrincipalUsage]
    public var unresolved: [UnresolvedUsage]
    public var coverage: Coverage

    /// Builds the report from `store`: of one principal (by ARN or bare name) or of every principal
    /// with activity in the window.
    public static func build(store: UsageStore, principal name: String?, window: StoreWindow) throws -> UsageReport {
        var selected: [StoredPrincipal]
        if let name {
            let candidates = try store.principals(named: name)
            if candidates.isEmpty { throw UsageError("unknown principal `\(name)`: the store has no events of it") }
            if candidates.count > 1 {
                let list = candidates.map { "`\($0.arn)`" }.joined(separator: ", ")
                throw UsageError("principal `\(name)` is ambiguous: \(list)")
            }
            selected = candidates
        } else {
            selected = try store.principals()
        }
        var principals: [PrincipalUsage] = []
        for p in selected {
            let used = try store.usage(principal: p.arn, window: window)
            let denied = try store.denied(principal: p.arn, window: window)
            if name == nil, used.isEmpty, denied.isEmpty { continue }
            principals.append(
                PrincipalUsage(
                    principal: p, actions: used, denied: denied,
                    events: try store.usageEvents(principal: p.arn, window: window)))
        }
        return UsageReport(
            window: window, principals: principals,
            unresolved: try store.unresolved(window: window, principal: selected.count == 1 ? selected[0].arn : nil),
            coverage: try store.coverage(window: window))
    }

    /// Warnings a person must see: no logs at all in the window, or days without logs.
    public var warnings: [String] {
        let span = "`\(Timestamp.format(window.start))` to `\(Timestamp.format(window.end))`"
        if coverage.days.isEmpty { return ["no logs in the window \(span): usage cannot be judged"] }
        if coverage.gaps.isEmpty { return [] }
        return ["\(coverage.gaps.count) of \(window.days.count) days of the window \(span) have no logs"]
    }

    // MARK: Rendering

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
    public func json() -> String { json(appending: [:]) }

    /// The same JSON with more top-level members (`pare usage --authorization-details` adds `granted`);
    /// the report's own keys are unchanged.
    public func json(appending sections: [String: any Encodable & Sendable]) -> String {
        let t = Timestamp.format
        let shape = JSONShape(
            window: .init(start: t(window.start), end: t(window.end)),
            principals: principals.map { p in
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
            unresolved: unresolved.map { .init(eventSource: $0.eventSource, eventName: $0.eventName, count: $0.count) },
            coverage: .init(
                days: coverage.days.map(Timestamp.formatDay),
                gaps: Self.runs(coverage.gaps).map {
                    .init(from: Timestamp.formatDay($0), to: Timestamp.formatDay($1))
                },
                accounts: coverage.accounts, regions: coverage.regions))
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
    public func csv() -> String {
        var out = "principal,action,outcome,count,firstSeen,lastSeen\n"
        func field(_ s: String) -> String {
            s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" })
                ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
        }
        for p in principals {
            for (outcome, rows) in [("used", p.actions), ("denied", p.denied)] {
                for a in rows {
                    out +=
                        [
                            field(p.principal.arn), field(a.action), outcome, String(a.count),
                            Timestamp.format(a.firstSeen), Timestamp.format(a.lastSeen),
                        ].joined(separator: ",") + "\n"
                }
            }
        }
        return out
    }

    /// For people.
    public func text() -> String {
        var out = "window \(Timestamp.format(window.start)) to \(Timestamp.format(window.end))\n"
        for p in principals {
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
        if !unresolved.isEmpty {
            out += "\nunresolved events (not mapped to IAM actions)\n"
            for u in unresolved { out += "  \(u.eventSource) \(u.eventName)  \(u.count)×\n" }
        }
        out += "\ncoverage: \(coverage.days.count) of \(window.days.count) days with logs"
        if !coverage.accounts.isEmpty {
            out +=
                "; accounts \(coverage.accounts.joined(separator: ", ")); regions \(coverage.regions.joined(separator: ", "))"
        }
        out += "\n"
        return out
    }
}

/// A `pare usage` request that cannot be answered (unknown or ambiguous principal).
public struct UsageError: Error, CustomStringConvertible, Sendable {
    public var description: String
    init(_ description: String) { self.description = description }
}
