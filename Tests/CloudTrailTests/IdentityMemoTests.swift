import CloudTrail
import Foundation
import TestSupport
import Testing

/// The reader remembers `userIdentity` objects and recognises them again by their bytes: every record must
/// still get exactly its own identity's fields.
@Suite struct IdentityMemoTests {
    /// The identity fields of a record as the reader gives them, `-` when absent.
    static func fields(_ r: borrowing EventRecord) -> [String] {
        [
            r.identityType, r.identityArn, r.identityAccountId, r.identityPrincipalId, r.identityUserName,
            r.identityInvokedBy, r.issuerArn, r.issuerType,
        ].map { $0?.string ?? "-" } + ["\(r.hasUserIdentity)"]
    }

    /// The same from Foundation's JSON parser.
    static func referenceFields(_ record: [String: Any]) -> [String] {
        let identity = record["userIdentity"] as? [String: Any]
        let issuer = (identity?["sessionContext"] as? [String: Any])?["sessionIssuer"] as? [String: Any]
        let keys = ["type", "arn", "accountId", "principalId", "userName", "invokedBy"]
        return keys.map { identity?[$0] as? String ?? "-" } + ["arn", "type"].map { issuer?[$0] as? String ?? "-" }
            + ["\(identity != nil)"]
    }

    /// Reads `paths` in order with one reader (its memory of identities carries from file to file, as in
    /// an ingestion): each record's identity fields and token.
    static func read(_ paths: [String]) -> [(fields: [String], token: UInt64)] {
        let reader = LogReader()
        var out: [(fields: [String], token: UInt64)] = []
        for path in paths {
            _ = reader.read(path: path, name: path) { r in out.append((fields(r), r.identityToken)) }
        }
        return out
    }

    static func records(_ paths: [String]) throws -> [[String: Any]] {
        try paths.flatMap { path -> [[String: Any]] in
            var data = try Data(contentsOf: URL(fileURLWithPath: path))
            if data.starts(with: [0x1F, 0x8B]) { data = try gunzip(URL(fileURLWithPath: path)) }
            guard let top = try? JSONSerialization.jsonObject(with: data) else {
                // JSON Lines.
                return try data.split(separator: UInt8(ascii: "\n")).filter { !$0.isEmpty }.compactMap {
                    try JSONSerialization.jsonObject(with: Data($0)) as? [String: Any]
                }
            }
            if let array = top as? [[String: Any]] { return array }
            if let records = (top as? [String: Any])?["Records"] as? [[String: Any]] { return records }
            return []
        }
    }

    /// Records with the same token have the same identity (as Foundation reads them): the token names
    /// the object's bytes.
    static func tokensNameTheirIdentities(_ seen: [(fields: [String], token: UInt64)], _ reference: [[String: Any]])
        -> Bool
    {
        var identities: [UInt64: NSDictionary] = [:]
        for (s, record) in zip(seen, reference) where s.token != 0 {
            let identity = NSDictionary(dictionary: record["userIdentity"] as? [String: Any] ?? [:])
            if let known = identities[s.token], !known.isEqual(identity) { return false }
            identities[s.token] = identity
        }
        return true
    }

    /// The real logs (sessions repeat their identities), read by one reader across all files.
    @Test func realIdentitiesMatchTheReferenceParser() throws {
        let seen = Self.read(LogReaderTests.fixtureFiles)
        let reference = try Self.records(LogReaderTests.fixtureFiles)
        #expect(seen.count == reference.count)
        #expect(seen.map(\.fields) == reference.map(Self.referenceFields))
        #expect(Self.tokensNameTheirIdentities(seen, reference))
        // Recalled, not only remembered: some token comes back.
        #expect(Set(seen.map(\.token).filter { $0 != 0 }).count < seen.count { $0.token != 0 })
    }

