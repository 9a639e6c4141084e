import CStoreRows
import Foundation
import GRDB
import GRDBSQLite

/// The usage ledger in SQLite: principal × action × UTC day × event, denied attempts, a bounded cover of
/// the resources, unresolved events, log coverage and the files already ingested (DESIGN.md "The usage
/// store").
///
/// Rows are aggregated per key (counts add up, first/last seen widen), and the rows of a batch of files
/// commit with their files' "ingested" marks in one transaction: an interrupted run loses nothing and
/// counts nothing twice. Times are integer seconds since the epoch, days are UTC day numbers.
public final class UsageStore: Sendable {
    /// The bound of a resource cover (``ResourceCover``): per (principal, action), up to this many exact
    /// ARNs, and past that at most this many entries, ARNs and prefixes folded at path boundaries.
    public static let resourceCoverSize = 32

    /// The schema version written by this build: the last migration GRDB records in `grdb_migrations`.
    /// `v2` keys usage by the CloudTrail event (eventSource, eventName) too; `v3` keeps a cover of the
    /// resources (`resource.folded`) instead of a sample of the smallest ARNs; `v4` keeps that cover per
    /// calendar month (`resource.month`); `v5` stores the action names, event sources and event names of
    /// `usage`, `denied`, `resource`, `resource_overflow` and `unresolved` as ids of a `name` table (the
    /// rows of 1M events take 40% less space and insert faster; the queries give the same results).
    public static let schemaVersion = "v5"

    let queue: DatabaseQueue
    /// The database file.
    public let path: String

    /// Opens (creating and migrating when needed) the store at `path`; `readOnly` opens an existing
    /// store for queries only (it can be read while another process writes it).
    public init(path: String, readOnly: Bool = false) throws(StoreError) {
        self.path = path
        do {
            var configuration = Configuration()
            configuration.busyMode = .timeout(Double(Self.busyTimeout))
            if readOnly {
                configuration.readonly = true
                queue = try DatabaseQueue(path: path, configuration: configuration)
                return
            }
            configuration.prepareDatabase { db in
                // The writer's rows go in through the table-valued function `pare_rows` (``RowWriter``).
                let code = pare_rows_register(UnsafeMutableRawPointer(db.sqliteConnection))
                guard code == SQLITE_OK else {
                    throw DatabaseError(resultCode: ResultCode(rawValue: code), message: "cannot register pare_rows")
                }
                try db.execute(sql: "PRAGMA synchronous = NORMAL")
                // A new store gets 32 KiB pages: a run's upserts split and balance fewer pages (the writer's
                // tail 20% shorter than with 4 KiB). An existing store keeps its page size.
                try db.execute(sql: "PRAGMA page_size = 32768")
                // The ledger's pages stay in memory while a run upserts them (bounded: 64 MiB).
                try db.execute(sql: "PRAGMA cache_size = -65536")
            }
            queue = try DatabaseQueue(path: path, configuration: configuration)
            try queue.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA journal_mode = WAL") }
            try Self.migrator.migrate(queue)
        } catch {
            throw StoreError(path: path, error)
        }
    }

    /// How long (seconds) a statement waits for another process's lock on the store before it fails.
    static let busyTimeout = 10

    /// For a store that holds no ingested file yet, ahead of its first batch (``Ingestion`` calls it as the
    /// readers start): copies the write-ahead log (what opening the store wrote: its schema) into the
    /// database file and empties it, so that the first batch's change to a rollback journal finds nothing to
    /// copy (at 1M events, 3–5 ms off the writer's tail). Best effort, and it does not wait: with another
    /// connection reading the store, the log stays as it is.
    public func checkpointBeforeFirstBatch() {
        try? queue.writeWithoutTransaction { db in
            guard try Bool.fetchOne(db, sql: "SELECT NOT EXISTS (SELECT 1 FROM file)") == true else { return }
            try db.execute(sql: "PRAGMA busy_timeout = 0")
            defer { try? db.execute(sql: "PRAGMA busy_timeout = \(Self.busyTimeout * 1000)") }
            _ = try Row.fetchOne(db, sql: "PRAGMA wal_checkpoint(TRUNCATE)")
        }
    }

    /// For a store that holds no ingested file yet (its first batch, ``write(_:)``): takes it for the writer
    /// alone, with a rollback journal, when no other connection has it open; false (and nothing changed)
    /// otherwise, or when the store holds files. SQLite refuses to leave write-ahead-log mode while another
    /// connection has the store open, at once (no busy wait): the batch is then written in write-ahead-log
    /// mode, and no reader waits for the writer nor the writer for a reader.
    static func takeAlone(_ db: Database) throws -> Bool {
        guard try Bool.fetchOne(db, sql: "SELECT NOT EXISTS (SELECT 1 FROM file)") == true else { return false }
        // The lock that leaving the write-ahead log takes is kept until the store is handed back.
        try db.execute(sql: "PRAGMA locking_mode = EXCLUSIVE")
        try db.execute(sql: "PRAGMA busy_timeout = 0")
        defer { try? db.execute(sql: "PRAGMA busy_timeout = \(Self.busyTimeout * 1000)") }
        // SQLite refuses with an error (another connection has the store open), or by answering the mode it
        // keeps.
        let mode: String?
        do {
            mode = try String.fetchOne(db, sql: "PRAGMA journal_mode = DELETE")
        } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED
        {
            mode = nil
        }
        guard mode == "delete" else {
            try db.execute(sql: "PRAGMA locking_mode = NORMAL")
            return false
        }
        // A rollback journal with `NORMAL` may, on a power loss on some file systems, corrupt the file: the
        // first batch is synced in full.
        try db.execute(sql: "PRAGMA synchronous = FULL")
        return true
    }

