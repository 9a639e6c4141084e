import ArgumentParser
import Foundation
import IAMCatalog
import IAMPolicy

/// `pare simulate`: the offline policy simulator.
struct SimulateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Decide whether policies allow one request, and show the statements that decided it.",
        discussion: """
            An action the catalog does not know is evaluated as AWS would, with a warning. Exit status: 0 \
            when the request is allowed; 2 when it is denied (explicitly or implicitly) or allowed only if \
            conditions hold; 1 when a policy cannot be read; 64 for bad arguments.
            """
    )

    @Argument(help: "Identity policy files (one policy, a JSON array of policies, or JSON Lines).")
    var policies: [String]

    @Option(help: "The action, `service:Action`.")
    var action: String

    @Option(help: "The resource ARN (arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE), or `*`.")
    var resource: String

    @Option(
        name: .customLong("context"),
        help:
            "A request context value, KEY=VALUE; repeat a key for a multivalued key. Without any, conditions are unknown."
    )
    var contextValues: [String] = []

    @Flag(help: "Evaluate with a request context in which every key is absent (AWS's missing-key rules).")
    var emptyContext = false

    @Option(help: "The calling principal's ARN or service name, checked against `Principal` / `NotPrincipal`.")
    var principal: String?

    @Option(help: "A permissions boundary policy file.")
    var boundary: String?

    @Option(parsing: .upToNextOption, help: "Service control policy files (taken as attached at one level).")
    var scp: [String] = []

    @Option(help: "Output format: text or json.")
    var format: SimulateFormat = .text

    @OptionGroup var catalogOptions: CatalogOptions

    func validate() throws {
        guard Request.isActionName(action) else {
            throw ValidationError("--action expects `service:action`, got `\(action)`")
        }
        guard resource == "*" || ARN(parsing: resource) != nil else {
            throw ValidationError(
                "--resource expects an ARN or `*`, got " + (resource.isEmpty ? "an empty value" : "`\(resource)`"))
        }
        for value in contextValues where !value.contains("=") || value.hasPrefix("=") {
            throw ValidationError("--context expects KEY=VALUE, got `\(value)`")
        }
    }

    func run() throws {
        warnIfUnknown(action)
        var context: RequestContext?
        if emptyContext || !contextValues.isEmpty {
            var values = RequestContext()
            for pair in contextValues {
                let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                values.add(String(parts[0]), parts.count > 1 ? String(parts[1]) : "")
            }
            context = values
        }
        let evaluator = PolicyEvaluator(
            identityPolicies: try policies.flatMap(Self.load),
            permissionsBoundary: try boundary.map(Self.loadBoundary),
            serviceControlPolicies: scp.isEmpty ? nil : try scp.flatMap(Self.load))
        let result = evaluator.evaluate(
            Request(action: action, resource: resource, principal: principal, context: context))
        switch format {
        case .json: print(result.jsonValue.text())
        case .text: print(Self.text(result))
        }
        if result.decision != .allowed { throw ExitCode.checkFailed }
    }

    /// Warns when the catalog does not know `action` (with a did-you-mean hint), or when there is no
    /// catalog to check it against; the request is evaluated either way, as AWS would.
    func warnIfUnknown(_ action: String) {
        let catalog: ActionCatalog
        do {
            catalog = try catalogOptions.loadOrThrow()
        } catch {
            let reason = (error as? CatalogError)?.description ?? "cannot load the action catalog"
            warning("\(reason); `\(action)` is not checked against the catalog")
            return
        }
        for unknown in catalog.unknownActions(in: [action]) { warning(unknown.description) }
    }

    /// The policies of one file, named after the path (with `[i]` for one of several).
    static func load(_ path: String) throws -> [NamedPolicy] {
        let bytes: [UInt8]
        do {
            bytes = try readPolicyFile(path)
        } catch {
            throw failure(error.message)
        }
        do {
            return try PolicyFile.readWhole(bytes, source: path).map {
                NamedPolicy(name: $0.name, document: $0.document)
            }
        } catch {
            throw failure(error.message)
        }
    }

    /// The one policy of a permissions boundary file; a file of several is an error (an identity has at
    /// most one boundary).
    static func loadBoundary(_ path: String) throws -> NamedPolicy {
        let policies = try load(path)
        guard policies.count == 1 else {
            throw failure("cannot read `\(path)`: a permissions boundary is one policy, found \(policies.count)")
        }
        return policies[0]
    }

    static func text(_ result: EvaluationResult) -> String {
        var lines = ["\(result.decision.rawValue): \(result.reason)"]
        for s in result.statements {
            lines.append(
                "  \(s.effect.rawValue) \(s.policy) Statement[\(s.statementIndex)]" + (s.sid.map { " (\($0))" } ?? ""))
        }
        return lines.joined(separator: "\n")
    }
}

enum SimulateFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}
