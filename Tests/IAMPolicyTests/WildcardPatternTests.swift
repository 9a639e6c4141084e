import PropertyBased
import Testing

@testable import IAMPolicy

@Suite struct WildcardPatternTests {
    /// The obviously correct matcher: over Unicode scalars (`?` is one of them), by recursion over the
    /// pattern, memoized. `literal[i]` marks a `*` or `?` of the pattern to match literally.
    static func reference(_ pattern: [Unicode.Scalar], _ literal: [Bool], _ s: [Unicode.Scalar], caseInsensitive: Bool)
        -> Bool
    {
        func fold(_ c: Unicode.Scalar) -> Unicode.Scalar {
            caseInsensitive && ("A"..."Z").contains(c) ? Unicode.Scalar(c.value + 32) ?? c : c
        }
        var memo: [Int: Bool] = [:]
        func go(_ p: Int, _ c: Int) -> Bool {
            if let known = memo[p * (s.count + 1) + c] { return known }
            let result: Bool
            if p == pattern.count {
                result = c == s.count
            } else if !literal[p] && pattern[p] == "*" {
                result = go(p + 1, c) || (c < s.count && go(p, c + 1))
            } else if c == s.count {
                result = false
            } else if !literal[p] && pattern[p] == "?" {
                result = go(p + 1, c + 1)
            } else {
                result = fold(pattern[p]) == fold(s[c]) && go(p + 1, c + 1)
            }
            memo[p * (s.count + 1) + c] = result
            return result
        }
        return go(0, 0)
    }

    static func reference(_ pattern: String, _ subject: String, caseInsensitive: Bool) -> Bool {
        reference(
            Array(pattern.unicodeScalars), Array(repeating: false, count: pattern.unicodeScalars.count),
            Array(subject.unicodeScalars), caseInsensitive: caseInsensitive)
    }

    /// Few symbols, so that random patterns and strings often match; characters of two, three and four
    /// UTF-8 bytes, for `?`.
    static let symbols = Gen<Character?>.element(of: Array("aAb*?:/é€😀")).map { $0 ?? "a" }

    @Test func agreesWithTheReferenceMatcher() async {
        await propertyCheck(
            count: 3000, input: Self.symbols.string(of: 0...7), Self.symbols.string(of: 0...9), Gen.bool()
        ) { pattern, subject, caseInsensitive in
            let fast = WildcardPattern(pattern, caseInsensitive: caseInsensitive).matches(subject)
            let slow = Self.reference(pattern, subject, caseInsensitive: caseInsensitive)
            #expect(fast == slow, "pattern \(pattern) subject \(subject) caseInsensitive \(caseInsensitive)")
        }
    }

