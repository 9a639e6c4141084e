import CloudTrail
import IAMCatalog
import IAMPolicy
import Timestamps
import UsageStore

/// Turns the records of one file into its ledger: attribution, resolution (cached per distinct
/// event), denied vs used, resources, coverage — all on interned integer ids, so memory grows with the
/// distinct keys of a file, not with its events. One aggregator per worker thread, reused across files.
struct FileAggregator {
    private let resolver: any EventResolving
    private let since: Int64?
    private let until: Int64?

    /// Names that recur across files: principals, actions, event sources and names, accounts, regions.
    private var names = ByteInterner(capacity: 4096)
    /// For each name id that is an action, the resources it takes (`nil` for other names).
    private var actionResources: [ResourceFilter?] = []
    /// Distinct (eventSource, eventName) pairs (pairs only): one lookup per event gives both name ids and
    /// the cached resolution.
    private var events = ByteInterner(capacity: 1024)
    private var eventNames: [(resolution: Int, builds: ARNSource)] = []
    /// Per (eventSource, eventName) ids.
    private var resolutions = IntTable<Resolved>()
    private var principalKinds: [Int32: (kind: String, flagged: Bool)] = [:]
    /// The account and region of the previous event: the next one of the same file usually repeats them.
    private var lastAccount: Int32 = -1
    private var lastRegion: Int32 = -1

    /// The services whose ARNs an event source's parameters name (``collectResources(_:source:resolution:)``).
    private enum ARNSource {
        case s3, iam, lambda, dynamodb, other

        init(_ source: ByteSlice) {
            if source.equals("s3.amazonaws.com") {
                self = .s3
            } else if source.equals("iam.amazonaws.com") {
                self = .iam
            } else if source.equals("lambda.amazonaws.com") {
                self = .lambda
            } else if source.equals("dynamodb.amazonaws.com") {
                self = .dynamodb
            } else {
                self = .other
            }
        }
    }

    /// Which ARNs an action takes as samples: those of its own service and of the other services its
    /// resource types belong to (`iam` for `sts:AssumeRole`), when they match the ARN pattern of one of
    /// its resource types. A class, shared by the admission closures of the samples, so that it can
    /// remember the ARNs it rejected: an event names the same resources its action does not take (the
    /// bucket of an S3 object) again and again, and matching the patterns is the costly part.
    final class ResourceFilter {
        /// Name ids: the action's service prefix first.
        let services: [Int32]
        /// `nil`: any ARN.
        private let patterns: [Pattern]?
        /// Whether any ARN can enter: not for an action without resource types (no patterns), whose covers
        /// stay empty, so that its events need not collect ARNs for it.
        let takesAny: Bool
        /// The pattern that matched last, tried first: an action's ARNs are mostly of one type. (Owned by
        /// one aggregator, one thread: no dynamic exclusivity checks.)
        @exclusivity(unchecked) private var lastMatch = 0
        /// Recently rejected ARNs by hash (a slot holds the last one rejected there).
        @exclusivity(unchecked) private var rejected = [(hash: UInt64, bytes: [UInt8])?](repeating: nil, count: 256)

        /// A pattern in a class of its own, matched through ``match(_:_:)``: called on an element of an
        /// array, `matches` got a copy of the large struct, destroyed after (a quarter of the cost).
        private final class Pattern {
            let pattern: WildcardPattern

            init(_ pattern: WildcardPattern) {
                self.pattern = pattern
            }
        }

        /// (Not inlined: inlined, the pattern was copied again.)
        @inline(never)
        private static func match(_ box: Pattern, _ arn: UnsafeRawBufferPointer) -> Bool {
            box.pattern.matches(arn)
        }

        init(services: [Int32], patterns: [WildcardPattern]?) {
            self.services = services
            self.patterns = patterns.map { $0.map(Pattern.init) }
            takesAny = patterns.map { !$0.isEmpty } ?? true
        }

        func admits(_ arn: UnsafeRawBufferPointer) -> Bool {
            guard let patterns else { return true }
            let hash = ByteInterner.hash(arn)
            let slot = Int(truncatingIfNeeded: hash) & (rejected.count - 1)
            if let known = rejected[slot], known.hash == hash, known.bytes.withUnsafeBytes({ $0.hasSameBytes(as: arn) })
            {
                return false
            }
            var matched: Int?
            if lastMatch < patterns.count, Self.match(patterns[lastMatch], arn) {
                matched = lastMatch
            } else {
                for i in patterns.indices where i != lastMatch && Self.match(patterns[i], arn) {
                    matched = i
                    break
                }
            }
            guard let matched else {
                // (Typed, so that the copy is a `memcpy`: `Array(_:)` of raw bytes takes the generic path.)
                rejected[slot] = (hash, Array(arn.assumingMemoryBound(to: UInt8.self)))
                return false
            }
            lastMatch = matched
            return true
        }
    }

