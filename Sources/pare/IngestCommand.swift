import ArgumentParser
import CloudTrail
import Foundation
import IAMCatalog
import Ingest
import UsageStore

/// `pare ingest PATH…`: read CloudTrail logs into the usage store.
struct IngestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Read CloudTrail logs (files or folders, S3 layouts, gzip) into the usage store.")

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    @Argument(help: "Log files or folders (searched recursively).")
    var paths: [String]

    @OptionGroup var storeOptions: StoreOptions

    @Option(help: "Only ingest events at or after this time; older folders and files are not opened.")
    var since: String?

    @Option(help: "Only ingest events before this time; later folders and files are not opened.")
    var until: String?

    @Option(help: "Reader threads (default: the number of cores).")
    var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

    @Flag(help: "Exit 1 when any input problem was found (the good records are still ingested).")
    var strict = false

    @Flag(help: "Read files again even when already ingested, replacing their rows.")
    var reingest = false

    @Flag(help: "No progress and no summary; input problems are still printed.")
    var quiet = false

    @Option(help: "Summary format: text or json.")
    var format: Format = .text

    @Option(help: "The ActionCatalog folder (default: $PARE_CATALOG, next to the executable, the source checkout).")
    var catalog: String?

    func validate() throws {
        if paths.isEmpty { throw ValidationError("give at least one log file or folder") }
        if jobs < 1 { throw ValidationError("--jobs must be at least 1, not `\(jobs)`") }
        try WindowOptions.check(
            since: WindowOptions.time(since, "--since"), until: WindowOptions.time(until, "--until"))
    }

    func run() throws {
        let store = try storeOptions.open(mustExist: false)
        let summary = try Self.ingest(
            paths, into: store, catalog: catalog, since: WindowOptions.time(since, "--since"),
            until: WindowOptions.time(until, "--until"), jobs: jobs, reingest: reingest, progress: !quiet)
        if !quiet { print(format == .json ? Self.json(summary) : Self.text(summary), terminator: "") }
        try Self.check(summary, strict: strict)
    }

    /// Fails when nothing could be ingested: input problems and not one readable record nor a file
    /// already in the store (with `strict`, when there was any input problem). Partly readable logs
    /// are only warned about. The rule of `ingest` and of every `--logs`.
    static func check(_ summary: Ingestion.Summary, strict: Bool = false) throws {
        if summary.files == 0 && summary.filesPruned == 0 {
            throw failure("nothing to ingest: no log file could be found")
        }
        guard !summary.diagnostics.isEmpty else { return }
        if summary.files == 0 { throw failure("nothing to ingest: no log file could be found") }
        let readable = summary.counts.events + summary.counts.outsideWindow + summary.filesAlreadyIngested
        if readable == 0 { throw failure("nothing to ingest: no log record could be read") }
        if strict { throw failure("\(summary.diagnostics.count) input problems (--strict)") }
    }

    /// Runs an ingestion, printing input problems (and progress on a terminal) on stderr. Shared
    /// with `--logs` (``UsageSource``).
    static func ingest(
        _ paths: [String], into store: UsageStore, catalog: String?, since: Int64? = nil, until: Int64? = nil,
        jobs: Int = ProcessInfo.processInfo.activeProcessorCount, reingest: Bool = false, progress: Bool
    ) throws -> Ingestion.Summary {
        let resolver = try CatalogOptions.load(explicit: catalog)
        let terminal = progress && isatty(STDERR_FILENO) != 0
        let options = Ingestion.Options(paths: paths, since: since, until: until, jobs: jobs, reingest: reingest)
        let summary: Ingestion.Summary
        do {
            summary = try Ingestion.run(options, store: store, resolver: resolver) { p in
                guard terminal else { return }
                FileHandle.standardError.write(Data("\r\(p.filesDone)/\(p.files) files, \(p.events) events".utf8))
            }
        } catch {
            throw failure(error.description)
        }
        if terminal { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        for diagnostic in summary.diagnostics { warning(diagnostic.description) }
        return summary
    }

    static func json(_ s: Ingestion.Summary) -> String {
        let c = s.counts
        let fields: [(String, String)] = [
            ("files", "\(s.files)"), ("filesIngested", "\(s.filesIngested)"),
            ("filesAlreadyIngested", "\(s.filesAlreadyIngested)"), ("filesPruned", "\(s.filesPruned)"),
            ("records", "\(s.records)"), ("events", "\(c.events)"), ("used", "\(c.used)"), ("denied", "\(c.denied)"),
            ("noPermission", "\(c.noPermission)"), ("awsService", "\(c.awsService)"),
            ("unresolved", "\(c.unresolved)"), ("unattributed", "\(c.unattributed)"),
            ("outsideWindow", "\(c.outsideWindow)"), ("skipped", "\(c.skipped)"),
            ("diagnostics", "\(s.diagnostics.count)"), ("seconds", String(format: "%.3f", s.seconds)),
        ]
        return "{" + fields.map { "\"\($0.0)\": \($0.1)" }.joined(separator: ", ") + "}\n"
    }

    static func text(_ s: Ingestion.Summary) -> String {
        let c = s.counts
        let rate = s.seconds > 0 ? Int(Double(c.events + c.outsideWindow + c.skipped) / s.seconds) : 0
        return """
            files        \(s.files) found, \(s.filesIngested) ingested, \(s.filesAlreadyIngested) already ingested, \
            \(s.filesPruned) pruned by the window
            records      \(s.records)
            events       \(c.events): \(c.used) used, \(c.denied) denied, \(c.noPermission) no permission needed, \
            \(c.awsService) AWS service, \(c.unresolved) unresolved, \(c.unattributed) without identity
            skipped      \(c.skipped) malformed, \(c.outsideWindow) outside the window
            diagnostics  \(s.diagnostics.count)
            elapsed      \(String(format: "%.2f", s.seconds)) s (\(rate) records/s)

            """
    }
}
