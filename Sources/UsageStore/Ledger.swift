/// The contribution of one or more files to the usage ledger, as the ingestion pipeline hands it to
/// the store (DESIGN.md "The usage store"). Anything that produces these rows can feed the store.
public struct FileLedger: Sendable, Hashable {
    /// The files' keys and read statistics: they are marked as ingested with these rows.
    public var files: [IngestedFile]
    public var principals: [PrincipalRow] = []
    /// Successful (authorized) use per (principal, action, UTC day).
    public var usage: [CountRow] = []
    /// Denied attempts per (principal, action, UTC day).
    public var denied: [CountRow] = []
    /// The bounded resource sample: for each (principal, action) at most
    /// ``UsageStore/resourceSampleSize`` ARNs, the smallest in byte order, with the days they were seen.
    public var resources: [ResourceRow] = []
    /// (principal, action) keys that had more distinct resources than the sample keeps.
    public var resourceOverflow: [ResourceKey] = []
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

    public init(principal: String, action: String, day: Int64) {
        self.principal = principal
        self.action = action
        self.day = day
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
    public var arn: String
    /// The UTC days the ARN was first and last seen with this key.
    public var firstDay: Int64
    public var lastDay: Int64

    public init(key: ResourceKey, arn: String, firstDay: Int64, lastDay: Int64) {
        self.key = key
        self.arn = arn
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

/// The merged ledgers of several files, written in one transaction with the files' marks. Memory
/// grows with the distinct keys of the batch, not with its events.
public struct LedgerBatch: Sendable {
    struct Tally: Sendable {
        var count: Int
        var firstSeen: Int64
        var lastSeen: Int64

        mutating func add(_ count: Int, _ first: Int64, _ last: Int64) {
            self.count += count
            firstSeen = min(firstSeen, first)
            lastSeen = max(lastSeen, last)
        }
    }

    struct UnresolvedKey: Hashable, Sendable {
        var principal: String
        var eventSource: String
        var eventName: String
        var day: Int64
    }

    struct DayKey: Hashable, Sendable {
        var principal: String
        var day: Int64
    }

    struct CoverageKey: Hashable, Sendable {
        var account: String
        var region: String
        var day: Int64
    }

    struct Sample: Sendable {
        /// ARN → (first day, last day), at most ``UsageStore/resourceSampleSize``.
        var arns: [String: (first: Int64, last: Int64)] = [:]
        var overflow = false
    }

    public private(set) var files: [IngestedFile] = []
    var principals: [String: PrincipalRow] = [:]
    var usage: [CountKey: Tally] = [:]
    var denied: [CountKey: Tally] = [:]
    var unresolved: [UnresolvedKey: Tally] = [:]
    var activity: [DayKey: Tally] = [:]
    var coverage: [CoverageKey: (events: Int, dataEvents: Int)] = [:]
    var resources: [ResourceKey: Sample] = [:]

    public init() {}

    /// The number of files in the batch.
    public var count: Int { files.count }

    public mutating func add(_ ledger: FileLedger) {
        files += ledger.files
        for p in ledger.principals {
            if let known = principals[p.arn] {
                principals[p.arn] = PrincipalRow(
                    arn: p.arn, type: min(known.type, p.type), account: min(known.account, p.account),
                    flagged: known.flagged && p.flagged)
            } else {
                principals[p.arn] = p
            }
        }
        for r in ledger.usage {
            usage[r.key, default: Tally(count: 0, firstSeen: .max, lastSeen: .min)].add(
                r.count, r.firstSeen, r.lastSeen)
        }
        for r in ledger.denied {
            denied[r.key, default: Tally(count: 0, firstSeen: .max, lastSeen: .min)].add(
                r.count, r.firstSeen, r.lastSeen)
        }
        for r in ledger.unresolved {
            let key = UnresolvedKey(
                principal: r.principal, eventSource: r.eventSource, eventName: r.eventName, day: r.day)
            unresolved[key, default: Tally(count: 0, firstSeen: .max, lastSeen: .min)].add(
                r.count, r.firstSeen, r.lastSeen)
        }
        for r in ledger.activity {
            activity[
                DayKey(principal: r.principal, day: r.day), default: Tally(count: 0, firstSeen: .max, lastSeen: .min)
            ]
            .add(r.count, r.firstSeen, r.lastSeen)
        }
        for r in ledger.coverage {
            let key = CoverageKey(account: r.account, region: r.region, day: r.day)
            let old = coverage[key] ?? (0, 0)
            coverage[key] = (old.events + r.events, old.dataEvents + r.dataEvents)
        }
        for key in ledger.resourceOverflow { resources[key, default: Sample()].overflow = true }
        var touched: Set<ResourceKey> = []
        for r in ledger.resources {
            let old = resources[r.key, default: Sample()].arns[r.arn] ?? (r.firstDay, r.lastDay)
            resources[r.key, default: Sample()].arns[r.arn] = (min(old.first, r.firstDay), max(old.last, r.lastDay))
            touched.insert(r.key)
        }
        for key in touched {
            guard var sample = resources[key], sample.arns.count > UsageStore.resourceSampleSize else { continue }
            for arn in sample.arns.keys.sorted().dropFirst(UsageStore.resourceSampleSize) {
                sample.arns[arn] = nil
            }
            sample.overflow = true
            resources[key] = sample
        }
    }
}
