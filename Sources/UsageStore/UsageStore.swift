import GRDB

/// The usage ledger in SQLite: principal × action × UTC day, denied attempts, a bounded resource
/// sample, unresolved events, log coverage and the files already ingested (DESIGN.md "The usage store").
///
/// Every row carries the file it came from, so that re-ingesting a file replaces its contribution and
/// a file's rows and its "ingested" mark commit in one transaction (an interrupted run loses nothing
/// and counts nothing twice). Times are integer seconds since the epoch, days are UTC day numbers.
public final class UsageStore: Sendable {
    /// Resources kept per (principal, action, day) and per file: the smallest in byte order, so the
    /// sample of a window is the same whatever order the files were ingested in.
    public static let resourceSampleSize = 16

    /// The schema version written by this build (`PRAGMA user_version` as GRDB migrations record it).
    public static let schemaVersion = "v1"

    let queue: DatabaseQueue
    /// The database file.
    public let path: String

    /// Opens (creating and migrating when needed) the store at `path`.
    public init(path: String) throws(StoreError) {
        self.path = path
        do {
            var configuration = Configuration()
            configuration.prepareDatabase { db in
                try db.execute(sql: "PRAGMA synchronous = NORMAL")
            }
            queue = try DatabaseQueue(path: path, configuration: configuration)
            try queue.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA journal_mode = WAL")
            }
            try Self.migrator.migrate(queue)
        } catch {
            throw StoreError(path: path, error)
        }
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
                        file INTEGER NOT NULL, principal INTEGER NOT NULL, action TEXT NOT NULL, day INTEGER NOT NULL,
                        count INTEGER NOT NULL, first_seen INTEGER NOT NULL, last_seen INTEGER NOT NULL);
                    CREATE INDEX usage_by_principal ON usage (principal, day);
                    CREATE TABLE denied (
                        file INTEGER NOT NULL, principal INTEGER NOT NULL, action TEXT NOT NULL, day INTEGER NOT NULL,
                        count INTEGER NOT NULL, first_seen INTEGER NOT NULL, last_seen INTEGER NOT NULL);
                    CREATE INDEX denied_by_principal ON denied (principal, day);
                    CREATE TABLE resource (
                        file INTEGER NOT NULL, principal INTEGER NOT NULL, action TEXT NOT NULL, day INTEGER NOT NULL,
                        arn TEXT NOT NULL);
                    CREATE INDEX resource_by_principal ON resource (principal, action, day);
                    CREATE TABLE resource_overflow (
                        file INTEGER NOT NULL, principal INTEGER NOT NULL, action TEXT NOT NULL, day INTEGER NOT NULL);
                    CREATE TABLE unresolved (
                        file INTEGER NOT NULL, principal INTEGER NOT NULL, event_source TEXT NOT NULL,
                        event_name TEXT NOT NULL, day INTEGER NOT NULL, count INTEGER NOT NULL,
                        first_seen INTEGER NOT NULL, last_seen INTEGER NOT NULL);
                    CREATE TABLE coverage (
                        file INTEGER NOT NULL, account TEXT NOT NULL, region TEXT NOT NULL, day INTEGER NOT NULL,
                        events INTEGER NOT NULL, data_events INTEGER NOT NULL);
                    CREATE INDEX coverage_by_day ON coverage (day);
                    CREATE TABLE activity (
                        file INTEGER NOT NULL, principal INTEGER NOT NULL, day INTEGER NOT NULL, count INTEGER NOT NULL,
                        first_seen INTEGER NOT NULL, last_seen INTEGER NOT NULL);
                    CREATE INDEX activity_by_principal ON activity (principal, day);
                    """)
        }
        return migrator
    }

    /// The tables whose rows belong to a file.
    static let perFileTables = [
        "usage", "denied", "resource", "resource_overflow", "unresolved", "coverage", "activity",
    ]

    // MARK: Ingestion bookkeeping

    /// The content hashes of ingested files with this name and size (usually none or one).
    public func ingestedHashes(name: String, size: Int64) throws(StoreError) -> [String] {
        try read { db in
            try String.fetchAll(db, sql: "SELECT hash FROM file WHERE name = ? AND size = ?", arguments: [name, size])
        }
    }

    /// Writes the ledgers of several files in one transaction. A file already in the store (same
    /// name, size and hash), or an earlier version of it (same name and path), is replaced: its
    /// previous rows are deleted first.
    public func write(_ ledgers: [FileLedger]) throws(StoreError) {
        do {
            try queue.inTransaction { db in
                var principals: [String: Int64] = [:]
                for ledger in ledgers {
                    try Self.write(ledger, db, &principals)
                }
                return .commit
            }
        } catch {
            throw StoreError(path: path, error)
        }
    }

    private static func write(_ ledger: FileLedger, _ db: Database, _ principals: inout [String: Int64]) throws {
        let f = ledger.file
        // The same file again, or a new version of a file at the same path (a truncated download
        // fetched again): its previous rows go.
        for old in try Int64.fetchAll(
            db, sql: "SELECT id FROM file WHERE name = ? AND ((size = ? AND hash = ?) OR path = ?)",
            arguments: [f.name, f.size, f.hash, f.path])
        {
            for table in perFileTables {
                try db.execute(sql: "DELETE FROM \(table) WHERE file = ?", arguments: [old])
            }
            try db.execute(sql: "DELETE FROM file WHERE id = ?", arguments: [old])
        }
        try db.execute(
            sql:
                "INSERT INTO file (name, size, hash, path, records, skipped, diagnostics) VALUES (?, ?, ?, ?, ?, ?, ?)",
            arguments: [f.name, f.size, f.hash, f.path, f.records, f.skipped, f.diagnostics])
        let file = db.lastInsertedRowID

        let upsert = try db.cachedStatement(
            sql: """
                INSERT INTO principal (arn, type, account, flagged) VALUES (?, ?, ?, ?)
                ON CONFLICT (arn) DO UPDATE SET flagged = flagged AND excluded.flagged
                """)
        let lookup = try db.cachedStatement(sql: "SELECT id FROM principal WHERE arn = ?")
        for p in ledger.principals where principals[p.arn] == nil {
            try upsert.execute(arguments: [p.arn, p.type, p.account, p.flagged])
            principals[p.arn] = try Int64.fetchOne(lookup, arguments: [p.arn])
        }
        func id(_ arn: String) throws -> Int64 {
            if let id = principals[arn] { return id }
            guard let id = try Int64.fetchOne(lookup, arguments: [arn]) else {
                throw DatabaseError(message: "ledger row names principal `\(arn)` that the ledger does not list")
            }
            principals[arn] = id
            return id
        }

        for (table, rows) in [("usage", ledger.usage), ("denied", ledger.denied)] {
            let insert = try db.cachedStatement(
                sql: "INSERT INTO \(table) VALUES (?, ?, ?, ?, ?, ?, ?)")
            for r in rows {
                try insert.execute(arguments: [
                    file, try id(r.key.principal), r.key.action, r.key.day, r.count, r.firstSeen, r.lastSeen,
                ])
            }
        }
        let resource = try db.cachedStatement(sql: "INSERT INTO resource VALUES (?, ?, ?, ?, ?)")
        for r in ledger.resources {
            try resource.execute(arguments: [file, try id(r.key.principal), r.key.action, r.key.day, r.arn])
        }
        let overflow = try db.cachedStatement(sql: "INSERT INTO resource_overflow VALUES (?, ?, ?, ?)")
        for k in ledger.resourceOverflow {
            try overflow.execute(arguments: [file, try id(k.principal), k.action, k.day])
        }
        let unresolved = try db.cachedStatement(sql: "INSERT INTO unresolved VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
        for r in ledger.unresolved {
            try unresolved.execute(arguments: [
                file, try id(r.principal), r.eventSource, r.eventName, r.day, r.count, r.firstSeen, r.lastSeen,
            ])
        }
        let coverage = try db.cachedStatement(sql: "INSERT INTO coverage VALUES (?, ?, ?, ?, ?, ?)")
        for r in ledger.coverage {
            try coverage.execute(arguments: [file, r.account, r.region, r.day, r.events, r.dataEvents])
        }
        let activity = try db.cachedStatement(sql: "INSERT INTO activity VALUES (?, ?, ?, ?, ?, ?)")
        for r in ledger.activity {
            try activity.execute(arguments: [file, try id(r.principal), r.day, r.count, r.firstSeen, r.lastSeen])
        }
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
