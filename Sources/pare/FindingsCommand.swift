import AccountInventory
import Analysis
import ArgumentParser
import Findings
import Foundation
import Reports
import Timestamps
import UsageStore

/// `pare findings`: unused access (with the usage store or `--logs`) and posture checks over an IAM
/// snapshot and credential report.
struct FindingsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "findings",
        abstract: "Report unused access and account posture problems, as IAM Access Analyzer-style findings.",
        discussion: "Exit status: 0 ok; 1 unreadable input; 2 a finding at or above --fail-on; 64 usage error."
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json, sarif
    }

    @Option(
        name: .customLong("authorization-details"), parsing: .upToNextOption,
        help: ArgumentHelp(
            "`aws iam get-account-authorization-details` output (several files: several accounts).",
            valueName: "file"))
    var authorizationDetails: [String] = []

    @Option(
        parsing: .upToNextOption,
        help: ArgumentHelp(
            "The credential report, as CSV or `get-credential-report` JSON (several files: several accounts).",
            valueName: "file"))
    var credentialReport: [String] = []

    @Option(parsing: .upToNextOption, help: ArgumentHelp("Service control policy files.", valueName: "file"))
    var scp: [String] = []

    @OptionGroup var storeOptions: StoreOptions

    @Option(
        parsing: .upToNextOption,
        help: ArgumentHelp("Read these logs into a temporary store instead of using --store.", valueName: "path"))
    var logs: [String] = []

    @OptionGroup var catalogOptions: CatalogOptions

    @Option(help: "The window length in days (1 to 36500).")
    var days: Int = 90

    @Option(
        help: ArgumentHelp(
            "The end of the window and the \"now\" of age checks (ISO 8601, UTC; default: when the inputs were generated).",
            valueName: "time"))
    var asOf: String?

    @Option(help: "Output format: text, json or sarif.")
    var format: Format = .text

    @Option(
        help: ArgumentHelp(
            "Exit 2 when a finding is at or above this severity (informational, low, medium, high, critical).",
            valueName: "severity"))
    var failOn: String?

    @Option(parsing: .upToNextOption, help: ArgumentHelp("Suppression files (see README).", valueName: "file"))
    var suppress: [String] = []

    func validate() throws {
        try WindowOptions.check(days: days)
        try storeOptions.check(logs: logs)
        if let asOf, Timestamp.parse(asOf) == nil {
            throw ValidationError("--as-of `\(asOf)` is not an ISO 8601 time (`2026-11-01` or `2026-11-01T12:00:00Z`)")
        }
        if let failOn, Severity(rawValue: failOn.lowercased()) == nil {
            throw ValidationError(
                "--fail-on `\(failOn)` is not a severity (\(Severity.allCases.map(\.rawValue).joined(separator: ", ")))"
            )
        }
        guard !authorizationDetails.isEmpty || !credentialReport.isEmpty else {
            throw ValidationError("give --authorization-details or --credential-report (or both)")
        }
        if !scp.isEmpty && authorizationDetails.isEmpty {
            throw ValidationError("--scp needs --authorization-details")
        }
    }

    func run() throws {
        let inventory: AccountInventory
        let suppressions: Suppressions
        do {
            inventory = try AccountInventory.load(
                authorizationDetails: authorizationDetails, credentialReports: credentialReport,
                serviceControlPolicies: scp)
            suppressions = try Suppressions(contentsOf: suppress)
        } catch let error as InventoryError {
            throw failure(error.description)
        } catch let error as FindingsError {
            throw failure(error.description)
        }
        let options: FindingOptions
        if let time = asOf.flatMap(Timestamp.parse) {
            options = FindingOptions(asOf: time, days: days)
        } else if let (time, source) = Findings.defaultAsOf(inventory) {
            options = FindingOptions(asOf: time, days: days, asOfSource: source)
        } else {
            options = FindingOptions(
                asOf: Int64(Date().timeIntervalSince1970), days: days,
                asOfSource: "now (the inputs hold no time)")
        }
        let catalog = try catalogOptions.load()
        let source = try UsageSource.open(
            logs: logs, options: storeOptions, catalog: catalogOptions.catalog, required: false)
        defer { source?.close() }
        let evidence: UsageEvidence?
        do {
            evidence = try source.map { source throws(StoreError) in
                try UsageEvidence(
                    store: source.store, window: StoreWindow(start: options.windowStart, end: options.asOf))
            }
        } catch {
            throw failure(error.description)
        }
        let report = Findings.evaluate(
            FindingContext(inventory: inventory, options: options, catalog: catalog, evidence: evidence),
            suppressions: suppressions)
        switch format {
        case .text: print(FindingsRenderer.text(report), terminator: "")
        case .json: print(FindingsRenderer.json(report), terminator: "")
        case .sarif: print(FindingsRenderer.sarif(report, toolVersion: pareVersion), terminator: "")
        }
        if let failOn, let threshold = Severity(rawValue: failOn.lowercased()), report.fails(at: threshold) {
            throw ExitCode.checkFailed
        }
    }
}
