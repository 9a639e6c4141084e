import ArgumentParser
import Compare
import Foundation
import IAMPolicy
import Reports

/// `pare diff BEFORE AFTER`: does AFTER grant anything BEFORE does not?
struct DiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Check that a proposed policy (or snapshot) grants no access the current one does not.",
        discussion: """
            BEFORE and AFTER are each a policy file (one policy, a JSON array or JSON Lines), a folder of \
            .json policy files (taken together, as the policies of one principal), or an \
            `aws iam get-account-authorization-details` snapshot (compared principal by principal). \
            Exit status: 0 when AFTER grants nothing new, 2 when it does (or grants something listed in \
            --not-granted), 1 when an input cannot be read, 64 on bad arguments.
            """
    )

    @Argument(help: "The current policies or snapshot.")
    var before: String

    @Argument(help: "The proposed policies or snapshot.")
    var after: String

    @Option(
        name: .customLong("not-granted"),
        help: "A file of actions and/or resource ARNs (one per line) that AFTER must not grant.")
    var notGranted: String?

    @Option(help: "Output format: text, json or sarif.")
    var format: Format = .text

    @OptionGroup var catalogOptions: CatalogOptions

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json, sarif
    }

    func run() throws {
        let catalog = try catalogOptions.load()
        let list = try notGranted.map { path -> AccessList in
            guard let data = FileManager.default.contents(atPath: path) else {
                throw failure("cannot read `\(path)`: no such file or not readable")
            }
            do {
                return try AccessList(
                    parsing: String(decoding: data, as: UTF8.self), source: path, catalog: catalog)
            } catch let error as AccessListError {
                throw failure("cannot read \(error.description)")
            }
        }
        let old: DiffInput
        let new: DiffInput
        do {
            old = try DiffInput.load(before)
            new = try DiffInput.load(after)
        } catch {
            throw failure(error.description)
        }
        let report: DiffReport
        var located: [String: ParsedPolicy] = [:]
        switch (old, new) {
        case (.policies(let a), .policies(let b)):
            for policy in b { located[policy.name] = policy }
            let result = AccessComparison.compare(
                before: a.map { NamedPolicy(name: $0.name, document: $0.document) },
                after: b.map { NamedPolicy(name: $0.name, document: $0.document) }, catalog: catalog, notGranted: list)
            report = DiffReport(
                before: before, after: after,
                sections: [DiffReport.Section(principal: nil, added: false, result: result)])
        case (.snapshot(let a), .snapshot(let b)):
            let result = SnapshotComparison.compare(before: a, after: b, catalog: catalog, notGranted: list)
            report = DiffReport(
                before: before, after: after,
                sections: result.principals.map {
                    DiffReport.Section(principal: $0.arn, added: $0.added, result: $0.result)
                },
                removedPrincipals: result.removedPrincipals, diagnostics: result.diagnostics)
        default:
            throw failure("cannot compare `\(before)` with `\(after)`: one is a snapshot, the other policy documents")
        }
        switch format {
        case .text: print(ComparisonRenderer.text(report), terminator: "")
        case .json: print(ComparisonRenderer.json(report), terminator: "")
        case .sarif:
            let afterPath = after
            let statements = located
            print(
                ComparisonRenderer.sarif(report, toolVersion: pareVersion) { reason in
                    guard let policy = statements[reason.policy] else { return (afterPath, nil) }
                    let line = policy.problem("", statement: reason.statementIndex, element: "Effect").position?.line
                    return (policy.source, line)
                }, terminator: "")
        }
        if !report.passed { throw ExitCode.checkFailed }
    }
}
