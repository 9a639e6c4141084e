import ArgumentParser

/// The `pare` command: each subcommand parses its arguments, calls one library function,
/// renders the result and maps the outcome to an exit code (see README "Exit codes").
@main
struct Pare: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pare",
        abstract: "Least-privilege policy synthesizer for AWS IAM.",
        version: pareVersion,
        subcommands: [
            IngestCommand.self,
            UsageCommand.self,
            FindingsCommand.self,
            DiffCommand.self,
            ValidateCommand.self,
            SimulateCommand.self,
            CatalogCommand.self,
        ]
    )
}

let pareVersion = "0.1.0"
