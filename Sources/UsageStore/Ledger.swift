import Foundation
import Timestamps

/// The contribution of one or more files to the usage ledger, as the ingestion pipeline hands it to
/// the store (DESIGN.md "The usage store"). Anything that produces these rows can feed the store.
public struct FileLedger: Sendable, Hashable {
    /// The files' keys and read statistics: they are marked as ingested with these rows.
    public var files: [IngestedFile]
    public var principals: [PrincipalRow] = []
    /// Successful (authorized) use per (principal, action, UTC day, event).
    public var usage: [CountRow] = []
    /// Denied attempts per (principal, action, UTC day).
    public var denied: [CountRow] = []
    /// The resources seen per (principal, action), with the days they were seen: ARNs, or folded prefixes
    /// standing for all the ARNs under them (``ResourceCover``). The store folds them into a cover of at
    /// most ``UsageStore/resourceCoverSize`` entries per key.
    public var resources: [ResourceRow] = []
    /// Events the catalog could not resolve, per (principal, eventSource, eventName, day).
    public var unresolved: [UnresolvedRow] = []
    /// Log coverage per (account, region, day).
    public var coverage: [CoverageRow] = []
    /// Every attributed event (used, denied, no permission needed, unresolved) per (principal, day).
    public var activity: [ActivityRow] = []

    public init(files: [IngestedFile]) { self.files = files }
}

/// The key of an ingested file (name, size, content hash) and what reading it gave.
public struct IngestedFile: Sendable, Hashable, Codable {
    public var name: String
    public var size: Int64
    public var hash: String
    /// The path it was read from (informative; not part of the key).
    public var path: String
    public var records: Int
    public var skipped: Int
    public var diagnostics: Int

    public init(name: String, size: Int64, hash: String, path: String, records: Int, skipped: Int, diagnostics: Int) {
        self.name = name
        self.size = size
        self.hash = hash
        self.path = path
        self.records = records
        self.skipped = skipped
        self.diagnostics = diagnostics
    }
}

public struct PrincipalRow: Sendable, Hashable {
    /// The principal's ARN (or, for flagged identities, what the record gives).
    public var arn: String
    /// `userIdentity.type` of the events attributed to it (`IAMUser`, `AssumedRole`, `Root`, …).
    public var type: String
    public var account: String
    /// Not a plain IAM principal (`AWSAccount`, `IdentityCenterUser`, unknown types, …).
    public var flagged: Bool

    public init(arn: String, type: String, account: String, flagged: Bool) {
        self.arn = arn
        self.type = type
        self.account = account
        self.flagged = flagged
    }
}

public struct CountKey: Sendable, Hashable {
    public var principal: String
    public var action: String
    public var day: Int64
    /// The CloudTrail event that used the action (usage rows only; denied rows leave them empty). Empty
    /// when not known: usage ingested before store v2.
    public var eventSource: String
    public var eventName: String

    public init(principal: String, action: String, day: Int64, eventSource: String = "", eventName: String = "") {
        self.principal = principal
        self.action = action
        self.day = day
        self.eventSource = eventSource
        self.eventName = eventName
    }
}

public struct CountRow: Sendable, Hashable {
    public var key: CountKey
    public var count: Int
    public var firstSeen: Int64
    public var lastSeen: Int64

    public init(key: CountKey, count: Int, firstSeen: Int64, lastSeen: Int64) {
        self.key = key
        self.count = count
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
    }
}

public struct ResourceKey: Sendable, Hashable {
    public var principal: String
    public var action: String

    public init(principal: String, action: String) {
        self.principal = principal
        self.action = action
    }
}

public struct ResourceRow: Sendable, Hashable {
    public var key: ResourceKey
    /// An ARN, or with ``folded`` a prefix at a path boundary: every ARN that starts with it.
    public var arn: String
    public var folded: Bool
    /// The UTC days the ARN (or any ARN under the prefix) was first and last seen with this key.
    public var firstDay: Int64
    public var lastDay: Int64

