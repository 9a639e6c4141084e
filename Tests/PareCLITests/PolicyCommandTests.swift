import Foundation
import TestSupport
import Testing

@Suite struct ValidateCommandTests {
    static let invalidSCP =
        "Fixtures/policies/scp-examples/Service-specific-controls__AWS-IAM__deny-service-specific-credential-by-type.json"

    @Test func theInvalidSCPExampleFailsWithOneLineAndPosition() throws {
        let run = try Pare.run(["validate", Self.invalidSCP])
        #expect(run.status == 1)
        #expect(
            run.stdout == Self.invalidSCP + ":15:13: Statement[0].Condition.StringEqualsIfExists."
                + "iam:ServiceSpecificCredentialServiceName: expected `,` or `]`, found `/`\n")
        #expect(run.stderr == "0 policies in 1 file: 1 problem\n")
    }

    @Test func validFilesPass() throws {
        let run = try Pare.run([
            "validate", "Fixtures/policies/permissions-boundary-examples/MinifiedPermissionsBoundary.json",
            "Fixtures/policies/scp-examples/Region-controls__Deny-access-to-AWS-based-on-the-requested-AWS-region.json",
        ])
        #expect(run.status == 0)
        #expect(run.stdout == "")
        #expect(run.stderr == "2 policies in 2 files: no problems\n")
    }

    @Test func arraysAndJSONLinesAreReadPolicyByPolicy() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let good =
            #"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}}"#
        try Data(
            "[\(good),\n {\"Statement\": {\"Effect\": \"Allow\", \"Action\": \"GetObject\", \"Resource\": \"bucket\"}}]"
                .utf8
        )
        .write(to: dir.file("array.json"))
        try Data("\(good)\n{\"Statement\": [}\n\(good)\n".utf8).write(to: dir.file("lines.jsonl"))
        let run = try Pare.run(["validate", "array.json", "lines.jsonl"], directory: dir.url)
        #expect(run.status == 1)
        #expect(
            run.stdout == """
                array.json:2:46: [1].Statement.Action: `GetObject` is not an action (expected `service:action` or `*`)
                array.json:2:71: [1].Statement.Resource: `bucket` is not a resource (expected an ARN or `*`)
                lines.jsonl:2:16: Statement[0]: expected a value, found `}`

                """)
        #expect(run.stderr == "4 policies in 2 files: 3 problems\n")
    }

    @Test func unknownServicesAndActionsAreErrorsWithDidYouMean() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try Data(
            #"{"Statement": {"Effect": "Allow", "Action": ["s3:GetObjcet", "lambda:Invoke", "foo:Bar", "s3:Get*"], "Resource": "*"}}"#
                .utf8
        ).write(to: dir.file("typos.json"))
        let run = try Pare.run(["validate", "typos.json"], directory: dir.url)
        #expect(run.status == 1)
        #expect(
            run.stdout == """
                typos.json:1:46: Statement.Action[0]: unknown action `s3:GetObjcet`; did you mean `s3:GetObject`?
                typos.json:1:62: Statement.Action[1]: unknown action `lambda:Invoke`; did you mean `lambda:InvokeFunction`?
                typos.json:1:79: Statement.Action[2]: unknown service prefix `foo` in `foo:Bar`

                """)
        #expect(run.stderr == "1 policy in 1 file: 3 problems\n")
    }

    /// A regression: `/dev/null` (not a regular file) was "read failed"; an empty file is one problem.
    @Test func anEmptyFileIsAProblem() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try Data(" \n".utf8).write(to: dir.file("blank.json"))
        let run = try Pare.run(["validate", "/dev/null", "blank.json"], directory: dir.url)
        #expect(run.status == 1)
        #expect(run.stdout == "/dev/null: empty file\nblank.json: empty file\n")
        #expect(run.stderr == "0 policies in 2 files: 2 problems\n")
        let simulate = try Pare.run(["simulate", "/dev/null", "--action", "s3:GetObject", "--resource", "*"])
        #expect(simulate.status == 1)
        #expect(simulate.stderr == "error: cannot read `/dev/null`: empty file\n")
    }

    /// A stream without end (`/dev/zero`) is read up to a bound, then refused.
    @Test func anEndlessStreamIsRefused() throws {
        let run = try Pare.run(["simulate", "/dev/zero", "--action", "s3:GetObject", "--resource", "*"])
        #expect(run.status == 1)
        #expect(run.stderr == "error: cannot read `/dev/zero`: more than 64 MiB from a stream\n")
    }

    @Test func anUnreadableFileIsAProblemWithTheReason() throws {
        let run = try Pare.run(["validate", "no-such-file.json", "Fixtures"])
        #expect(run.status == 1)
        #expect(
            run.stdout == """
                no-such-file.json: cannot read `no-such-file.json`: no such file
                Fixtures: cannot read `Fixtures`: is a directory

                """)
        #expect(run.stderr == "0 policies in 2 files: 2 problems\n")
    }

    /// A regression: a JSON Lines line that does not look like an object made the whole file one JSON
    /// text, so the good lines around it were neither read nor checked.
    @Test func aBadJSONLinesLineSpoilsOnlyItself() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try Data(
            """
            {"Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}}
            not json
            {"Statement": {"Effect": "Allow", "Action": "s3:GetObjcet", "Resource": "*"}}

            """.utf8
        ).write(to: dir.file("bad.jsonl"))
        let run = try Pare.run(["validate", "bad.jsonl"], directory: dir.url)
        #expect(run.status == 1)
        #expect(
            run.stdout == """
                bad.jsonl:2:1: expected a value, found `n`
                bad.jsonl:3:45: Statement.Action: unknown action `s3:GetObjcet`; did you mean `s3:GetObject`?

                """)
        #expect(run.stderr == "2 policies in 1 file: 2 problems\n")
    }

    @Test func aStatementWithoutResourceOrPrincipalAndABadNullAreErrors() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try Data(
            (#"{"Statement": [{"Effect": "Allow", "Action": "s3:GetObject"}, "#
                + #"{"Effect": "Deny", "Action": "s3:*", "Resource": "*", "Condition": {"Null": {"x": "maybe"}}}]}"#)
                .utf8
        ).write(to: dir.file("p.json"))
        let run = try Pare.run(["validate", "p.json"], directory: dir.url)
        #expect(run.status == 1)
        #expect(
            run.stdout == """
                p.json:1:16: Statement[0]: missing `Resource` or `Principal` (an identity policy statement needs \
                `Resource` or `NotResource`, a resource or trust policy statement `Principal` or `NotPrincipal`)
                p.json:1:145: Statement[1].Condition.Null.x: `maybe` is not a boolean (`Null` expects `true` or \
                `false`)

                """)
        #expect(run.stderr == "1 policy in 1 file: 2 problems\n")
    }
}

