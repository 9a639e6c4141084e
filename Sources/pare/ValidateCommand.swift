import ArgumentParser
import Foundation
import IAMCatalog
import IAMPolicy

/// `pare validate`: reads policy files and prints their problems.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check policy documents: JSON syntax, the policy grammar, action and resource shapes.",
        discussion: """
            A file may hold one policy, a JSON array of policies, or JSON Lines (one policy per line; a bad \
            line is one problem; a file without a policy is one). Every statement needs a Resource (identity \
            policies) or a Principal (resource and trust policies); resources are ARNs or *; lists are not \
            empty; Sids are unique letters and digits; condition values are what their operator reads; ${...} \
            outside Version 2012-10-17 is a warning (literal text there). Actions are checked against the bundled catalog: an unknown service prefix or action is an \
            error, with a did-you-mean hint where a catalog name is close. Problems are printed one per line as FILE:LINE:COLUMN: PATH: MESSAGE, and a summary on standard \
            error. Exit status: 0 when every policy is valid, 1 otherwise.
            """
    )

    @Argument(help: "Policy files.")
    var files: [String]

    @OptionGroup var catalogOptions: CatalogOptions

    func run() throws {
        let checks = [try catalogOptions.load().unknownActionCheck]
        var problems: [PolicyProblem] = []
        var policyCount = 0
        for file in files {
            let bytes: [UInt8]
            do {
                bytes = try readPolicyFile(file)
            } catch {
                problems.append(PolicyProblem(source: file, position: nil, path: "", message: error.message))
                continue
            }
            policyCount += PolicyFile.read(bytes, source: file).policies.count
            problems += PolicyFile.validate(bytes, source: file, checks: checks)
        }
        for problem in problems { print(problem) }
        let errors = problems.filter { $0.severity == .error }.count
        let summary =
            "\(policyCount) \(policyCount == 1 ? "policy" : "policies") in \(files.count) "
            + "\(files.count == 1 ? "file" : "files"): "
            + (problems.isEmpty ? "no problems" : "\(problems.count) \(problems.count == 1 ? "problem" : "problems")")
        FileHandle.standardError.write(Data((summary + "\n").utf8))
        if errors > 0 { throw ExitCode.failure }
    }
}