    public init(key: ResourceKey, arn: String, folded: Bool = false, firstDay: Int64, lastDay: Int64) {
        self.key = key
        self.arn = arn
        self.folded = folded
        self.firstDay = firstDay
        self.lastDay = lastDay
    }
}

public struct UnresolvedRow: Sendable, Hashable {
    public var principal: String
    public var eventSource: String
    public var eventName: String
    public var day: Int64
    public var count: Int
    public var firstSeen: Int64
    public var lastSeen: Int64

    public init(
        principal: String, eventSource: String, eventName: String, day: Int64, count: Int, firstSeen: Int64,
        lastSeen: Int64
    ) {
        self.principal = principal
        self.eventSource = eventSource
        self.eventName = eventName
        self.day = day
        self.count = count
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
    }
}

public struct CoverageRow: Sendable, Hashable {
    public var account: String
    public var region: String
    public var day: Int64
    public var events: Int
    /// Data events (`eventCategory` `Data`, or `managementEvent` false): whether object-level calls are logged.
    public var dataEvents: Int

    public init(account: String, region: String, day: Int64, events: Int, dataEvents: Int) {
        self.account = account
        self.region = region
        self.day = day
        self.events = events
        self.dataEvents = dataEvents
    }
}

public struct ActivityRow: Sendable, Hashable {
    public var principal: String
    public var day: Int64
    public var count: Int
    public var firstSeen: Int64
    public var lastSeen: Int64

    public init(principal: String, day: Int64, count: Int, firstSeen: Int64, lastSeen: Int64) {
        self.principal = principal
        self.day = day
        self.count = count
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
    }
}

/// A ledger keyed by integer name ids, with the names it introduces: how ingestion workers hand their
/// rows to the writer without making and hashing a `String` per row. The ids are the producer's own
/// (dense, from 0); each ledger of a producer lists the names its earlier ledgers did not, and
/// ``LedgerBatch/add(_:producer:)`` translates them.
public struct IdLedger: Sendable {
    public struct Count: Sendable {
        /// `pack(principal, action)` (`action` -1 for activity), or `pack(principal, eventSource)` for
        /// unresolved events, or `pack(account, region)` for coverage.
        public var key: UInt64
        /// The day, or `pack(eventName, day)` for unresolved events.
        public var day: UInt64
        public var count: Int
        /// First and last seen; for coverage, data events and 0.
        public var first: Int64
        public var last: Int64
        /// For usage, the event: `pack(eventSource, eventName)`; 0 otherwise.
        public var event: UInt64

        public init(key: UInt64, day: UInt64, count: Int, first: Int64, last: Int64, event: UInt64 = 0) {
            self.key = key
            self.day = day
            self.count = count
            self.first = first
            self.last = last
            self.event = event
        }
    }

    public struct Principal: Sendable {
        public var id: Int32
        public var type: String
        public var flagged: Bool

        public init(id: Int32, type: String, flagged: Bool) {
            self.id = id
            self.type = type
            self.flagged = flagged
        }
    }

    public struct Resource: Sendable {
        /// `pack(principal, action)`.
        public var key: UInt64
        /// The UTF-8 bytes of an ARN, or with `folded` of a prefix (``ResourceRow``): the writer's covers
        /// keep bytes.
        public var bytes: [UInt8]
        public var folded: Bool
        public var firstDay: Int64
        public var lastDay: Int64

        public init(key: UInt64, bytes: [UInt8], folded: Bool = false, firstDay: Int64, lastDay: Int64) {
            self.key = key
            self.bytes = bytes
            self.folded = folded
            self.firstDay = firstDay
            self.lastDay = lastDay
        }
    }

    public var files: [IngestedFile]
    /// The id of `names[0]`.
    public var firstName: Int32
    public var names: [String]
    public var principals: [Principal] = []
    /// Per (principal, action, day, event).
    public var usage: [Count] = []
    public var denied: [Count] = []
    public var activity: [Count] = []
    public var unresolved: [Count] = []
    public var coverage: [Count] = []
    /// The entries of the resource covers that changed since the producer's last ledger.
    public var resources: [Resource] = []

