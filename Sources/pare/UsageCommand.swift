import AccountInventory
import Analysis
import ArgumentParser
import Foundation
import IAMCatalog
import Reports
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

    @Option(help: "The ActionCatalog folder (with --logs or --authorization-details).")
    var catalog: String?

    @Option(
        name: .customLong("authorization-details"), parsing: .upToNextOption,
        help: ArgumentHelp(
            "Compare with what the principal is granted: `aws iam get-account-authorization-details` output.",
            valueName: "file"))
    var authorizationDetails: [String] = []

    @Option(
        parsing: .upToNextOption,
        help: ArgumentHelp("Service control policy files (with --authorization-details).", valueName: "file"))
    var scp: [String] = []

    func validate() throws {
        try storeOptions.check(logs: logs)
        if !scp.isEmpty, authorizationDetails.isEmpty {
            throw ValidationError("--scp needs --authorization-details")
        }
    }

    func run() throws {
        // The snapshot first: a bad file fails before any logs are read.
        let granted = try authorizationDetails.isEmpty ? nil : snapshotPrincipals()
        guard let source = try UsageSource.open(logs: logs, options: storeOptions, catalog: catalog, required: true)
        else { return }
        defer { source.close() }
        let store = source.store
        var report: UsageReport
        var comparisons: [UsedVersusGranted] = []
        do {
            let window = try window.window()
            if let granted {
                let evidence = try UsageEvidence(store: store, window: window)
                comparisons = granted.principals.map {
                    UsedVersusGranted(
                        EffectivePermissions(of: $0, in: granted.inventory, catalog: granted.catalog),
                        evidence: evidence)
                }
                // The usage part: of the principal as the store records it (none when it has no events).
                report = try UsageReport.build(
                    store: store, principal: principal == nil ? nil : comparisons.first?.storedPrincipal,
                    window: window)
                if principal != nil, comparisons.first?.storedPrincipal == nil {
                    report.principals = []
                    report.unresolved = []
                }
            } else {
                report = try UsageReport.build(store: store, principal: principal, window: window)
            }
        } catch let error as UsageError {
            throw failure(error.description)
        } catch let error as StoreError {
            throw failure(error.description)
        }
        for warning in report.warnings { printError("warning: \(warning)") }
        switch (format, granted != nil) {
        case (.text, false): print(UsageReportRenderer.text(report), terminator: "")
        case (.text, true):
            print(UsageReportRenderer.text(report) + UsedVersusGrantedRenderer.text(comparisons), terminator: "")
        case (.json, false): print(UsageReportRenderer.json(report), terminator: "")
        case (.json, true):
            print(
                UsageReportRenderer.json(report, appending: ["granted": UsedVersusGrantedRenderer.json(comparisons)]),
                terminator: "")
        case (.csv, false): print(UsageReportRenderer.csv(report), terminator: "")
        case (.csv, true): print(UsedVersusGrantedRenderer.csv(comparisons), terminator: "")
        }
    }

    /// The snapshot, the catalog, and the principals to compare: the one `--principal` names (by ARN,
    /// bare name or permission-set name), else every user and role.
    private func snapshotPrincipals() throws -> (
        inventory: AccountInventory, catalog: ActionCatalog, principals: [InventoryPrincipal]
    ) {
        let inventory: AccountInventory
        do {
            inventory = try AccountInventory.load(
                authorizationDetails: authorizationDetails, serviceControlPolicies: scp)
        } catch {
            throw failure(error.description)
        }
        for diagnostic in inventory.diagnostics { warning(diagnostic.description) }
        let catalog = try CatalogOptions.load(explicit: self.catalog)
        guard let principal else { return (inventory, catalog, inventory.principals) }
        let matches = inventory.principals(named: principal)
        if matches.isEmpty {
            throw failure("unknown principal `\(principal)`: no user or role of that name in the authorization details")
        }
        if matches.count > 1 {
            let list = matches.map { "`\($0.arn)`" }.joined(separator: ", ")
            throw failure("principal `\(principal)` is ambiguous: \(list)")
        }
        return (inventory, catalog, matches)
    }
}
