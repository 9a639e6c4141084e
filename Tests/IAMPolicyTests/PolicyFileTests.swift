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
}