    public init(files: [IngestedFile], firstName: Int32, names: [String]) {
        self.files = files
        self.firstName = firstName
        self.names = names
    }
}

/// The merged ledgers of several files, written in one transaction with the files' marks. Rows are
/// keyed by integer ids of the names (principals, actions, sources, accounts, regions), which the batch
/// keeps across ``removeRows()``: memory grows with the distinct keys of the batch and the distinct
/// names, not with its events.
public struct LedgerBatch: Sendable {
    struct Tally: Sendable {
        var count = 0
        var firstSeen = Int64.max
        var lastSeen = Int64.min

        mutating func add(_ count: Int, _ first: Int64, _ last: Int64) {
            self.count += count
            firstSeen = min(firstSeen, first)
            lastSeen = max(lastSeen, last)
        }
    }

    struct Principal: Sendable {
        var type: String
        var account: String
        var flagged: Bool
    }

    public private(set) var files: [IngestedFile] = []
    /// The strings of the ids, and the ids of the strings.
    private(set) var names: [String] = []
    private var ids: [String: Int32] = [:]
    /// Per producer, its ids → the batch's.
    private var translations: [[Int32]] = []
    /// The events (`pack(eventSource, eventName)`) of the ids in usage keys: an event's id is its position.
    private var eventIds = IntTable<Void>(capacity: 1024)

    var principals: [Int32: Principal] = [:]
    /// Keys as in ``IdLedger/Count``, in the batch's ids; usage `(pack(principal, action), pack(event, day))`
    /// with the event's id in ``events``.
    var usage = IntTable<Tally>(capacity: 4096)
    var denied = IntTable<Tally>()
    var unresolved = IntTable<Tally>()
    var activity = IntTable<Tally>(capacity: 1024)
    var coverage = IntTable<(events: Int, dataEvents: Int)>()
    /// Keys `(pack(principal, action), month)`, the month (``Timestamp/month(ofDay:)``) of the entries'
    /// first day: one cover per calendar month.
    var resources = IntTable<ResourceCover>(capacity: 4096)

    public init() {}

    /// The number of files in the batch.
    public var count: Int { files.count }

    /// Forgets the rows and files (after a commit), keeping the names.
    public mutating func removeRows() {
        files = []
        principals = [:]
        usage.removeAll()
        denied.removeAll()
        unresolved.removeAll()
        activity.removeAll()
        coverage.removeAll()
        resources.removeAll()
    }

    private mutating func intern(_ name: String) -> Int32 {
        if let id = ids[name] { return id }
        let id = Int32(names.count)
        names.append(name)
        ids[name] = id
        return id
    }

    /// The id of the event `pack(eventSource, eventName)` (in the batch's name ids).
    private mutating func event(_ sourceAndName: UInt64) -> Int32 {
        Int32(eventIds.index(sourceAndName, 0, default: ()))
    }

    /// The event `pack(eventSource, eventName)` of the id ``event(_:)`` gave.
    func event(id: Int32) -> UInt64 { eventIds.first[Int(id)] }

