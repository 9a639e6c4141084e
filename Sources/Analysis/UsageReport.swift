import Foundation
import Timestamps
import UsageStore

/// What `pare usage` shows: per principal its actions (count, first and last seen) and denied
/// attempts in a window, the unresolved events, and the window's log coverage with its gaps
/// (rendered by `Reports.UsageReportRenderer`).
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
}

/// A `pare usage` request that cannot be answered (unknown or ambiguous principal).
public struct UsageError: Error, CustomStringConvertible, Sendable {
    public var description: String
    init(_ description: String) { self.description = description }
}
