import CloudTrail
import Foundation
import UsageStore

/// What `pare ingest` does, as a library call: discover → read (in parallel, one reader per thread)
/// → attribute, resolve, aggregate per file → one writer commits each file's ledger with its
/// "ingested" mark.
public enum Ingestion {
    public struct Options: Sendable {
        public var paths: [String]
        /// Only events in `[since, until)` are ingested; folders and files outside are pruned unread.
        public var since: Int64?
        public var until: Int64?
        /// Reader threads (the writer is one more).
        public var jobs: Int
        /// Start the ledger afresh: delete every row of the store, then ingest the paths.
        public var reingest: Bool
        public var limits: ReaderLimits
        /// At the latest, a worker hands its files over after `handOver` and the writer commits after
        /// `commit` (besides the bounds in files). A profiler slowing the run down raises them so that the
        /// work done does not depend on the speed.
        public var handOverInterval: Duration = .seconds(2)
        public var commitInterval: Duration = .seconds(5)

        public init(
            paths: [String], since: Int64? = nil, until: Int64? = nil,
            jobs: Int = ProcessInfo.processInfo.activeProcessorCount, reingest: Bool = false,
            limits: ReaderLimits = ReaderLimits()
        ) {
            self.paths = paths
            self.since = since
            self.until = until
            self.jobs = max(1, jobs)
            self.reingest = reingest
            self.limits = limits
        }
    }

    /// The outcome of a run.
    public struct Summary: Sendable {
        /// Files found (after pruning).
        public var files = 0
        /// Files read and written.
        public var filesIngested = 0
        /// Files skipped because they were already ingested.
        public var filesAlreadyIngested = 0
        /// Files and folders pruned by the window without being opened.
        public var filesPruned = 0
        /// Records read: `counts.events + counts.outsideWindow + counts.skipped`... see ``IngestCounts``.
        public var records = 0
        public var counts = IngestCounts()
        /// Every input problem, in file order.
        public var diagnostics: [InputDiagnostic] = []
        public var seconds = 0.0
    }

    /// Progress: the files read so far (not all of them committed yet) and their events.
    public struct Progress: Sendable {
        public var filesDone: Int
        public var files: Int
        public var events: Int
    }

    public static func run(
        _ options: Options, store: UsageStore, resolver: any EventResolving,
        progress: (@Sendable (Progress) -> Void)? = nil
    ) throws(StoreError) -> Summary {
        let clock = ContinuousClock.now
        let found = LogDiscovery(since: options.since, until: options.until).discover(options.paths)
        if options.reingest { try store.removeAll() }
        var known: [String: [IngestedFile]] = [:]
        for file in try store.ingestedFiles() { known[file.name, default: []].append(file) }
        let shared = Shared(
            files: found.files, known: known, copies: copies(in: found.files), options: options, resolver: resolver)

        var workers: [Thread] = []
        for worker in 0..<min(options.jobs, max(1, found.files.count)) {
            let thread = Thread { shared.work(worker) }
            thread.stackSize = 1 << 20
            workers.append(thread)
            thread.start()
        }

        // While the readers read: the store's log emptied ahead of its first batch.
        store.checkpointBeforeFirstBatch()
        var summary = Summary()
        summary.files = found.files.count
        summary.filesPruned = found.pruned
        var results: [Int: FileResult] = [:]
        var failure: StoreError?
        var batch = LedgerBatch()
        var lastCommit = ContinuousClock.now
        /// Commits the batch; `final` when nothing follows (the rows are then not cleared for the next).
        func commit(final: Bool = false) {
            guard failure == nil, batch.count > 0 else { return }
            do throws(StoreError) {
                try store.write(batch)
            } catch {
                failure = error
                shared.cancel()
            }
            if !final { batch.removeRows() }
            lastCommit = ContinuousClock.now
        }
        // One writer: merges the files' ledgers and commits them with their marks about every five
        // seconds (or every `batchFiles` files), so that a crash loses at most that much work. Fewer,
        // larger commits upsert each key fewer times.
        // The writer sleeps until a worker hands files over (with a progress callback, it also wakes every
        // tenth of a second to report the files read so far).
        while let ready = shared.take(orAfter: progress == nil ? nil : .milliseconds(100)) {
            if let progress {
                let (filesDone, events) = shared.readSoFar
                progress(Progress(filesDone: filesDone, files: found.files.count, events: events))
            }
            for var result in ready {
                if let ledger = result.ledger { batch.add(ledger, producer: result.worker) }
                result.ledger = nil
                if result.index >= 0 { results[result.index] = result }
            }
            if batch.count >= Self.batchFiles || ContinuousClock.now - lastCommit >= options.commitInterval {
                commit()
            }
        }
        commit(final: true)
        // The batch's memory is released by a thread of its own: at 1M events its ~80k resource entries take
        // 10 ms to free, which the summary need not wait for (the other cores are idle by now).
        let handed = Handed(batch)
        batch = LedgerBatch()
        Thread { handed.value = nil }.start()
        if let failure { throw failure }

        summary.diagnostics = found.diagnostics
        for index in results.keys.sorted() {
            guard let result = results[index] else { continue }
            summary.diagnostics += result.diagnostics
            summary.records += result.records
            summary.counts.add(result.counts)
            if result.file != nil {
                summary.filesIngested += 1
            } else if result.alreadyIngested {
                summary.filesAlreadyIngested += 1
            }
        }
        summary.seconds =
            Double((ContinuousClock.now - clock).components.attoseconds) / 1e18
            + Double((ContinuousClock.now - clock).components.seconds)
        return summary
    }