    /// A `when` extra: a request parameter (as bytes), whether it is a dot-separated path (known once, not
    /// per event), the actions it adds, whether one of them is `iam:PassRole` (the parameter then holds the
    /// roles passed) and whether the roles it passes are instance profiles (EMR `jobFlowRole`,
    /// `…InstanceProfile…`).
    private typealias Extra = (parameter: [UInt8], isPath: Bool, actions: [Int32], passesRoles: Bool, profiles: Bool)

    private struct Resolved {
        var status: EventResolution.Status
        /// The id in ``actionSets`` of the actions the event needs (those of `when` extras apart).
        var actionSet: Int32
        /// The `when` extras.
        var conditional: [Extra]
    }

    /// The events of a key, and the first and last time one was seen in seconds since the start of the
    /// key's day (every tallied key holds a day): 16 bytes, so that more of a batch's tallies stay cached.
    struct Tally {
        var count = 0
        var first = Int32.max
        var last = Int32.min

        mutating func add(_ second: Int32) {
            count += 1
            if second < first { first = second }
            if second > last { last = second }
        }

        mutating func add(_ other: Tally) {
            count += other.count
            if other.first < first { first = other.first }
            if other.last > last { last = other.last }
        }
    }

    /// The cover of the resources seen for a key (``ResourceCover``). Samples live across batches while
    /// their key is active, so that a batch hands over only the entries that changed: once a cover has
    /// folded, a new ARN rarely changes it. A sample not offered anything during a batch is dropped
    /// (memory follows the keys of recent files; the store merges what was handed over, and a cover is
    /// the same however its ARNs were split).
    struct Sample {
        var cover = ResourceCover()
        /// Changed since the last hand-over.
        var dirty = false
        /// Offered an ARN since the last hand-over.
        var touched = false

        /// Offers an ARN that enters the cover if `filter` admits it.
        mutating func offer(_ arn: UnsafeRawBufferPointer, day: Int32, filter: ResourceFilter) {
            touched = true
            if cover.add(arn, day: day, admit: { filter.admits($0) }) { dirty = true }
        }
    }

    /// Samples per (principal, action, calendar month): keys `(pack(principal, action), month)`, the month
    /// of ``Timestamp/month(ofDay:)``.
    private var samples = IntTable<Sample>()

    // Per batch of files. Keys: `(pack(principal, action), pack(event, day))` for usage, where `event` is
    // the position of (eventSource, eventName) in `resolutions`; `(pack(principal, action), day)` for
    // denied attempts, `(pack(principal, -1), day)` for activity, `(pack(principal, source), pack(name,
    // day))` for unresolved events and `(pack(account, region), day)` for coverage.
    private(set) var counts = IngestCounts()
    private var usage = TallyTable(capacity: 4096)
    private var denied = TallyTable()
    private var unresolved = TallyTable()
    private var activity = TallyTable(capacity: 1024)
    private var coverage = IntTable<(events: Int, data: Int)>()
    /// The principals of the batch, and for each name id whether it is one of them.
    private var filePrincipals: [Int32] = []
    private var inBatch: [Bool] = []
    /// Names already handed over with a ledger (ids below this).
    private var handedNames = 0
    /// The resource ARNs of the current event without duplicates, first occurrence first (slices of the
    /// record, then of `built`), with the name id of their service (-1 when it is no name: no action
    /// takes them).
    private var eventARNs: [(arn: ByteSlice, service: Int32)] = []
    /// The ARNs made from request parameters, and their ranges in it.
    private let built = ByteBuffer()
    private var builtRanges: [Range<Int>] = []
    /// Where the ARN being built starts in `built`.
    private var builtStart = 0
    /// The service id of the last ARN listed.
    private var lastService: Int32 = 0
    private let unknown: Int32
    /// The name id of `iam:PassRole`, and the `when` extras of the current event that add it (positions in
    /// its resolution's `conditional`): their parameters hold the roles passed.
    private let passRole: Int32
    private var passedRoles: [Int] = []

    init(resolver: any EventResolving, since: Int64?, until: Int64?) {
        self.resolver = resolver
        self.since = since
        self.until = until
        unknown = names.intern("unknown")
        passRole = names.intern("iam:PassRole")
    }

