import Foundation
import Timestamps
import UsageStore

/// A usage store written directly through the ledger (no logs): for tests of what reads the store.
public struct TestLedger {
    /// One event: a principal's use (or denied attempt) of an action at an ISO 8601 time.
    public struct Event: Sendable {
        public var principal: String
        public var action: String
        public var time: String
        public var denied: Bool

        public init(_ principal: String, _ action: String, at time: String, denied: Bool = false) {
            self.principal = principal
            self.action = action
            self.time = time
            self.denied = denied
        }
    }

    /// A store in `directory` with `events` and log coverage of `account` in `region` on every day from
    /// `coveredFrom` to `coveredTo` (inclusive, `YYYY-MM-DD`) except `gaps`; with `dataEvents`, each
    /// covered day counts one data event.
    public static func store(
        in directory: TemporaryDirectory, events: [Event], account: String, region: String = "us-east-1",
        coveredFrom: String, coveredTo: String, gaps: Set<String> = [], dataEvents: Bool = true
    ) throws -> UsageStore {
        let store = try UsageStore(path: directory.file("usage-\(UUID().uuidString).sqlite").path)
        var ledger = FileLedger(
            files: [
                IngestedFile(
                    name: "test.json", size: 0, hash: UUID().uuidString, path: "test.json", records: events.count,
                    skipped: 0, diagnostics: 0)
            ])
        func seconds(_ text: String) -> Int64 { Timestamp.parse(text) ?? 0 }
        for arn in Set(events.map(\.principal)).sorted() {
            let type = arn.contains(":role/") ? "AssumedRole" : "IAMUser"
            ledger.principals.append(PrincipalRow(arn: arn, type: type, account: account, flagged: false))
        }
        for event in events {
            let time = seconds(event.time)
            let key = CountKey(principal: event.principal, action: event.action, day: Timestamp.day(of: time))
            let row = CountRow(key: key, count: 1, firstSeen: time, lastSeen: time)
            if event.denied { ledger.denied.append(row) } else { ledger.usage.append(row) }
            ledger.activity.append(
                ActivityRow(principal: event.principal, day: key.day, count: 1, firstSeen: time, lastSeen: time))
        }
        let first = Timestamp.day(of: seconds(coveredFrom))
        let last = Timestamp.day(of: seconds(coveredTo))
        for day in first...last where !gaps.contains(Timestamp.formatDay(day)) {
            ledger.coverage.append(
                CoverageRow(account: account, region: region, day: day, events: 1, dataEvents: dataEvents ? 1 : 0))
        }
        var batch = LedgerBatch()
        batch.add(ledger)
        try store.write(batch)
        return store
    }
}