    public mutating func add(_ ledger: FileLedger) {
        files += ledger.files
        for p in ledger.principals {
            addPrincipal(intern(p.arn), Principal(type: p.type, account: p.account, flagged: p.flagged))
        }
        for r in ledger.usage {
            let e = event(pack(intern(r.key.eventSource), intern(r.key.eventName)))
            let k = usage.index(
                pack(intern(r.key.principal), intern(r.key.action)), pack(e, Int32(truncatingIfNeeded: r.key.day)),
                default: Tally())
            usage.values[k].add(r.count, r.firstSeen, r.lastSeen)
        }
        for r in ledger.denied {
            let k = denied.index(
                pack(intern(r.key.principal), intern(r.key.action)), dayWord(r.key.day), default: Tally())
            denied.values[k].add(r.count, r.firstSeen, r.lastSeen)
        }
        for r in ledger.unresolved {
            let k = unresolved.index(
                pack(intern(r.principal), intern(r.eventSource)),
                pack(intern(r.eventName), Int32(truncatingIfNeeded: r.day)),
                default: Tally())
            unresolved.values[k].add(r.count, r.firstSeen, r.lastSeen)
        }
        for r in ledger.activity {
            let k = activity.index(pack(intern(r.principal), -1), dayWord(r.day), default: Tally())
            activity.values[k].add(r.count, r.firstSeen, r.lastSeen)
        }
        for r in ledger.coverage {
            let k = coverage.index(pack(intern(r.account), intern(r.region)), dayWord(r.day), default: (0, 0))
            coverage.values[k].events += r.events
            coverage.values[k].dataEvents += r.dataEvents
        }
        var touched: [Int] = []
        for r in ledger.resources {
            let k = resources.index(
                pack(intern(r.key.principal), intern(r.key.action)), Self.month(r.firstDay), default: ResourceCover())
            Self.addResource(&resources, k, Array(r.arn.utf8), r.folded, r.firstDay, r.lastDay)
            touched.append(k)
        }
        Self.fold(&resources, touched)
    }

    /// Adds the ledger of `producer` (a small integer naming, for instance, a worker thread).
    public mutating func add(_ ledger: IdLedger, producer: Int) {
        while translations.count <= producer { translations.append([]) }
        var map = translations[producer]
        translations[producer] = []
        // A gap would mean a ledger was lost; the names still line up from `firstName`.
        while map.count < Int(ledger.firstName) { map.append(-1) }
        map.removeSubrange(Int(ledger.firstName)...)
        for name in ledger.names { map.append(intern(name)) }
        defer { translations[producer] = map }
        @inline(__always) func id(_ local: Int32) -> Int32 { local < 0 ? local : map[Int(local)] }
        @inline(__always) func key(_ w: UInt64) -> UInt64 {
            let (a, b) = unpack(w)
            return pack(id(a), id(b))
        }
        @inline(__always) func nameDay(_ w: UInt64) -> UInt64 {
            let (a, b) = unpack(w)
            return pack(id(a), b)
        }
        // The covers move out of the batch while they merge: the batch keeps no reference, or the merge's
        // first change would copy the whole table.
        var moved = IntTable<ResourceCover>(capacity: 0)
        swap(&moved, &resources)
        let covers = CoverMerge(consume moved)
        covers.start(ledger.resources, map)
        files += ledger.files
        for p in ledger.principals {
            let global = id(p.id)
            addPrincipal(
                global, Principal(type: p.type, account: Self.account(of: names[Int(global)]), flagged: p.flagged))
        }
        // The rows' slots are loaded ahead (`lead` rows on): the tables outgrow the caches, and a probe waits
        // for memory otherwise.
        let lead = 8
        for (i, r) in ledger.usage.enumerated() {
            if i + lead < ledger.usage.count {
                let next = ledger.usage[i + lead]
                if let e = eventIds.find(key(next.event), 0) {
                    usage.prefetch(key(next.key), pack(Int32(e), Int32(truncatingIfNeeded: day(of: next.day))))
                }
            }
            let e = event(key(r.event))
            usage.values[usage.index(key(r.key), pack(e, Int32(truncatingIfNeeded: day(of: r.day))), default: Tally())]
                .add(r.count, r.first, r.last)
        }
        for (i, r) in ledger.denied.enumerated() {
            if i + lead < ledger.denied.count {
                denied.prefetch(key(ledger.denied[i + lead].key), ledger.denied[i + lead].day)
            }
            denied.values[denied.index(key(r.key), r.day, default: Tally())].add(r.count, r.first, r.last)
        }
        for (i, r) in ledger.activity.enumerated() {
            if i + lead < ledger.activity.count {
                activity.prefetch(key(ledger.activity[i + lead].key), ledger.activity[i + lead].day)
            }
            activity.values[activity.index(key(r.key), r.day, default: Tally())].add(r.count, r.first, r.last)
        }
        for r in ledger.unresolved {
            unresolved.values[unresolved.index(key(r.key), nameDay(r.day), default: Tally())].add(
                r.count, r.first, r.last)
        }
        for r in ledger.coverage {
            let k = coverage.index(key(r.key), r.day, default: (0, 0))
            coverage.values[k].events += r.count
            coverage.values[k].dataEvents += Int(r.first)
        }
        resources = covers.result()
    }