    /// Classifies and tallies one record.
    mutating func add(_ r: EventRecord) {
        guard let time = r.time, let source = r.eventSource, let eventName = r.eventName else { return }
        if let since, time < since {
            counts.outsideWindow += 1
            return
        }
        if let until, time >= until {
            counts.outsideWindow += 1
            return
        }
        counts.events += 1
        let days = Timestamp.day(of: time)
        let day = Int32(truncatingIfNeeded: days)
        let second = Int32(truncatingIfNeeded: time - days * Timestamp.secondsPerDay)
        let account = name(r.recipientAccountId ?? r.identityAccountId, guess: lastAccount)
        let region = name(r.awsRegion, guess: lastRegion)
        (lastAccount, lastRegion) = (account, region)
        let isData =
            (r.eventCategory.map { $0.equals("Data") } ?? false) || r.managementEvent == false
        countCoverage(pack(account, region), dayWord(Int64(day)), data: isData)

        let principal: Int32
        let slot = Int(truncatingIfNeeded: r.identityToken) & (identityPrincipals.count - 1)
        if r.identityToken != 0, identityPrincipals[slot].token == r.identityToken,
            !(r.eventType.map { $0.equals("AwsServiceEvent") } ?? false)
        {
            // An identity attributed before: its principal and kind.
            principal = identityPrincipals[slot].principal
            if enter(principal) {
                noteKind(principal, identityPrincipals[slot].kind, flagged: identityPrincipals[slot].flagged)
            }
        } else {
            switch Attribution.of(r) {
            case .awsService:
                counts.awsService += 1
                return
            case .unattributed:
                counts.unattributed += 1
                return
            case .principal(let name, let kind, let flagged):
                switch name {
                case .slice(let bytes):
                    principal = names.intern(bytes)
                    // Read from the identity alone: the same for every record with its token.
                    if r.identityToken != 0 {
                        identityPrincipals[slot] = (r.identityToken, principal, kind.name, flagged)
                    }
                case .built(let bytes): principal = bytes.withUnsafeBytes { names.intern($0) }
                }
                if enter(principal) { noteKind(principal, kind.name, flagged: flagged) }
            }
        }
        let event = eventNames[Int(self.event(source, eventName))]
        let resolvedIndex = event.resolution
        switch resolutions.values[resolvedIndex].status {
        case .noPermission:
            counts.noPermission += 1
            tally(principal, resolvedIndex, .noPermission, set: 0, day: day, second: second)
            return
        case .unresolved:
            counts.unresolved += 1
            tally(principal, resolvedIndex, .unresolved, set: 0, day: day, second: second)
            return
        case .resolved:
            break
        }
        var set = resolutions.values[resolvedIndex].actionSet
        if !passedRoles.isEmpty { passedRoles.removeAll(keepingCapacity: true) }
        if !resolutions.values[resolvedIndex].conditional.isEmpty { set = extend(set, r, resolvedIndex) }
        if let code = r.errorCode, isDenied(code) {
            counts.denied += 1
            tally(principal, resolvedIndex, .denied, set: set, day: day, second: second)
            return
        }
        counts.used += 1
        tally(principal, resolvedIndex, .used, set: set, day: day, second: second)
        // No cover of an action that takes no ARN ever holds one: the event's ARNs would go nowhere.
        guard actionLists[Int(set)].takesResources else { return }
        // The samples' slots load while the ARNs are collected.
        let monthKey = UInt64(bitPattern: month(day))
        for a in actionLists[Int(set)].actions { samples.prefetch(pack(principal, a), monthKey) }
        collectResources(r, source: event.builds, resolution: resolvedIndex)
        if eventARNs.isEmpty { return }
        for a in actionLists[Int(set)].actions {
            guard let filter = filter(a) else { continue }
            var sampleIndex: Int?
            for (arn, service) in eventARNs where filter.services.contains(service) {
                let k = sampleIndex ?? samples.index(pack(principal, a), monthKey, default: Sample())
                sampleIndex = k
                samples.values[k].offer(arn, day: day, filter: filter)
            }
        }
    }

    /// The principal of each remembered identity (``EventRecord/identityToken``) attributed lately, with its
    /// kind, by its token.
    private var identityPrincipals = [(token: UInt64, principal: Int32, kind: String, flagged: Bool)](
        repeating: (0, 0, "", false), count: 1024)

