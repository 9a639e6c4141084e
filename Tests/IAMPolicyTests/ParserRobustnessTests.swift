import IAMPolicy
import PropertyBased
import Testing

/// Random and mutated inputs: the reader returns a document or one one-line error, never crashes, and
/// whatever it reads round-trips.
@Suite struct ParserRobustnessTests {
    static let seedText =
        #"{"Version":"2012-10-17","Statement":[{"Sid":"a","Effect":"Allow","Action":["s3:Get*"],"#
        + #""Resource":"*","Condition":{"StringLike":{"k":["v\n",1,true]}}}]}"#
    static let seed = Array(seedText.utf8)
    static let noise = Gen<Character?>.element(of: Array(#"{}[]":,\ntrue1-e.u"#) + ["\u{0}", "é"]).map { $0 ?? "{" }

    static func check(_ bytes: [UInt8]) {
        do {
            let doc = try PolicyDocument(parsing: bytes, source: "f")
            #expect(try PolicyDocument(parsing: doc.json(.compact), source: "again") == doc)
        } catch {
            #expect(!error.description.contains("\n"), "\(error.description)")
            #expect(error.description.hasPrefix("f:"))
        }
    }

    @Test func randomTextNeverCrashes() async {
        await propertyCheck(count: 2000, input: Self.noise.string(of: 0...30)) { text in
            Self.check(Array(text.utf8))
        }
    }

    @Test func mutatedPoliciesNeverCrash() async {
        await propertyCheck(
            count: 3000, input: Gen.int(in: 0...(Self.seed.count - 1)), Gen.int(in: 0...2), Self.noise
        ) { at, how, character in
            var bytes = Self.seed
            switch how {
            case 0: bytes.remove(at: at)
            case 1: bytes.insert(contentsOf: Array(String(character).utf8), at: at)
            default: bytes.replaceSubrange(at...at, with: Array(String(character).utf8))
            }
            Self.check(bytes)
        }
    }

    /// The path of a deep error is cut short (it was 512 `[0]`s, 1.5 KB on one line).
    @Test func deepNestingIsAnErrorNotACrash() {
        let deep = Array(repeating: UInt8(ascii: "["), count: 100_000)
        let error = #expect(throws: PolicyParseError.self) { try PolicyDocument(parsing: deep, source: "deep.json") }
        #expect(error?.description == "deep.json:1:513: [0][0][0][0]...(512 levels): nesting deeper than 512 levels")
        let statement = Array(#"{"Statement": "#.utf8) + deep
        let inStatement = #expect(throws: PolicyParseError.self) {
            try PolicyDocument(parsing: statement, source: "deep.json")
        }
        #expect(
            inStatement?.description
                == "deep.json:1:526: Statement[0][0][0]...(512 levels): nesting deeper than 512 levels")
    }

    @Test func controlCharactersInMessagesAreEscaped() {
        let error = #expect(throws: PolicyParseError.self) {
            try PolicyDocument(parsing: #"{"Statement": [], "a\nb": 1}"#, source: "c.json")
        }
        #expect(
            error?.description == #"c.json:1:19: a\nb: unknown key `a\nb` (expected `Version`, `Id` or `Statement`)"#)
    }
}
