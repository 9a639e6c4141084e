import AccountInventory
import ArgumentParser
import Foundation
import Reports
import Synthesis

/// `pare policy`: the least-privilege policy for one role or user, proven by replay.
struct PolicyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policy",
        abstract: "Synthesize the least-privilege policy of a role or user from its usage, never broader than today.",
        discussion: """
            The policy goes to stdout, the report for people to stderr (--report FILE writes it as JSON).
            Exit status: 0 ok; 1 failure (unreadable input, unknown principal, no usage in the window); 2 the policy \
            could not be proven within the current grants (printed for review); 64 usage error.
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case json, terraform, cloudformation
    }

    @Option(help: "The role or user, by ARN or bare name (`app-role`, `alice`).")
    var principal: String

    @Option(
        name: .customLong("authorization-details"), parsing: .upToNextOption,
        help: ArgumentHelp(
            "`aws iam get-account-authorization-details` output: bounds the policy by today's grants.",
            valueName: "file"))
    var authorizationDetails: [String] = []

    @Option(parsing: .upToNextOption, help: ArgumentHelp("Service control policy files.", valueName: "file"))
    var scp: [String] = []

    @OptionGroup var window: WindowOptions

    @OptionGroup var storeOptions: StoreOptions

    @Option(parsing: .upToNextOption, help: "Read these logs into a temporary store instead of using --store.")
    var logs: [String] = []

    @OptionGroup var catalogOptions: CatalogOptions

    @Option(help: "Resources: observed (generalized past a few), template (ARN templates) or any (`*`).")
    var resources: SynthesisOptions.ResourceScope = .observed

    @Option(help: "Action wildcards: none, or safe (`svc:Get*` only when every action it matches was used).")
    var wildcards: SynthesisOptions.Wildcards = .none

    @Option(help: "Output format: json (IAM policy), terraform or cloudformation.")
    var format: Format = .json

    @Option(help: ArgumentHelp("Write the report as JSON to this file.", valueName: "file"))
    var report: String?

    @Flag(
        help:
            "Per action in the report: how often, first and last seen, the events and resources that justified it.")
    var explain = false

    @Option(help: "The size limit of one policy document, in characters without whitespace (IAM: 6144 managed).")
    var maxPolicySize: Int = SynthesisOptions.managedPolicyLimit

    func validate() throws {
        try storeOptions.check(logs: logs)
        if !scp.isEmpty, authorizationDetails.isEmpty {
            throw ValidationError("--scp needs --authorization-details (the principal's policies)")
        }
        if maxPolicySize < 200 {
            throw ValidationError("--max-policy-size must be at least 200, not `\(maxPolicySize)`")
        }
    }

    func run() throws {
        let catalog = try catalogOptions.load()
        var inventory: AccountInventory?
        if !authorizationDetails.isEmpty || !scp.isEmpty {
            do {
                inventory = try AccountInventory.load(
                    authorizationDetails: authorizationDetails, serviceControlPolicies: scp)
            } catch {
                throw failure(error.description)
            }
        }
        let options = SynthesisOptions(resources: resources, wildcards: wildcards, maxPolicySize: maxPolicySize)
        guard
            let source = try UsageSource.open(
                logs: logs, options: storeOptions, catalog: catalogOptions.catalog, required: true)
        else { return }
        defer { source.close() }
        let result: SynthesisResult
        do {
            let input = try SynthesisInput.load(
                store: source.store, principal: principal, window: window.window(), inventory: inventory)
            result = try PolicySynthesis.synthesize(input, catalog: catalog, options: options)
        } catch let error as SynthesisError {
            throw failure(error.description)
        }
        if let report {
            do {
                try Data(PolicyRenderer.report(result).utf8).write(to: URL(fileURLWithPath: report))
            } catch {
                let folder = (report as NSString).deletingLastPathComponent
                var isDirectory: ObjCBool = false
                let reason =
                    FileManager.default.fileExists(atPath: folder.isEmpty ? "." : folder, isDirectory: &isDirectory)
                        && isDirectory.boolValue ? "permission denied or not a regular file" : "no such folder"
                throw failure("cannot write `\(report)`: \(reason)")
            }
        }
        printError(PolicyRenderer.text(result, explain: explain), newline: false)
        switch format {
        case .json: print(PolicyRenderer.json(result), terminator: "")
        case .terraform: print(PolicyRenderer.terraform(result), terminator: "")
        case .cloudformation: print(PolicyRenderer.cloudFormation(result), terminator: "")
        }
        // Printed for review, but not a success: the proof that it grants nothing new failed.
        if result.neverBroadens == false { throw ExitCode.checkFailed }
    }
}

extension SynthesisOptions.ResourceScope: ExpressibleByArgument {}
extension SynthesisOptions.Wildcards: ExpressibleByArgument {}
