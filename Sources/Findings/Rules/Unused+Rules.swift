import AccountInventory
import Analysis
import Timestamps

// Helpers the unused-access rules share: the window, "existed for the whole window", and the evidence
// of last use.

extension FindingContext {
    /// The window start `[asOf − days, …)`: evidence older than this is "not used in the window".
    var windowStart: Int64 { options.windowStart }

    /// The principal existed for the whole window: created at or before its start. An unknown creation
    /// time is not enough to judge.
    func existedForWholeWindow(_ created: Int64?) -> Bool {
        created.map { $0 <= windowStart } ?? false
    }

    /// The latest of the given times (`nil` when all are `nil`).
    func latest(_ times: Int64?...) -> Int64? { times.compactMap { $0 }.max() }

    /// The usage store's last activity of the user or role `arn` before the window's end.
    func storeLastActivity(_ arn: String) -> Int64? { evidence?.activity(arn: arn)?.lastActivity }

    /// When the window ends more than a day after the latest time the snapshots hold (a lower bound of
    /// when they were taken), what `RoleLastUsed` cannot judge, for messages: `the window ends
    /// 2035-01-01T00:00:00Z, after the latest time the snapshot holds (2023-07-10T12:32:01Z)`; else `nil`.
    var windowOutlastsSnapshot: String? {
        guard let latest = inventory.latestSnapshotTime, options.asOf > latest + 86_400 else { return nil }
        return "the window ends \(Timestamp.format(options.asOf)), after the latest time the snapshot holds "
            + "(\(Timestamp.format(latest)))"
    }

    /// `2023-04-12` for messages.
    var windowStartDay: String { day(windowStart) }
}

/// `not used since the window start 2023-04-12 (last used 2022-12-01, 221 days ago)`, or `(never used)`:
/// the end of every unused-access explanation.
func notUsedPhrase(_ time: Int64?, _ context: FindingContext) -> String {
    let since = "not used since the window start \(context.windowStartDay)"
    guard let time else { return "\(since) (never used)" }
    let age = context.options.age(of: time)
    return "\(since) (last used \(day(time)), \(age) day\(age == 1 ? "" : "s") ago)"
}

/// Aggregates "not judged" notes into one diagnostic per (rule, reason): `UnusedIAMRole: 4 roles not
/// judged: the snapshot has no RoleLastUsed and there is no usage store: `a`, `b`, …`.
struct NotJudged {
    let rule: FindingType
    let noun: String
    /// What happened to them: `not judged`, or `judged only over the days with logs`.
    let outcome: String
    var reasons: [String: [String]] = [:]

    init(_ rule: FindingType, noun: String, outcome: String = "not judged") {
        self.rule = rule
        self.noun = noun
        self.outcome = outcome
    }

    mutating func add(_ name: String, because reason: String) { reasons[reason, default: []].append(name) }

    func write(to diagnostics: inout [String]) {
        for (reason, names) in reasons.sorted(by: { $0.key < $1.key }) {
            let list = names.sorted().map { "`\($0)`" }.joined(separator: ", ")
            diagnostics.append(
                "\(rule): \(names.count) \(noun)\(names.count == 1 ? "" : "s") \(outcome): \(reason): \(list)")
        }
    }
}