    /// Notes that `principal` has events in the batch: `true` the first time.
    @inline(__always)
    private mutating func enter(_ principal: Int32) -> Bool {
        while inBatch.count <= Int(principal) { inBatch.append(false) }
        if inBatch[Int(principal)] { return false }
        inBatch[Int(principal)] = true
        filePrincipals.append(principal)
        return true
    }

    /// Notes the kind of a principal (that of its first event in each batch).
    private mutating func noteKind(_ principal: Int32, _ kind: String, flagged: Bool) {
        if let known = principalKinds[principal] {
            // Deterministic whatever the order of files: the smaller kind, flagged only if always.
            principalKinds[principal] = (min(known.kind, kind), known.flagged && flagged)
        } else {
            principalKinds[principal] = (kind, flagged)
        }
    }

    // MARK: Signatures

    /// What an attributed event adds to the tallies.
    private enum Outcome: Int32 {
        case noPermission, unresolved, denied, used
    }

    /// The events by signature (principal, resolution, action set, outcome, day): keys `(pack(principal,
    /// resolution), pack(actionSet << 2 | outcome, day))`, `resolution` a position in `resolutions`. Events
    /// repeat signatures, and this table stays small enough to be cached: the batch's tables (tens of
    /// thousands of keys, each event touching one per action) are probed once per signature and action
    /// when it is full or the batch ends (``flushSignatures()``), not once per event and action.
    private var signatures = TallyTable(capacity: Self.signatureLimit)
    /// Signatures held at most (the table stays cache-sized: 4,096 slots of 32 bytes). Since the flush loads
    /// its slots ahead, flushing twice as often costs less than a table twice the size (3 batches of 8-10
    /// alternating rounds at 1M events: wall medians 2.4-4.8% lower than with 4,096; 1,024 the same as 2,048).
    private static let signatureLimit = 2048

    /// Distinct lists of actions that events need (their resolution's, then those of the `when` extras
    /// they match), interned by the bytes of their name ids; their ids are below 2^29 (an id takes 30 bits
    /// of a signature).
    private var actionSets = ByteInterner(capacity: 256)
    /// The actions of each set, by id, and whether one of them takes ARNs.
    private var actionLists: [(actions: [Int32], takesResources: Bool)] = []

    /// The actions of the set being extended by ``extend(_:_:_:)``.
    private var extended: [Int32] = []

    /// The id of a list of actions in ``actionSets``.
    private mutating func actionSet(_ actions: [Int32]) -> Int32 {
        let id = actions.withUnsafeBytes { actionSets.intern($0) }
        if id == actionLists.count { actionLists.append((actions, actions.contains { filter($0) != nil })) }
        return id
    }

    /// The action set of an event whose resolution has `when` extras: `set` (the resolution's), with the
    /// actions of the extras whose parameter the record has. Notes in `passedRoles` those that add
    /// `iam:PassRole`.
    private mutating func extend(_ set: Int32, _ r: EventRecord, _ resolution: Int) -> Int32 {
        // The actions in `extended` (kept across events: no allocation per event).
        var started = false
        var added = false
        let extras = resolutions.values[resolution].conditional
        for e in extras.indices
        where extras[e].parameter.withUnsafeBytes({ r.hasParameter(bytes: $0, isPath: extras[e].isPath) }) {
            if !started {
                extended.removeAll(keepingCapacity: true)
                extended.append(contentsOf: actionLists[Int(set)].actions)
                started = true
            }
            for a in extras[e].actions where !extended.contains(a) {
                extended.append(a)
                added = true
            }
            if extras[e].passesRoles { passedRoles.append(e) }
        }
        return added ? actionSet(extended) : set
    }

    /// Tallies an event by its signature.
    @inline(__always)
    private mutating func tally(
        _ principal: Int32, _ resolution: Int, _ outcome: Outcome, set: Int32, day: Int32, second: Int32
    ) {
        signatures.add(
            pack(principal, Int32(truncatingIfNeeded: resolution)), pack(set << 2 | outcome.rawValue, day),
            second: second)
        if signatures.count >= Self.signatureLimit { flushSignatures() }
    }

