import ArgumentParser
import Foundation
import IAMCatalog
import IAMPolicy

/// `pare catalog show|expand|resolve`: look things up in the bundled action catalog.
struct CatalogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "catalog",
        abstract: "Look up services, actions and CloudTrail events in the bundled action catalog.",
        subcommands: [Show.self, Expand.self, Resolve.self]
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    struct Options: ParsableArguments {
        @OptionGroup var catalogOptions: CatalogOptions

        @Option(help: "Output format: text or json.")
        var format: Format = .text

        func load() throws -> ActionCatalog { try catalogOptions.load() }
    }

    /// `pare catalog show PREFIX[:ACTION]`.
    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show a service (its actions, resource types, condition keys) or one action.")

        @Argument(help: "A service prefix (`s3`) or an action (`s3:GetObject`), any case.")
        var name: String

        @OptionGroup var options: Options

        func run() throws {
            let catalog = try options.load()
            if name.contains(":") {
                guard let id = catalog.action(named: name) else {
                    throw failure(catalog.unknownActions(in: [name]).first?.description.oneLine ?? name)
                }
                print(render(CatalogActionDetails(catalog: catalog, id: id)))
            } else {
                guard !name.isEmpty else {
                    throw failure("`` is not a service prefix or an action (expected `prefix` or `prefix:action`)")
                }
                guard let prefix = catalog.canonicalPrefix(name) else {
                    throw failure(catalog.unknownPrefix(name)?.description.oneLine ?? name)
                }
                print(render(CatalogServiceDetails(catalog: catalog, prefix: prefix)))
            }
        }

        private func render(_ value: CatalogActionDetails) -> String {
            if options.format == .json { return CatalogCommand.json(value) }
            var lines = ["\(value.action)  (\(value.accessLevel))"]
            for resource in value.resourceTypes {
                lines.append("  resource \(resource.name)\(resource.required ? " (required)" : "")  \(resource.arn)")
            }
            if value.resourceTypes.isEmpty { lines.append("  resource *") }
            lines += value.conditionKeys.map { "  condition \($0)" }
            lines += value.dependentActions.map { "  depends on \($0)" }
            return lines.joined(separator: "\n")
        }

        private func render(_ value: CatalogServiceDetails) -> String {
            if options.format == .json { return CatalogCommand.json(value) }
            var lines = ["\(value.prefix)  \(value.serviceName)  (\(value.actions.count) actions)"]
            let width = value.actions.map(\.action.count).max() ?? 0
            lines += value.actions.map {
                $0.action.padding(toLength: width + 2, withPad: " ", startingAt: 0) + $0.accessLevel
            }
            lines += value.resourceTypes.map { "resource \($0.name)  \($0.arn)" }
            lines += value.conditionKeys.map { "condition \($0)" }
            return lines.joined(separator: "\n")
        }
    }

    /// `pare catalog expand PATTERN`.
    struct Expand: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the actions an action pattern matches (`s3:Get*`, `iam:*Policy*`, `*`).")

        @Argument(help: "An action pattern; `*` and `?` match case-insensitively.")
        var pattern: String

        @Flag(help: "Expand as NotAction: every catalog action the pattern does not match.")
        var not = false

        @OptionGroup var options: Options

        func run() throws {
            let catalog = try options.load()
            let matched = catalog.expand(pattern)
            if matched.isEmpty {
                let problem = catalog.unknownActions(in: [pattern]).first?.description.oneLine ?? pattern
                // As NotAction a pattern that matches nothing still means every action.
                guard not else { throw failure(problem) }
                warning(problem)
            }
            let actions = catalog.names(of: not ? catalog.complement(of: matched) : matched)
            if options.format == .json {
                print(CatalogCommand.json(CatalogExpansion(pattern: pattern, notAction: not, actions: actions)))
            } else if !actions.isEmpty {
                print(actions.joined(separator: "\n"))
            }
        }
    }

    /// `pare catalog resolve EVENT_SOURCE EVENT_NAME`.
    struct Resolve: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Resolve a CloudTrail event to the IAM actions it needs.")

        @Argument(help: "The event's eventSource (`s3.amazonaws.com`).")
        var eventSource: String

        @Argument(help: "The event's eventName (`ListObjectsV2`).")
        var eventName: String

        @Option(help: "The event's requestParameters as a JSON object; adds the actions they imply.")
        var requestParameters: String?

        @OptionGroup var options: Options

        func run() throws {
            let catalog = try options.load()
            let resolution = catalog.resolve(eventSource: eventSource, eventName: eventName)
            var actions = resolution.actions
            if let requestParameters {
                do {
                    actions = try resolution.actions(requestParametersJSON: requestParameters)
                } catch let error as CatalogError {
                    throw ValidationError("--request-parameters: \(error.description)")
                }
            }
            let output = CatalogResolution(
                eventSource: eventSource, eventName: eventName, status: resolution.status.rawValue, actions: actions,
                conditional: requestParameters == nil
                    ? resolution.conditional.map { .init(parameter: $0.parameter, actions: $0.actions) } : [],
                anyOf: resolution.anyOf, reason: resolution.reason, note: resolution.note)
            if options.format == .json {
                print(CatalogCommand.json(output))
                return
            }
            var lines = ["\(eventSource) \(eventName): \(output.status)"]
            lines += actions.map { "  \($0)" }
            lines += output.conditional.map { "  when \($0.parameter): \($0.actions.joined(separator: ", "))" }
            if !output.anyOf.isEmpty { lines.append("  one or more of: \(output.anyOf.joined(separator: ", "))") }
            if let reason = output.reason { lines.append("  \(reason)") }
            if let note = output.note { lines.append("  note: \(note)") }
            // The source and name are the user's (or a log's): control characters are shown escaped.
            print(lines.map(\.oneLine).joined(separator: "\n"))
        }
    }

    static func json<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }
}

