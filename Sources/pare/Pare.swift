import ArgumentParser
import Foundation

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
            PolicyCommand.self,
            FindingsCommand.self,
            DiffCommand.self,
            ValidateCommand.self,
            SimulateCommand.self,
            CatalogCommand.self,
        ]
    )

    /// Parses, runs, and reports an error as one line `error: MESSAGE` on stderr (help and `--version`
    /// go to stdout with exit 0; an `ExitCode` thrown after the command printed its message adds nothing).
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                print(fullMessage(for: error))
            } else if !(error is ExitCode) {
                printError("error: \(errorLine(for: error, exitCode: code))")
            }
            Foundation.exit(code.rawValue)
        }
    }

    /// The one-line message of `error`; a usage error (64) ends with where to find help
    /// (``--days must be a positive number of days, not `0`; see `pare findings --help` ``).
    static func errorLine(for error: any Error, exitCode: ExitCode) -> String {
        let lines = message(for: error).split(separator: "\n").map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        var line = lines.filter { !$0.isEmpty }.joined(separator: "; ")
        guard exitCode == .validationFailure else { return line }
        // ArgumentParser's own messages (`Unknown option '--x'. Did you mean '--y'?`) in house style.
        if let first = line.unicodeScalars.first, first.properties.isUppercase {
            line = houseStyle(line)
        }
        return "\(line); see `\(commandPath(CommandLine.arguments.dropFirst())) --help`"
    }

    /// The command the arguments name: `pare catalog resolve` for `catalog resolve ec2… RunInstances`.
    static func commandPath(_ arguments: some Sequence<String>) -> String {
        var command: any ParsableCommand.Type = Pare.self
        var path = [command._commandName]
        for argument in arguments {
            guard let sub = command.configuration.subcommands.first(where: { $0._commandName == argument }) else {
                break
            }
            command = sub
            path.append(sub._commandName)
        }
        return path.joined(separator: " ")
    }

    /// Lowercases the first letter of each sentence, joins sentences with `; `, drops the final period
    /// and quotes values with backticks instead of `'`.
    static func houseStyle(_ message: String) -> String {
        var sentences = message.components(separatedBy: ". ").map { sentence -> String in
            guard let first = sentence.first else { return sentence }
            return first.lowercased() + sentence.dropFirst()
        }
        if let last = sentences.popLast() { sentences.append(last.hasSuffix(".") ? String(last.dropLast()) : last) }
        return sentences.joined(separator: "; ").replacingOccurrences(of: "'", with: "`")
    }
}

let pareVersion = "0.1.0"
