import Compare
import IAMPolicy
import PropertyBased
import Testing

@Suite struct GlobLanguageTests {
    @Test func widerPatternCoversNarrower() {
        let before = GlobSet.pattern("arn:aws:s3:::b/*")
        let after = GlobSet.pattern("arn:aws:s3:::b/x/*")
        #expect(after.witness(notIn: before) == .contained)
        #expect(before.witness(notIn: after) == .witness("arn:aws:s3:::b/a"))
    }

    @Test func oneMoreStarIsBroader() {
        let before = GlobSet.pattern("arn:aws:s3:::logs-*/2024/*")
        let after = GlobSet.pattern("arn:aws:s3:::logs-*/*")
        #expect(after.witness(notIn: before) == .witness("arn:aws:s3:::logs-a/a"))
        #expect(before.witness(notIn: after) == .contained)
    }

    @Test func questionMarkIsExactlyOneCharacter() {
        let before = GlobSet.pattern("arn:aws:sqs:us-east-1:111122223333:q?")
        #expect(GlobSet.pattern("arn:aws:sqs:us-east-1:111122223333:q1").witness(notIn: before) == .contained)
        #expect(
            GlobSet.pattern("arn:aws:sqs:us-east-1:111122223333:q*").witness(notIn: before)
                == .witness("arn:aws:sqs:us-east-1:111122223333:qaa"))
    }

    @Test func notResourceIsAComplement() {
        // Allow NotResource b/secret/* is broader than Allow b/public/*.
        let notSecret = GlobSet.complement(.pattern("arn:aws:s3:::b/secret/*"))
        #expect(GlobSet.pattern("arn:aws:s3:::b/public/*").witness(notIn: notSecret) == .contained)
        #expect(notSecret.witness(notIn: .pattern("arn:aws:s3:::b/public/*")) == .witness("arn:aws:s3:::b/a"))
    }

    @Test func denySubtracts() {
        let allowed = GlobSet.pattern("arn:aws:s3:::b/*").subtracting(.pattern("arn:aws:s3:::b/private/*"))
        #expect(GlobSet.pattern("arn:aws:s3:::b/*").witness(notIn: allowed) == .witness("arn:aws:s3:::b/private/"))
        #expect(allowed.witness(notIn: .pattern("arn:aws:s3:::b/*")) == .contained)
    }

    @Test func policyVariablesAreOpaque() {
        let perUser = GlobSet.pattern("arn:aws:s3:::home/${aws:username}/*")
        #expect(perUser.witness(notIn: .pattern("arn:aws:s3:::home/*")) == .contained)
        #expect(
            GlobSet.pattern("arn:aws:s3:::home/*").witness(notIn: perUser) == .witness("arn:aws:s3:::home/a"))
        #expect(perUser.witness(notIn: .pattern("arn:aws:s3:::home/${aws:username}/*")) == .contained)
        #expect(
            GlobSet.pattern("arn:aws:s3:::home/${aws:userid}/x").witness(notIn: perUser)
                == .witness("arn:aws:s3:::home/${aws:userid}/x"))
        #expect(GlobSet.pattern("a${*}").witness(notIn: .pattern("a\\*")) == .witness("a*"))
        // `?` is one character; a variable may be several (`alice`).
        #expect(
            GlobSet.pattern("arn:aws:s3:::b/${aws:username}").witness(notIn: .pattern("arn:aws:s3:::b/?"))
                == .witness("arn:aws:s3:::b/${aws:username}"))
        #expect(
            GlobSet.pattern("arn:aws:s3:::b/${aws:username}").witness(notIn: .pattern("arn:aws:s3:::b/*")) == .contained
        )
    }

    @Test func caseFoldingForActions() {
        #expect(
            GlobSet.pattern("S3:GETOBJECT").witness(notIn: .pattern("s3:Get*"), caseInsensitive: true) == .contained)
        #expect(GlobSet.pattern("S3:GETOBJECT").witness(notIn: .pattern("s3:Get*")) == .witness("S3:GETOBJECT"))
    }

    @Test func budgetIsReported() {
        let many = GlobSet.union((0..<12).map { .pattern("*a*b*c\($0)*") })
        #expect(many.witness(notIn: .pattern("x*"), stateBudget: 3) == .undecided)
    }

    /// `?` is one character, as the matcher has it: `b/é` (two bytes) is not under `b/??`.
    @Test func questionMarkIsOneCharacterNotOneByte() {
        #expect(GlobSet.pattern("b/é").witness(notIn: .pattern("b/??")) == .witness("b/é"))
        #expect(GlobSet.pattern("b/é").witness(notIn: .pattern("b/?")) == .contained)
        #expect(GlobSet.pattern("b/?").contains("b/😀"))
        #expect(!GlobSet.pattern("b/??").contains("b/é"))
    }

    /// Differential test: every witness is really in the difference (checked with the fast matcher),
    /// and when the search says "contained", no string up to length 6 over the alphabet (with a
    /// two-byte character) is a counterexample.
    @Test func agreesWithBruteForce() async {
        let element = Gen.oneOf(
            Gen.always("a"), Gen.always("é"), Gen.always("b"), Gen.always("*"), Gen.always("?"))
        let pattern = element.array(of: 0...4).map { $0.joined() }
        await propertyCheck(count: 300, input: pattern, pattern, pattern) { p1, p2, p3 in
            let lhs = GlobSet.pattern(p1)
            let rhs = GlobSet.union([.pattern(p2), .pattern(p3)])
            let inLHS = { (s: String) in WildcardPattern(p1, caseInsensitive: false).matches(s) }
            let inRHS = { (s: String) in
                WildcardPattern(p2, caseInsensitive: false).matches(s)
                    || WildcardPattern(p3, caseInsensitive: false).matches(s)
            }
            switch lhs.witness(notIn: rhs) {
            case .witness(let s):
                #expect(inLHS(s) && !inRHS(s), "\(s) for \(p1) minus \(p2) | \(p3)")
            case .contained:
                var strings = [""]
                for _ in 0..<6 {
                    for s in strings {
                        #expect(!(inLHS(s) && !inRHS(s)), "missed \(s) for \(p1) minus \(p2) | \(p3)")
                    }
                    strings = strings.flatMap { s in ["a", "é", "c"].map { s + $0 } }
                }
            case .undecided:
                Issue.record("undecided on tiny patterns")
            }
        }
    }
}
