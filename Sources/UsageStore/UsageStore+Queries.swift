import GRDB
import Timestamps

/// A time window `[start, end)` in seconds. The ledger keeps days: a row of a day counts when its
/// events fall in the window (`lastSeen >= start` and `firstSeen < end`); a day that straddles an edge
/// counts whole.
public struct StoreWindow: Sendable, Hashable {
    public var start: Int64
    public var end: Int64

    public init(start: Int64, end: Int64) {
        self.start = start
        self.end = end
    }

    /// The UTC days the window touches.
    public var days: ClosedRange<Int64> { Timestamp.day(of: start)...Timestamp.day(of: max(start, end - 1)) }
}

/// A principal the ledger knows.
public struct StoredPrincipal: Sendable, Hashable {
    public var arn: String
    public var type: String
    public var account: String
    public var flagged: Bool
    /// All attributed events, first and last seen (over all time).
    public var events: Int
    public var firstSeen: Int64?
    public var lastSeen: Int64?

    public init(
        arn: String, type: String, account: String, flagged: Bool, events: Int, firstSeen: Int64?, lastSeen: Int64?
    ) {
        self.arn = arn
        self.type = type
        self.account = account
        self.flagged = flagged
        self.events = events
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
    }
}

/// Use (or denied attempts) of one action by one principal in a window.
public struct ActionUsage: Sendable, Hashable {
    public var action: String
    public var count: Int
    public var firstSeen: Int64
    public var lastSeen: Int64

    public init(action: String, count: Int, firstSeen: Int64, lastSeen: Int64) {
        self.action = action
        self.count = count
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
    }
}

/// The counts of one CloudTrail event (eventSource, eventName) in a window: for one action of one principal,
/// or unresolved.
public struct EventUsage: Sendable, Hashable {
    /// Empty, with ``eventName``, when the events are not known: usage ingested before store v2.
    public var eventSource: String
    public var eventName: String
    public var count: Int
    public var firstSeen: Int64
    public var lastSeen: Int64

    public init(eventSource: String, eventName: String, count: Int, firstSeen: Int64, lastSeen: Int64) {
        self.eventSource = eventSource
        self.eventName = eventName
        self.count = count
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
    }

    /// Whether the event is known (the usage was ingested by store v2 or later).
    public var isRecorded: Bool { !eventSource.isEmpty || !eventName.isEmpty }
}

/// The resources of (principal, action) in a window: the entries of its cover (``ResourceCover``) seen on
/// a day of the window. Every ARN seen in the window is one of ``arns`` or starts with one of
/// ``prefixes``.
public struct ResourceSample: Sendable, Hashable {
    /// Exact ARNs, sorted.
    public var arns: [String]
    /// Folded prefixes (at a `/` boundary; an ARN head `arn:aws:s3:::`, or `""`, when more resources were
    /// seen than the cover can name below it), sorted: each stands for every ARN that starts with it.
    public var prefixes: [String]
    /// `false` when the store kept only a sample and dropped the rest: a key that overflowed in a store
    /// before v3 (which kept the 16 smallest ARNs); then other ARNs were seen.
    public var complete: Bool

    public init(arns: [String], prefixes: [String] = [], complete: Bool = true) {
        self.arns = arns
        self.prefixes = prefixes
        self.complete = complete
    }
}

/// An event the catalog could not resolve, with its counts: the same record as the events of an action.
public typealias UnresolvedUsage = EventUsage

/// Which days, accounts and regions of a window have logs.
public struct Coverage: Sendable, Hashable {
    public struct Entry: Sendable, Hashable {
        public var account: String
        public var region: String
        public var day: Int64
        public var events: Int
        public var dataEvents: Int
    }

    /// Per (account, region, day), sorted.
    public var entries: [Entry]
    /// UTC days of the window with at least one event, sorted.
    public var days: [Int64]
    /// UTC days of the window without any event, sorted.
    public var gaps: [Int64]
    public var accounts: [String]
    public var regions: [String]
}

/// Totals over the whole store (for checks and tests).
public struct StoreTotals: Sendable, Hashable {
    public var files: Int
    public var principals: Int
    public var used: Int
    public var denied: Int
    public var unresolved: Int
    public var events: Int