// MARK: - JSON shapes (DESIGN.md "Machine-readable outputs")

struct CatalogResolution: Encodable {
    struct Conditional: Encodable {
        var parameter: String
        var actions: [String]
    }
    var eventSource: String
    var eventName: String
    var status: String
    var actions: [String]
    var conditional: [Conditional]
    var anyOf: [String]
    var reason: String?
    var note: String?

    func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(eventSource, forKey: .eventSource)
        try container.encode(eventName, forKey: .eventName)
        try container.encode(status, forKey: .status)
        try container.encode(actions, forKey: .actions)
        try container.encode(conditional, forKey: .conditional)
        try container.encode(anyOf, forKey: .anyOf)
        try container.encode(reason, forKey: .reason)
        try container.encodeIfPresent(note, forKey: .note)
    }

    enum CodingKeys: String, CodingKey {
        case eventSource, eventName, status, actions, conditional, anyOf, reason, note
    }
}

struct CatalogExpansion: Encodable {
    var pattern: String
    var notAction: Bool
    var actions: [String]
}

struct CatalogActionDetails: Encodable {
    struct Resource: Encodable {
        var name: String
        var arn: String
        var required: Bool
        var conditionKeys: [String]
    }
    var action: String
    var accessLevel: String
    var resourceTypes: [Resource]
    var conditionKeys: [String]
    var dependentActions: [String]

    init(catalog: ActionCatalog, id: ActionID) {
        action = catalog.name(of: id)
        accessLevel = catalog.accessLevel(of: id).rawValue
        resourceTypes = catalog.resourceTypes(of: id).map {
            Resource(
                name: $0.resourceType.name, arn: $0.resourceType.arnTemplate, required: $0.required,
                conditionKeys: $0.resourceType.conditionKeys)
        }
        conditionKeys = catalog.conditionKeys(of: id)
        dependentActions = catalog.dependentActions(of: id).map { catalog.name(of: $0) }
    }
}

struct CatalogServiceDetails: Encodable {
    struct Action: Encodable {
        var action: String
        var accessLevel: String
    }
    struct Resource: Encodable {
        var name: String
        var arn: String
    }
    var prefix: String
    var serviceName: String
    var actions: [Action]
    var resourceTypes: [Resource]
    var conditionKeys: [String]

    init(catalog: ActionCatalog, prefix: String) {
        self.prefix = prefix
        serviceName = catalog.serviceName(prefix: prefix) ?? prefix
        actions = catalog.actions(prefix: prefix).map {
            Action(action: catalog.name(of: $0), accessLevel: catalog.accessLevel(of: $0).rawValue)
        }
        resourceTypes = catalog.resourceTypes(prefix: prefix).map { Resource(name: $0.name, arn: $0.arnTemplate) }
        conditionKeys = catalog.conditionKeys(prefix: prefix)
    }
}