    /// Merges a ledger's resource entries into the batch's covers, translated by `map` (a producer's ids →
    /// the batch's): on a thread of its own for a large ledger, while the writer adds the tallies. The
    /// covers and the tallies are apart, and the largest ledgers come as the readers finish, when a core
    /// is free.
    final class CoverMerge: @unchecked Sendable {
        /// The covers, owned by the merge until ``result()``.
        private var table: IntTable<ResourceCover>
        private var done: DispatchSemaphore?

        /// Entries a ledger holds at least for its covers to merge on a thread of their own.
        static let threaded = 1024

        init(_ table: consuming IntTable<ResourceCover>) { self.table = table }

        /// Merges `entries` (ids translated by `map`): at once for a few, else on a thread of its own.
        func start(_ entries: [IdLedger.Resource], _ map: [Int32]) {
            guard entries.count >= Self.threaded else {
                merge(entries, map)
                return
            }
            let done = DispatchSemaphore(value: 0)
            self.done = done
            Thread {
                self.merge(entries, map)
                done.signal()
            }.start()
        }

        /// Waits for the merge: the covers, which it no longer holds (the batch's next change copies nothing).
        func result() -> IntTable<ResourceCover> {
            done?.wait()
            var covers = IntTable<ResourceCover>(capacity: 0)
            swap(&covers, &table)
            return covers
        }

        private func merge(_ entries: [IdLedger.Resource], _ map: [Int32]) {
            func id(_ local: Int32) -> Int32 { local < 0 ? local : map[Int(local)] }
            var touched: [Int] = []
            for r in entries {
                let (p, a) = unpack(r.key)
                let k = table.index(pack(id(p), id(a)), LedgerBatch.month(r.firstDay), default: ResourceCover())
                LedgerBatch.addResource(&table, k, r.bytes, r.folded, r.firstDay, r.lastDay)
                touched.append(k)
            }
            LedgerBatch.fold(&table, touched)
        }
    }

    /// The account of an ARN: its fifth `:`-separated field ("" without one). On the UTF-8 bytes: splitting
    /// the `String` walks it by characters.
    static func account(of arn: String) -> String {
        let colon = UInt8(ascii: ":")
        var start = arn.utf8.startIndex
        for _ in 0..<4 {
            guard let found = arn.utf8[start...].firstIndex(of: colon) else { return "" }
            start = arn.utf8.index(after: found)
        }
        return String(arn[start..<(arn.utf8[start...].firstIndex(of: colon) ?? arn.utf8.endIndex)])
    }

    /// The cover key's month for an entry that starts on `day`.
    static func month(_ day: Int64) -> UInt64 { UInt64(bitPattern: Timestamp.month(ofDay: day)) }

    private mutating func addPrincipal(_ id: Int32, _ p: Principal) {
        if let known = principals[id] {
            principals[id] = Principal(
                type: min(known.type, p.type), account: min(known.account, p.account),
                flagged: known.flagged && p.flagged)
        } else {
            principals[id] = p
        }
    }

    private static func addResource(
        _ covers: inout IntTable<ResourceCover>, _ k: Int, _ arn: [UInt8], _ folded: Bool, _ firstDay: Int64,
        _ lastDay: Int64
    ) {
        covers.values[k].merge(
            ResourceCover.Entry(
                bytes: arn, folded: folded, first: Int32(truncatingIfNeeded: firstDay),
                last: Int32(truncatingIfNeeded: lastDay)))
    }

    /// Folds the covers that were added to, so that each stays within the bound.
    private static func fold(_ covers: inout IntTable<ResourceCover>, _ touched: [Int]) {
        for k in touched where covers.values[k].needsFold { covers.values[k].fold() }
    }
}
