import Foundation
import TestSupport
import Testing

private let demoLogs = ["--logs", "Fixtures/demo/AWSLogs", "--as-of", "2023-07-11"]
private let snapshot = ["--authorization-details", "Fixtures/demo/authorization-details.json"]

private func golden(_ name: String) -> URL {
    Repository.root.appendingPathComponent("Tests/PareCLITests/Golden/policy/\(name)")
}

/// `pare policy` on demo principals, every format, stdout and the stderr report, against golden files
/// (the CloudFormation ones are checked by `Scripts/validate_cloudformation.sh` with cfn-lint).
@Test(arguments: ["benjamin", "stratus-red-team-ec2-steal-credentials-role", "AWSServiceRoleForRDS"])
func policyGolden(principal: String) throws {
    for (format, suffix) in [("json", "json"), ("terraform", "tf"), ("cloudformation", "yaml")] {
        let run = try Pare.run(["policy", "--principal", principal, "--format", format] + demoLogs + snapshot)
        #expect(run.status == 0)
        assertGolden(run.stdout, file: golden("\(principal).\(suffix)"))
        assertGolden(run.stderr, file: golden("\(principal).txt"))
        if format == "terraform" { checkTerraformStructure(run.stdout) }
    }
}

@Test func theJSONReportAndExplainAreByteIdenticalAcrossRuns() throws {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    var outputs: [String] = []
    for name in ["a.json", "b.json"] {
        let run = try Pare.run(
            ["policy", "--principal", "benjamin", "--explain", "--report", dir.file(name).path] + demoLogs + snapshot)
        #expect(run.status == 0)
        outputs.append(run.stdout + run.stderr)
    }
    #expect(outputs[0] == outputs[1])
    let a = try String(contentsOf: dir.file("a.json"), encoding: .utf8)
    #expect(a == (try String(contentsOf: dir.file("b.json"), encoding: .utf8)))
    assertGolden(a, file: golden("benjamin.report.json"))
    assertGolden(outputs[0], file: golden("benjamin.explain.txt"))
}

@Test(arguments: [["--resources", "template", "--wildcards", "safe"], ["--resources", "any"]])
func resourceAndWildcardOptions(options: [String]) throws {
    let principal = "stratus-red-team-ec2-steal-credentials-role"
    let run = try Pare.run(["policy", "--principal", principal] + options + demoLogs + snapshot)
    #expect(run.status == 0)
    assertGolden(run.stdout, file: golden("\(principal).\(options[1])\(options.count > 2 ? ".safe" : "").json"))
}

@Test func aSplitPolicyIsAnArrayOfDocumentsWithinTheLimit() throws {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    let run = try Pare.run(
        ["policy", "--principal", "benjamin", "--max-policy-size", "600", "--report", dir.file("r.json").path]
            + demoLogs + snapshot)
    #expect(run.status == 0)
    let documents = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [[String: Any]])
    let report = try #require(
        try JSONSerialization.jsonObject(with: Data(contentsOf: dir.file("r.json"))) as? [String: Any])
    let policies = try #require(report["policies"] as? [[String: Any]])
    #expect(policies.map { $0["name"] as? String ?? "" } == (1...5).map { "pare-benjamin-\($0)" })
    #expect(documents.count == policies.count)
    for document in documents {
        let compact = try JSONSerialization.data(withJSONObject: document, options: [.withoutEscapingSlashes])
        #expect(String(decoding: compact, as: UTF8.self).filter { !$0.isWhitespace }.count <= 600)
    }
    #expect(run.stderr.contains("warning: split into 5 policies to fit 600 characters each\n"))
    let verification = try #require(report["verification"] as? [String: Any])
    #expect(verification["allowed"] as? Int == 61)
    #expect(verification["observed"] as? Int == 61)
}

@Test func withoutASnapshotNothingBoundsThePolicyAndItSaysSo() throws {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    let report = dir.file("report.json")
    let run = try Pare.run(
        ["policy", "--principal", "stratus-red-team-ec2-steal-credentials-role", "--report", report.path] + demoLogs)
    #expect(run.status == 0)
    // The summary keeps DESIGN's keys; what is granted is unknown without a snapshot, so null.
    let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: report)) as? [String: Any])
    let summary = try #require(json["summary"] as? [String: Any])
    #expect(summary.keys.sorted() == ["grantedActions", "keptActions", "removedActions", "usedActions"])
    #expect(summary["grantedActions"] is NSNull)
    #expect(summary["removedActions"] is NSNull)
    #expect(run.stderr.contains("  never broader not checked: no IAM snapshot\n"))
    #expect(
        run.stderr.contains(
            "warning: no IAM snapshot (--authorization-details): synthesized from usage alone; nothing bounds it by"
                + " what the principal is granted today\n"))
}

