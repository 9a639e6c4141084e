import Foundation
import TestSupport
import Testing

@Suite struct DiffCommandTests {
    static let before =
        #"{"Version": "2012-10-17", "Statement": [{"Sid": "Read", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports/*"}]}"#
    static let after = """
        {"Version": "2012-10-17", "Statement": [
          {"Sid": "Read", "Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": "arn:aws:s3:::reports/*"},
          {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::*"}
        ]}
        """

    func files() throws -> TemporaryDirectory {
        let dir = try TemporaryDirectory()
        try Data(Self.before.utf8).write(to: dir.file("before.json"))
        try Data(Self.after.utf8).write(to: dir.file("after.json"))
        return dir
    }

    @Test func newAccessFailsWithReasonsAndExitTwo() throws {
        let dir = try files()
        defer { dir.remove() }
        let run = try Pare.run(["diff", "before.json", "after.json"], directory: dir.url)
        #expect(run.status == 2)
        #expect(
            run.stdout == """
                FAIL: `after.json` grants access that `before.json` does not (2 reasons)
                  new access: statement 0 (`Read`) of `after.json` allows `s3:PutObject` on `arn:aws:s3:::reports/a`, which BEFORE does not allow
                  new access: statement 1 of `after.json` allows `s3:GetObject` on `arn:aws:s3:::a`, which BEFORE does not allow

                """)
        #expect(run.stderr == "")
    }

    @Test func narrowingPassesAndReportsWhatWasRemoved() throws {
        let dir = try files()
        defer { dir.remove() }
        let run = try Pare.run(["diff", "after.json", "before.json", "--format", "json"], directory: dir.url)
        #expect(run.status == 0)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        #expect(json["result"] as? String == "PASS")
        #expect((json["reasons"] as? [Any])?.isEmpty == true)
        let removed = try #require(json["removed"] as? [[String: Any]])
        #expect(removed.map { $0["actions"] as? [String] ?? [] } == [["s3:PutObject"], ["s3:GetObject"]])
        #expect(removed.map { $0["witness"] as? String ?? "" } == ["arn:aws:s3:::reports/a", "arn:aws:s3:::a"])
        #expect(removed.map { $0["statementIndex"] as? Int ?? -1 } == [0, 1])
        #expect(removed.map { $0["statementId"] as? String } == ["Read", nil])
        #expect(removed.map { $0["kind"] as? String } == ["removedAccess", "removedAccess"])
        #expect(
            removed.map { $0["description"] as? String } == [
                "no longer allowed: statement 0 (`Read`) of `after.json` allows `s3:PutObject` on `arn:aws:s3:::reports/a`, which AFTER does not allow",
                "no longer allowed: statement 1 of `after.json` allows `s3:GetObject` on `arn:aws:s3:::a`, which AFTER does not allow",
            ])
    }

    @Test func jsonReasonsCarryStatementAndWitness() throws {
        let dir = try files()
        defer { dir.remove() }
        let run = try Pare.run(["diff", "before.json", "after.json", "--format", "json"], directory: dir.url)
        #expect(run.status == 2)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        #expect(json["result"] as? String == "FAIL")
        let reasons = try #require(json["reasons"] as? [[String: Any]])
        #expect(reasons.count == 2)
        #expect(reasons.first?["kind"] as? String == "newAccess")
        #expect(reasons.first?["policy"] as? String == "after.json")
        #expect(reasons.first?["statementIndex"] as? Int == 0)
        #expect(reasons.first?["statementId"] as? String == "Read")
        #expect(reasons.first?["actions"] as? [String] == ["s3:PutObject"])
        #expect(reasons.first?["witness"] as? String == "arn:aws:s3:::reports/a")
        // Every reason carries every key; an absent Sid is null.
        #expect(reasons.last?["statementId"] is NSNull)
        #expect(reasons.last?["witness"] as? String == "arn:aws:s3:::a")
    }

    @Test func sarifPointsAtTheStatementLine() throws {
        let dir = try files()
        defer { dir.remove() }
        let run = try Pare.run(["diff", "before.json", "after.json", "--format", "sarif"], directory: dir.url)
        #expect(run.status == 2)
        let sarif = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        #expect(sarif["version"] as? String == "2.1.0")
        let runs = try #require(sarif["runs"] as? [[String: Any]])
        let results = try #require(runs.first?["results"] as? [[String: Any]])
        #expect(results.map { $0["ruleId"] as? String } == ["NewAccess", "NewAccess"])
        #expect(results.map { $0["level"] as? String } == ["error", "error"])
        let lines = results.map { result -> Int? in
            let location = (result["locations"] as? [[String: Any]])?.first
            let physical = location?["physicalLocation"] as? [String: Any]
            #expect((physical?["artifactLocation"] as? [String: Any])?["uri"] as? String == "after.json")
            return (physical?["region"] as? [String: Any])?["startLine"] as? Int
        }
        #expect(lines == [2, 3])
    }

    /// The documents of a JSON Lines file are named by line: a reason and its SARIF location point at the
    /// document that grants (found in review: every document was named after the file, the last one won).
    @Test func jsonLinesDocumentsAreLocatedByLine() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try Data(
            #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}"#.utf8
        )
        .write(to: dir.file("b3.json"))
        try Data(
            """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:PassRole","Resource":"*"}]}
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}

            """.utf8
        ).write(to: dir.file("a2.jsonl"))
        let run = try Pare.run(["diff", "b3.json", "a2.jsonl", "--format", "sarif"], directory: dir.url)
        #expect(run.status == 2)
        let sarif = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let results = try #require((sarif["runs"] as? [[String: Any]])?.first?["results"] as? [[String: Any]])
        #expect(
            results.map { ($0["message"] as? [String: Any])?["text"] as? String } == [
                "new access: statement 0 of `a2.jsonl:1` allows `iam:PassRole` on any resource, which BEFORE does not allow"
            ])
        let physical = (results.first?["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any]
        #expect((physical?["artifactLocation"] as? [String: Any])?["uri"] as? String == "a2.jsonl")
        #expect((physical?["region"] as? [String: Any])?["startLine"] as? Int == 1)
    }

    /// Only a Deny's condition changed (`Bool` to `BoolIfExists`): possibly new, blamed on the Deny, a SARIF
    /// warning at its line (found in review: definite new access blamed on the unchanged Allow).
    @Test func aChangedDenyConditionIsPossiblyNewAtTheDeny() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let allow = #"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"},"#
        try Data(
            """
            {"Version": "2012-10-17", "Statement": [\(allow)
            {"Effect": "Deny", "Action": "s3:*", "Resource": "*", "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}
            """.utf8
        ).write(to: dir.file("b1.json"))
        try Data(
            """
            {"Version": "2012-10-17", "Statement": [\(allow)
            {"Effect": "Deny", "Action": "s3:*", "Resource": "*", "Condition": {"BoolIfExists": {"aws:SecureTransport": "false"}}}]}
            """.utf8
        ).write(to: dir.file("a1.json"))
        let text = try Pare.run(["diff", "b1.json", "a1.json"], directory: dir.url)
        #expect(text.status == 2)
        #expect(
            text.stdout.split(separator: "\n").prefix(2) == [
                "FAIL: `a1.json` grants access that `b1.json` does not (1 reason)",
                "  possibly new access: conditions differ: statement 1 of `a1.json` denies `s3:GetObject` on `arn:aws:s3:::b/a` under other conditions than BEFORE's Deny",
            ])
        let run = try Pare.run(["diff", "b1.json", "a1.json", "--format", "sarif"], directory: dir.url)
        #expect(run.status == 2)
        let sarif = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let result = try #require(((sarif["runs"] as? [[String: Any]])?.first?["results"] as? [[String: Any]])?.first)
        #expect(result["ruleId"] as? String == "PossiblyNewAccessConditionsDiffer")
        #expect(result["level"] as? String == "warning")
        let physical = (result["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any]
        #expect((physical?["region"] as? [String: Any])?["startLine"] as? Int == 2)
    }

    /// More than ten condition entries that bear on one grant: sampled, and then never a silent PASS (found in
    /// review: a Deny's condition replaced by two others passed once eight unrelated conditions were added).
    @Test func tooManyConditionsToCompareExactlyFail() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        func deny(_ key: Int, _ element: String, _ resource: String = "arn:aws:s3:::b/x*") -> String {
            #"{"Effect": "Deny", "Action": "s3:GetObject", "\#(element)": "\#(resource)", "Condition": {"StringEquals": {"aws:PrincipalTag/k\#(key)": "v"}}}"#
        }
        let allow = #"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}"#
        let before = [allow] + (0..<11).map { deny($0, "Resource", "arn:aws:s3:::b/*") }
        let after = [allow] + (0..<11).flatMap { [deny($0, "Resource"), deny($0, "NotResource")] }
        try Data(#"{"Version": "2012-10-17", "Statement": [\#(before.joined(separator: ",\n"))]}"#.utf8)
            .write(to: dir.file("before.json"))
        try Data(#"{"Version": "2012-10-17", "Statement": [\#(after.joined(separator: ",\n"))]}"#.utf8)
            .write(to: dir.file("after.json"))
        let run = try Pare.run(["diff", "before.json", "after.json", "--format", "json"], directory: dir.url)
        #expect(run.status == 2)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        #expect(json["result"] as? String == "FAIL")
        let reasons = try #require(json["reasons"] as? [[String: Any]])
        #expect(reasons.map { $0["kind"] as? String } == ["undecided"])
        #expect(
            reasons.map { $0["description"] as? String } == [
                "possibly new access: statement 0 of `after.json` allows `s3:GetObject` under too many conditions to compare exactly"
            ])
    }

    @Test func notGrantedListFailsWhenAfterGrantsAListedAction() throws {
        let dir = try files()
        defer { dir.remove() }
        try Data("# never\ns3:PutObject\n".utf8).write(to: dir.file("deny.txt"))
        let run = try Pare.run(
            ["diff", "before.json", "before.json", "--not-granted", "deny.txt"], directory: dir.url)
        #expect(run.status == 0)
        let failing = try Pare.run(
            ["diff", "after.json", "after.json", "--not-granted", "deny.txt"], directory: dir.url)
        #expect(failing.status == 2)
        #expect(
            failing.stdout == """
                FAIL: `after.json` grants listed access (1 reason)
                  access not granted: statement 0 (`Read`) of `after.json` allows `s3:PutObject` on `arn:aws:s3:::reports/a`, which is listed as not to be granted

                """)
    }

    /// A typo in `--not-granted` once disabled its check silently (found in review).
    @Test(arguments: [
        ("iam:PasRole\n", "line 1: unknown action `iam:PasRole`; did you mean `iam:PassRole`?"),
        ("# list\nnosuchsvc:*\n", "line 2: unknown service prefix `nosuchsvc` in `nosuchsvc:*`"),
        ("s3:GetObject extra words\n", "line 1: expected one action or ARN, found `s3:GetObject extra words`"),
        (
            "arn:aws:s3:prod\n",
            "line 1: expected an ARN (`arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE`), found `arn:aws:s3:prod`"
        ),
    ])
    func notGrantedEntriesAreChecked(list: String, error: String) throws {
        let dir = try files()
        defer { dir.remove() }
        try Data(list.utf8).write(to: dir.file("list.txt"))
        let run = try Pare.run(["diff", "before.json", "after.json", "--not-granted", "list.txt"], directory: dir.url)
        #expect(run.status == 1)
        #expect(run.stderr == "error: cannot read `list.txt`: \(error)\n")
        #expect(run.stdout == "")
    }

    @Test func badInputsAreOneLineErrors() throws {
        let dir = try files()
        defer { dir.remove() }
        try Data("s3\n".utf8).write(to: dir.file("bad-list.txt"))
        try Data([0x23, 0x0A, 0x00, 0x01, 0xFF, 0x1B, 0x0A]).write(to: dir.file("binary.txt"))
        try Data(#"{"Statement": [}"#.utf8).write(to: dir.file("broken.json"))
        let missing = try Pare.run(["diff", "before.json", "nope.json"], directory: dir.url)
        #expect(missing.status == 1)
        #expect(missing.stderr == "error: cannot read `nope.json`: no such file or folder\n")
        let broken = try Pare.run(["diff", "before.json", "broken.json"], directory: dir.url)
        #expect(broken.status == 1)
        #expect(broken.stderr == "error: cannot read `broken.json`: 1:16: Statement[0]: expected a value, found `}`\n")
        let list = try Pare.run(
            ["diff", "before.json", "after.json", "--not-granted", "bad-list.txt"], directory: dir.url)
        #expect(list.status == 1)
        #expect(
            list.stderr
                == "error: cannot read `bad-list.txt`: line 1: expected an action (`service:Action`) or an ARN, found `s3`\n"
        )
        let binary = try Pare.run(
            ["diff", "before.json", "after.json", "--not-granted", "binary.txt"], directory: dir.url)
        #expect(binary.status == 1)
        #expect(
            binary.stderr
                == "error: cannot read `binary.txt`: line 2: expected an action (`service:Action`) or an ARN, found `\\u{0}\\u{1}\u{FFFD}\\u{1B}`\n"
        )
        let mixed = try Pare.run(
            ["diff", "before.json", "Fixtures/iam-account/cloudmapper-demo-authorization-details.json"],
            directory: nil)
        #expect(mixed.status == 1)
    }

    /// A user's permissions boundary caps both sides: removing it (or widening it) makes the managed policy's
    /// `sqs:SendMessage` effective, which is new access (found in review: it passed).
    @Test(arguments: ["boundary-removed.json", "boundary-widened.json"])
    func aRemovedOrWidenedBoundaryIsNewAccess(after: String) throws {
        let folder = Repository.fixture("diff-snapshots")
        let run = try Pare.run(["diff", "boundary.json", after], directory: folder)
        #expect(run.status == 2)
        #expect(
            run.stdout == """
                FAIL: `\(after)` grants access that `boundary.json` does not (1 reason)
                  new access: statement 0 of `arn:aws:iam::111122223333:user/alice: arn:aws:iam::111122223333:policy/P` allows `sqs:SendMessage` on any resource, which BEFORE does not allow

                """)
        let back = try Pare.run(["diff", after, "boundary.json"], directory: folder)
        #expect(back.status == 0)
        #expect(try Pare.run(["diff", "boundary.json", "boundary.json"], directory: folder).status == 0)
    }

    @Test func snapshotsListAddedAndRemovedPrincipals() throws {
        let run = try Pare.run(
            ["diff", "boundary.json", "principals-changed.json", "--format", "json"],
            directory: Repository.fixture("diff-snapshots"))
        #expect(run.status == 2)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let principals = try #require(json["principals"] as? [String: [String]])
        #expect(
            principals == [
                "added": ["arn:aws:iam::111122223333:role/app"], "removed": ["arn:aws:iam::111122223333:user/alice"],
            ])
        let reasons = try #require(json["reasons"] as? [[String: Any]])
        #expect(reasons.map { $0["principal"] as? String } == ["arn:aws:iam::111122223333:role/app"])
        #expect(reasons.map { $0["actions"] as? [String] } == [["logs:PutLogEvents"]])
    }

    /// A role's trust policy opened to every AWS principal: possibly new access (found in review: it passed).
    @Test func aChangedTrustPolicyIsPossiblyNewAccess() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let original = Repository.fixture("iam-account/cloudmapper-demo-authorization-details.json")
        var json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: original)) as? [String: Any])
        var roles = try #require(json["RoleDetailList"] as? [[String: Any]])
        let index = try #require(roles.firstIndex { $0["RoleName"] as? String == "exfiller" })
        roles[index]["AssumeRolePolicyDocument"] = [
            "Version": "2012-10-17",
            "Statement": [["Effect": "Allow", "Principal": ["AWS": "*"], "Action": "sts:AssumeRole"]],
        ]
        json["RoleDetailList"] = roles
        let reasons = try failingReasons(before: original, after: json, in: dir)
        #expect(reasons.map { $0["kind"] as? String } == ["undecided"])
        #expect(reasons.map { $0["policy"] as? String } == ["arn:aws:iam::123456789012:role/exfiller: trust policy"])
        #expect(
            reasons.map { $0["description"] as? String } == [
                "possibly new access: statement 0 of `arn:aws:iam::123456789012:role/exfiller: trust policy` is new or changed: who may assume the role is not compared"
            ])
        #expect(reasons.map { $0["actions"] as? [String] } == [["sts:AssumeRole"]])
    }

    /// A Deny removed from a role's trust policy may let new principals assume it (found in review: it passed).
    @Test func aRemovedTrustPolicyDenyIsPossiblyNewAccess() throws {
        let folder = Repository.fixture("diff-snapshots")
        let run = try Pare.run(["diff", "trust-deny.json", "trust-deny-removed.json"], directory: folder)
        #expect(run.status == 2)
        #expect(
            run.stdout == """
                FAIL: `trust-deny-removed.json` grants access that `trust-deny.json` does not (1 reason)
                  possibly new access: BEFORE's Deny statement 1 of `arn:aws:iam::111122223333:role/r: trust policy` is removed or changed: who may assume the role is not compared

                """)
        #expect(try Pare.run(["diff", "trust-deny-removed.json", "trust-deny.json"], directory: folder).status == 0)
        #expect(try Pare.run(["diff", "trust-deny.json", "trust-deny.json"], directory: folder).status == 0)
    }

    /// A permissions boundary the snapshot does not hold cannot be compared: changing it may be new access
    /// (found in review: switching to a boundary that allows `s3:*` passed).
    @Test func aChangedBoundaryNotInTheSnapshotIsPossiblyNewAccess() throws {
        let folder = Repository.fixture("diff-snapshots")
        let run = try Pare.run(["diff", "boundary-missing.json", "boundary-missing-replaced.json"], directory: folder)
        #expect(run.status == 2)
        #expect(
            run.stdout == """
                FAIL: `boundary-missing-replaced.json` grants access that `boundary-missing.json` does not (1 reason)
                  possibly new access: the permissions boundary of `arn:aws:iam::111122223333:role/r` changed from `arn:aws:iam::aws:policy/Missing` to `arn:aws:iam::111122223333:policy/B`: a boundary not in the snapshot is not compared
                removed access (information):
                  no longer allowed: statement 0 of `arn:aws:iam::111122223333:role/r: p` allows `a2c:*`, `a4b:*`, `access-analyzer:*` and 453 more on any resource, which AFTER does not allow
                warning: `arn:aws:iam::111122223333:role/r`: permissions boundary `arn:aws:iam::aws:policy/Missing` not in the snapshot: not applied

                """)
        #expect(run.stderr == "")
        let same = try Pare.run(["diff", "boundary-missing.json", "boundary-missing.json"], directory: folder)
        #expect(same.status == 0)
    }

    /// Two real snapshots: identical passes; one inline statement added to a role fails for that role only.
    @Test func snapshotsAreComparedPrincipalByPrincipal() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let original = Repository.fixture("iam-account/cloudmapper-demo-authorization-details.json")
        let same = try Pare.run(["diff", original.path, original.path])
        #expect(same.status == 0)
        var json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: original)) as? [String: Any])
        var roles = try #require(json["RoleDetailList"] as? [[String: Any]])
        let index = try #require(roles.firstIndex { $0["RoleName"] as? String == "level3" })
        var inline = roles[index]["RolePolicyList"] as? [[String: Any]] ?? []
        inline.append([
            "PolicyName": "added",
            "PolicyDocument": [
                "Version": "2012-10-17",
                "Statement": [["Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"]],
            ],
        ])
        roles[index]["RolePolicyList"] = inline
        json["RoleDetailList"] = roles
        let reasons = try failingReasons(before: original, after: json, in: dir)
        #expect(reasons.map { $0["principal"] as? String } == ["arn:aws:iam::123456789012:role/level3"])
        #expect(reasons.map { $0["policy"] as? String } == ["arn:aws:iam::123456789012:role/level3: added"])
        #expect(reasons.map { $0["actions"] as? [String] } == [["iam:PassRole"]])
    }

    /// `pare diff BEFORE AFTER --format json` with AFTER the snapshot `after` written into `dir`: it must fail
    /// (exit 2); its reasons.
    func failingReasons(before: URL, after: [String: Any], in dir: TemporaryDirectory) throws -> [[String: Any]] {
        try JSONSerialization.data(withJSONObject: after).write(to: dir.file("after.json"))
        let run = try Pare.run(["diff", before.path, dir.file("after.json").path, "--format", "json"])
        #expect(run.status == 2)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        return try #require(report["reasons"] as? [[String: Any]])
    }
}
