import CloudTrail
import Foundation
import TestSupport
import Testing

/// Each bad input of issue 4: a diagnostic naming the file and the record or line, and no good record lost.
@Suite struct BadInputTests {
    let good = [event("A"), event("B"), event("C")]

    func records(_ parts: [String]) -> [UInt8] { Array(("{\"Records\":[" + parts.joined(separator: ",") + "]}").utf8) }

    @Test func truncatedGzipKeepsRecordsBeforeTheDamage() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let many = (0..<2_000).map { event("E\($0)") }
        let path = try write(records(many), "t.json.gz", in: dir, gzip: true)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: path))
        let (seen, summary) = readAll(path, name: "t.json.gz")
        #expect(seen.count > 500)
        #expect(seen == (0..<seen.count).map { BadInputTests.seenE($0) })
        #expect(summary.records == seen.count)
        #expect(summary.damaged)
        #expect(summary.diagnostics.count == 1)
        let message = try #require(summary.diagnostics.first?.description)
        #expect(message.hasPrefix("cannot read `t.json.gz`: truncated gzip stream after "))
        #expect(message.hasSuffix(" bytes; records before it were kept"))
    }

    static func seenE(_ i: Int) -> Seen { seen("E\(i)") }

    /// A file truncated after a comma, or joined with commas or stray closers at the top level, once made
    /// the reader stop in front of the same byte forever; every record around them is kept.
    @Test(arguments: [
        ("comma-joined", ",", [String]()),
        ("trailing comma", "", [String]()),
        ("stray bracket", "]", ["cannot read `s.json`: line 1: unexpected `]` between records"]),
        ("stray brace", "}", ["cannot read `s.json`: line 1: unexpected `}` between records"]),
    ])
    func topLevelSeparatorsAndStrayClosersAreSteppedOver(_ shape: String, _ joint: String, _ expected: [String]) throws
    {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let first = records([good[0], good[1]])
        let second = records([good[2]])
        let bytes = shape == "trailing comma" ? first + second + Array(",".utf8) : first + Array(joint.utf8) + second
        let (seen, summary) = readAll(try write(bytes, "s.json", in: dir), name: "s.json")
        #expect(seen == [Self.seenA, Self.seenB, Self.seenC])
        #expect(summary.diagnostics.map(\.description) == expected)
    }

    @Test func garbageBytes() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let (seen, summary) = readAll(try write([0x00, 0xFF, 0x13, 0x37, 0x0A, 0x7B], "g.bin", in: dir), name: "g.bin")
        #expect(seen == [])
        #expect(
            summary.diagnostics.map(\.description) == [
                "cannot read `g.bin`: not JSON: expected `{` or `[` at the start of the file"
            ])
        #expect(summary.damaged)
    }

    @Test func garbageLineInJSONLines() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let text = [event("A"), "%%% not json", #"{"eventSource": "s3.amazonaws.com", "eventName": }"#, event("B")]
            .joined(separator: "\n")
        let (seen, summary) = readAll(try write(Array(text.utf8), "l.jsonl", in: dir), name: "l.jsonl")
        #expect(seen == [Self.seenA, Self.seenB])
        #expect(
            summary.diagnostics.map(\.description) == [
                "cannot read `l.jsonl`: line 2: expected a JSON object",
                "cannot read `l.jsonl`: line 3: `eventName`: expected a string",
            ])
        #expect(summary.records == 4)
        #expect(summary.skipped == 2)
    }

    static let seenA = seen("A")
    static let seenB = seen("B")
    static let seenC = seen("C")

    @Test(arguments: [
        (#"{"Records": {"a": 1}}"#, "record 1: `Records`: expected an array"),
        (#"[1, 2]"#, "record 1: expected an object"),
        (#"{"foo": "bar"}"#, "line 1: not a CloudTrail event (no `eventSource`, `eventName` or `eventTime`)"),
    ])
    func validJSONOfTheWrongShape(text: String, message: String) throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let (seen, summary) = readAll(try write(Array(text.utf8), "w.json", in: dir), name: "w.json")
        #expect(seen == [])
        #expect(summary.diagnostics.first?.description == "cannot read `w.json`: " + message)
    }

    @Test func wrongFieldTypes() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let bad = [
            #"{"eventTime":"2026-11-01T10:00:00Z","eventSource":"s3.amazonaws.com","eventName":42}"#,
            #"{"eventTime":"2026-11-01T10:00:00Z","eventSource":"s3.amazonaws.com","eventName":"X","userIdentity":"alice"}"#,
            #"{"eventTime":20261101,"eventSource":"s3.amazonaws.com","eventName":"X"}"#,
            #"{"eventTime":"yesterday","eventSource":"s3.amazonaws.com","eventName":"X"}"#,
            #"{"eventTime":"2026-11-01T10:00:00Z","eventSource":"s3.amazonaws.com","eventName":"X","resources":{"ARN":"a"}}"#,
        ]
        let (seen, summary) = readAll(
            try write(records([good[0], bad[0], bad[1], good[1], bad[2], bad[3], bad[4], good[2]]), "t.json", in: dir),
            name: "t.json")
        #expect(seen == [Self.seenA, Self.seenB, Self.seenC])
        #expect(
            summary.diagnostics.map(\.description) == [
                "cannot read `t.json`: record 2: `eventName`: expected a string",
                "cannot read `t.json`: record 3: `userIdentity`: expected an object",
                "cannot read `t.json`: record 5: `eventTime`: expected a string",
                "cannot read `t.json`: record 6: invalid time `yesterday`",
                "cannot read `t.json`: record 7: `resources`: expected an array",
            ])
        #expect(summary.records == 8)
        #expect(summary.skipped == 5)
        #expect(!summary.damaged)
    }

    @Test func nonUTF8Record() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let latin1 = Array(event("X", extra: #","userAgent":"caf"#).utf8) + [0xE9] + Array(#""}"#.utf8)
        let bytes = Array("{\"Records\":[\(good[0]),".utf8) + latin1 + Array(",\(good[1])]}".utf8)
        let (seen, summary) = readAll(try write(bytes, "u.json", in: dir), name: "u.json")
        #expect(seen == [Self.seenA, Self.seenB])
        #expect(summary.diagnostics.map(\.description) == ["cannot read `u.json`: record 2: invalid UTF-8"])
    }

    @Test func emptyFile() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let (seen, summary) = readAll(try write([], "e.json", in: dir), name: "e.json")
        #expect(seen == [])
        #expect(summary.diagnostics.map(\.description) == ["cannot read `e.json`: empty file"])
    }

    @Test func unreadableFile() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let (seen, summary) = readAll(dir.file("missing.json").path, name: "missing.json")
        #expect(seen == [])
        #expect(summary.diagnostics.map(\.description) == ["cannot read `missing.json`: no such file or directory"])
        #expect(summary.damaged)
    }

    @Test func recordOverTheSizeBound() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let huge = event("H", extra: #","userAgent":""# + String(repeating: "x", count: 5_000) + #"""#)
        let path = try write(records([good[0], huge, good[1]]), "o.json.gz", in: dir, gzip: true)
        let (seen, summary) = readAll(path, limits: ReaderLimits(maximumRecordBytes: 4_096), name: "o.json.gz")
        #expect(seen == [Self.seenA, Self.seenB])
        #expect(
            summary.diagnostics.map(\.description) == ["cannot read `o.json.gz`: record 2: record exceeds 4096 bytes"])
        #expect(summary.records == 3)
    }

    @Test func gzipBombStopsAtTheBound() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        // 3 good records, then 64 MB of whitespace inside the array: a 64 KB file.
        let bytes =
            Array(("{\"Records\":[" + good.joined(separator: ",")).utf8) + [UInt8](repeating: 0x20, count: 64 << 20)
            + Array("]}".utf8)
        let path = try write(bytes, "b.json.gz", in: dir, gzip: true)
        let size = try #require(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
        #expect(size < 100_000)
        let (seen, summary) = readAll(path, limits: ReaderLimits(maximumFileBytes: 8 << 20), name: "b.json.gz")
        #expect(seen == [Self.seenA, Self.seenB, Self.seenC])
        #expect(
            summary.diagnostics.map(\.description) == [
                "cannot read `b.json.gz`: decompressed size exceeds 8388608 bytes; the rest of the file was skipped"
            ])
        #expect(summary.damaged)
    }

    /// gzip goes through ISA-L; when it stops, zlib reads the file again, skips what was delivered and
    /// reports the failure: each record once, and zlib's message. A wrong CRC in the trailer stops ISA-L
    /// after the last byte (2 MB: more than one read of the reader, so some were delivered before). A pipe
    /// cannot be read again from its start: its gzip goes through zlib alone, with the same outcome (ISA-L's
    /// take-over failed there with "illegal seek", and the records after the point it reached were lost).
    @Test(arguments: [false, true])
    func corruptGzipChecksumReportsZlibsMessageAfterEveryRecord(throughAPipe: Bool) throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let many = (0..<8_000).map { event("E\($0)") }
        var path = try write(records(many), "c.json.gz", in: dir, gzip: true)
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        bytes[bytes.count - 8] ^= 0xFF  // the trailer: CRC-32, then the size
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        if throughAPipe {
            path = dir.file("pipe.json.gz").path
            try feedPipe(at: path, Data(bytes))
        }
        let name = throughAPipe ? "pipe.json.gz" : "c.json.gz"
        let (seen, summary) = readAll(path, name: name)
        #expect(seen == (0..<8_000).map { BadInputTests.seenE($0) })
        #expect(
            summary.diagnostics.map(\.description) == [
                "cannot read `\(name)`: corrupt gzip data (incorrect data check) after \(records(many).count) bytes"
            ])
        #expect(summary.damaged)
    }

    /// Bytes after the last gzip member are not another member: zlib's message, every record kept once.
    @Test func garbageAfterTheLastGzipMember() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = try write(records(good), "g.json.gz", in: dir, gzip: true)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path)) + Data("not gzip".utf8)
        try bytes.write(to: URL(fileURLWithPath: path))
        let (seen, summary) = readAll(path, name: "g.json.gz")
        #expect(seen == [Self.seenA, Self.seenB, Self.seenC])
        #expect(
            summary.diagnostics.map(\.description) == [
                "cannot read `g.json.gz`: corrupt gzip data (incorrect header check) after \(records(good).count) bytes"
            ])
    }

    /// A reserved flag bit in a member's header: zlib refuses it and so does pare, in the first member and
    /// in a later one (ISA-L accepted it silently; found in review).
    @Test(arguments: [false, true]) func reservedGzipHeaderFlags(inSecondMember: Bool) throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let first = try write(records(good), "r1.json.gz", in: dir, gzip: true)
        let second = try write(records(good), "r2.json.gz", in: dir, gzip: true)
        var one = [UInt8](try Data(contentsOf: URL(fileURLWithPath: first)))
        var two = [UInt8](try Data(contentsOf: URL(fileURLWithPath: second)))
        if inSecondMember { two[3] |= 0x20 } else { one[3] |= 0x20 }
        try Data(one + two).write(to: URL(fileURLWithPath: first))
        let (seen, summary) = readAll(first, name: "r.json.gz")
        #expect(seen == (inSecondMember ? [Self.seenA, Self.seenB, Self.seenC] : []))
        let offset = inSecondMember ? records(good).count : 0
        #expect(
            summary.diagnostics.map(\.description) == [
                "cannot read `r.json.gz`: corrupt gzip data (unknown header flags set) after \(offset) bytes"
            ])
    }

    /// gzip read from a pipe (`pare ingest <(cat x.gz)`): nothing may seek back. The zlib-only build (CI's
    /// `PARE_WITHOUT_ISAL` step) once began every gzip by seeking to its start (found in review).
    @Test func gzipFromAPipe() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let file = try write(records(good), "p.json.gz", in: dir, gzip: true)
        let pipe = dir.file("pipe").path
        try feedPipe(at: pipe, Data(contentsOf: URL(fileURLWithPath: file)))
        let (seen, summary) = readAll(pipe, name: "pipe")
        #expect(seen == [Self.seenA, Self.seenB, Self.seenC])
        #expect(summary.diagnostics == [])
    }

    /// Damage inside the compressed data: the records before it, each once, then zlib's diagnostic.
    @Test func corruptGzipDataKeepsRecordsBeforeTheDamage() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let many = (0..<2_000).map { event("E\($0)") }
        let path = try write(records(many), "d.json.gz", in: dir, gzip: true)
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        for i in (bytes.count / 2)..<(bytes.count / 2 + 64) { bytes[i] = 0xFF }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let (seen, summary) = readAll(path, name: "d.json.gz")
        #expect(seen.count > 500)
        #expect(seen.count < 2_000)
        #expect(seen == (0..<seen.count).map { BadInputTests.seenE($0) })
        #expect(summary.damaged)
        let last = try #require(summary.diagnostics.last?.description)
        #expect(last.hasPrefix("cannot read `d.json.gz`: corrupt gzip data ("))
    }

    @Test func truncatedPlainJSON() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let text = "{\"Records\":[" + good[0] + "," + good[1] + "," + good[2].prefix(40)
        let (seen, summary) = readAll(try write(Array(text.utf8), "p.json", in: dir), name: "p.json")
        #expect(seen == [Self.seenA, Self.seenB])
        #expect(summary.diagnostics.map(\.description) == ["cannot read `p.json`: record 3: truncated record"])
    }
}