    /// Long segments between `*`s: Shift-And over more than one 64-bit word (with `?`) and KMP (without).
    @Test func longSegmentsAgreeWithTheReferenceMatcher() async {
        let few = Gen<Character?>.element(of: Array("ab?é")).map { $0 ?? "a" }
        await propertyCheck(
            count: 300, input: few.string(of: 60...140),
            Gen<Character?>.element(of: Array("abé")).map { $0 ?? "a" }
                .string(of: 0...300)
        ) { segment, subject in
            let pattern = "*" + segment + "*"
            let fast = WildcardPattern(pattern, caseInsensitive: false).matches(subject)
            #expect(
                fast == Self.reference(pattern, subject, caseInsensitive: false),
                "pattern \(pattern) subject \(subject)")
            // The subject holding the segment (its `?`s as `é`), so that some of the cases match.
            let holding = subject + segment.replacingOccurrences(of: "?", with: "é") + subject
            #expect(
                WildcardPattern(pattern, caseInsensitive: false).matches(holding), "pattern \(pattern) in \(holding)")
        }
    }

    @Test func literalPiecesAgreeWithTheReferenceMatcher() async {
        await propertyCheck(
            count: 2000, input: Self.symbols.string(of: 0...4), Self.symbols.string(of: 0...3),
            Self.symbols.string(of: 0...8)
        ) { head, literalPart, subject in
            let pattern = WildcardPattern(pieces: [.pattern(head), .literal(literalPart)], caseInsensitive: false)
            let slow = Self.reference(
                Array((head + literalPart).unicodeScalars),
                Array(repeating: false, count: head.unicodeScalars.count)
                    + Array(repeating: true, count: literalPart.unicodeScalars.count),
                Array(subject.unicodeScalars), caseInsensitive: false)
            #expect(pattern.matches(subject) == slow, "\(head) + literal \(literalPart) vs \(subject)")
        }
    }

    /// The matcher's step count is linear in the candidate: at most the pattern's length plus twice the
    /// candidate's (one word of Shift-And state per segment with `?`). The cases are the quadratic ones of
    /// a backtracking matcher (a regression: the first one took 20 s, `5,000 × 100,000` steps).
    @Test(arguments: [
        ("arn:aws:s3:::b/*" + String(repeating: "a", count: 5000) + "b", "arn:aws:s3:::b/", false),
        ("*" + String(repeating: "a", count: 5000) + "b*", "", false),
        ("*" + String(repeating: "a", count: 40) + "?b*", "", false),
        ("*" + String(repeating: "a", count: 40) + "?b*" + String(repeating: "a", count: 30) + "c", "", true),
        ("x?*" + String(repeating: "a", count: 100) + "*?x", "xé", true),
    ])
    func stepsAreLinearInTheCandidate(pattern: String, prefix: String, caseInsensitive: Bool) {
        let candidate = prefix + String(repeating: "a", count: 100_000)
        let compiled = WildcardPattern(pattern, caseInsensitive: caseInsensitive)
        let (matches, steps) = compiled.steps(toMatch: candidate)
        #expect(!matches)
        #expect(steps <= pattern.utf8.count + 2 * candidate.utf8.count, "\(steps) steps")
        // And on a candidate that does match (the segments at its very end).
        let matching =
            candidate + pattern.replacingOccurrences(of: "*", with: "").replacingOccurrences(of: "?", with: "é")
        #expect(compiled.matches(matching))
        #expect(compiled.steps(toMatch: matching).steps <= pattern.utf8.count + 2 * matching.utf8.count)
    }

    /// A segment with `?` longer than 64 bytes costs one step per candidate byte and 64-bit word of state.
    @Test func aLongSegmentWithAQuestionMarkCostsOneStepPerWord() {
        let pattern = "*" + String(repeating: "a", count: 150) + "?b*"
        let candidate = String(repeating: "a", count: 100_000)
        let (matches, steps) = WildcardPattern(pattern, caseInsensitive: false).steps(toMatch: candidate)
        #expect(!matches)
        // One step per element to build its table (152), then three per candidate byte.
        #expect(steps == 152 + 3 * candidate.utf8.count)
    }

    /// A segment with `?` longer than the part of the candidate left for it is not searched (nor its table
    /// built): hostile action patterns stay cheap against the catalog's short names.
    @Test func aSegmentLongerThanTheCandidateCostsNothing() {
        let pattern = "*:*" + String(repeating: "?", count: 60) + "*"
        let (matches, steps) = WildcardPattern(pattern, caseInsensitive: true).steps(toMatch: "s3:GetObject")
        #expect(!matches)
        #expect(steps == 3)
    }

    @Test(arguments: [
        ("arn:aws:s3:::b/?.txt", "arn:aws:s3:::b/é.txt", true),
        ("arn:aws:s3:::b/?.txt", "arn:aws:s3:::b/€.txt", true),
        ("arn:aws:s3:::b/?.txt", "arn:aws:s3:::b/😀.txt", true),
        ("arn:aws:s3:::b/??.txt", "arn:aws:s3:::b/é.txt", false),
        ("arn:aws:s3:::b/?", "arn:aws:s3:::b/é", true),
        ("*/?", "b/é", true),
        ("*?/*", "é/x", true),
        ("*??*", "é", false),
        ("É*", "é", false),
    ])
    func aQuestionMarkMatchesOneCharacter(pattern: String, subject: String, expected: Bool) {
        #expect(WildcardPattern(pattern, caseInsensitive: false).matches(subject) == expected)
        #expect(WildcardPattern(pattern, caseInsensitive: true).matches(subject) == expected)
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
