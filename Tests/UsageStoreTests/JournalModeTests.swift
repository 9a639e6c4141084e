import Foundation
import GRDB
import TestSupport
import Testing

@testable import UsageStore

/// A new store takes its first batch alone, with a rollback journal (the rows go into the database file
/// once), when no other connection has it open; otherwise, and for every later batch, the store is in
/// write-ahead-log mode, where readers and the writer do not wait for each other.
@Suite struct JournalModeTests {
    /// The journal mode recorded in the database file's header: byte 18 is 1 for a rollback journal, 2 for
    /// a write-ahead log.
    func headerMode(_ path: String) throws -> UInt8 {
        let header = try #require(FileManager.default.contents(atPath: path))
        return header[18]
    }

    /// The bytes in the write-ahead log (0 when there is none).
    func logSize(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path + "-wal"))?[.size] as? Int) ?? 0
    }

    func batch(_ name: String) -> LedgerBatch {
        var ledger = FileLedger(files: [
            IngestedFile(name: name, size: 1, hash: "h", path: "/logs/\(name)", records: 1, skipped: 0, diagnostics: 0)
        ])
        let alice = "arn:aws:iam::111122223333:user/alice"
        ledger.principals = [PrincipalRow(arn: alice, type: "user", account: "111122223333", flagged: false)]
        ledger.usage = [
            CountRow(
                key: CountKey(principal: alice, action: "s3:GetObject", day: 20_393), count: 1,
                firstSeen: 1_762_000_000, lastSeen: 1_762_000_000)
        ]
        var batch = LedgerBatch()
        batch.add(ledger)
        return batch
    }

    @Test func aNewStoresFirstBatchGoesIntoTheFileTheNextOnesThroughTheLog() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.file("s.sqlite").path
        let store = try UsageStore(path: path)
        #expect(try headerMode(path) == 2)
        try store.write(batch("a"))
        #expect(try headerMode(path) == 2)
        #expect(logSize(path) == 0)
        // The store is handed back: another connection reads it at once (GRDB's default: no busy wait).
        let reader = try DatabaseQueue(path: path)
        #expect(try reader.read { db in try String.fetchAll(db, sql: "SELECT name FROM file") } == ["a"])
        try store.write(batch("b"))
        #expect(logSize(path) > 0)
        #expect(try store.ingestedFiles().map(\.name) == ["a", "b"])
    }

    /// Ahead of a new store's first batch, its log (the schema the opening wrote) is copied into the file
    /// and emptied; not with a reader in a transaction (without waiting for it), nor once the store holds
    /// files.
    @Test func theLogIsEmptiedAheadOfTheFirstBatchOnly() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.file("s.sqlite").path
        let store = try UsageStore(path: path)
        #expect(logSize(path) > 0)
        let reader = try DatabaseQueue(path: path)
        let started = Date()
        try reader.read { db in
            let files = try Int.fetchOne(db, sql: "SELECT count(*) FROM file")
            store.checkpointBeforeFirstBatch()
            #expect(files == 0)
        }
        #expect(Date().timeIntervalSince(started) < 5)
        #expect(logSize(path) > 0)
        store.checkpointBeforeFirstBatch()
        #expect(logSize(path) == 0)
        try store.write(batch("a"))
        try store.write(batch("b"))
        #expect(logSize(path) > 0)
        store.checkpointBeforeFirstBatch()
        #expect(logSize(path) > 0)
        #expect(try store.ingestedFiles().map(\.name) == ["a", "b"])
    }

    /// A reader inside a transaction when the first batch comes: SQLite refuses to leave the write-ahead
    /// log at once; the batch goes through the log without waiting for the reader, who keeps its snapshot.
    @Test func aReaderDuringTheFirstBatchNeitherWaitsNorIsWaitedFor() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.file("s.sqlite").path
        let store = try UsageStore(path: path)
        let reader = try DatabaseQueue(path: path)
        let started = Date()
        try reader.read { db in
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM file") == 0)
            try store.write(batch("a"))
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM file") == 0)
        }
        #expect(Date().timeIntervalSince(started) < 5)
        #expect(logSize(path) > 0)
        #expect(try headerMode(path) == 2)
        #expect(try reader.read { db in try String.fetchAll(db, sql: "SELECT name FROM file") } == ["a"])
    }

    /// A failing first batch hands the store back too: write-ahead-log mode, readable by others, and the
    /// next batch is again the first.
    @Test func aFailingFirstBatchHandsTheStoreBack() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.file("s.sqlite").path
        let store = try UsageStore(path: path)
        // A usage row of a principal the ledger does not list: the write fails inside the transaction.
        var ledger = FileLedger(files: [
            IngestedFile(name: "a", size: 1, hash: "h", path: "/logs/a", records: 1, skipped: 0, diagnostics: 0)
        ])
        ledger.usage = [
            CountRow(
                key: CountKey(principal: "arn:aws:iam::111122223333:user/bob", action: "s3:GetObject", day: 20_393),
                count: 1, firstSeen: 1_762_000_000, lastSeen: 1_762_000_000)
        ]
        var bad = LedgerBatch()
        bad.add(ledger)
        #expect(throws: StoreError.self) { try store.write(bad) }
        #expect(try headerMode(path) == 2)
        let reader = try DatabaseQueue(path: path)
        #expect(try reader.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM file") } == 0)
        try store.write(batch("b"))
        #expect(try store.ingestedFiles().map(\.name) == ["b"])
    }
}