    /// Hands the store back after ``takeAlone(_:)``: write-ahead-log mode again, the lock released. Leaving
    /// exclusive locking first keeps the log's index in shared memory, where other processes see it.
    static func handBack(_ db: Database) throws {
        try db.execute(sql: "PRAGMA synchronous = NORMAL")
        try db.execute(sql: "PRAGMA locking_mode = NORMAL")
        try db.execute(sql: "PRAGMA journal_mode = WAL")
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE file (
                        id INTEGER PRIMARY KEY, name TEXT NOT NULL, size INTEGER NOT NULL, hash TEXT NOT NULL,
                        path TEXT NOT NULL, records INTEGER NOT NULL, skipped INTEGER NOT NULL,
                        diagnostics INTEGER NOT NULL, UNIQUE (name, size, hash));
                    CREATE TABLE principal (
                        id INTEGER PRIMARY KEY, arn TEXT NOT NULL UNIQUE, type TEXT NOT NULL, account TEXT NOT NULL,
                        flagged INTEGER NOT NULL);
                    CREATE TABLE usage (
                        principal INTEGER NOT NULL, action TEXT NOT NULL, day INTEGER NOT NULL, count INTEGER NOT NULL,
                        first_seen INTEGER NOT NULL, last_seen INTEGER NOT NULL,
                        PRIMARY KEY (principal, action, day)) WITHOUT ROWID;
                    CREATE TABLE denied (
                        principal INTEGER NOT NULL, action TEXT NOT NULL, day INTEGER NOT NULL, count INTEGER NOT NULL,
                        first_seen INTEGER NOT NULL, last_seen INTEGER NOT NULL,
                        PRIMARY KEY (principal, action, day)) WITHOUT ROWID;
                    CREATE TABLE resource (
                        principal INTEGER NOT NULL, action TEXT NOT NULL, arn TEXT NOT NULL,
                        first_day INTEGER NOT NULL, last_day INTEGER NOT NULL,
                        PRIMARY KEY (principal, action, arn)) WITHOUT ROWID;
                    CREATE TABLE resource_overflow (
                        principal INTEGER NOT NULL, action TEXT NOT NULL,
                        PRIMARY KEY (principal, action)) WITHOUT ROWID;
                    CREATE TABLE unresolved (
                        principal INTEGER NOT NULL, event_source TEXT NOT NULL, event_name TEXT NOT NULL,
                        day INTEGER NOT NULL, count INTEGER NOT NULL, first_seen INTEGER NOT NULL,
                        last_seen INTEGER NOT NULL,
                        PRIMARY KEY (principal, event_source, event_name, day)) WITHOUT ROWID;
                    CREATE TABLE coverage (
                        account TEXT NOT NULL, region TEXT NOT NULL, day INTEGER NOT NULL, events INTEGER NOT NULL,
                        data_events INTEGER NOT NULL, PRIMARY KEY (account, region, day)) WITHOUT ROWID;
                    CREATE INDEX coverage_by_day ON coverage (day);
                    CREATE TABLE activity (
                        principal INTEGER NOT NULL, day INTEGER NOT NULL, count INTEGER NOT NULL,
                        first_seen INTEGER NOT NULL, last_seen INTEGER NOT NULL,
                        PRIMARY KEY (principal, day)) WITHOUT ROWID;
                    """)
        }
        // Usage per (principal, action, day, eventSource, eventName): which events justified an action.
        // The rows of a v1 store keep their counts with the event unknown ('', '').
        migrator.registerMigration("v2") { db in
            try db.execute(
                sql: """
                    CREATE TABLE usage_v2 (
                        principal INTEGER NOT NULL, action TEXT NOT NULL, day INTEGER NOT NULL,
                        event_source TEXT NOT NULL, event_name TEXT NOT NULL, count INTEGER NOT NULL,
                        first_seen INTEGER NOT NULL, last_seen INTEGER NOT NULL,
                        PRIMARY KEY (principal, action, day, event_source, event_name)) WITHOUT ROWID;
                    INSERT INTO usage_v2
                        SELECT principal, action, day, '', '', count, first_seen, last_seen FROM usage;
                    DROP TABLE usage;
                    ALTER TABLE usage_v2 RENAME TO usage;
                    """)
        }
        // The resource sample becomes a cover: a row may be a folded prefix. A v1/v2 sample that
        // overflowed stays marked in `resource_overflow` (what it dropped is unknown).
        migrator.registerMigration("v3") { db in
            try db.execute(sql: "ALTER TABLE resource ADD COLUMN folded INTEGER NOT NULL DEFAULT 0")
        }
        // One cover per (principal, action, UTC calendar month): what was seen in other months no longer
        // folds a window's resources. A v3 cover (over all time) is kept whole, filed under the month of each
        // row's first day; queries select rows by their days, whatever their month.
        migrator.registerMigration("v4") { db in
            try db.execute(
                sql: """
                    CREATE TABLE resource_v4 (
                        principal INTEGER NOT NULL, action TEXT NOT NULL, arn TEXT NOT NULL,
                        first_day INTEGER NOT NULL, last_day INTEGER NOT NULL, folded INTEGER NOT NULL DEFAULT 0,
                        month INTEGER NOT NULL,
                        PRIMARY KEY (principal, action, month, arn)) WITHOUT ROWID;
                    INSERT INTO resource_v4
                        SELECT principal, action, arn, first_day, last_day, folded,
                            CAST(strftime('%Y', first_day * 86400, 'unixepoch') AS INTEGER) * 12
                            + CAST(strftime('%m', first_day * 86400, 'unixepoch') AS INTEGER) - 1
                        FROM resource;
                    DROP TABLE resource;
                    ALTER TABLE resource_v4 RENAME TO resource;
                    """)
        }
        // Names as ids: the action names, event sources and event names of the ledger's rows live once in
        // `name`, and the rows' columns of the same names hold their ids. One table for the three: a name is
        // looked up once per batch whatever it names, and nothing asks which kind a text is. Ids are given in
        // text order; queries order by the text, not the id. The old rows are set aside in temporary tables
        // and the tables created anew under their names (renaming a table makes SQLite parse the whole
        // schema again: 3 times the instructions of this migration on a new store).
        migrator.registerMigration("v5") { db in
            try db.execute(
                sql: """
                    CREATE TABLE name (id INTEGER PRIMARY KEY, text TEXT NOT NULL UNIQUE);
                    INSERT INTO name (text)
                        SELECT action FROM usage UNION SELECT event_source FROM usage
                        UNION SELECT event_name FROM usage UNION SELECT action FROM denied
                        UNION SELECT action FROM resource UNION SELECT action FROM resource_overflow
                        UNION SELECT event_source FROM unresolved UNION SELECT event_name FROM unresolved
                        ORDER BY 1;
                    CREATE TEMP TABLE usage_v4 AS SELECT * FROM usage;
                    DROP TABLE usage;
                    CREATE TABLE usage (
                        principal INTEGER NOT NULL, action INTEGER NOT NULL, day INTEGER NOT NULL,
                        event_source INTEGER NOT NULL, event_name INTEGER NOT NULL, count INTEGER NOT NULL,
                        first_seen INTEGER NOT NULL, last_seen INTEGER NOT NULL,
                        PRIMARY KEY (principal, action, day, event_source, event_name)) WITHOUT ROWID;
                    INSERT INTO usage
                        SELECT t.principal, a.id, t.day, s.id, n.id, t.count, t.first_seen, t.last_seen
                        FROM usage_v4 t JOIN name a ON a.text = t.action JOIN name s ON s.text = t.event_source
                            JOIN name n ON n.text = t.event_name;
                    DROP TABLE usage_v4;
                    CREATE TEMP TABLE denied_v4 AS SELECT * FROM denied;
                    DROP TABLE denied;
                    CREATE TABLE denied (
                        principal INTEGER NOT NULL, action INTEGER NOT NULL, day INTEGER NOT NULL,
                        count INTEGER NOT NULL, first_seen INTEGER NOT NULL, last_seen INTEGER NOT NULL,
                        PRIMARY KEY (principal, action, day)) WITHOUT ROWID;
                    INSERT INTO denied
                        SELECT t.principal, a.id, t.day, t.count, t.first_seen, t.last_seen
                        FROM denied_v4 t JOIN name a ON a.text = t.action;
                    DROP TABLE denied_v4;
                    CREATE TEMP TABLE resource_v4 AS SELECT * FROM resource;
                    DROP TABLE resource;
                    CREATE TABLE resource (
                        principal INTEGER NOT NULL, action INTEGER NOT NULL, arn TEXT NOT NULL,
                        first_day INTEGER NOT NULL, last_day INTEGER NOT NULL, folded INTEGER NOT NULL DEFAULT 0,
                        month INTEGER NOT NULL,
                        PRIMARY KEY (principal, action, month, arn)) WITHOUT ROWID;
                    INSERT INTO resource
                        SELECT t.principal, a.id, t.arn, t.first_day, t.last_day, t.folded, t.month
                        FROM resource_v4 t JOIN name a ON a.text = t.action;
                    DROP TABLE resource_v4;
                    CREATE TEMP TABLE resource_overflow_v4 AS SELECT * FROM resource_overflow;
                    DROP TABLE resource_overflow;
                    CREATE TABLE resource_overflow (
                        principal INTEGER NOT NULL, action INTEGER NOT NULL,
                        PRIMARY KEY (principal, action)) WITHOUT ROWID;
                    INSERT INTO resource_overflow
                        SELECT t.principal, a.id FROM resource_overflow_v4 t JOIN name a ON a.text = t.action;
                    DROP TABLE resource_overflow_v4;
                    CREATE TEMP TABLE unresolved_v4 AS SELECT * FROM unresolved;
                    DROP TABLE unresolved;
                    CREATE TABLE unresolved (
                        principal INTEGER NOT NULL, event_source INTEGER NOT NULL, event_name INTEGER NOT NULL,
                        day INTEGER NOT NULL, count INTEGER NOT NULL, first_seen INTEGER NOT NULL,
                        last_seen INTEGER NOT NULL,
                        PRIMARY KEY (principal, event_source, event_name, day)) WITHOUT ROWID;
                    INSERT INTO unresolved
                        SELECT t.principal, s.id, n.id, t.day, t.count, t.first_seen, t.last_seen
                        FROM unresolved_v4 t JOIN name s ON s.text = t.event_source JOIN name n ON n.text = t.event_name;
                    DROP TABLE unresolved_v4;
                    """)
        }
        return migrator
    }

    /// The schema version of the file: the last migration applied to it (``schemaVersion`` once the
    /// store was opened for writing by this build).
    public func appliedSchemaVersion() throws(StoreError) -> String? {
        try read { db in try Self.migrator.appliedMigrations(db).last }
    }

    /// The ledger tables (everything but `file`, `principal` and `name`).
    static let ledgerTables = [
        "usage", "denied", "resource", "resource_overflow", "unresolved", "coverage", "activity",
    ]

    // MARK: Ingestion bookkeeping

    /// Deletes every row: the ledger starts afresh (`pare ingest --reingest`).
    public func removeAll() throws(StoreError) {
        do {
            try queue.write { db in
                for table in Self.ledgerTables + ["file", "principal", "name"] {
                    try db.execute(sql: "DELETE FROM \(table)")
                }
            }
        } catch {
            throw StoreError(path: path, error)
        }
    }

    /// Writes a batch (the merged ledgers of several files) and marks its files as ingested, in one
    /// transaction: counts add up, first/last seen widen, the resource covers fold in the batch's entries.
    ///
    /// A new store's first batch is written alone, with a rollback journal, when no other process has the
    /// store open: its rows go into the database file once, where the write-ahead log would take them first
    /// and copy them into the file at the close's checkpoint (at 1M events, 10 MB written and synced twice:
    /// a fifth of the writer's tail). A process that opens the store meanwhile waits for the commit (pare's
    /// commands up to 10 s). Then, and for every other batch, the store is in write-ahead-log mode, where
    /// readers and the writer do not wait for each other.
    public func write(_ batch: LedgerBatch) throws(StoreError) {
        // The rows of the largest tables, the usage rows and (into an empty table) the resource rows, are
        // sorted and laid out on a thread of their own while the writer inserts the others: it then finds
        // them in key order, where it would read them at random from the batch's hash tables. That thread
        // starts at once (before the store is taken) and sorts them by their names' texts, then, given the
        // row ids of the names, puts the ids in (the order holds where the ids follow the texts, as a new
        // store's do; else it sorts again).
        let rowIds = Promised<RowIds>()
        // However the writer leaves, the thread is not left waiting.
        defer { rowIds.fulfill(nil) }
        let laidOut = BackgroundRows(count: 2) { deliver in
            let ranks = TextRanks(batch)
            let usage = ranks.usageKeys(batch)
            guard let ids = rowIds.value() else { return }
            deliver(0, usage.flatMap { ranks.inRowIds($0, ids, pairs: true) }.map { Self.usageRows(batch, $0) })
            guard ids.newCovers else { return }
            deliver(
                1,
                ranks.resourceKeys(batch).flatMap { ranks.inRowIds($0, ids, pairs: false) }.flatMap {
                    Self.resourceRows(batch, $0)
                })
        }
        do {
            let alone = try queue.writeWithoutTransaction { db in try Self.takeAlone(db) }
            // Committed or rolled back, the store is handed back: were the change back to write-ahead-log mode
            // to fail, the store would stay correct in rollback-journal mode until it is opened again (every
            // opening sets it).
            defer { if alone { try? queue.writeWithoutTransaction { db in try Self.handBack(db) } } }
            try queue.inTransaction { db in
                try Self.write(batch, db, rowIds, laidOut)
                return .commit
            }
        } catch {
            throw StoreError(path: path, error)
        }
    }

    private static func write(
        _ batch: LedgerBatch, _ db: Database, _ rowIds: Promised<RowIds>, _ laidOut: BackgroundRows
    ) throws {
        let newCovers = try RawStatement(db, "SELECT NOT EXISTS (SELECT 1 FROM resource)").run() == 1
        var files = try RowWriter(db, into: "file (name, size, hash, path, records, skipped, diagnostics)", columns: 7)
        for f in batch.files {
            try files.copy(Array(f.name.utf8))
            files.int(f.size)
            try files.copy(Array(f.hash.utf8))
            try files.copy(Array(f.path.utf8))
            files.int(Int64(f.records))
            files.int(Int64(f.skipped))
            files.int(Int64(f.diagnostics))
            try files.endRow()
        }
        try files.finish()
        // Principal row ids by the batch's name id.
        let names = batch.names
        let principals = batch.principals.sorted { names[Int($0.key)] < names[Int($1.key)] }
        var upsert = try RowWriter(
            db, into: "principal (arn, type, account, flagged)", columns: 4,
            onConflict: """
                ON CONFLICT (arn) DO UPDATE SET type = min(type, excluded.type),
                    account = min(account, excluded.account), flagged = flagged AND excluded.flagged
                """)
        for (id, p) in principals {
            try upsert.copy(Array(names[Int(id)].utf8))
            try upsert.copy(Array(p.type.utf8))
            try upsert.copy(Array(p.account.utf8))
            upsert.int(p.flagged ? 1 : 0)
            try upsert.endRow()
        }
        try upsert.finish()
        var principalIds = [Int64](repeating: -1, count: names.count)
        for (row, id) in zip(
            principals, try storedIds(db, in: "principal", "arn", principals.map { names[Int($0.key)] }))
        {
            principalIds[Int(row.key)] = id
        }
        // `name` row ids of the actions, event sources and event names the rows reference, by the batch's name
        // id (new names in text order).
        var nameIds = [Int64](repeating: -1, count: names.count)
        var used = [Bool](repeating: false, count: names.count)
        func use(_ id: Int32) { if id >= 0, Int(id) < used.count { used[Int(id)] = true } }
        for k in 0..<batch.usage.count {
            use(unpack(batch.usage.first[k]).1)
            let (source, name) = unpack(batch.event(id: unpack(batch.usage.second[k]).0))
            use(source)
            use(name)
        }
        for k in 0..<batch.denied.count { use(unpack(batch.denied.first[k]).1) }
        for k in 0..<batch.resources.count { use(unpack(batch.resources.first[k]).1) }
        for k in 0..<batch.unresolved.count {
            use(unpack(batch.unresolved.first[k]).1)
            use(unpack(batch.unresolved.second[k]).0)
        }
        let usedNames = names.indices.filter { used[$0] }.sorted { names[$0] < names[$1] }
        var insert = try RowWriter(db, into: "name (text)", columns: 1, ignoringStored: true)
        for id in usedNames {
            try insert.copy(Array(names[id].utf8))
            try insert.endRow()
        }
        try insert.finish()
        for (id, row) in zip(usedNames, try storedIds(db, in: "name", "text", usedNames.map { names[$0] })) {
            nameIds[id] = row
        }
        // Row ids go into sort keys as 32-bit halves.
        guard (principalIds.max() ?? 0) < 1 << 32, (nameIds.max() ?? 0) < 1 << 32 else {
            throw DatabaseError(message: "the store's row ids have passed 2^32")
        }
        let ids = RowIds(names: names, principals: principalIds, rows: nameIds, newCovers: newCovers)
        rowIds.fulfill(ids)
        func principal(_ id: Int32) throws -> Int64 { try ids.principal(id) }
        func name(_ id: Int32) throws -> Int64 { try ids.name(id) }
        func keyOrder(_ count: Int, _ key: (Int) throws -> (UInt64, UInt64, UInt64)) rethrows -> [Int] {
            try keys(count, key).sorted { $0 < $1 }.map(\.3)
        }
        let widen =
            "ON CONFLICT DO UPDATE SET count = count + excluded.count, "
            + "first_seen = min(first_seen, excluded.first_seen), last_seen = max(last_seen, excluded.last_seen)"
        var denied = try RowWriter(db, into: "denied", columns: 6, onConflict: widen)
        let deniedOrder = try keyOrder(batch.denied.count) { k in
            let (p, action) = unpack(batch.denied.first[k])
            return (pair(try principal(p), try name(action)), batch.denied.second[k], 0)
        }
        for k in deniedOrder {
            let (p, action) = unpack(batch.denied.first[k])
            let t = batch.denied.values[k]
            denied.int(try principal(p))
            denied.int(try name(action))
            denied.int(day(of: batch.denied.second[k]))
            try denied.endRow(t)
        }
        try denied.finish()
        var unresolved = try RowWriter(
            db, into: "unresolved", columns: 7, onConflict: widen)
        let unresolvedOrder = try keyOrder(batch.unresolved.count) { k in
            let (p, source) = unpack(batch.unresolved.first[k])
            let (event, _) = unpack(batch.unresolved.second[k])
            return (
                pair(try principal(p), try name(source)), UInt64(bitPattern: try name(event)),
                dayWord(day(of: batch.unresolved.second[k]))
            )
        }
        for k in unresolvedOrder {
            let (p, source) = unpack(batch.unresolved.first[k])
            let (event, _) = unpack(batch.unresolved.second[k])
            let t = batch.unresolved.values[k]
            unresolved.int(try principal(p))
            unresolved.int(try name(source))
            unresolved.int(try name(event))
            unresolved.int(day(of: batch.unresolved.second[k]))
            try unresolved.endRow(t)
        }
        try unresolved.finish()
        var activity = try RowWriter(db, into: "activity", columns: 5, onConflict: widen)
        let activityOrder = try keyOrder(batch.activity.count) { k in
            (UInt64(bitPattern: try principal(unpack(batch.activity.first[k]).0)), batch.activity.second[k], 0)
        }
        for k in activityOrder {
            let t = batch.activity.values[k]
            activity.int(try principal(unpack(batch.activity.first[k]).0))
            activity.int(day(of: batch.activity.second[k]))
            try activity.endRow(t)
        }
        try activity.finish()
        var coverage = try RowWriter(
            db, into: "coverage", columns: 5,
            onConflict:
                "ON CONFLICT DO UPDATE SET events = events + excluded.events, data_events = data_events + excluded.data_events"
        )
        for k in 0..<batch.coverage.count {
            let (account, region) = unpack(batch.coverage.first[k])
            let c = batch.coverage.values[k]
            try coverage.copy(Array(names[Int(account)].utf8))
            try coverage.copy(Array(names[Int(region)].utf8))
            coverage.int(day(of: batch.coverage.second[k]))
            coverage.int(Int64(c.events))
            coverage.int(Int64(c.dataEvents))
            try coverage.endRow()
        }
        try coverage.finish()
        var usage = try RowWriter(db, into: "usage", columns: 8, onConflict: widen)
        // (Not laid out only when a row names an id the batch does not list: making the keys then fails.)
        try usage.run(
            laidOut.rows(0)
                ?? usageRows(batch, keys(batch.usage.count) { try usageKey(batch, ids, $0) }.sorted { $0 < $1 }))
        // The resource covers: the stored entries and the batch's, folded; the rows that changed are written.
        let stored = try RawStatement(
            db,
            """
            SELECT arn, folded, first_day, last_day FROM resource WHERE principal = ? AND action = ? AND month = ?
            ORDER BY arn
            """)
        var write = try RowWriter(
            db, into: "resource (principal, action, month, arn, first_day, last_day, folded)", columns: 7)
        // Laid out (a new store), the rows are the covers' entries; else the covers are merged row by row.
        let laidOutResources = laidOut.rows(1)
        if let laidOutResources { try write.run(laidOutResources) }
        let delete = try RawStatement(
            db, "DELETE FROM resource WHERE principal = ? AND action = ? AND month = ? AND arn = ?")
        // With no cover stored yet (a fresh store's first commit), there is nothing to read back.
        let storedCovers = !write.intoEmptyTable
        let resourceOrder =
            laidOutResources != nil
            ? []
            : try keyOrder(batch.resources.count) { k in
                let (p, a) = unpack(batch.resources.first[k])
                return (pair(try principal(p), try name(a)), batch.resources.second[k], 0)
            }
        for k in resourceOrder {
            let (p, a) = unpack(batch.resources.first[k])
            let principal = try principal(p)
            let action = try name(a)
            let month = Int64(bitPattern: batch.resources.second[k])
            // The stored rows, in key order: by ARN bytes, as the cover's entries are.
            var old: [ResourceCover.Entry] = []
            if storedCovers {
                try stored.rows(.int(principal), .int(action), .int(month)) { row in
                    old.append(
                        ResourceCover.Entry(
                            bytes: row.bytes(0), folded: row.int(1) != 0, first: Int32(truncatingIfNeeded: row.int(2)),
                            last: Int32(truncatingIfNeeded: row.int(3)), changed: false))
                }
            }
            // The batch's cover is folded already: alone, it is the result.
            var entries = batch.resources.values[k].entries
            if !old.isEmpty {
                var cover = ResourceCover()
                for entry in old { cover.merge(entry) }
                for entry in entries { cover.merge(entry) }
                cover.fold()
                entries = cover.entries
            }
            // Both lists sorted by bytes (unique in each): a stored row the cover no longer has is deleted,
            // an entry new or different is written.
            var next = 0
            func deleteStored(before bytes: [UInt8]?) throws {
                while next < old.count, bytes.map({ old[next].bytes.lexicographicallyPrecedes($0) }) ?? true {
                    _ = try old[next].bytes.withUnsafeBytes {
                        try delete.run(.int(principal), .int(action), .int(month), .bytes($0))
                    }
                    next += 1
                }
            }
            for entry in entries {
                try deleteStored(before: entry.bytes)
                if next < old.count, old[next].bytes == entry.bytes {
                    let kept = old[next]
                    next += 1
                    if kept.folded == entry.folded, kept.first == entry.first, kept.last == entry.last { continue }
                }
                write.int(principal)
                write.int(action)
                write.int(month)
                try write.copy(entry.bytes)
                write.int(Int64(entry.first))
                write.int(Int64(entry.last))
                write.int(entry.folded ? 1 : 0)
                try write.endRow()
            }
            try deleteStored(before: nil)
        }
        try write.finish()
    }

    func read<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
        do {
            return try queue.read(body)
        } catch {
            throw StoreError(path: path, error)
        }
    }
}

/// The store could not be opened, read or written.
public struct StoreError: Error, CustomStringConvertible, Sendable {
    public var description: String

    init(path: String, _ error: any Error) {
        let reason: String
        if let error = error as? DatabaseError {
            reason = (error.message ?? "\(error.resultCode)").lowercased()
        } else {
            reason = "\(error)".lowercased()
        }
        description = "cannot use the store `\(path)`: \(reason)"
    }
}

/// Rows laid out on a thread of their own while the caller goes on: `work` hands each set of rows over by
/// its number as soon as it is ready, and ``rows(_:)`` waits for one (nil: `work` had none to lay out).
final class BackgroundRows: Sendable {
    /// A row's key `(a, b, c)` and its position in the batch's table.
    typealias Key = (UInt64, UInt64, UInt64, Int)

    /// A set of rows, written by the thread alone until `ready` is signalled.
    private final class Slot: @unchecked Sendable {
        var rows: RowBlock?
        let ready = DispatchSemaphore(value: 0)
    }

    private let slots: [Slot]

    init(count: Int, _ work: @escaping @Sendable (_ deliver: (Int, RowBlock?) -> Void) -> Void) {
        let slots = (0..<count).map { _ in Slot() }
        self.slots = slots
        Thread {
            var delivered = [Bool](repeating: false, count: count)
            work { index, rows in
                guard !delivered[index] else { return }
                delivered[index] = true
                slots[index].rows = rows
                slots[index].ready.signal()
            }
            for (slot, done) in zip(slots, delivered) where !done { slot.ready.signal() }
        }.start()
    }

    func rows(_ index: Int) -> RowBlock? {
        slots[index].ready.wait()
        slots[index].ready.signal()
        return slots[index].rows
    }
}

/// A value one thread gives another: the first ``fulfill(_:)`` wins, ``value()`` waits for it.
final class Promised<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var given: Value??
    private let ready = DispatchSemaphore(value: 0)

    func fulfill(_ value: Value?) {
        lock.lock()
        defer { lock.unlock() }
        guard given == nil else { return }
        given = .some(value)
        ready.signal()
    }

    func value() -> Value? {
        ready.wait()
        ready.signal()
        lock.lock()
        defer { lock.unlock() }
        return given ?? nil
    }
}

/// The principals and the names of a batch ranked by their texts, the order in which a new store numbers
/// them (``UsageStore/write(_:_:)`` inserts them so): keys made of ranks sort as keys of row ids will.
private struct TextRanks {
    /// By the batch's name id: its rank among the principals (-1: not one), among the names.
    private var principalRanks: [Int32]
    private var nameRanks: [Int32]
    private let principalCount: Int

    init(_ batch: LedgerBatch) {
        let names = batch.names
        nameRanks = [Int32](repeating: -1, count: names.count)
        for (rank, id) in names.indices.sorted(by: { names[$0] < names[$1] }).enumerated() {
            nameRanks[id] = Int32(rank)
        }
        principalCount = batch.principals.count
        principalRanks = [Int32](repeating: -1, count: names.count)
        for (rank, id) in batch.principals.keys.sorted(by: { names[Int($0)] < names[Int($1)] }).enumerated() {
            principalRanks[Int(id)] = Int32(rank)
        }
    }

    private static func rank(_ ranks: [Int32], _ id: Int32) -> UInt64? {
        guard id >= 0, Int(id) < ranks.count, ranks[Int(id)] >= 0 else { return nil }
        return UInt64(ranks[Int(id)])
    }

    /// The usage rows' keys as ``usageKey(_:_:_:)`` makes them, of ranks, sorted; nil when a row names an
    /// id the batch does not list.
    func usageKeys(_ batch: LedgerBatch) -> [BackgroundRows.Key]? {
        var keys: [BackgroundRows.Key] = []
        keys.reserveCapacity(batch.usage.count)
        for k in 0..<batch.usage.count {
            let (p, action) = unpack(batch.usage.first[k])
            let (source, event) = unpack(batch.event(id: unpack(batch.usage.second[k]).0))
            guard let p = Self.rank(principalRanks, p), let action = Self.rank(nameRanks, action),
                let source = Self.rank(nameRanks, source), let event = Self.rank(nameRanks, event)
            else { return nil }
            keys.append((p << 32 | action, dayWord(day(of: batch.usage.second[k])), source << 32 | event, k))
        }
        if !sortPacked(&keys, principals: principalCount, names: nameRanks.count) { keys.sort { $0 < $1 } }
        return keys
    }

    /// The resource covers' keys as ``resourceKey(_:_:_:)`` makes them, of ranks, sorted; nil when a cover
    /// names an id the batch does not list.
    func resourceKeys(_ batch: LedgerBatch) -> [BackgroundRows.Key]? {
        var keys: [BackgroundRows.Key] = []
        keys.reserveCapacity(batch.resources.count)
        for k in 0..<batch.resources.count {
            let (p, action) = unpack(batch.resources.first[k])
            guard let p = Self.rank(principalRanks, p), let action = Self.rank(nameRanks, action) else { return nil }
            keys.append((p << 32 | action, batch.resources.second[k], 0, k))
        }
        keys.sort { $0 < $1 }
        return keys
    }

    /// Sorted keys of ranks made of row ids (`pairs`: the third word holds names too): in order still where
    /// the ids follow the texts, else sorted again; nil when a rank has no row id.
    func inRowIds(_ keys: [BackgroundRows.Key], _ ids: RowIds, pairs: Bool) -> [BackgroundRows.Key]? {
        var principals = [Int64](repeating: -1, count: principalRanks.count)
        var names = [Int64](repeating: -1, count: nameRanks.count)
        for id in principalRanks.indices {
            if principalRanks[id] >= 0 { principals[Int(principalRanks[id])] = ids.principals[id] }
            names[Int(nameRanks[id])] = ids.rows[id]
        }
        func rowPair(_ w: UInt64, _ first: [Int64], _ second: [Int64]) -> UInt64? {
            let (a, b) = (first[Int(w >> 32)], second[Int(w & 0xFFFF_FFFF)])
            return a >= 0 && b >= 0 ? pair(a, b) : nil
        }
        var mapped = keys
        var sorted = true
        for i in mapped.indices {
            let (a, b, c, k) = mapped[i]
            guard let a = rowPair(a, principals, names) else { return nil }
            var third = c
            if pairs {
                guard let c = rowPair(c, names, names) else { return nil }
                third = c
            }
            mapped[i] = (a, b, third, k)
            if i > 0, sorted, (a, b, third) < (mapped[i - 1].0, mapped[i - 1].1, mapped[i - 1].2) { sorted = false }
        }
        if !sorted { mapped.sort { $0 < $1 } }
        return mapped
    }
}

/// Sorts usage keys `(pair(principal, action), dayWord(day), pair(source, event), position)` of ranks
/// (principals below `principals`, names below `names`) by `(a, b, c)`, ties in their order (a batch's
/// usage keys have none), as one 64-bit word each: their fields and index in as few bits as their ranges
/// take, sorted by radix (at 1M events the library's sort of the tuples took 10–13 ms, this 4–6 with the
/// packing). `false`, leaving the keys as they are, where the fields do not fit in 64 bits (with thousands
/// of principals and names, or days decades apart).
func sortPacked(_ keys: inout [BackgroundRows.Key], principals: Int, names: Int) -> Bool {
    guard keys.count > 1 else { return true }
    var (low, high) = (keys[0].1, keys[0].1)
    for key in keys {
        low = min(low, key.1)
        high = max(high, key.1)
    }
    /// The bits that hold the numbers below `n`.
    func bits(below n: Int) -> Int { UInt64.bitWidth - UInt64(max(n - 1, 0)).leadingZeroBitCount }
    let p = bits(below: principals)
    let n = bits(below: names)
    let d = bits(below: Int(high - low) + 1)
    let i = bits(below: keys.count)
    guard p + 3 * n + d + i <= 64 else { return false }
    // Each key's index in `keys` in the low bits.
    var packed = keys.indices.map { j in
        let key = keys[j]
        var w = (key.0 >> 32) << n | key.0 & 0xFFFF_FFFF
        w = w << d | (key.1 - low)
        w = (w << n | key.2 >> 32) << n | key.2 & 0xFFFF_FFFF
        return w << i | UInt64(j)
    }
    radixSort(&packed, bits: p + 3 * n + d + i)
    let position = UInt64.max >> (64 - i)
    let unsorted = keys
    for j in packed.indices { keys[j] = unsorted[Int(packed[j] & position)] }
    return true
}

/// The row ids of `texts` in `table`, where its unique `column` holds them, in their order (-1: not there).
private func storedIds(_ db: Database, in table: String, _ column: String, _ texts: [String]) throws -> [Int64] {
    var block = RowBlock(columns: 1)
    for text in texts { try block.append(text: Array(text.utf8)) }
    var ids = [Int64](repeating: -1, count: texts.count)
    try RawStatement(db, "SELECT r.rowid, t.id FROM pare_rows(?) r JOIN \(table) t ON t.\(column) = r.c0")
        .execute(binding: block) { row in ids[Int(row.int(0))] = row.int(1) }
    return ids
}

/// The store's row ids of a batch's principals and names, by the batch's name id (-1: not listed).
private struct RowIds: Sendable {
    let names: [String]
    let principals: [Int64]
    /// Of the `name` table.
    let rows: [Int64]
    /// The resource table is empty: the covers' rows are laid out too.
    let newCovers: Bool

    func principal(_ id: Int32) throws -> Int64 { try rowId(id, in: principals, "principal") }
    func name(_ id: Int32) throws -> Int64 { try rowId(id, in: rows, "name") }

    private func rowId(_ id: Int32, in ids: [Int64], _ kind: String) throws -> Int64 {
        guard id >= 0, Int(id) < ids.count, ids[Int(id)] >= 0 else {
            let name = id >= 0 && Int(id) < names.count ? names[Int(id)] : "\(id)"
            throw DatabaseError(message: "ledger row names \(kind) `\(name)` that the ledger does not list")
        }
        return ids[Int(id)]
    }
}

// Rows go into the B-trees in key order (by row ids): each insert lands next to the one before, in pages
// already in memory.

/// Two row ids (below 2^32) in one key word.
private func pair(_ a: Int64, _ b: Int64) -> UInt64 { UInt64(bitPattern: a) << 32 | UInt64(bitPattern: b) }

/// The keys `key(k)` of rows `0..<count`, each with its position `k`.
private func keys(
    _ count: Int, _ key: (Int) throws -> (UInt64, UInt64, UInt64)
) rethrows -> [BackgroundRows.Key] {
    try (0..<count).map { k in
        let (a, b, c) = try key(k)
        return (a, b, c, k)
    }
}

/// The key of usage row `k`: `(pair(principal, action), dayWord(day), pair(source, event))`.
private func usageKey(_ batch: LedgerBatch, _ ids: RowIds, _ k: Int) throws -> (UInt64, UInt64, UInt64) {
    let (p, action) = unpack(batch.usage.first[k])
    let (source, event) = unpack(batch.event(id: unpack(batch.usage.second[k]).0))
    return (
        pair(try ids.principal(p), try ids.name(action)), dayWord(day(of: batch.usage.second[k])),
        pair(try ids.name(source), try ids.name(event))
    )
}

/// The key of resource cover `k`: `(pair(principal, action), month, 0)`.
private func resourceKey(_ batch: LedgerBatch, _ ids: RowIds, _ k: Int) throws -> (UInt64, UInt64, UInt64) {
    let (p, a) = unpack(batch.resources.first[k])
    return (pair(try ids.principal(p), try ids.name(a)), batch.resources.second[k], 0)
}

extension UsageStore {
    /// The usage rows of `batch` in the order of `keys` (sorted), `(pair(principal, action), dayWord(day),
    /// pair(source, event))` and the row's position, with the row's tally.
    fileprivate static func usageRows(_ batch: LedgerBatch, _ keys: [BackgroundRows.Key]) -> RowBlock {
        var values: [Int64] = []
        values.reserveCapacity(8 * keys.count)
        let tallies = batch.usage.values
        for (i, (a, b, c, k)) in keys.enumerated() {
            // The tallies are read in key order, at random: loaded 8 rows ahead.
            if i + 8 < keys.count { tallies.withUnsafeBufferPointer { prefetchLine($0.baseAddress! + keys[i + 8].3) } }
            let t = tallies[k]
            values.append(Int64(a >> 32))
            values.append(Int64(a & 0xFFFF_FFFF))
            values.append(day(of: b))
            values.append(Int64(c >> 32))
            values.append(Int64(c & 0xFFFF_FFFF))
            values.append(Int64(t.count))
            values.append(t.firstSeen)
            values.append(t.lastSeen)
        }
        return RowBlock(columns: 8, values: values)
    }

    /// The resource rows of `batch` for an empty table, every entry of its covers in the order of `keys`
    /// (sorted), `(pair(principal, action), month, 0)` and the cover's position; nil when an ARN is too long for a ``RowBlock`` (the writer then
    /// inserts the rows itself, and fails with a clear error).
    fileprivate static func resourceRows(_ batch: LedgerBatch, _ keys: [BackgroundRows.Key]) -> RowBlock? {
        var rows = RowBlock(columns: 7)
        for (a, month, _, k) in keys {
            for entry in batch.resources.values[k].entries {
                rows.values.append(Int64(a >> 32))
                rows.values.append(Int64(a & 0xFFFF_FFFF))
                rows.values.append(Int64(bitPattern: month))
                guard rows.text(entry.bytes) else { return nil }
                rows.values.append(Int64(entry.first))
                rows.values.append(Int64(entry.last))
                rows.values.append(entry.folded ? 1 : 0)
            }
        }
        return rows
    }
}

extension RowWriter {
    /// Ends a row with a tally: its count, first and last seen (the last columns of the tables that count).
    mutating func endRow(_ tally: LedgerBatch.Tally) throws {
        int(Int64(tally.count))
        int(tally.firstSeen)
        int(tally.lastSeen)
        try endRow()
    }
}