    /// Adds the tallies of the signatures to the batch's `activity` (every signature), `usage` and `denied`
    /// (each action of the set) and `unresolved`, and forgets them. Counts add and first and last are the
    /// minimum and maximum: the tallies are the same as if each event had been added on its own.
    private mutating func flushSignatures() {
        for k in 0..<signatures.count {
            // The slots of a signature some way on are loaded ahead: the batch's tables outgrow the caches.
            if k + Self.lead < signatures.count { prefetch(signatures[k + Self.lead]) }
            let signature = signatures[k]
            let t = signature.tally
            let (principal, resolution) = unpack(signature.a)
            let (word, day) = unpack(signature.b)
            let dayKey = dayWord(Int64(day))
            activity.add(pack(principal, -1), dayKey, t)
            let set = Int(word >> 2)
            switch Outcome(rawValue: word & 3) {
            case .noPermission, nil:
                break
            case .unresolved:
                let (source, name) = unpack(resolutions.first[Int(resolution)])
                unresolved.add(pack(principal, source), pack(name, day), t)
            case .denied:
                for a in actionLists[set].actions { denied.add(pack(principal, a), dayKey, t) }
            case .used:
                let eventKey = pack(resolution, day)
                for a in actionLists[set].actions { usage.add(pack(principal, a), eventKey, t) }
            }
        }
        signatures.removeAll()
    }

    /// How many signatures ahead ``flushSignatures()`` loads the slots it will add to.
    private static let lead = 8

    /// Starts loading the slots of the tables that `signature` adds to (its activity, and its usage or denied
    /// attempts for the first action of its set).
    @inline(__always)
    private func prefetch(_ signature: TallyTable.Entry) {
        let (principal, resolution) = unpack(signature.a)
        let (word, day) = unpack(signature.b)
        let dayKey = dayWord(Int64(day))
        activity.prefetch(pack(principal, -1), dayKey)
        // (Only these have an action set.)
        switch Outcome(rawValue: word & 3) {
        case .used:
            if let action = actionLists[Int(word >> 2)].actions.first {
                usage.prefetch(pack(principal, action), pack(resolution, day))
            }
        case .denied:
            if let action = actionLists[Int(word >> 2)].actions.first {
                denied.prefetch(pack(principal, action), dayKey)
            }
        case .noPermission, .unresolved, nil: break
        }
    }

    /// The (account and region, day) of the previous event and its position in `coverage`, with the events
    /// and data events counted for it since (not yet in `coverage`): a file holds one account and region,
    /// and its events rarely change day.
    private var lastCoverage: (key: UInt64, day: UInt64, index: Int) = (0, 0, -1)
    private var lastCoverageCounts: (events: Int, data: Int) = (0, 0)

    /// Counts an event of (account and region, day) in `coverage`.
    @inline(__always)
    private mutating func countCoverage(_ key: UInt64, _ day: UInt64, data: Bool) {
        if lastCoverage.index < 0 || lastCoverage.key != key || lastCoverage.day != day {
            settleCoverage()
            lastCoverage = (key, day, coverage.index(key, day, default: (0, 0)))
        }
        lastCoverageCounts.events += 1
        if data { lastCoverageCounts.data += 1 }
    }

    /// Adds the counts of `lastCoverage` to `coverage`.
    private mutating func settleCoverage() {
        guard lastCoverage.index >= 0 else { return }
        coverage.values[lastCoverage.index].events += lastCoverageCounts.events
        coverage.values[lastCoverage.index].data += lastCoverageCounts.data
        lastCoverageCounts = (0, 0)
    }

    /// The month of a day, from the last one asked (a file's events rarely change month).
    private var lastMonth: (day: Int32, month: Int64) = (.min, 0)

    @inline(__always)
    private mutating func month(_ day: Int32) -> Int64 {
        if day != lastMonth.day { lastMonth = (day, Timestamp.month(ofDay: Int64(day))) }
        return lastMonth.month
    }

    /// The id of a name (`unknown` when absent), trying `guess` first.
    @inline(__always)
    private mutating func name(_ bytes: ByteSlice?, guess: Int32) -> Int32 {
        guard let bytes else { return unknown }
        if guess >= 0, names.hasBytes(guess, bytes) { return guess }
        return names.intern(bytes)
    }

    /// The position in `eventNames` of (source, name), resolving it the first time it is seen.
    private mutating func event(_ source: ByteSlice, _ name: ByteSlice) -> Int32 {
        let id = events.intern(source, name)
        if id == eventNames.count {
            let sourceId = names.intern(source)
            let nameId = names.intern(name)
            eventNames.append((resolution(sourceId, nameId), ARNSource(source)))
        }
        return id
    }