    /// Identities alike in their first hundred bytes (the bytes that pick a place in the memory) and
    /// different after, interleaved: more of them than a place holds.
    @Test func identitiesAlikeInTheirFirstBytesStayApart() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let prefix = String(repeating: "A", count: 100)
        let identities = (0..<5).map { i in
            #"{"type":"AssumedRole","principalId":"\#(prefix)","arn":"arn:aws:sts::1:assumed-role/r\#(i)/s","sessionContext":{"sessionIssuer":{"type":"Role","arn":"arn:aws:iam::1:role/r\#(i)"}}}"#
        }
        let order = (0..<60).map { ($0 * 7 + $0 / 5) % 5 }
        let text =
            #"{"Records":["#
            + order.map { i in
                #"{"eventTime":"2026-11-01T10:00:00Z","eventSource":"s3.amazonaws.com","eventName":"GetObject","userIdentity":\#(identities[i])}"#
            }.joined(separator: ",") + "]}"
        let path = try write(Array(text.utf8), "alike.json", in: dir)
        let seen = Self.read([path])
        #expect(seen.map { $0.fields[6] } == order.map { "arn:aws:iam::1:role/r\($0)" })
        #expect(seen.map { $0.fields[1] } == order.map { "arn:aws:sts::1:assumed-role/r\($0)/s" })
        #expect(Self.tokensNameTheirIdentities(seen, try Self.records([path])))
    }

    /// Records across the edges of the reader's buffer (a file of several MiB): an identity is recalled
    /// only when all of its bytes are there.
    @Test func identitiesAcrossTheBufferEdges() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let identities = (0..<7).map { i in
            #"{"type":"IAMUser","principalId":"AIDA\#(i)","arn":"arn:aws:iam::111122223333:user/u\#(i)","accountId":"111122223333","userName":"u\#(i)","sessionContext":{"attributes":{"creationDate":"2026-11-01T00:00:00Z","mfaAuthenticated":"false"}}}"#
        }
        // Records of varying length, so that the edges fall at every place in them.
        let text =
            #"{"Records":["#
            + (0..<12_000).map { n in
                #"{"eventTime":"2026-11-01T10:00:00Z","eventSource":"s3.amazonaws.com","eventName":"GetObject","userAgent":"\#(String(repeating: "x", count: n % 97))","userIdentity":\#(identities[n % 7]),"awsRegion":"us-east-1"}"#
            }.joined(separator: ",") + "]}"
        let path = try write(Array(text.utf8), "edges.json", in: dir)
        let seen = Self.read([path])
        let reference = try Self.records([path])
        #expect(seen.count == 12_000)
        #expect(seen.map(\.fields) == reference.map(Self.referenceFields))
        #expect(Self.tokensNameTheirIdentities(seen, reference))
    }

    /// Pretty-printed records (a space before the object, lines inside it) are recognised too.
    @Test func prettyPrintedIdentitiesAreRecognised() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let record = """
              {
                "eventTime": "2026-11-01T10:00:00Z", "eventSource": "s3.amazonaws.com", "eventName": "GetObject",
                "userIdentity": {
                  "type": "IAMUser",
                  "arn": "arn:aws:iam::111122223333:user/alice",
                  "accountId": "111122223333"
                }
              }
            """
        let path = try write(Array("[\n\(record),\n\(record)\n]".utf8), "pretty.json", in: dir)
        let seen = Self.read([path])
        #expect(
            seen.map { $0.fields[1] } == [
                "arn:aws:iam::111122223333:user/alice", "arn:aws:iam::111122223333:user/alice",
            ])
        #expect(seen.count == 2 && seen[0].token != 0 && seen[1].token == seen[0].token)
    }

    /// After a long run of identities seen once (a call per session), the reader stops remembering each of
    /// them, but an identity that then repeats is soon remembered and recognised again.
    @Test func aRepeatingIdentityIsRecognisedAfterManyThatDoNot() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        func identity(_ session: String) -> String {
            #"{"type":"AssumedRole","principalId":"AROAEXAMPLE:\#(session)","arn":"arn:aws:sts::1:assumed-role/r/\#(session)","sessionContext":{"sessionIssuer":{"type":"Role","arn":"arn:aws:iam::1:role/r"}}}"#
        }
        let sessions = (0..<100).map { "once-\($0)" } + Array(repeating: "again", count: 40)
        let text =
            #"{"Records":["#
            + sessions.map {
                #"{"eventTime":"2026-11-01T10:00:00Z","eventSource":"s3.amazonaws.com","eventName":"GetObject","userIdentity":\#(identity($0))}"#
            }.joined(separator: ",") + "]}"
        let path = try write(Array(text.utf8), "sessions.json", in: dir)
        let seen = Self.read([path])
        #expect(seen.map { $0.fields[1] } == sessions.map { "arn:aws:sts::1:assumed-role/r/\($0)" })
        let last = seen.suffix(20).map(\.token)
        #expect(last.allSatisfy { $0 != 0 && $0 == last[0] })
        #expect(Self.tokensNameTheirIdentities(seen, try Self.records([path])))
    }

    /// A field with an escape is decoded elsewhere than in the object's bytes: such an identity is read every
    /// time (token 0), and decoded every time.
    @Test func identitiesWithEscapesAreReadEachTime() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let identity =
            #"{"type":"AssumedRole","arn":"arn:aws:sts::1:assumed-role/r\/x/s","sessionContext":{"sessionIssuer":{"type":"Role","arn":"arn:aws:iam::1:role/p/r"}}}"#
        let record =
            #"{"eventTime":"2026-11-01T10:00:00Z","eventSource":"s3.amazonaws.com","eventName":"GetObject","userIdentity":\#(identity)}"#
        let path = try write(Array(#"{"Records":[\#(record),\#(record),\#(record)]}"#.utf8), "e.json", in: dir)
        let seen = Self.read([path])
        #expect(seen.map { $0.fields[1] } == Array(repeating: "arn:aws:sts::1:assumed-role/r/x/s", count: 3))
        #expect(seen.map(\.token) == [0, 0, 0])
    }

    /// A record with two `userIdentity` members: the second's fields replace the first's, the first's
    /// others stay (as without the memory), whether the first is recalled or read.
    @Test func aSecondIdentityInARecordIsReadOverTheFirst() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let first =
            #"{"type":"AssumedRole","arn":"arn:aws:sts::1:assumed-role/r/s","accountId":"1","sessionContext":{"sessionIssuer":{"type":"Role","arn":"arn:aws:iam::1:role/r"}}}"#
        let second = #"{"type":"IAMUser","arn":"arn:aws:iam::1:user/u","userName":"u","principalId":"AIDAEXAMPLE1"}"#
        let record =
            #"{"eventTime":"2026-11-01T10:00:00Z","eventSource":"s3.amazonaws.com","eventName":"GetObject","userIdentity":\#(first),"userIdentity":\#(second)}"#
        let path = try write(Array(#"{"Records":[\#(record),\#(record)]}"#.utf8), "e.json", in: dir)
        let seen = Self.read([path])
        let expected = [
            "IAMUser", "arn:aws:iam::1:user/u", "1", "AIDAEXAMPLE1", "u", "-", "arn:aws:iam::1:role/r", "Role", "true",
        ]
        #expect(seen.map(\.fields) == [expected, expected])
    }
}