    /// A value handed over to another thread, which alone touches it from then on (and releases it).
    private final class Handed<Value>: @unchecked Sendable {
        var value: Value?
        init(_ value: Value) { self.value = value }
    }

    /// Most files merged into one transaction.
    static let batchFiles = 1024

    /// Most files a worker merges before handing them over.
    static let workerBatchFiles = 256

    /// The files of one run that repeat an earlier one (same name, size and content, e.g. one log copied
    /// into two folders): the store's mark is only checked against earlier runs, so each would be counted.
    /// Only files sharing a name and a size are hashed.
    static func copies(in files: [LogFile]) -> [Int: String] {
        var bySize: [String: [Int]] = [:]
        for (index, file) in files.enumerated() { bySize["\(file.size) \(file.name)", default: []].append(index) }
        lazy var reader = LogReader()
        var copies: [Int: String] = [:]
        for group in bySize.values where group.count > 1 {
            var first: [String: String] = [:]
            for index in group.sorted() {
                guard let hash = reader.contentHash(path: files[index].path) else { continue }
                if let original = first[hash] {
                    copies[index] = original
                } else {
                    first[hash] = files[index].path
                }
            }
        }
        return copies
    }

    struct FileResult: Sendable {
        /// The file's position in the work list; -1 for a worker's last hand-over.
        var index: Int
        /// Set when the file was read and is to be marked as ingested.
        var file: IngestedFile?
        /// The worker that read it.
        var worker = 0
        /// The merged ledger of the worker's files up to this one, when it hands them over.
        var ledger: IdLedger?
        var alreadyIngested = false
        var records = 0
        var counts = IngestCounts()
        var diagnostics: [InputDiagnostic] = []
    }

    /// The work list, the bounded hand-over queue to the writer, and cancellation.
    final class Shared: @unchecked Sendable {
        let files: [LogFile]
        let known: [String: [IngestedFile]]
        /// Index of a file → the path of an earlier file of this run with the same name, size and content.
        let copies: [Int: String]
        let options: Options
        let resolver: any EventResolving
        private let condition = NSCondition()
        private var next = 0
        private var queue: [FileResult] = []
        private var running: Int
        private var cancelled = false
        private var filesRead = 0
        private var events = 0
        /// Most ledgers waiting for the writer, and how many do.
        private let capacity: Int
        private var queuedLedgers = 0
        /// When this many files or fewer are left to claim, each worker hands its ledger over once more.
        private let nearEnd: Int

        init(
            files: [LogFile], known: [String: [IngestedFile]], copies: [Int: String], options: Options,
            resolver: any EventResolving
        ) {
            self.files = files
            self.known = known
            self.copies = copies
            self.options = options
            self.resolver = resolver
            running = min(options.jobs, max(1, files.count))
            capacity = 2 * options.jobs
            nearEnd = max(2 * options.jobs, files.count / 32)
        }

        /// A worker: takes files in order until none is left. It merges the ledgers of the files it
        /// reads and hands them over with their marks every two seconds (or `workerBatchFiles` files),
        /// so that the writer sees few rows; and once more when the files left to claim are few
        /// (``nearEnd``), so that the writer merges the bulk while the last files are read and the last
        /// hand-overs, merged once every worker is done, are small.
        func work(_ worker: Int) {
            let reader = LogReader(limits: options.limits)
            var aggregator = FileAggregator(resolver: resolver, since: options.since, until: options.until)
            var pending: [IngestedFile] = []
            var started = ContinuousClock.now
            var handedNearEnd = false
            func flush(last: Bool = false) -> IdLedger? {
                guard !pending.isEmpty else { return nil }
                defer {
                    pending = []
                    started = ContinuousClock.now
                }
                return aggregator.finish(files: pending, last: last)
            }
            // The results of the files read since the last hand-over: they go with the ledger, so that the
            // writer wakes once per hand-over, not once per file (each wake-up took a core from a reader).
            var held: [FileResult] = []
            while let index = claim() {
                var result = read(index, reader, &aggregator)
                result.worker = worker
                if let file = result.file { pending.append(file) }
                noteRead(result)
                held.append(result)
                let atEnd = !handedNearEnd && files.count - 1 - index <= nearEnd
                if pending.count >= Ingestion.workerBatchFiles
                    || ContinuousClock.now - started >= options.handOverInterval || atEnd
                {
                    handedNearEnd = handedNearEnd || atEnd
                    held[held.count - 1].ledger = flush()
                    hand(held)
                    held = []
                }
            }
            if let ledger = flush(last: true) { held.append(FileResult(index: -1, worker: worker, ledger: ledger)) }
            condition.lock()
            if !held.isEmpty { queue += held }
            running -= 1
            condition.broadcast()
            condition.unlock()
        }