    /// The position of the resolution of (source, name) in `resolutions`.
    private mutating func resolution(_ source: Int32, _ name: Int32) -> Int {
        if let cached = resolutions.find(pack(source, name), 0) { return cached }
        let answer = resolver.resolve(eventSource: names.string(source), eventName: names.string(name))
        var resolved = Resolved(status: answer.status, actionSet: 0, conditional: [])
        if answer.status == .resolved {
            // `anyOf`: the request needed one or more of them by its content, which ingestion does not
            // read; all of them are recorded, so that a policy built from the usage allows the call.
            var actions: [Int32] = []
            for a in answer.actions + answer.anyOf {
                let id = action(a)
                if !actions.contains(id) { actions.append(id) }
            }
            for extra in answer.conditional {
                var ids: [Int32] = []
                for a in extra.actions { ids.append(action(a)) }
                let leaf = extra.parameter.split(separator: ".").last.map { $0.lowercased() } ?? ""
                let profiles = leaf.contains("instanceprofile") || leaf == "jobflowrole"
                let bytes = Array(extra.parameter.utf8)
                let isPath = bytes.contains(UInt8(ascii: "."))
                resolved.conditional.append((bytes, isPath, ids, ids.contains(passRole), profiles))
            }
            resolved.actionSet = actionSet(actions)
        }
        return resolutions.index(pack(source, name), 0, default: resolved)
    }

    private mutating func action(_ name: String) -> Int32 {
        let id = names.intern(name)
        while actionResources.count <= Int(id) { actionResources.append(nil) }
        guard actionResources[Int(id)] == nil else { return id }
        let services =
            [names.intern(String(name.prefix(while: { $0 != ":" })))]
            + resolver.resourceServices(ofAction: name).map { names.intern($0) }
        actionResources[Int(id)] = ResourceFilter(
            services: services, patterns: resolver.resourcePatterns(ofAction: name))
        return id
    }

    /// The resource filter of the action of name id `a`, if the action takes ARNs.
    private func filter(_ a: Int32) -> ResourceFilter? {
        guard Int(a) < actionResources.count, let filter = actionResources[Int(a)], filter.takesAny else { return nil }
        return filter
    }

    // MARK: Resources

    /// The top-level request parameters that ARNs are built from: the position of the first of each name
    /// in the record's parameters (-1 when absent).
    private struct NamedParameters {
        var bucketName = -1
        var key = -1
        var iamInstanceProfile = -1
        var roleName = -1
        var userName = -1
        var groupName = -1
        var functionName = -1
        var tableName = -1

        /// Notes the parameter at position `i` if it is named `key`, in order.
        @inline(__always)
        mutating func note(_ key: ByteSlice, at i: Int) {
            switch key.count {
            case 3: if key.equals("key") { first(&self.key, i) }
            case 8:
                if key.equals("roleName") {
                    first(&roleName, i)
                } else if key.equals("userName") {
                    first(&userName, i)
                }
            case 9:
                if key.equals("groupName") {
                    first(&groupName, i)
                } else if key.equals("tableName") {
                    first(&tableName, i)
                }
            case 10: if key.equals("bucketName") { first(&bucketName, i) }
            case 12: if key.equals("functionName") { first(&functionName, i) }
            case 18: if key.equals("iamInstanceProfile") { first(&iamInstanceProfile, i) }
            default: break
            }
        }

        private func first(_ position: inout Int, _ i: Int) {
            if position < 0 { position = i }
        }
    }

