import Foundation
import IAMPolicy
import Testing

@Suite struct PolicyDocumentTests {
    @Test func parsesEveryFormAndWritesCanonicalJSON() throws {
        let text = """
            {"Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": ["arn:aws:s3:::b/*"],
              "Condition": {"bool": {"aws:SecureTransport": true}, "NumericLessThan": {"s3:max-keys": 10},
                "ForAnyValue:StringLikeIfExists": {"aws:TagKeys": ["env", "team-${aws:username}"]}}},
             "Version": "2012-10-17", "Id": "p1"}
            """
        let doc = try PolicyDocument(parsing: text, source: "inline.json")
        #expect(doc.version == "2012-10-17")
        #expect(doc.id == "p1")
        #expect(
            doc.statements == [
                Statement(
                    effect: .allow, actions: ["s3:GetObject"], resources: ["arn:aws:s3:::b/*"],
                    conditions: [
                        Condition(ConditionOperator(.bool), key: "aws:SecureTransport", values: ["true"]),
                        Condition(ConditionOperator(.numericLessThan), key: "s3:max-keys", values: ["10"]),
                        Condition(
                            ConditionOperator(.stringLike, setQualifier: .forAnyValue, ifExists: true),
                            key: "aws:TagKeys", values: ["env", "team-${aws:username}"]),
                    ])
            ])
        #expect(
            doc.json(.compact)
                == #"{"Version":"2012-10-17","Id":"p1","Statement":[{"Effect":"Allow","Action":"s3:GetObject","#
                + #""Resource":"arn:aws:s3:::b/*","Condition":{"Bool":{"aws:SecureTransport":"true"},"#
                + #""ForAnyValue:StringLikeIfExists":{"aws:TagKeys":["env","team-${aws:username}"]},"#
                + #""NumericLessThan":{"s3:max-keys":"10"}}}]}"#)
        #expect(doc.awsSize == doc.json(.compact).count)
        #expect(try PolicyDocument(parsing: doc.json(), source: "again") == doc)
    }

    @Test func prettyOutputIsIndentedWithFourSpaces() throws {
        let doc = PolicyDocument(statements: [
            Statement(sid: "Read", effect: .allow, actions: ["s3:GetObject", "s3:ListBucket"], resources: ["*"])
        ])
        #expect(
            doc.json() == """
                {
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Sid": "Read",
                            "Effect": "Allow",
                            "Action": [
                                "s3:GetObject",
                                "s3:ListBucket"
                            ],
                            "Resource": "*"
                        }
                    ]
                }
                """)
    }

    @Test func principalsAndNotElements() throws {
        let text = """
            {"Version": "2012-10-17", "Statement": [
              {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com", "AWS": ["arn:aws:iam::111122223333:root"]},
               "Action": "sts:AssumeRole"},
              {"Effect": "Deny", "NotPrincipal": "*", "NotAction": ["iam:*"], "NotResource": "arn:aws:iam::*:role/x"}]}
            """
        let doc = try PolicyDocument(parsing: text, source: "trust.json")
        #expect(
            doc.statements == [
                Statement(
                    effect: .allow, action: .action(["sts:AssumeRole"]),
                    principal: .principal(
                        .specified([.service: ["ec2.amazonaws.com"], .aws: ["arn:aws:iam::111122223333:root"]]))),
                Statement(
                    effect: .deny, action: .notAction(["iam:*"]), resource: .notResource(["arn:aws:iam::*:role/x"]),
                    principal: .notPrincipal(.anyone)),
            ])
        #expect(
            doc.statements[0].jsonValue.text(.compact)
                == #"{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root","#
                + #""Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}"#)
    }

    @Test(arguments: [
        (
            #"{"Statement": [{"Effect": "Allow", "Action": 5}]}"#,
            "t.json:1:46: Statement[0].Action: expected a string or an array of strings, found a number"
        ),
        (
            #"{"Statement": [{"Effect": "Allow", "Action": ["a", 1]}]}"#,
            "t.json:1:52: Statement[0].Action[1]: expected a string, found a number"
        ),
        (
            #"{"Statement": [{"Effect": "allow", "Action": "a"}]}"#,
            "t.json:1:27: Statement[0].Effect: expected `Allow` or `Deny`, found `allow`"
        ),
        (#"{"Statement": [{"Effect": "Allow"}]}"#, "t.json:1:16: Statement[0]: missing `Action` or `NotAction`"),
        (#"{"Statement": [{"Action": "a"}]}"#, "t.json:1:16: Statement[0]: missing `Effect`"),
        (#"{"Version": "2012-10-17"}"#, "t.json:1:1: missing `Statement`"),
        (
            #"{"Version": "2012-10-18", "Statement": []}"#,
            "t.json:1:13: Version: unsupported policy version `2012-10-18` (expected `2012-10-17`)"
        ),
        (
            #"{"Statement": [], "Statment": []}"#,
            "t.json:1:19: Statment: unknown key `Statment` (expected `Version`, `Id` or `Statement`)"
        ),
        (
            #"{"Statement": {"Effect": "Allow", "Action": "a", "NotAction": "b"}}"#,
            "t.json:1:50: Statement.NotAction: `NotAction` and `Action` cannot both appear"
        ),
        (
            #"{"Statement": {"Effect": "Allow", "Action": "a", "Action": "b"}}"#,
            "t.json:1:50: Statement.Action: duplicate key `Action`"
        ),
        (
            #"{"Statement": {"Effect": "Allow", "Action": "a", "Condition": {"StringEqual": {"k": "v"}}}}"#,
            "t.json:1:64: Statement.Condition.StringEqual: unknown condition operator `StringEqual`"
        ),
        (
            #"{"Statement": {"Effect": "Allow", "Action": "a", "Condition": {"Null": {"k": [{}]}}}}"#,
            "t.json:1:79: Statement.Condition.Null.k[0]: expected a string, a boolean or a number, found an object"
        ),
        (
            #"{"Statement": {"Effect": "Allow", "Action": "a", "Principal": {"User": "x"}}}"#,
            "t.json:1:64: Statement.Principal.User: unknown principal type `User` (expected `AWS`, `Service`, `Federated` or `CanonicalUser`)"
        ),
        (
            #"{"Statement": {"Effect": "Allow", "Action": "a", "Principal": "me"}}"#,
            "t.json:1:63: Statement.Principal: expected `*` or an object of principal types, found the string `me`"
        ),
        (
            "{\"Statement\": [\n  {\"Effect\": \"Allow\",\n   \"Action\": [\"a\" \"b\"]}]}",
            "t.json:3:19: Statement[0].Action: expected `,` or `]`, found `\"`"
        ),
        (#"{"Statement": [}"#, "t.json:1:16: Statement[0]: expected a value, found `}`"),
        (#"{"Statement": "#, "t.json:1:15: Statement: expected a value, found the end of the input"),
        (#"{"Statement": []} x"#, "t.json:1:19: expected the end of the document, found `x`"),
        (#"["#, "t.json:1:2: [0]: expected a value, found the end of the input"),
        (#"{"Statement": ["\q"]}"#, "t.json:1:17: Statement[0]: invalid escape `\\q`"),
        ("", "t.json:1:1: expected a value, found the end of the input"),
        (#"[]"#, "t.json:1:1: expected a policy document (an object), found an array"),
    ])
    func malformedDocumentsGiveOneLineErrors(text: String, message: String) {
        #expect(throws: PolicyParseError.self) { try PolicyDocument(parsing: text, source: "t.json") }
        do {
            _ = try PolicyDocument(parsing: text, source: "t.json")
        } catch {
            #expect(error.description == message)
        }
    }

    @Test func aByteOrderMarkIsSkipped() throws {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array(#"{"Statement": []}"#.utf8)
        #expect(try PolicyDocument(parsing: bytes, source: "bom.json") == PolicyDocument(version: nil, statements: []))
    }

    @Test func jsonValuesWriteDeterministically() {
        let value = JSONValue.object([
            ("b", .number(3)), ("a", .array([.bool(true), .null, .string("q\"\u{1}")])), ("c", .object([])),
        ])
        #expect(value.text(.compact) == #"{"b":3,"a":[true,null,"q\"\u0001"],"c":{}}"#)
    }

    @Test func columnsCountCharactersNotBytes() {
        do {
            _ = try PolicyDocument(parsing: #"{"Id": "é", "Statement": 1}"#, source: "u.json")
            Issue.record("parsed")
        } catch {
            #expect(
                error.description == "u.json:1:26: Statement: expected an object or an array of objects, found a number"
            )
        }
    }

    @Test func policyTemplates() {
        #expect(
            PolicyTemplate(parsing: "arn:aws:s3:::b/${aws:username}/${*}x${?}${$}/*").parts == [
                .text("arn:aws:s3:::b/"), .variable(key: "aws:username", defaultValue: nil), .text("/"),
                .literal("*"), .text("x"), .literal("?"), .literal("$"), .text("/*"),
            ])
        #expect(
            PolicyTemplate(parsing: "${aws:PrincipalTag/team , 'none'}-${unterminated").parts == [
                .variable(key: "aws:PrincipalTag/team", defaultValue: "none"), .text("-${unterminated"),
            ])
        #expect(PolicyTemplate(parsing: "${ bad key }x").parts == [.text("${ bad key }x")])
        #expect(
            PolicyTemplate(parsing: "a${aws:userid}b${aws:username}").variableKeys == ["aws:userid", "aws:username"])
    }

    /// IAM's size, counted by hand on `{"Version":"2012-10-17","Statement":[{"Sid":SID,"Effect":"Allow",`
    /// `"Action":"s3:GetObject","Resource":"*"}]}`: 103 characters around the Sid, and the Sid as written
    /// in JSON (`"A B"` is 5: whitespace inside a string counts; an escape counts its backslash; a character
    /// counts one whatever its UTF-8 length).
    @Test(arguments: [("A B", 108), (#"a"b\c"#, 112), ("é😀", 107), ("a\tb", 109)])
    func awsSizeCountsTheCharactersOfTheCompactForm(sid: String, size: Int) {
        let doc = PolicyDocument(statements: [
            Statement(sid: sid, effect: .allow, actions: ["s3:GetObject"], resources: ["*"])
        ])
        #expect(doc.awsSize == size)
    }
}