extension ValidateCommandTests {
    /// A regression: a file of `[]` was "0 policies in 1 file: no problems" (exit 0) while `simulate`
    /// refuses it.
    @Test func aFileWithoutAPolicyIsAProblem() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try Data("[]\n".utf8).write(to: dir.file("empty.json"))
        let run = try Pare.run(["validate", "empty.json"], directory: dir.url)
        #expect(run.status == 1)
        #expect(run.stdout == "empty.json: no policy in the file\n")
        #expect(run.stderr == "0 policies in 1 file: 1 problem\n")
        let simulate = try Pare.run(
            ["simulate", "empty.json", "--action", "s3:GetObject", "--resource", "*"], directory: dir.url)
        #expect(simulate.status == 1)
        #expect(simulate.stderr == "error: cannot read `empty.json`: no policy in the file\n")
    }
}

@Suite struct SimulateCommandTests {
    static let table = PolicyDecisionTable.shared
    /// Every fourth case of the decision table, end to end (the command needs at least one policy file).
    static let sample = table.cases.filter { $0.index % 4 == 0 && !$0.identity.isEmpty }

    @Test(arguments: sample)
    func decisionTableThroughTheBinary(_ row: PolicyDecisionCase) throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        for (name, text) in Self.table.policies {
            try Data(text.utf8).write(to: dir.file(name + ".json"))
        }
        var arguments = ["simulate"] + row.identity.map { $0 + ".json" }
        arguments += ["--action", row.action, "--resource", row.resource, "--format", "json"]
        if let boundary = row.boundary { arguments += ["--boundary", boundary + ".json"] }
        if let scps = row.scps { arguments += ["--scp"] + scps.map { $0 + ".json" } }
        if let principal = row.principal { arguments += ["--principal", principal] }
        if let context = row.context {
            if context.isEmpty { arguments.append("--empty-context") }
            for (key, values) in context.sorted(by: { $0.key < $1.key }) {
                for value in values { arguments += ["--context", "\(key)=\(value)"] }
            }
        }
        let run = try Pare.run(arguments, directory: dir.url)
        #expect(run.stderr == "")
        #expect(run.status == (row.decision == "allowed" ? 0 : 2))
        let output = try #require(
            try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        #expect(output["decision"] as? String == row.decision)
        let statements = (output["statements"] as? [[String: Any]]) ?? []
        #expect(
            statements.map { "\($0["policy"] as? String ?? "?")#\($0["statementIndex"] as? Int ?? -1)" }
                == row.statements.map { $0.replacingOccurrences(of: "#", with: ".json#") })
    }

    @Test func textOutput() throws {
        let run = try Pare.run([
            "simulate", "Fixtures/policies/permissions-boundary-examples/MinifiedPermissionsBoundary.json",
            "--action", "appsync:CreateApi", "--resource", "*",
        ])
        #expect(run.status == 0)
        #expect(
            run.stdout == """
                allowed: allowed by every policy layer
                  Allow Fixtures/policies/permissions-boundary-examples/MinifiedPermissionsBoundary.json Statement[0]

                """)
    }

    @Test func jsonOutputForAConditionalDeny() throws {
        let run = try Pare.run([
            "simulate", "Fixtures/policies/permissions-boundary-examples/MinifiedPermissionsBoundary.json",
            "--scp",
            "Fixtures/policies/scp-examples/Region-controls__Deny-access-to-AWS-based-on-the-requested-AWS-region.json",
            "--action", "appsync:CreateApi", "--resource", "*", "--format", "json",
        ])
        #expect(run.status == 2)
        #expect(run.stdout.hasPrefix(#"{"# + "\n" + #"    "decision": "implicitDeny","#))
        #expect(run.stdout.contains(#""reason": "no statement of the service control policies allows the request""#))
    }

    @Test func anInvalidPolicyIsAnErrorWithPosition() throws {
        let run = try Pare.run([
            "simulate", ValidateCommandTests.invalidSCP, "--action", "iam:CreateServiceSpecificCredential",
            "--resource", "*",
        ])
        #expect(run.status == 1)
        #expect(run.stdout == "")
        #expect(
            run.stderr == "error: cannot read `\(ValidateCommandTests.invalidSCP)`: 15:13: Statement[0].Condition."
                + "StringEqualsIfExists.iam:ServiceSpecificCredentialServiceName: expected `,` or `]`, found `/`\n")
    }

    static let admin = #"{"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}}"#

    @Test(arguments: [
        "s3GetObject", "*", "s3:Get*", "s3:", ":GetObject", "s_3:GetObject", "s3:Get Object", "s3:GetÖbject",
        "s3:Get:Object",
    ])
    func aMalformedActionIsAUsageError(action: String) throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try Data(Self.admin.utf8).write(to: dir.file("admin.json"))
        let run = try Pare.run(
            ["simulate", "admin.json", "--action", action, "--resource", "*"], directory: dir.url)
        #expect(run.status == 64)
        #expect(run.stdout == "")
        #expect(
            run.stderr == "error: --action expects `service:action`, got `\(action)`; see `pare simulate --help`\n")
    }

    /// An action the catalog does not know is evaluated as AWS would (`*` allows it), with a warning.
    @Test(arguments: [
        ("nosuch:Thing", "warning: unknown service prefix `nosuch` in `nosuch:Thing`\n"),
        ("s3:GetObjcet", "warning: unknown action `s3:GetObjcet`; did you mean `s3:GetObject`?\n"),
        ("S3:getobject", ""),
    ])
    func anUnknownActionIsAWarning(action: String, stderr: String) throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try Data(Self.admin.utf8).write(to: dir.file("admin.json"))
        let run = try Pare.run(
            ["simulate", "admin.json", "--action", action, "--resource", "*"], directory: dir.url)
        #expect(run.status == 0)
        #expect(run.stdout == "allowed: allowed by every policy layer\n  Allow admin.json Statement[0]\n")
        #expect(run.stderr == stderr)
    }

    @Test func withoutACatalogTheActionIsNotCheckedButEvaluated() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try Data(Self.admin.utf8).write(to: dir.file("admin.json"))
        let run = try Pare.run(
            ["simulate", "admin.json", "--action", "nosuch:Thing", "--resource", "*", "--catalog", "no-catalog"],
            directory: dir.url)
        #expect(run.status == 0)
        #expect(run.stdout == "allowed: allowed by every policy layer\n  Allow admin.json Statement[0]\n")
        #expect(
            run.stderr
                == "warning: no action catalog at `\(dir.file("no-catalog").path)` (--catalog): expected "
                + "`catalog.txt` there; `nosuch:Thing` is not checked against the catalog\n")
    }

    @Test func anUnreadablePolicyFileIsAnErrorWithTheReason() throws {
        let missing = try Pare.run(["simulate", "nope.json", "--action", "s3:GetObject", "--resource", "*"])
        #expect(missing.status == 1)
        #expect(missing.stderr == "error: cannot read `nope.json`: no such file\n")
        let folder = try Pare.run(["simulate", "Fixtures", "--action", "s3:GetObject", "--resource", "*"])
        #expect(folder.status == 1)
        #expect(folder.stderr == "error: cannot read `Fixtures`: is a directory\n")
    }

    /// A bad line of a JSON Lines policy file is an error at its line (a simulation never runs without
    /// one of the policies).
    @Test func aBadJSONLinesLineIsAnErrorAtItsLine() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try Data("\(Self.admin)\n{\"Statement\": [\n\(Self.admin)\n".utf8).write(to: dir.file("bad.jsonl"))
        let run = try Pare.run(
            ["simulate", "bad.jsonl", "--action", "s3:GetObject", "--resource", "*"], directory: dir.url)
        #expect(run.status == 1)
        #expect(run.stdout == "")
        #expect(
            run.stderr
                == "error: cannot read `bad.jsonl`: 2:16: Statement[0]: expected a value, found the end of the input\n")
    }

    /// A regression: a boundary file holding several policies was read as its first one, so a Deny in
    /// the second was ignored.
    @Test func aBoundaryFileOfSeveralPoliciesIsAnError() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try Data(Self.admin.utf8).write(to: dir.file("admin.json"))
        try Data(
            (#"[{"Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": "*"}},"#
                + #" {"Statement": {"Effect": "Deny", "Action": "s3:Delete*", "Resource": "*"}}]"#).utf8
        ).write(to: dir.file("two.json"))
        let run = try Pare.run(
            [
                "simulate", "admin.json", "--boundary", "two.json", "--action", "s3:DeleteObject", "--resource",
                "arn:aws:s3:::b/k",
            ], directory: dir.url)
        #expect(run.status == 1)
        #expect(run.stdout == "")
        #expect(run.stderr == "error: cannot read `two.json`: a permissions boundary is one policy, found 2\n")
    }

    /// A regression: `--resource ''` and `--resource not-an-arn` were evaluated (and matched `*`).
    @Test(arguments: ["", "not-an-arn", "arn:aws:s3", "arn:aws:s3:::", "arn:gcp:s3:::b", "arn:aws:s3:::b/*"])
    func aResourceThatIsNotAnARNIsAUsageError(resource: String) throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try Data(Self.admin.utf8).write(to: dir.file("admin.json"))
        let run = try Pare.run(
            ["simulate", "admin.json", "--action", "s3:GetObject", "--resource", resource], directory: dir.url)
        let got = resource.isEmpty ? "an empty value" : "`\(resource)`"
        let message = "error: --resource expects an ARN or `*`, got \(got); see `pare simulate --help`\n"
        // A wildcard in the request's ARN is text, not a pattern: it is an ARN like any other.
        #expect(run.status == (resource.hasSuffix("*") ? 0 : 64))
        #expect(run.stderr == (resource.hasSuffix("*") ? "" : message))
    }

    @Test func aMalformedContextIsAUsageError() throws {
        let run = try Pare.run([
            "simulate", "Fixtures/policies/permissions-boundary-examples/MinifiedPermissionsBoundary.json",
            "--action", "s3:GetObject", "--resource", "*", "--context", "aws:SourceIp",
        ])
        #expect(run.status == 64)
        #expect(
            run.stderr == "error: --context expects KEY=VALUE, got `aws:SourceIp`; see `pare simulate --help`\n")
    }
}