    public init(files: Int, principals: Int, used: Int, denied: Int, unresolved: Int, events: Int) {
        self.files = files
        self.principals = principals
        self.used = used
        self.denied = denied
        self.unresolved = unresolved
        self.events = events
    }
}

extension UsageStore {
    /// Every principal, sorted by ARN.
    public func principals() throws(StoreError) -> [StoredPrincipal] {
        try read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT p.arn, p.type, p.account, p.flagged, SUM(a.count) AS events,
                           MIN(a.first_seen) AS first, MAX(a.last_seen) AS last
                    FROM principal p LEFT JOIN activity a ON a.principal = p.id
                    GROUP BY p.id ORDER BY p.arn
                    """
            ).map { row in
                StoredPrincipal(
                    arn: row["arn"], type: row["type"], account: row["account"], flagged: row["flagged"],
                    events: row["events"] ?? 0, firstSeen: row["first"], lastSeen: row["last"])
            }
        }
    }

    /// The principals that `name` designates: an exact ARN, or a bare name equal to the last segment
    /// of the ARN's resource (`app-role`, `alice`), or an Identity Center permission-set name
    /// (`AdministratorAccess` for `AWSReservedSSO_AdministratorAccess_0123abcd`).
    public func principals(named name: String) throws(StoreError) -> [StoredPrincipal] {
        let all = try principals()
        if let exact = all.first(where: { $0.arn == name }) { return [exact] }
        return all.filter { p in
            let last = p.arn.split(separator: "/").last.map(String.init) ?? p.arn
            if last == name { return true }
            if last.hasPrefix("AWSReservedSSO_") {
                let parts = last.dropFirst("AWSReservedSSO_".count).split(separator: "_")
                return parts.count >= 2 && parts.dropLast().joined(separator: "_") == name
            }
            return false
        }
    }

    /// Actions used (successfully) by `principal` (an ARN) in `window`, sorted by action.
    public func usage(principal: String, window: StoreWindow) throws(StoreError) -> [ActionUsage] {
        try counts("usage", principal, window)
    }

    /// The events behind each action `principal` used in `window`: action → events sorted by source and
    /// name (the events not recorded, of usage ingested before store v2, first, as `("", "")`). The
    /// counts of an action's events add up to its count in ``usage(principal:window:)``.
    public func usageEvents(principal: String, window: StoreWindow) throws(StoreError) -> [String: [EventUsage]] {
        try read { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT a.text AS action, s.text AS event_source, n.text AS event_name, SUM(t.count) AS count,
                           MIN(t.first_seen) AS first, MAX(t.last_seen) AS last
                    FROM usage t JOIN principal p ON p.id = t.principal JOIN name a ON a.id = t.action
                        JOIN name s ON s.id = t.event_source JOIN name n ON n.id = t.event_name
                    WHERE p.arn = ? AND t.day BETWEEN ? AND ? AND t.last_seen >= ? AND t.first_seen < ?
                    GROUP BY a.text, s.text, n.text ORDER BY a.text, s.text, n.text
                    """,
                arguments: [principal, window.days.lowerBound, window.days.upperBound, window.start, window.end])
            var events: [String: [EventUsage]] = [:]
            for row in rows {
                events[row["action"], default: []].append(
                    EventUsage(
                        eventSource: row["event_source"], eventName: row["event_name"], count: row["count"],
                        firstSeen: row["first"], lastSeen: row["last"]))
            }
            return events
        }
    }

    /// Denied attempts of `principal` in `window`, sorted by action.
    public func denied(principal: String, window: StoreWindow) throws(StoreError) -> [ActionUsage] {
        try counts("denied", principal, window)
    }

    private func counts(_ table: String, _ principal: String, _ window: StoreWindow) throws(StoreError)
        -> [ActionUsage]
    {
        try read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT a.text AS action, SUM(t.count) AS count, MIN(t.first_seen) AS first,
                           MAX(t.last_seen) AS last
                    FROM \(table) t JOIN principal p ON p.id = t.principal JOIN name a ON a.id = t.action
                    WHERE p.arn = ? AND t.day BETWEEN ? AND ? AND t.last_seen >= ? AND t.first_seen < ?
                    GROUP BY a.text ORDER BY a.text
                    """,
                arguments: [principal, window.days.lowerBound, window.days.upperBound, window.start, window.end]
            ).map {
                ActionUsage(action: $0["action"], count: $0["count"], firstSeen: $0["first"], lastSeen: $0["last"])
            }
        }
    }

    /// The resources of `principal` and `action` in `window`: the entries of the covers seen on a day of
    /// the window (a folded prefix counts when some ARN under it was seen on or between such days). The
    /// covers are per (principal, action, calendar month); the entries of the window's months are merged
    /// and folded again into one cover of at most ``resourceCoverSize`` entries. `complete` is `false`
    /// only for a sample that overflowed in a store before v3.
    public func resources(principal: String, action: String, window: StoreWindow) throws(StoreError)
        -> ResourceSample
    {
        try read { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT r.arn, r.folded
                    FROM resource r JOIN principal p ON p.id = r.principal JOIN name a ON a.id = r.action
                    WHERE p.arn = ? AND a.text = ? AND r.last_day >= ? AND r.first_day <= ? ORDER BY r.arn
                    """,
                arguments: [principal, action, window.days.lowerBound, window.days.upperBound])
            let overflow =
                try Bool.fetchOne(
                    db,
                    sql: """
                        SELECT EXISTS (
                            SELECT 1 FROM resource_overflow o JOIN principal p ON p.id = o.principal
                                JOIN name a ON a.id = o.action
                            WHERE p.arn = ? AND a.text = ?)
                        """,
                    arguments: [principal, action]) ?? false
            var cover = ResourceCover()
            for row in rows {
                cover.merge(
                    ResourceCover.Entry(
                        bytes: Array((row["arn"] as String).utf8), folded: row["folded"], first: 0, last: 0))
            }
            if cover.needsFold { cover.fold() }
            let entries = cover.entries.map { (String(decoding: $0.bytes, as: UTF8.self), $0.folded) }
            return ResourceSample(
                arns: entries.filter { !$0.1 }.map(\.0), prefixes: entries.filter(\.1).map(\.0), complete: !overflow)
        }
    }

    /// Unresolved events in `window` (of one principal, or of all), sorted by source and name.
    public func unresolved(window: StoreWindow, principal: String? = nil) throws(StoreError) -> [UnresolvedUsage] {
        try read { db in
            var sql = """
                SELECT s.text AS event_source, n.text AS event_name, SUM(u.count) AS count,
                       MIN(u.first_seen) AS first, MAX(u.last_seen) AS last
                FROM unresolved u JOIN principal p ON p.id = u.principal JOIN name s ON s.id = u.event_source
                    JOIN name n ON n.id = u.event_name
                WHERE u.day BETWEEN ? AND ? AND u.last_seen >= ? AND u.first_seen < ?
                """
            var arguments: StatementArguments = [
                window.days.lowerBound, window.days.upperBound, window.start, window.end,
            ]
            if let principal {
                sql += " AND p.arn = ?"
                arguments += [principal]
            }
            sql += " GROUP BY s.text, n.text ORDER BY s.text, n.text"
            return try Row.fetchAll(db, sql: sql, arguments: arguments).map {
                UnresolvedUsage(
                    eventSource: $0["event_source"], eventName: $0["event_name"], count: $0["count"],
                    firstSeen: $0["first"], lastSeen: $0["last"])
            }
        }
    }

    /// All attributed events of `principal` in `window` (used, denied, no permission needed,
    /// unresolved): the evidence of last activity. `nil` when there is none.
    public func activity(principal: String, window: StoreWindow) throws(StoreError) -> ActionUsage? {
        try read { db in
            guard
                let row = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT SUM(a.count) AS count, MIN(a.first_seen) AS first, MAX(a.last_seen) AS last
                        FROM activity a JOIN principal p ON p.id = a.principal
                        WHERE p.arn = ? AND a.day BETWEEN ? AND ? AND a.last_seen >= ? AND a.first_seen < ?
                        """,
                    arguments: [principal, window.days.lowerBound, window.days.upperBound, window.start, window.end]),
                let count: Int = row["count"]
            else { return nil }
            return ActionUsage(action: "*", count: count, firstSeen: row["first"], lastSeen: row["last"])
        }
    }

    /// Log coverage of `window`: the days with events and the gaps, per account and region.
    public func coverage(window: StoreWindow) throws(StoreError) -> Coverage {
        try read { db in
            let entries = try Row.fetchAll(
                db,
                sql: """
                    SELECT account, region, day, SUM(events) AS events, SUM(data_events) AS data
                    FROM coverage WHERE day BETWEEN ? AND ?
                    GROUP BY account, region, day ORDER BY account, region, day
                    """,
                arguments: [window.days.lowerBound, window.days.upperBound]
            ).map {
                Coverage.Entry(
                    account: $0["account"], region: $0["region"], day: $0["day"], events: $0["events"],
                    dataEvents: $0["data"])
            }
            let days = Set(entries.map(\.day))
            return Coverage(
                entries: entries, days: days.sorted(), gaps: window.days.filter { !days.contains($0) },
                accounts: Set(entries.map(\.account)).sorted(), regions: Set(entries.map(\.region)).sorted())
        }
    }

    /// The files ingested, sorted by name.
    public func ingestedFiles() throws(StoreError) -> [IngestedFile] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM file ORDER BY name, size, hash").map {
                IngestedFile(
                    name: $0["name"], size: $0["size"], hash: $0["hash"], path: $0["path"], records: $0["records"],
                    skipped: $0["skipped"], diagnostics: $0["diagnostics"])
            }
        }
    }

    /// Totals over the whole store.
    public func totals() throws(StoreError) -> StoreTotals {
        try read { db in
            func sum(_ sql: String) throws -> Int { try Int.fetchOne(db, sql: sql) ?? 0 }
            return StoreTotals(
                files: try sum("SELECT COUNT(*) FROM file"), principals: try sum("SELECT COUNT(*) FROM principal"),
                used: try sum("SELECT SUM(count) FROM usage"), denied: try sum("SELECT SUM(count) FROM denied"),
                unresolved: try sum("SELECT SUM(count) FROM unresolved"),
                events: try sum("SELECT SUM(events) FROM coverage"))
        }
    }

    /// Every row of every table as text, ids replaced by names, sorted: two stores with the same dump
    /// hold the same ledger, whatever order the files were written in (or the schema version: names are
    /// text before `v5`, ids of `name` since).
    public func dump() throws(StoreError) -> String {
        try read { db in
            let files = try Dictionary(
                uniqueKeysWithValues: Row.fetchAll(db, sql: "SELECT id, name, hash FROM file").map {
                    (($0["id"] as Int64), "\($0["name"] as String)@\($0["hash"] as String)")
                })
            let principals = try Dictionary(
                uniqueKeysWithValues: Row.fetchAll(db, sql: "SELECT id, arn FROM principal").map {
                    (($0["id"] as Int64), $0["arn"] as String)
                })
            let names =
                try db.tableExists("name")
                ? Dictionary(
                    uniqueKeysWithValues: Row.fetchAll(db, sql: "SELECT id, text FROM name").map {
                        (($0["id"] as Int64), $0["text"] as String)
                    }) : [:]
            var out = ""
            for table in ["file", "principal"] + Self.ledgerTables {
                let rows = try Row.fetchAll(db, sql: "SELECT * FROM \(table)").map { row in
                    row.columnNames.map { column -> String in
                        let value = row[column] as DatabaseValue
                        switch column {
                        case "file": return Int64.fromDatabaseValue(value).flatMap { files[$0] } ?? "?"
                        case "principal": return Int64.fromDatabaseValue(value).flatMap { principals[$0] } ?? "?"
                        case "id": return ""
                        case "action", "event_source", "event_name":
                            guard case .int64(let id) = value.storage else { return value.description }
                            return names[id]?.databaseValue.description ?? "?"
                        default: return value.description
                        }
                    }.joined(separator: "|")
                }.sorted()
                out += "[\(table)]\n" + rows.joined(separator: "\n") + "\n"
            }
            return out
        }
    }
}