    /// The ARNs of the event into `eventARNs`: `resources[].ARN`, request parameters that are ARNs, and
    /// ARNs built from well-known parameters (S3 `bucketName` + `key`, IAM `roleName`/`userName`, EC2
    /// `iamInstanceProfile` by name, Lambda `functionName`, DynamoDB `tableName`).
    private mutating func collectResources(
        _ r: EventRecord, source: ARNSource, resolution: Int
    ) {
        // (A loop: `removeAll(keepingCapacity:)` costs more for the few elements there are.)
        while !eventARNs.isEmpty { eventARNs.removeLast() }
        if !builtRanges.isEmpty {
            built.removeAll()
            while !builtRanges.isEmpty { builtRanges.removeLast() }
        }
        // The built ARNs last: `built` may move while it grows.
        defer { for range in builtRanges { listResource(built.slice(range)) } }
        for arn in r.resources { listResource(arn) }
        let parameters = r.parameters
        guard !parameters.isEmpty else { return }
        // One pass: the parameters that are ARNs, and where the named ones are.
        var named = NamedParameters()
        for (i, (key, value)) in parameters.enumerated() {
            if let value, value.hasPrefix("arn:") { listResource(value) }
            named.note(key, at: i)
        }
        func parameter(_ i: Int) -> ByteSlice? { i >= 0 ? parameters[i].value : nil }
        let partition = partitionOf(r)
        let account = r.recipientAccountId
        // The roles the event passes, at the parameters that made it need `iam:PassRole` (nested paths,
        // lists, names): an ARN as it is, a name as a role of the account (an instance profile for the
        // parameters that name one).
        for e in passedRoles {
            let extra = resolutions.values[resolution].conditional[e]
            guard let json = extra.parameter.withUnsafeBytes({ r.parameterJSON(bytes: $0) }) else { continue }
            let kind: StaticString = extra.profiles ? ":instance-profile/" : ":role/"
            for value in EventRecord.roles(in: json) {
                if value.hasPrefix("arn:") {
                    listResource(value)
                } else if let account, !value.contains(UInt8(ascii: ":")) {
                    build("arn:", partition, ":iam::", account)
                    built.append(kind)
                    built.append(value)
                    endBuild()
                }
            }
        }
        let region = r.awsRegion
        if source == .s3, let bucket = parameter(named.bucketName) {
            // Data events list both ARNs in `resources` already: not built again only to be dropped.
            if !listsS3(partition, bucket, key: nil) {
                build("arn:", partition, ":s3:::", bucket)
                endBuild()
            }
            if let key = parameter(named.key), !listsS3(partition, bucket, key: key) {
                build("arn:", partition, ":s3:::", bucket)
                built.append(UInt8(ascii: "/"))
                built.append(key)
                endBuild()
            }
        }
        guard let account else { return }
        if let profile = parameter(named.iamInstanceProfile), !profile.hasPrefix("arn:") {
            build("arn:", partition, ":iam::", account)
            built.append(":instance-profile/")
            built.append(profile)
            endBuild()
        }
        if source == .iam {
            for (position, kind): (Int, StaticString) in [
                (named.roleName, ":role/"), (named.userName, ":user/"), (named.groupName, ":group/"),
            ] {
                guard let name = parameter(position) else { continue }
                build("arn:", partition, ":iam::", account)
                built.append(kind)
                built.append(name)
                endBuild()
            }
        }
        guard let region else { return }
        if source == .lambda, let name = parameter(named.functionName), !name.hasPrefix("arn:") {
            build("arn:", partition, ":lambda:", region)
            built.append(UInt8(ascii: ":"))
            built.append(account)
            built.append(":function:")
            built.append(name)
            endBuild()
        }
        if source == .dynamodb, let name = parameter(named.tableName), !name.hasPrefix("arn:") {
            build("arn:", partition, ":dynamodb:", region)
            built.append(UInt8(ascii: ":"))
            built.append(account)
            built.append(":table/")
            built.append(name)
            endBuild()
        }
    }

    /// Whether `eventARNs` has `arn:<partition>:s3:::<bucket>`, or `…/<key>` with a key.
    private func listsS3(_ partition: ByteSlice, _ bucket: ByteSlice, key: ByteSlice?) -> Bool {
        let head = 4 + partition.count + 6
        let count = head + bucket.count + (key.map { 1 + $0.count } ?? 0)
        for (arn, _) in eventARNs where arn.count == count {
            guard let p = arn.baseAddress else { continue }
            // The pieces, from the most likely to differ.
            func has(_ piece: ByteSlice, at offset: Int) -> Bool {
                ByteSlice(start: p + offset, count: piece.count).hasSameBytes(as: piece)
            }
            if let key {
                guard has(key, at: head + bucket.count + 1),
                    p.load(fromByteOffset: head + bucket.count, as: UInt8.self)
                        == UInt8(ascii: "/")
                else { continue }
            }
            if has(bucket, at: head), has(partition, at: 4), ByteSlice(start: p, count: 4).equals("arn:"),
                ByteSlice(start: p + head - 6, count: 6).equals(":s3:::")
            {
                return true
            }
        }
        return false
    }

    /// Starts an ARN in `built` with four pieces: more may follow, then ``endBuild()``.
    private mutating func build(_ a: StaticString, _ partition: ByteSlice, _ b: StaticString, _ c: ByteSlice) {
        builtStart = built.count
        built.append(a)
        built.append(partition)
        built.append(b)
        built.append(c)
    }

    /// Ends the ARN started last: its range in `built` joins `builtRanges`.
    private mutating func endBuild() {
        builtRanges.append(builtStart..<built.count)
    }

