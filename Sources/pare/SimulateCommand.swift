import ArgumentParser
import Foundation
import IAMPolicy

/// `pare simulate`: the offline policy simulator.
struct SimulateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Decide whether policies allow one request, and show the statements that decided it.",
        discussion: """
            Exit status: 0 when the request is allowed; 2 when it is denied (explicitly or implicitly) or \
            allowed only if conditions hold; 1 when a policy cannot be read.
            """
    )

    @Argument(help: "Identity policy files (one policy, a JSON array of policies, or JSON Lines).")
    var policies: [String]

    @Option(help: "The action, `service:Action`.")
    var action: String

    @Option(help: "The resource ARN, or `*`.")
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

    func validate() throws {
        for value in contextValues where !value.contains("=") || value.hasPrefix("=") {
            throw ValidationError("--context expects KEY=VALUE, got `\(value)`")
        }
    }

    func run() throws {
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
            permissionsBoundary: try boundary.map(Self.load)?.first,
            serviceControlPolicies: scp.isEmpty ? nil : try scp.flatMap(Self.load))
        let result = evaluator.evaluate(
            Request(action: action, resource: resource, principal: principal, context: context))
        switch format {
        case .json: print(result.jsonValue.text())
        case .text: print(Self.text(result))
        }
        if result.decision != .allowed { throw ExitCode.checkFailed }
    }

    /// The policies of one file, named after the path (with `[i]` for one of several).
    static func load(_ path: String) throws -> [NamedPolicy] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw failure("cannot read `\(path)`: no such file or not readable")
        }
        let (policies, problems) = PolicyFile.read([UInt8](data), source: path)
        if let problem = problems.first { throw failure("cannot read `\(path)`: \(problem.locatedMessage)") }
        guard !policies.isEmpty else { throw failure("cannot read `\(path)`: no policy in the file") }
        return policies.map { NamedPolicy(name: $0.name, document: $0.document) }
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
