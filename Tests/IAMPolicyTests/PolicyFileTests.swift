import IAMPolicy
import Testing

@Suite struct PolicyFileTests {
    static let text = """
        [{"Version": "2012-10-17", "Statement": [
           {"Effect": "Allow", "Action": ["s3:GetObject", "s3:Frobnicate"], "Resource": "*"}]},
         {"Statement": {"Effect": "Deny", "NotAction": "ec2:Frobnicate", "Resource": "arn:aws:s3:::b"}}]
        """

    /// A stand-in for the catalog check: flags actions named `Frobnicate`.
    static let frobnicate: PolicyCheck = { policy in
        var problems: [PolicyProblem] = []
        for (i, statement) in policy.document.statements.enumerated() {
            let (element, list): (String, [String]) =
                switch statement.action {
                case .action(let l): ("Action", l)
                case .notAction(let l): ("NotAction", l)
                }
            for (j, action) in list.enumerated() where action.hasSuffix(":Frobnicate") {
                problems.append(
                    policy.problem(
                        "unknown action `\(action)`", statement: i, element: element, valueIndex: j, severity: .warning)
                )
            }
        }
        return problems
    }

    @Test func pluggedChecksPointAtTheValue() {
        let problems = PolicyFile.validate(Array(Self.text.utf8), source: "p.json", checks: [Self.frobnicate])
        #expect(
            problems.map(\.description) == [
                "p.json:2:51: [0].Statement[0].Action[1]: warning: unknown action `s3:Frobnicate`",
                "p.json:3:48: [1].Statement.NotAction: warning: unknown action `ec2:Frobnicate`",
            ])
        #expect(
            problems[0].locatedMessage == "2:51: [0].Statement[0].Action[1]: warning: unknown action `s3:Frobnicate`")
    }

    @Test func readNamesPoliciesOfAnArray() {
        let (policies, problems) = PolicyFile.read(Array(Self.text.utf8), source: "p.json")
        #expect(problems.isEmpty)
        #expect(policies.map(\.name) == ["p.json[0]", "p.json[1]"])
        #expect(policies[1].document.statements[0].action == .notAction(["ec2:Frobnicate"]))
    }

    @Test func jsonLinesKeepGoodLinesAroundABadOne() {
        let text = """
            {"Statement": {"Effect": "Allow", "Action": "a:b"}}
            {"Statement": {"Effect": "Allow", "Action": "a:b"}
            {"Statement": {"Effect": "Allow", "Action": "c:d"}}
            """
        let (policies, problems) = PolicyFile.read(Array(text.utf8), source: "l.jsonl")
        #expect(policies.map(\.name) == ["l.jsonl", "l.jsonl"])
        #expect(policies.map(\.document.statements[0].action) == [.action(["a:b"]), .action(["c:d"])])
        #expect(problems.map(\.description) == ["l.jsonl:2:51: expected `,` or `}`, found the end of the input"])
    }

    static let good = #"{"Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}}"#

    /// A regression: a bad line that does not look like an object (`not json`, a truncated `{…[`) used to
    /// make the whole file one JSON text, so its good lines were never read.
    @Test(arguments: [
        (#"{"Statement": ["#, "l.jsonl:2:16: Statement[0]: expected a value, found the end of the input"),
        ("not json", "l.jsonl:2:1: expected a value, found `n`"),
        ("[]", "l.jsonl:2:1: expected a policy document (an object), found an array"),
    ])
    func aBadJSONLinesLineIsOneProblemAtItsLine(bad: String, problem: String) {
        let text = "\(Self.good)\n\(bad)\n\n\(Self.good.replacingOccurrences(of: "GetObject", with: "PutObject"))\n"
        let (policies, problems) = PolicyFile.read(Array(text.utf8), source: "l.jsonl")
        #expect(policies.map(\.name) == ["l.jsonl", "l.jsonl"])
        #expect(
            policies.map(\.document.statements[0].action) == [.action(["s3:GetObject"]), .action(["s3:PutObject"])])
        #expect(problems.map(\.description) == [problem])
    }

    @Test func aFileIsJSONLinesOnlyWhenItsFirstLineIsAWholeObject() {
        let pretty =
            "{\n  \"Statement\": {\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\"}\n}\n"
        let (one, noProblems) = PolicyFile.read(Array(pretty.utf8), source: "p.json")
        #expect(one.map(\.name) == ["p.json"])
        #expect(noProblems.isEmpty)
        let array = "[\(Self.good),\n \(Self.good)]\n"
        let (two, none) = PolicyFile.read(Array(array.utf8), source: "a.json")
        #expect(two.map(\.name) == ["a.json[0]", "a.json[1]"])
        #expect(none.isEmpty)
        let alone = "\n\(Self.good)\n\n"
        let (single, nothing) = PolicyFile.read(Array(alone.utf8), source: "s.json")
        #expect(single.map(\.name) == ["s.json"])
        #expect(nothing.isEmpty)
        // A damaged one-policy file is one problem, not one per line.
        let damaged = "{\"Statement\": [\n  {\"Effect\": \"Allow\"\n]}\n"
        let (zero, problems) = PolicyFile.read(Array(damaged.utf8), source: "d.json")
        #expect(zero.isEmpty)
        #expect(problems.map(\.description) == ["d.json:3:1: Statement[0]: expected `,` or `}`, found `]`"])
    }

    @Test func aStatementNeedsAResourceOrAPrincipal() {
        let text = """
            [{"Statement": [{"Effect": "Allow", "Action": "s3:GetObject"},
                            {"Effect": "Allow", "Action": "s3:GetObject", "NotResource": "arn:aws:s3:::b/*"}]},
             {"Statement": {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}},
             {"Statement": {"Effect": "Deny", "NotPrincipal": {"AWS": "arn:aws:iam::1:root"}, "Action": "s3:*"}}]
            """
        #expect(
            PolicyFile.validate(Array(text.utf8), source: "p.json").map(\.description) == [
                "p.json:1:17: [0].Statement[0]: missing `Resource` or `Principal` (an identity policy statement "
                    + "needs `Resource` or `NotResource`, a resource or trust policy statement `Principal` or "
                    + "`NotPrincipal`)"
            ])
    }

    @Test func boolAndNullConditionsTakeTrueOrFalse() {
        let text = """
            {"Statement": {"Effect": "Deny", "Action": "s3:*", "Resource": "*", "Condition": {
              "Null": {"aws:TagKeys": "maybe", "aws:RequestTag/team": "true"},
              "bool": {"aws:SecureTransport": ["False", "no", true]},
              "ForAllValues:BoolIfExists": {"aws:ViaAWSService": 1},
              "StringEquals": {"aws:username": "maybe"}}}}
            """
        #expect(
            PolicyFile.validate(Array(text.utf8), source: "c.json").map(\.description) == [
                "c.json:2:27: Statement.Condition.Null.aws:TagKeys: `maybe` is not a boolean (`Null` expects "
                    + "`true` or `false`)",
                "c.json:3:45: Statement.Condition.bool.aws:SecureTransport[1]: `no` is not a boolean (`Bool` "
                    + "expects `true` or `false`)",
                "c.json:4:54: Statement.Condition.ForAllValues:BoolIfExists.aws:ViaAWSService: `1` is not a "
                    + "boolean (`Bool` expects `true` or `false`)",
            ])
    }

    static func problems(_ text: String) -> [String] {
        PolicyFile.validate(Array(text.utf8), source: "p.json").map(\.description)
    }

    /// A regression: any resource starting with `arn:` passed.
    @Test func resourcesAreARNsWhosePartsMayHoldWildcardsAndVariables() {
        let good = [
            "arn:aws:organizations::*:", "arn:*:s3:::b", "arn:aws-cn:s3:::b/*", "arn:a?s:iam::*:role/x",
            "arn:aws:iam::${aws:PrincipalAccount}:role/${aws:username}",
        ]
        let bad = ["arn:aws:s3", "arn:", "arn:gcp:s3:::b", "arn:aws::::x", "ARN:aws:s3:::b", "arn:aws:s3::b"]
        let list = (good + bad).map { "\"\($0)\"" }.joined(separator: ", ")
        #expect(
            Self.problems(
                #"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": ["#
                    + list + "]}}")
                == [
                    "p.json:1:245: Statement.Resource[5]: `arn:aws:s3` is not a resource (expected an ARN or `*`)",
                    "p.json:1:259: Statement.Resource[6]: `arn:` is not a resource (expected an ARN or `*`)",
                    "p.json:1:267: Statement.Resource[7]: `arn:gcp:s3:::b` is not a resource (expected an ARN or `*`)",
                    "p.json:1:285: Statement.Resource[8]: `arn:aws::::x` is not a resource (expected an ARN or `*`)",
                    "p.json:1:301: Statement.Resource[9]: `ARN:aws:s3:::b` is not a resource (expected an ARN or `*`)",
                    "p.json:1:319: Statement.Resource[10]: `arn:aws:s3::b` is not a resource (expected an ARN or `*`)",
                ])
    }

    @Test func emptyActionAndResourceListsAreErrors() {
        #expect(
            Self.problems(
                #"{"Statement": [{"Effect": "Allow", "Action": [], "Resource": []}, "#
                    + #"{"Effect": "Deny", "NotAction": [], "NotResource": []}]}"#)
                == [
                    "p.json:1:46: Statement[0].Action: `Action` is empty (expected an action or `*`)",
                    "p.json:1:62: Statement[0].Resource: `Resource` is empty (expected an ARN or `*`)",
                    "p.json:1:99: Statement[1].NotAction: `NotAction` is empty (expected an action or `*`)",
                    "p.json:1:118: Statement[1].NotResource: `NotResource` is empty (expected an ARN or `*`)",
                ])
    }

    /// Sids are unique; IAM takes letters and digits only, other services' resource policies may take more.
    @Test func sidsAreUniqueAndAlphanumeric() {
        let statement = #"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Sid": "#
        let trust = #"{"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": "*", "Sid": "#
        #expect(
            Self.problems(
                #"{"Statement": ["# + statement + #""Read1"}, "# + statement + #""Read1"}, "# + statement
                    + #""has space!"}, "# + trust + #""Trust-1"}, "# + statement + "\"\"}]}")
                == [
                    "p.json:1:166: Statement[1].Sid: duplicate Sid `Read1` (Sids are unique within a policy)",
                    "p.json:1:246: Statement[2].Sid: `has space!` is not a valid Sid (IAM accepts ASCII letters "
                        + "and digits only)",
                    "p.json:1:334: Statement[3].Sid: warning: `Trust-1` is not a valid Sid (IAM accepts ASCII "
                        + "letters and digits only)",
                ])
    }

    /// A regression: values the evaluator cannot read passed, and `0x10` was read as 16.
    @Test func conditionValuesAreWhatTheOperatorReads() {
        let text = """
            {"Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {
              "IpAddress": {"aws:SourceIp": ["10.0.0.0/33", "10.0.0.0/8", "2001:db8::/32", "203.0.113.9"]},
              "NumericLessThan": {"s3:max-keys": ["ten", "0x10", "inf", "1.2", "-3", "2e3", 10, "1."]},
              "DateGreaterThan": {"aws:CurrentTime": ["yesterday", "2020-01-01T00:00:00Z", "1700000000"]}}}}
            """
        #expect(
            Self.problems(text) == [
                "p.json:2:34: Statement.Condition.IpAddress.aws:SourceIp[0]: `10.0.0.0/33` is not an IP address "
                    + "(`IpAddress` expects an address or a CIDR range)",
                "p.json:3:39: Statement.Condition.NumericLessThan.s3:max-keys[0]: `ten` is not a number "
                    + "(`NumericLessThan` expects a decimal number)",
                "p.json:3:46: Statement.Condition.NumericLessThan.s3:max-keys[1]: `0x10` is not a number "
                    + "(`NumericLessThan` expects a decimal number)",
                "p.json:3:54: Statement.Condition.NumericLessThan.s3:max-keys[2]: `inf` is not a number "
                    + "(`NumericLessThan` expects a decimal number)",
                "p.json:4:43: Statement.Condition.DateGreaterThan.aws:CurrentTime[0]: `yesterday` is not a date "
                    + "(`DateGreaterThan` expects an ISO 8601 time or epoch seconds)",
            ])
    }

    /// Before version `2012-10-17`, `${…}` is plain text: a warning, where the author likely meant a variable.
    @Test func variablesOutsideVersion20121017AreLiteralTextWithAWarning() {
        let statement =
            #"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::home/${aws:username}/*", "#
            + #""Condition": {"StringLike": {"s3:prefix": ["home/", "${aws:username}/${*}"]}}}"#
        #expect(
            Self.problems(#"{"Statement": "# + statement + "}") == [
                "p.json:1:73: Statement.Resource: warning: `${aws:username}` is literal text, not a policy variable, "
                    + #"in a policy without `"Version": "2012-10-17"`"#,
                "p.json:1:164: Statement.Condition.StringLike.s3:prefix[1]: warning: `${aws:username}` is literal "
                    + #"text, not a policy variable, in a policy without `"Version": "2012-10-17"`"#,
            ])
        #expect(Self.problems(#"{"Version": "2012-10-17", "Statement": "# + statement + "}") == [])
    }

    /// A regression: `validate` passed a file of `[]` that `simulate` refuses.
    @Test func aFileWithoutAPolicyIsAProblem() {
        #expect(Self.problems("[]") == ["p.json: no policy in the file"])
        #expect(Self.problems(" [ ] \n") == ["p.json: no policy in the file"])
    }
}