        /// Counts a file read, for the progress.
        private func noteRead(_ result: FileResult) {
            condition.lock()
            filesRead += 1
            events += result.counts.events
            condition.unlock()
        }

        /// Hands results over to the writer, the last one with the ledger of their files.
        private func hand(_ results: [FileResult]) {
            condition.lock()
            // Only ledgers are held back (they are the memory): a worker goes on reading while the
            // writer commits, until it has a ledger to hand over.
            if results.last?.ledger != nil {
                while queuedLedgers >= capacity && !cancelled { condition.wait() }
                queuedLedgers += 1
            }
            queue += results
            condition.broadcast()
            condition.unlock()
        }

        private func claim() -> Int? {
            condition.lock()
            defer { condition.unlock() }
            guard !cancelled, next < files.count else { return nil }
            next += 1
            return next - 1
        }

        /// The results ready for the writer (none when `timeout` passed first); `nil` once every worker is
        /// done and all were taken.
        func take(orAfter timeout: Duration? = nil) -> [FileResult]? {
            condition.lock()
            defer { condition.unlock() }
            let deadline = timeout.map {
                Date() + Double($0.components.seconds) + Double($0.components.attoseconds) / 1e18
            }
            while queue.isEmpty && running > 0 {
                if let deadline {
                    if !condition.wait(until: deadline) { return [] }
                } else {
                    condition.wait()
                }
            }
            if queue.isEmpty { return nil }
            let batch = queue
            queue.removeAll()
            queuedLedgers = 0
            condition.broadcast()
            return batch
        }

        /// The files read so far and their events.
        var readSoFar: (files: Int, events: Int) {
            condition.lock()
            defer { condition.unlock() }
            return (filesRead, events)
        }

        func cancel() {
            condition.lock()
            cancelled = true
            condition.broadcast()
            condition.unlock()
        }

        private func read(_ index: Int, _ reader: LogReader, _ aggregator: inout FileAggregator) -> FileResult {
            let file = files[index]
            var result = FileResult(index: index)
            if let original = copies[index] {
                result.alreadyIngested = true
                result.diagnostics.append(
                    InputDiagnostic(
                        file: file.path, location: nil,
                        message: "the same file as `\(original)` (same name, size and content): counted once"))
                return result
            }
            let sameName = known[file.name] ?? []
            if sameName.contains(where: { $0.size == file.size }), let hash = reader.contentHash(path: file.path),
                sameName.contains(where: { $0.size == file.size && $0.hash == hash })
            {
                result.alreadyIngested = true
                return result
            }
            if sameName.contains(where: { $0.path == file.path }) {
                result.diagnostics.append(
                    InputDiagnostic(
                        file: file.path, location: nil,
                        message:
                            "another version of this file was ingested before; its records are counted too "
                            + "(rebuild the store with --reingest)"))
            }
            let summary = reader.read(path: file.path, name: file.path) { aggregator.add($0) }
            result.records = summary.records
            result.diagnostics += summary.diagnostics
            result.counts = aggregator.takeCounts()
            result.counts.skipped = summary.skipped
            // An unreadable file is not marked as ingested: the next run tries it again.
            if summary.damaged, summary.records == 0, summary.diagnostics.first?.message != "empty file" {
                return result
            }
            // A read that stopped early (damaged gzip, a bomb) hashed only what it read: the mark must name the
            // whole file, as the skip test above computes it, or every run would count the file again.
            var (size, hash) = (summary.rawBytes, summary.contentHash)
            if size < file.size, let whole = reader.contentHash(path: file.path) { (size, hash) = (file.size, whole) }
            result.file = IngestedFile(
                name: file.name, size: size, hash: hash, path: file.path,
                records: summary.records, skipped: summary.skipped, diagnostics: summary.diagnostics.count)
            return result
        }
    }
}
