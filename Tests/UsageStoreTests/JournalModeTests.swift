import Foundation
import GRDB
import TestSupport
import Testing

@testable import UsageStore

/// A new store takes its first batch in rollback-journal mode (the rows go into the database file once),
/// then turns to write-ahead-log mode; an existing store opens in write-ahead-log mode.
@Suite struct JournalModeTests {
    /// The journal mode recorded in the database file's header: byte 18 is 1 for a rollback journal, 2 for
    /// a write-ahead log.
    func headerMode(_ path: String) throws -> UInt8 {
        let header = try #require(FileManager.default.contents(atPath: path))
        return header[18]
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

    @Test func aNewStoreWritesItsFirstBatchWithoutTheWriteAheadLog() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.file("s.sqlite").path
        let store = try UsageStore(path: path)
        #expect(try headerMode(path) == 1)
        try store.write(batch("a"))
        #expect(try headerMode(path) == 2)
        try store.write(batch("b"))
        #expect(try store.ingestedFiles().map(\.name) == ["a", "b"])
        #expect(try headerMode(path) == 2)
    }

    @Test func anExistingStoreOpensInWriteAheadLogMode() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.file("s.sqlite").path
        _ = try UsageStore(path: path)
        #expect(try headerMode(path) == 1)
        let again = try UsageStore(path: path)
        #expect(try headerMode(path) == 2)
        try again.write(batch("a"))
        #expect(try again.ingestedFiles().map(\.name) == ["a"])
    }

    /// Another process reading the store makes SQLite refuse the change of journal mode: the writer does not
    /// wait for it (the busy timeout is 10 s), keeps the rollback journal, and changes at a later commit.
    @Test func aReaderDefersTheWriteAheadLogWithoutAWait() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.file("s.sqlite").path
        let store = try UsageStore(path: path)
        let reader = try DatabaseQueue(path: path)
        let started = Date()
        try reader.read { db in
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM file") == 0)
            try UsageStore.useWriteAheadLog(store.queue)
        }
        #expect(Date().timeIntervalSince(started) < 5)
        #expect(try headerMode(path) == 1)
        try store.write(batch("a"))
        #expect(try headerMode(path) == 2)
        #expect(try reader.read { db in try String.fetchAll(db, sql: "SELECT name FROM file") } == ["a"])
    }
}