    /// Appends `arn` to `eventARNs` unless it is there, with the name id of its service
    /// (`arn:partition:service:…`, the third field; -1 without a fourth or when it is no name).
    private mutating func listResource(_ arn: ByteSlice) {
        for known in eventARNs where known.arn.hasSameBytes(as: arn) { return }
        // Past `arn:` (its colon the first) when the ARN starts with it, as they all should.
        var colons = arn.hasPrefix("arn:") ? 1 : 0
        var start = 0
        var service: Int32 = -1
        for i in (colons == 1 ? 4 : 0)..<arn.count where arn[i] == UInt8(ascii: ":") {
            colons += 1
            if colons == 2 {
                start = i + 1
            } else if colons == 3 {
                let bytes = ByteSlice(rebasing: arn[start..<i])
                // The service of the previous ARN, most often.
                service = names.hasBytes(lastService, bytes) ? lastService : names.find(bytes)
                if service >= 0 { lastService = service }
                break
            }
        }
        eventARNs.append((arn, service))
    }

    private func partitionOf(_ r: EventRecord) -> ByteSlice {
        if let arn = r.identityArn ?? r.issuerArn, arn.hasPrefix("arn:") {
            var colon = 4
            while colon < arn.count {
                if arn[colon] == UInt8(ascii: ":") { return ByteSlice(rebasing: arn[4..<colon]) }
                colon += 1
            }
        }
        return Self.aws
    }

    private static var aws: ByteSlice { ByteSlice("aws") }

    // MARK: Ledger

    /// The ledger of the files read since the last call, and a fresh start; with `last`, no start: the
    /// aggregator is not used again (its last ledger is on the writer's tail: it skips what only the next
    /// batch would need).
    mutating func finish(files: [IngestedFile], last: Bool = false) -> IdLedger {
        flushSignatures()
        settleCoverage()
        var ledger = IdLedger(files: files, firstName: Int32(handedNames), names: [])
        for id in handedNames..<names.count { ledger.names.append(names.string(Int32(id))) }
        handedNames = names.count
        ledger.principals = filePrincipals.map { p in
            let info = principalKinds[p] ?? ("Unknown", true)
            return IdLedger.Principal(id: p, type: info.kind, flagged: info.flagged)
        }
        ledger.usage = Self.rows(usage)
        for i in ledger.usage.indices {
            let (event, day) = unpack(ledger.usage[i].day)
            ledger.usage[i].day = dayWord(Int64(day))
            ledger.usage[i].event = resolutions.first[Int(event)]
        }
        ledger.denied = Self.rows(denied)
        ledger.activity = Self.rows(activity)
        ledger.unresolved = Self.rows(unresolved)
        ledger.coverage.reserveCapacity(coverage.count)
        for k in 0..<coverage.count {
            let v = coverage.values[k]
            ledger.coverage.append(
                IdLedger.Count(
                    key: coverage.first[k], day: coverage.second[k], count: v.events, first: Int64(v.data), last: 0))
        }
        for k in 0..<samples.count where samples.values[k].dirty {
            for entry in samples.values[k].cover.entries where entry.changed {
                ledger.resources.append(
                    IdLedger.Resource(
                        key: samples.first[k], bytes: entry.bytes, folded: entry.folded,
                        firstDay: Int64(entry.first), lastDay: Int64(entry.last)))
            }
        }
        if last { return ledger }
        samples.filter { $0.touched }
        for k in 0..<samples.count {
            samples.values[k].dirty = false
            samples.values[k].cover.markHandedOver()
            samples.values[k].touched = false
        }
        reset()
        return ledger
    }

    private static func rows(_ tallies: TallyTable) -> [IdLedger.Count] {
        var rows: [IdLedger.Count] = []
        rows.reserveCapacity(tallies.count)
        for k in 0..<tallies.count {
            let e = tallies[k]
            let start = day(of: e.b) * Timestamp.secondsPerDay
            rows.append(
                IdLedger.Count(
                    key: e.a, day: e.b, count: e.tally.count, first: start + Int64(e.tally.first),
                    last: start + Int64(e.tally.last)))
        }
        return rows
    }

    /// The counts of the file read since the last call, and zero counts for the next.
    mutating func takeCounts() -> IngestCounts {
        defer { counts = IngestCounts() }
        return counts
    }

    private mutating func reset() {
        usage.removeAll()
        denied.removeAll()
        unresolved.removeAll()
        activity.removeAll()
        coverage.removeAll()
        lastCoverage.index = -1
        for p in filePrincipals { inBatch[Int(p)] = false }
        filePrincipals.removeAll(keepingCapacity: true)
    }
}

extension ByteSlice {
    /// The bytes of a literal.
    init(_ literal: StaticString) {
        self.init(start: literal.utf8Start, count: literal.utf8CodeUnitCount)
    }
}
