import ArgumentParser
import Foundation
import Ingest
import UsageStore

/// `pare usage`: what principals used in a window, from the store (or from `--logs`).
struct UsageCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "usage",
        abstract: "Show the actions principals used and were denied in a window, with log coverage.")

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json, csv
    }

    @Option(help: "A principal by ARN or bare name (`app-role`, `alice`); default: every principal.")
    var principal: String?

    @OptionGroup var window: WindowOptions

    @OptionGroup var storeOptions: StoreOptions

    @Option(parsing: .upToNextOption, help: "Read these logs into a temporary store instead of using --store.")
    var logs: [String] = []

    @Option(help: "Output format: text, json or csv.")
    var format: Format = .text

    @Option(help: "The ActionCatalog folder (with --logs).")
    var catalog: String?

    func run() throws {
        var temporary: URL?
        defer { if let temporary { try? FileManager.default.removeItem(at: temporary) } }
        let store: UsageStore
        if logs.isEmpty {
            store = try storeOptions.open(mustExist: true)
        } else {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pare-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            temporary = folder
            do {
                store = try UsageStore(path: folder.appendingPathComponent("usage.sqlite").path)
            } catch {
                throw failure(error.description)
            }
            _ = try IngestCommand.ingest(logs, into: store, catalog: catalog, progress: false)
        }
        let report: UsageReport
        do {
            report = try UsageReport.build(store: store, principal: principal, window: window.window())
        } catch let error as UsageError {
            throw failure(error.description)
        } catch let error as StoreError {
            throw failure(error.description)
        }
        for warning in report.warnings { printError("warning: \(warning)") }
        switch format {
        case .text: print(report.text(), terminator: "")
        case .json: print(report.json(), terminator: "")
        case .csv: print(report.csv(), terminator: "")
        }
    }
}
