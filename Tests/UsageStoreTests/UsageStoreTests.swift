import Foundation
import GRDB
import TestSupport
import Testing
import Timestamps

@testable import UsageStore

@Suite struct UsageStoreTests {
    static let alice = "arn:aws:iam::111122223333:user/alice"

    func t(_ s: String) -> Int64 { Timestamp.parse(s) ?? -1 }
    func day(_ s: String) -> Int64 { Timestamp.day(of: t(s)) }

    func ledger(_ name: String, _ rows: [(String, String, Int)], resources: [String] = []) -> FileLedger {
        var l = FileLedger(files: [
            IngestedFile(
                name: name, size: 1, hash: "h-\(name)", path: "/logs/\(name)", records: rows.count, skipped: 0,
                diagnostics: 0)
        ])
        l.principals = [PrincipalRow(arn: Self.alice, type: "user", account: "111122223333", flagged: false)]
        for (time, action, count) in rows {
            let key = CountKey(principal: Self.alice, action: action, day: day(time))
            l.usage.append(CountRow(key: key, count: count, firstSeen: t(time), lastSeen: t(time)))
            l.activity.append(
                ActivityRow(principal: Self.alice, day: day(time), count: count, firstSeen: t(time), lastSeen: t(time)))
            l.coverage.append(
                CoverageRow(account: "111122223333", region: "us-east-1", day: day(time), events: count, dataEvents: 0))
        }
        let key = ResourceKey(principal: Self.alice, action: "s3:GetObject")
        let d = day("2026-11-01")
        l.resources = resources.map { ResourceRow(key: key, arn: $0, firstDay: d, lastDay: d) }
        return l
    }

    func store(_ dir: TemporaryDirectory, _ ledgers: [FileLedger]) throws -> UsageStore {
        let store = try UsageStore(path: dir.file("s.sqlite").path)
        for l in ledgers {
            var batch = LedgerBatch()
            batch.add(l)
            try store.write(batch)
        }
        return store
    }