@Test(arguments: [
    (
        ["--principal", "stratus-red-team-ec2-get-password-data-role"] + demoLogs,
        "error: `arn:aws:iam::123837392027:role/stratus-red-team-ec2-get-password-data-role` used no action"
            + " successfully from 2023-04-12T00:00:00Z to 2023-07-11T00:00:00Z (29 denied attempts): refusing to"
            + " write an empty policy\n"
    ),
    (
        ["--principal", "stratus-red-team-ec2lui-role-pcccexdthk"] + demoLogs + snapshot,
        "error: `arn:aws:iam::123837392027:role/stratus-red-team-ec2lui-role-pcccexdthk` used 1 action in the"
            + " window and the current policies grant none of them (`ec2:RunInstances`): refusing to write an empty"
            + " policy\n"
    ),
    (
        ["--principal", "benjamin", "--logs", "Fixtures/demo/AWSLogs", "--as-of", "2022-01-01"],
        "error: no logs in the window: nothing to synthesize from; check --days, --as-of and the logs given\n"
    ),
    (["--principal", "nobody"] + demoLogs, "error: no principal `nobody` in the usage store\n"),
    (
        ["--principal", "marketing-analyst", "--logs", "Fixtures/demo/AWSLogs"],
        "error: no principal `marketing-analyst` in the usage store\n"
    ),
])
func failuresExitOneWithOneLine(arguments: [String], message: String) throws {
    let run = try Pare.run(["policy"] + arguments)
    #expect(run.status == 1)
    #expect(run.stdout == "")
    #expect(run.stderr == message)
}

@Test func badOptionsAreUsageErrors() throws {
    let run = try Pare.run(["policy", "--principal", "benjamin", "--resources", "some"] + demoLogs)
    #expect(run.status == 64)
    #expect(
        run.stderr
            == "error: the value `some` is invalid for `--resources <resources>`; please provide one of `observed`, "
            + "`template` or `any`; see `pare policy --help`\n")
    let small = try Pare.run(["policy", "--principal", "benjamin", "--max-policy-size", "10"] + demoLogs)
    #expect(small.status == 64)
    #expect(small.stderr == "error: --max-policy-size must be at least 200, not `10`; see `pare policy --help`\n")
}

@Test func anUnwritableReportIsAOneLineError() throws {
    let run = try Pare.run(
        ["policy", "--principal", "benjamin", "--report", "/nonexistent-folder/r.json"] + demoLogs + snapshot)
    #expect(run.status == 1)
    #expect(run.stderr.hasSuffix("error: cannot write `/nonexistent-folder/r.json`: no such folder\n"))
}

@Test func aMissingStoreIsAnError() throws {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    let run = try Pare.run(["policy", "--principal", "benjamin", "--store", "none.sqlite"], directory: dir.url)
    #expect(run.status == 1)
    #expect(
        run.stderr
            == "error: no usage store at `none.sqlite`: run `pare ingest LOGS` first, or give `--logs LOGS`\n")
}

/// `terraform` cannot be installed here (no network but apt and PyPI, neither has it): a structural check
/// instead. Braces and brackets balance outside strings; every `aws_iam_policy` has its
/// `aws_iam_policy_document` and uses its `.json`; every statement has `effect`, `actions`, `resources`.
func checkTerraformStructure(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) {
    var depth = 0
    var inString = false
    var escaped = false
    for character in text {
        if inString {
            if escaped {
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == "\"" {
                inString = false
            }
            continue
        }
        switch character {
        case "\"": inString = true
        case "{", "[": depth += 1
        case "}", "]":
            depth -= 1
            #expect(depth >= 0, sourceLocation: sourceLocation)
        default: break
        }
    }
    #expect(depth == 0 && !inString, sourceLocation: sourceLocation)
    let lines = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
    let documents = lines.filter { $0.hasPrefix("data \"aws_iam_policy_document\" ") }.map {
        $0.dropFirst("data \"aws_iam_policy_document\" ".count).dropLast(2).trimmingCharacters(in: ["\""])
    }
    let policies = lines.filter { $0.hasPrefix("resource \"aws_iam_policy\" ") }.map {
        $0.dropFirst("resource \"aws_iam_policy\" ".count).dropLast(2).trimmingCharacters(in: ["\""])
    }
    #expect(!documents.isEmpty && documents == policies, sourceLocation: sourceLocation)
    for label in policies {
        #expect(lines.contains("policy = data.aws_iam_policy_document.\(label).json"), sourceLocation: sourceLocation)
    }
    let statements = lines.filter { $0 == "statement {" }.count
    // Attributes as `name = value`, whatever the alignment padding (`terraform fmt` aligns runs).
    let attributes = lines.compactMap { line -> (String, String)? in
        let parts = line.split(separator: "=", maxSplits: 1)
        guard parts.count == 2 else { return nil }
        return (
            parts[0].trimmingCharacters(in: .whitespaces), parts[1].trimmingCharacters(in: .whitespaces)
        )
    }
    #expect(attributes.filter { $0 == ("effect", "\"Allow\"") }.count == statements, sourceLocation: sourceLocation)
    #expect(
        attributes.filter { $0.0 == "actions" && $0.1.hasPrefix("[") }.count == statements,
        sourceLocation: sourceLocation)
    #expect(
        attributes.filter { $0.0 == "resources" && $0.1.hasPrefix("[") }.count == statements,
        sourceLocation: sourceLocation)
}
