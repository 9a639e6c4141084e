import IAMPolicy
import PropertyBased
import Testing

@Suite struct WildcardPatternTests {
    /// The obviously correct matcher: recursion over the pattern, exponential but tiny inputs.
    static func reference(_ pattern: [UInt8], _ literal: [Bool], _ s: [UInt8], caseInsensitive: Bool) -> Bool {
        func fold(_ b: UInt8) -> UInt8 { caseInsensitive && (65...90).contains(b) ? b + 32 : b }
        func go(_ p: Int, _ c: Int) -> Bool {
            if p == pattern.count { return c == s.count }
            let wild = !literal[p]
            if wild && pattern[p] == UInt8(ascii: "*") {
                return go(p + 1, c) || (c < s.count && go(p, c + 1))
            }
            guard c < s.count else { return false }
            if wild && pattern[p] == UInt8(ascii: "?") { return go(p + 1, c + 1) }
            return fold(pattern[p]) == fold(s[c]) && go(p + 1, c + 1)
        }
        return go(0, 0)
    }

    /// Few symbols, so that random patterns and strings often match.
    static let symbols = Gen<Character?>.element(of: Array("aAb*?:/")).map { $0 ?? "a" }

    @Test func agreesWithTheReferenceMatcher() async {
        await propertyCheck(
            count: 3000, input: Self.symbols.string(of: 0...7), Self.symbols.string(of: 0...9), Gen.bool()
        ) { pattern, subject, caseInsensitive in
            let fast = WildcardPattern(pattern, caseInsensitive: caseInsensitive).matches(subject)
            let slow = Self.reference(
                Array(pattern.utf8), Array(repeating: false, count: pattern.utf8.count), Array(subject.utf8),
                caseInsensitive: caseInsensitive)
            #expect(fast == slow, "pattern \(pattern) subject \(subject) caseInsensitive \(caseInsensitive)")
        }
    }

    @Test func literalPiecesAgreeWithTheReferenceMatcher() async {
        await propertyCheck(
            count: 2000, input: Self.symbols.string(of: 0...4), Self.symbols.string(of: 0...3),
            Self.symbols.string(of: 0...8)
        ) { head, literalPart, subject in
            let pattern = WildcardPattern(pieces: [.pattern(head), .literal(literalPart)], caseInsensitive: false)
            let slow = Self.reference(
                Array((head + literalPart).utf8),
                Array(repeating: false, count: head.utf8.count) + Array(repeating: true, count: literalPart.utf8.count),
                Array(subject.utf8), caseInsensitive: false)
            #expect(pattern.matches(subject) == slow, "\(head) + literal \(literalPart) vs \(subject)")
        }
    }

    @Test(arguments: [
        ("s3:Get*", "S3:getobject", true, true),
        ("s3:Get*", "S3:getobject", false, false),
        ("s3:Get*", "s3:Ge", true, false),
        ("iam:*Role", "iam:PassRole", true, true),
        ("iam:?assRole", "iam:PassRole", true, true),
        ("iam:?assRole", "iam:assRole", true, false),
        ("arn:aws:s3:::b/*", "arn:aws:s3:::b/", false, true),
        ("arn:aws:s3:::B/*", "arn:aws:s3:::b/k", false, false),
        ("*", "", false, true),
        ("", "", false, true),
        ("a*b*c", "axxbyyc", false, true),
        ("a*b*c", "axxbyy", false, false),
    ])
    func examples(pattern: String, subject: String, caseInsensitive: Bool, expected: Bool) {
        #expect(WildcardPattern(pattern, caseInsensitive: caseInsensitive).matches(subject) == expected)
    }

    @Test func literalPiecesKeepWildcardsLiteral() {
        let p = WildcardPattern(
            pieces: [.pattern("arn:aws:s3:::b/"), .literal("*"), .pattern("/*")], caseInsensitive: false)
        #expect(p.text == "arn:aws:s3:::b/*/*")
        #expect(p.matches("arn:aws:s3:::b/*/k"))
        #expect(!p.matches("arn:aws:s3:::b/x/k"))
        #expect(!p.isLiteral)
        #expect(WildcardPattern(pieces: [.literal("a?")], caseInsensitive: false).isLiteral)
    }
}

@Suite struct ARNTests {
    @Test func parsesPartitionsAndResourcesWithColons() throws {
        #expect(
            ARN(parsing: "arn:aws-cn:logs:cn-north-1:111122223333:log-group:app:*")
                == ARN(
                    partition: "aws-cn", service: "logs", region: "cn-north-1", account: "111122223333",
                    resource: "log-group:app:*"))
        let role = try #require(ARN(parsing: "arn:aws-us-gov:iam::111122223333:role/path/app"))
        #expect(role.partition == "aws-us-gov")
        #expect(role.region == "")
        #expect(role.resourceType == "role")
        #expect(role.description == "arn:aws-us-gov:iam::111122223333:role/path/app")
        #expect(ARN(parsing: "arn:aws:s3:::bucket")?.resourceType == nil)
    }

    @Test(arguments: [
        "", "*", "arn:aws:s3::bucket", "arn:gcp:s3:::b", "arn:aws::r:a:x", "arn:aws:s3:::", "ARN:aws:s3:::b",
        "arn:aws-:s3:::b",
    ])
    func rejectsMalformedARNs(text: String) {
        #expect(ARN(parsing: text) == nil)
    }
}