    @Test func countsAddUpAndFirstLastWidenAcrossFiles() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try store(
            dir,
            [
                ledger("a", [("2026-11-01T10:00:00Z", "s3:GetObject", 2)]),
                ledger(
                    "b", [("2026-11-01T08:00:00Z", "s3:GetObject", 3), ("2026-11-02T09:00:00Z", "s3:GetObject", 1)]),
            ])
        let window = StoreWindow(start: t("2026-11-01"), end: t("2026-11-03"))
        #expect(
            try store.usage(principal: Self.alice, window: window) == [
                ActionUsage(
                    action: "s3:GetObject", count: 6, firstSeen: t("2026-11-01T08:00:00Z"),
                    lastSeen: t("2026-11-02T09:00:00Z"))
            ])
        #expect(try store.ingestedFiles().map(\.name) == ["a", "b"])
        #expect(try store.principals().map(\.events) == [6])
    }

    /// Ledgers of producers whose resource entries are many (past ``LedgerBatch/CoverMerge/threaded``: their
    /// covers merge on a thread of their own while the tallies are added) store what the same rows give
    /// through the batch's plain path, whatever order the entries come in and however each producer
    /// numbered the names.
    @Test func largeLedgersMergeTheirCoversAsTheRowsDo() throws {
        let principals = (0..<12).map { "arn:aws:iam::111122223333:role/r\($0)" }
        let actions = ["s3:GetObject", "s3:PutObject"]
        let file = { (n: Int) in
            IngestedFile(name: "f\(n)", size: 1, hash: "h\(n)", path: "f\(n)", records: 1, skipped: 0, diagnostics: 0)
        }
        // Producer 0 numbers principals then actions; producer 1 actions then principals, in reverse.
        let orders = [principals + actions, (actions + principals).reversed()]
        var rows = FileLedger(files: [file(0), file(1)])
        var batch = LedgerBatch()
        for producer in 0..<2 {
            let names = orders[producer]
            func id(_ name: String) -> Int32 { Int32(names.firstIndex(of: name)!) }
            var ledger = IdLedger(files: [file(producer)], firstName: 0, names: names)
            for p in principals {
                ledger.principals.append(IdLedger.Principal(id: id(p), type: "AssumedRole", flagged: false))
                if producer == 0 {
                    rows.principals.append(
                        PrincipalRow(arn: p, type: "AssumedRole", account: "111122223333", flagged: false))
                }
            }
            // 12 × 2 × 200 = 4,800 entries a producer, in an order of their own, over two months: the covers of
            // even principals keep 20 exact ARNs (their days widen), those of odd ones fold in part.
            for (i, p) in principals.enumerated() {
                for a in actions {
                    for j in (0..<200).shuffled() {
                        let arn =
                            i % 2 == 0
                            ? "arn:aws:s3:::b\(i)/k\((j + producer) % 20)"
                            : "arn:aws:s3:::b\(j % 3)/d\(j % (40 + producer))/x\(j)"
                        let day = Int64(20_380 + (j * 7 + producer) % 40)
                        ledger.resources.append(
                            IdLedger.Resource(
                                key: pack(id(p), id(a)), bytes: Array(arn.utf8), firstDay: day, lastDay: day + 1))
                        rows.resources.append(
                            ResourceRow(
                                key: ResourceKey(principal: p, action: a), arn: arn, firstDay: day, lastDay: day + 1))
                    }
                }
            }
            // One ARN of its own first and last (in a cover that keeps its ARNs).
            for (position, arn) in [(0, "arn:aws:s3:::b0/first-\(producer)"), (-1, "arn:aws:s3:::b0/last-\(producer)")]
            {
                let entry = IdLedger.Resource(
                    key: pack(id(principals[0]), id(actions[0])), bytes: Array(arn.utf8), firstDay: 20_390,
                    lastDay: 20_390)
                ledger.resources.insert(entry, at: position < 0 ? ledger.resources.count : position)
                rows.resources.append(
                    ResourceRow(
                        key: ResourceKey(principal: principals[0], action: actions[0]), arn: arn, firstDay: 20_390,
                        lastDay: 20_390))
            }
            #expect(ledger.resources.count >= LedgerBatch.CoverMerge.threaded)
            batch.add(ledger, producer: producer)
        }
        var plain = LedgerBatch()
        plain.add(rows)
        var dumps: [String] = []
        for b in [batch, plain] {
            let dir = try TemporaryDirectory()
            defer { dir.remove() }
            let store = try UsageStore(path: dir.file("s.sqlite").path)
            try store.write(b)
            dumps.append(try store.dump())
        }
        #expect(dumps[0] == dumps[1])
        #expect(dumps[0].contains("arn:aws:s3:::b0/k19"))
        #expect(dumps[0].contains(#""arn:aws:s3:::b1/"|"#))
    }

    /// A ledger's covers merge into the batch's table in place, on the writer's thread (a small ledger) as on
    /// their own (a large one): the batch keeps no reference while they merge, so no merge copies the whole
    /// table (found in review: a small ledger's merge copied every cover of the batch).
    @Test func coversMergeInPlace() {
        var batch = LedgerBatch()
        // The producer's first ledger lists its names; the next ones, none new.
        func ledger(_ arns: Range<Int>, first: Bool) -> IdLedger {
            var l = IdLedger(files: [], firstName: first ? 0 : 2, names: [])
            if first {
                l.names = ["arn:aws:iam::111122223333:user/u", "s3:GetObject"]
                l.principals = [IdLedger.Principal(id: 0, type: "IAMUser", flagged: false)]
            }
            // Covers of months: an ARN every 30 days.
            l.resources = arns.map { m in
                IdLedger.Resource(
                    key: pack(0, 1), bytes: Array("arn:aws:s3:::b/\(m)".utf8), firstDay: Int64(m * 30),
                    lastDay: Int64(m * 30))
            }
            return l
        }
        batch.add(ledger(0..<3000, first: true), producer: 0)
        let covers = batch.resources.count
        for arns in [0..<1, 5..<2005] {
            let before = batch.resources.values.withUnsafeBufferPointer { $0.baseAddress }
            batch.add(ledger(arns, first: false), producer: 0)
            // (Into covers that exist: the table does not grow.)
            #expect(batch.resources.count == covers)
            #expect(batch.resources.values.withUnsafeBufferPointer { $0.baseAddress } == before)
        }
    }

    /// The writer runs rows 8,192 per statement (``RowWriter/rowsPerRun``), and the usage rows, laid out
    /// beforehand, in one: batches of 8,195 and 8,196 usage and denied rows land whole, the first into empty
    /// tables (plain inserts), and the second batch's rows add to the first's (upserts).
    @Test func batchesLargerThanAStatementRunLandWhole() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let actions = (0..<(RowWriter.rowsPerRun + 4)).map { String(format: "s3:Action%05d", $0) }
        func withDenied(_ l: FileLedger) -> FileLedger {
            var l = l
            l.denied = l.usage
            return l
        }
        let store = try store(
            dir,
            [
                withDenied(ledger("a", actions.dropLast().map { ("2026-11-01T10:00:00Z", $0, 1) })),
                withDenied(ledger("b", actions.map { ("2026-11-01T11:00:00Z", $0, 2) })),
            ])
        let window = StoreWindow(start: t("2026-11-01"), end: t("2026-11-02"))
        let expected = actions.map { action in
            action == actions.last
                ? ActionUsage(
                    action: action, count: 2, firstSeen: t("2026-11-01T11:00:00Z"), lastSeen: t("2026-11-01T11:00:00Z"))
                : ActionUsage(
                    action: action, count: 3, firstSeen: t("2026-11-01T10:00:00Z"), lastSeen: t("2026-11-01T11:00:00Z"))
        }
        #expect(try store.usage(principal: Self.alice, window: window) == expected)
        #expect(try store.denied(principal: Self.alice, window: window) == expected)
        #expect(try store.principals().map(\.events) == [(actions.count - 1) + actions.count * 2])
    }

    /// The writer sorts a batch's rows by the texts of their names before it knows their row ids, which a
    /// new store numbers in that order. Into a store that numbered them otherwise (here `zed` before
    /// `alice`, `s3:PutObject` before `s3:AbortMultipartUpload`), the rows are sorted again: written in two
    /// batches, the store holds what one batch writes.
    @Test func rowsLandWhateverTheOrderOfTheStoresIds() throws {
        let zed = "arn:aws:iam::111122223333:user/zed"
        func ledger(_ name: String, _ principal: String, _ actions: [String], arns: [String]) -> FileLedger {
            var l = FileLedger(files: [
                IngestedFile(
                    name: name, size: 1, hash: "h-\(name)", path: "/logs/\(name)", records: 1, skipped: 0,
                    diagnostics: 0)
            ])
            l.principals = [PrincipalRow(arn: principal, type: "user", account: "111122223333", flagged: false)]
            let d = day("2026-11-01")
            for (i, action) in actions.enumerated() {
                let time = t("2026-11-01T10:00:00Z") + Int64(i)
                let key = CountKey(principal: principal, action: action, day: d)
                l.usage.append(CountRow(key: key, count: i + 1, firstSeen: time, lastSeen: time))
                l.denied.append(CountRow(key: key, count: 1, firstSeen: time, lastSeen: time))
                l.resources += arns.map {
                    ResourceRow(
                        key: ResourceKey(principal: principal, action: action), arn: $0, firstDay: d, lastDay: d)
                }
            }
            return l
        }
        let first = ledger("a", zed, ["s3:PutObject"], arns: [])
        let second = ledger(
            "b", Self.alice, ["s3:PutObject", "s3:AbortMultipartUpload", "s3:GetObject"],
            arns: ["arn:aws:s3:::b/k1", "arn:aws:s3:::b/k2"])
        var third = ledger("c", zed, ["s3:GetObject", "s3:AbortMultipartUpload"], arns: ["arn:aws:s3:::c/k"])
        third.usage += second.usage
        var dumps: [String] = []
        for batches in [[[first], [second, third]], [[first, second, third]]] {
            let dir = try TemporaryDirectory()
            defer { dir.remove() }
            let store = try UsageStore(path: dir.file("s.sqlite").path)
            for ledgers in batches {
                var batch = LedgerBatch()
                for l in ledgers { batch.add(l) }
                try store.write(batch)
            }
            let window = StoreWindow(start: t("2026-11-01"), end: t("2026-11-02"))
            #expect(
                try store.usage(principal: Self.alice, window: window).map(\.count) == [4, 6, 2])
            #expect(
                try store.resources(principal: zed, action: "s3:GetObject", window: window)
                    == ResourceSample(arns: ["arn:aws:s3:::c/k"]))
            dumps.append(try store.dump())
        }
        #expect(dumps[0] == dumps[1])
    }

    /// A text the writer cannot hand to SQLite (16 MiB or more: past any record's bound) fails the write
    /// with an error that says so, and the store keeps nothing of the batch.
    @Test func anOverlongResourceIsAnErrorNotACrash() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try UsageStore(path: dir.file("s.sqlite").path)
        let long = "arn:aws:s3:::b/" + String(repeating: "k", count: 1 << 24)
        var batch = LedgerBatch()
        batch.add(ledger("a", [("2026-11-01T10:00:00Z", "s3:GetObject", 1)], resources: [long]))
        #expect {
            try store.write(batch)
        } throws: { error in
            "\(error)".contains("too long")
        }
        #expect(try store.ingestedFiles() == [])
    }

    /// The window is `[start, end)` on event time, at day granularity: a day row counts when its events
    /// can fall in the window.
    @Test func windowEdges() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try store(
            dir,
            [ledger("a", [("2026-11-01T10:00:00Z", "s3:GetObject", 1), ("2026-11-03T00:00:00Z", "s3:PutObject", 1)])])
        let usage = { (start: String, end: String) in
            try store.usage(principal: Self.alice, window: StoreWindow(start: self.t(start), end: self.t(end))).map(
                \.action)
        }
        #expect(try usage("2026-11-01T10:00:00Z", "2026-11-03T00:00:00Z") == ["s3:GetObject"])
        #expect(try usage("2026-11-01T10:00:01Z", "2026-11-03T00:00:01Z") == ["s3:PutObject"])
        #expect(try usage("2026-10-01", "2026-11-01") == [])
        let coverage = try store.coverage(window: StoreWindow(start: t("2026-11-01"), end: t("2026-11-04")))
        #expect(coverage.days == [day("2026-11-01"), day("2026-11-03")])
        #expect(coverage.gaps == [day("2026-11-02")])
    }

    /// The store folds the covers of its batches into one cover per key, the same whatever order and
    /// batches the ARNs came in: 70 objects under `in/` fold (2 folders × 70 > 32), 3 under `out/` stay.
    @Test func resourceCoverIsTheSameWhateverTheOrder() throws {
        let arns =
            (0..<70).map { String(format: "arn:aws:s3:::b/in/k%02d", $0) } + (0..<3).map { "arn:aws:s3:::b/out/\($0)" }
        var dumps: [String] = []
        for order in [arns, arns.reversed(), arns.shuffled()] {
            let dir = try TemporaryDirectory()
            defer { dir.remove() }
            let store = try store(
                dir,
                [
                    ledger("a", [("2026-11-01T10:00:00Z", "s3:GetObject", 1)], resources: Array(order.prefix(40))),
                    ledger("b", [("2026-11-01T11:00:00Z", "s3:GetObject", 1)], resources: Array(order.dropFirst(40))),
                ])
            let sample = try store.resources(
                principal: Self.alice, action: "s3:GetObject",
                window: StoreWindow(start: t("2026-11-01"), end: t("2026-11-02")))
            #expect(
                sample
                    == ResourceSample(
                        arns: (0..<3).map { "arn:aws:s3:::b/out/\($0)" }, prefixes: ["arn:aws:s3:::b/in/"],
                        complete: true))
            dumps.append(try store.dump())
        }
        #expect(Set(dumps).count == 1)
    }

    /// Each calendar month has its own cover: 40 buckets in January fold January's cover to the ARN head,
    /// and a November window still names November's one bucket. A window over both months merges the two
    /// covers and folds them again within the bound.
    @Test func coversArePerCalendarMonth() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let key = ResourceKey(principal: Self.alice, action: "s3:GetObject")
        func resources(_ name: String, _ time: String, _ arns: [String]) -> FileLedger {
            var l = ledger(name, [(time, "s3:GetObject", arns.count)])
            l.resources = arns.map { ResourceRow(key: key, arn: $0, firstDay: day(time), lastDay: day(time)) }
            return l
        }
        let january = (0..<40).map { String(format: "arn:aws:s3:::bucket-%02d", $0) }
        let store = try store(
            dir,
            [
                resources("jan", "2026-01-15T10:00:00Z", january),
                resources("nov", "2026-11-20T10:00:00Z", ["arn:aws:s3:::reports"]),
            ])
        let november = StoreWindow(start: t("2026-11-01"), end: t("2026-12-01"))
        #expect(
            try store.resources(principal: Self.alice, action: "s3:GetObject", window: november)
                == ResourceSample(arns: ["arn:aws:s3:::reports"]))
        let jan = StoreWindow(start: t("2026-01-01"), end: t("2026-02-01"))
        #expect(
            try store.resources(principal: Self.alice, action: "s3:GetObject", window: jan)
                == ResourceSample(arns: [], prefixes: ["arn:aws:s3:::"]))
        let year = StoreWindow(start: t("2026-01-01"), end: t("2027-01-01"))
        #expect(
            try store.resources(principal: Self.alice, action: "s3:GetObject", window: year)
                == ResourceSample(arns: [], prefixes: ["arn:aws:s3:::"]))
        // Within the bound, the two months' entries are listed together.
        let dir2 = try TemporaryDirectory()
        defer { dir2.remove() }
        let small = try self.store(
            dir2,
            [
                resources("jan", "2026-01-15T10:00:00Z", ["arn:aws:s3:::a", "arn:aws:s3:::b"]),
                resources("nov", "2026-11-20T10:00:00Z", ["arn:aws:s3:::b", "arn:aws:s3:::c"]),
            ])
        #expect(
            try small.resources(principal: Self.alice, action: "s3:GetObject", window: year)
                == ResourceSample(arns: ["arn:aws:s3:::a", "arn:aws:s3:::b", "arn:aws:s3:::c"]))
        #expect(
            try small.resources(principal: Self.alice, action: "s3:GetObject", window: november)
                == ResourceSample(arns: ["arn:aws:s3:::b", "arn:aws:s3:::c"]))
    }

    @Test func removeAllEmptiesTheStoreAndReopeningKeepsTheSchema() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try store(dir, [ledger("a", [("2026-11-01T10:00:00Z", "s3:GetObject", 2)])])
        try store.removeAll()
        #expect(
            try store.totals() == StoreTotals(files: 0, principals: 0, used: 0, denied: 0, unresolved: 0, events: 0))
        let again = try UsageStore(path: dir.file("s.sqlite").path)
        #expect(try again.ingestedFiles() == [])
        let readOnly = try UsageStore(path: dir.file("s.sqlite").path, readOnly: true)
        #expect(try readOnly.principals() == [])
    }

    /// A store written by pare with schema v1 (`Fixtures/stores/demo-v1.sqlite`) migrates on open: every
    /// row is kept, usage rows get an unknown event (`''`, `''`), resource rows are exact ARNs (not
    /// folded), the samples that overflowed stay marked, and the store has the current schema.
    @Test func aV1StoreMigratesWithoutLosingRows() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.file("v1.sqlite").path
        try FileManager.default.copyItem(atPath: Repository.fixture("stores/demo-v1.sqlite").path, toPath: path)
        let before = try UsageStore(path: path, readOnly: true).dump()
        let store = try UsageStore(path: path)
        #expect(try store.appliedSchemaVersion() == UsageStore.schemaVersion)
        let after = try store.dump()
        func sections(_ dump: String) -> [String: [String]] {
            var out: [String: [String]] = [:]
            var table = ""
            for line in dump.split(separator: "\n") {
                if line.hasPrefix("[") { table = String(line) } else { out[table, default: []].append(String(line)) }
            }
            return out
        }
        var expected = sections(before)
        expected["[usage]"] = expected["[usage]"]?.map { row in
            let fields = row.split(separator: "|", omittingEmptySubsequences: false)
            return (fields.prefix(3) + [#""""#, #""""#] + fields.dropFirst(3)).joined(separator: "|")
        }.sorted()
        // Not folded; filed under the month of the row's first day (`year * 12 + month - 1`).
        expected["[resource]"] = expected["[resource]"]?.map { row in
            let firstDay = Int64(row.split(separator: "|", omittingEmptySubsequences: false)[3]) ?? -1
            return row + "|0|\(Timestamp.month(ofDay: firstDay))"
        }
        #expect(expected["[resource]"]?.first?.hasSuffix("|19548|19548|0|24282") == true)
        #expect(expected["[resource]"]?.count == 497)
        #expect(expected["[usage]"]?.count == 276)
        #expect(sections(after) == expected, "the migrated rows differ")
        let totals = try store.totals()
        #expect(
            totals == StoreTotals(files: 55, principals: 12, used: 2760, denied: 60, unresolved: 4, events: 2900))
        let benjamin = "arn:aws:iam::123837392027:user/benjamin"
        let july = StoreWindow(start: t("2023-07-10"), end: t("2023-07-11"))
        let events = try store.usageEvents(principal: benjamin, window: july)
        #expect(
            events["s3:GetBucketAcl"] == [
                EventUsage(
                    eventSource: "", eventName: "", count: 16, firstSeen: t("2023-07-10T11:42:24Z"),
                    lastSeen: t("2023-07-10T11:43:17Z"))
            ])
        #expect(events.values.allSatisfy { $0.count == 1 && !$0[0].isRecorded })
        #expect(events.count == 19)
    }

    /// A `v4` store (names as text in every row) migrates to `v5` (names as ids of the `name` table) without
    /// losing a row: the dump, which resolves the ids, is the same. Then a batch brings names that sort before
    /// the stored ones but get larger ids: the queries still order by the names' text, and the batch's
    /// resources fold into the stored covers (a stored prefix absorbs an ARN, a new prefix replaces a stored
    /// ARN).
    @Test func aV4StoreMigratesToNamesAsIds() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.file("v4.sqlite").path
        let (d, m) = (day("2026-11-01"), Timestamp.month(ofDay: day("2026-11-01")))
        func at(_ hour: Int) -> Int64 { t("2026-11-01T\(String(format: "%02d", hour)):00:00Z") }
        do {
            let queue = try DatabaseQueue(path: path)
            try UsageStore.migrator.migrate(queue, upTo: "v4")
            try queue.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO file VALUES (1, 'a', 1, 'h-a', '/logs/a', 11, 0, 0);
                        INSERT INTO principal VALUES (7, '\(Self.alice)', 'IAMUser', '111122223333', 0);
                        INSERT INTO usage VALUES
                            (7, 's3:PutObject', \(d), 's3.amazonaws.com', 'PutObject', 2, \(at(10)), \(at(11))),
                            (7, 's3:GetObject', \(d), '', '', 3, \(at(8)), \(at(9))),
                            (7, 's3:GetObject', \(d), 's3.amazonaws.com', 'GetObject', 1, \(at(12)), \(at(12)));
                        INSERT INTO denied VALUES (7, 's3:DeleteObject', \(d), 1, \(at(13)), \(at(13)));
                        INSERT INTO resource VALUES
                            (7, 's3:GetObject', 'arn:aws:s3:::b/in/', \(d), \(d), 1, \(m)),
                            (7, 's3:GetObject', 'arn:aws:s3:::b/k', \(d), \(d), 0, \(m)),
                            (7, 's3:GetObject', 'arn:aws:s3:::b/out/1', \(d), \(d), 0, \(m));
                        INSERT INTO resource_overflow VALUES (7, 's3:PutObject');
                        INSERT INTO unresolved VALUES (7, 'x.amazonaws.com', 'Frob', \(d), 4, \(at(14)), \(at(15)));
                        INSERT INTO coverage VALUES ('111122223333', 'us-east-1', \(d), 11, 0);
                        INSERT INTO activity VALUES (7, \(d), 11, \(at(8)), \(at(15)));
                        """)
            }
        }
        let before = try UsageStore(path: path, readOnly: true).dump()
        let store = try UsageStore(path: path)
        #expect(try store.appliedSchemaVersion() == "v5")
        #expect(try store.dump() == before)
        let types = try DatabaseQueue(path: path).read { db in
            try String.fetchAll(
                db,
                sql: """
                    SELECT typeof(action) FROM usage UNION SELECT typeof(event_source) FROM usage
                    UNION SELECT typeof(action) FROM resource UNION SELECT typeof(event_name) FROM unresolved
                    """)
        }
        #expect(types == ["integer"])

        var l = ledger("b", [("2026-11-01T16:00:00Z", "iam:GetUser", 1), ("2026-11-01T17:00:00Z", "s3:GetObject", 1)])
        let key = ResourceKey(principal: Self.alice, action: "s3:GetObject")
        l.resources = [
            ResourceRow(key: key, arn: "arn:aws:s3:::b/in/x", firstDay: d, lastDay: d),
            ResourceRow(key: key, arn: "arn:aws:s3:::b/out/", folded: true, firstDay: d, lastDay: d),
        ]
        l.unresolved = [
            UnresolvedRow(
                principal: Self.alice, eventSource: "a.amazonaws.com", eventName: "Zap", day: d, count: 1,
                firstSeen: at(16), lastSeen: at(16))
        ]
        var batch = LedgerBatch()
        batch.add(l)
        try store.write(batch)

        let window = StoreWindow(start: t("2026-11-01"), end: t("2026-11-02"))
        #expect(
            try store.usage(principal: Self.alice, window: window) == [
                ActionUsage(action: "iam:GetUser", count: 1, firstSeen: at(16), lastSeen: at(16)),
                ActionUsage(action: "s3:GetObject", count: 5, firstSeen: at(8), lastSeen: at(17)),
                ActionUsage(action: "s3:PutObject", count: 2, firstSeen: at(10), lastSeen: at(11)),
            ])
        #expect(
            try store.usageEvents(principal: Self.alice, window: window) == [
                "iam:GetUser": [
                    EventUsage(eventSource: "", eventName: "", count: 1, firstSeen: at(16), lastSeen: at(16))
                ],
                "s3:GetObject": [
                    EventUsage(eventSource: "", eventName: "", count: 4, firstSeen: at(8), lastSeen: at(17)),
                    EventUsage(
                        eventSource: "s3.amazonaws.com", eventName: "GetObject", count: 1, firstSeen: at(12),
                        lastSeen: at(12)),
                ],
                "s3:PutObject": [
                    EventUsage(
                        eventSource: "s3.amazonaws.com", eventName: "PutObject", count: 2, firstSeen: at(10),
                        lastSeen: at(11))
                ],
            ])
        #expect(
            try store.denied(principal: Self.alice, window: window) == [
                ActionUsage(action: "s3:DeleteObject", count: 1, firstSeen: at(13), lastSeen: at(13))
            ])
        #expect(
            try store.unresolved(window: window) == [
                EventUsage(
                    eventSource: "a.amazonaws.com", eventName: "Zap", count: 1, firstSeen: at(16), lastSeen: at(16)),
                EventUsage(
                    eventSource: "x.amazonaws.com", eventName: "Frob", count: 4, firstSeen: at(14), lastSeen: at(15)),
            ])
        #expect(
            try store.resources(principal: Self.alice, action: "s3:GetObject", window: window)
                == ResourceSample(arns: ["arn:aws:s3:::b/k"], prefixes: ["arn:aws:s3:::b/in/", "arn:aws:s3:::b/out/"]))
        #expect(
            try store.resources(principal: Self.alice, action: "s3:PutObject", window: window)
                == ResourceSample(arns: [], complete: false))
        // The stored rows themselves: the cover read back and folded with the batch's entries.
        let dump = try store.dump()
        let resources = dump.components(separatedBy: "[resource]\n")[1].components(separatedBy: "\n[")[0]
        #expect(
            resources == """
                \(Self.alice)|"s3:GetObject"|"arn:aws:s3:::b/in/"|\(d)|\(d)|1|\(m)
                \(Self.alice)|"s3:GetObject"|"arn:aws:s3:::b/k"|\(d)|\(d)|0|\(m)
                \(Self.alice)|"s3:GetObject"|"arn:aws:s3:::b/out/"|\(d)|\(d)|1|\(m)
                """)
    }

    @Test func aPathThatIsNotADatabaseIsAnError() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try Data("not sqlite at all, just text that is long enough to be read as a header".utf8).write(
            to: dir.file("x.sqlite"))
        #expect(throws: StoreError.self) { try UsageStore(path: dir.file("x.sqlite").path) }
        do {
            _ = try UsageStore(path: dir.file("x.sqlite").path)
        } catch {
            #expect(error.description == "cannot use the store `\(dir.file("x.sqlite").path)`: file is not a database")
        }
    }
}
