import CScan
import PropertyBased
import Testing

@testable import CloudTrail

/// The vector fast paths of the record scanner against plain references: skipping a value 64 bytes
/// at a time agrees with a byte-by-byte skip on random bytes, and a record reads the same whether its
/// members take the fast paths or not (whitespace around every `:` and `,` forces the general ones).
@Suite struct ScannerRobustnessTests {
    /// Mostly letters, so that containers and strings often span the 64-byte blocks of the skip.
    static let noise = Gen<UInt8?>.element(of: Array(#"aaaaaaaaaaaaaaaaaaaa"""{[}]\,: 1é"#.utf8)).map {
        $0 ?? UInt8(ascii: "a")
    }
    static let first = Gen<UInt8?>.element(of: Array("{[\"tn".utf8)).map { $0 ?? UInt8(ascii: "{") }

    /// Where a skip stopped: the offset after the value, or why it could not.
    enum Stop: Equatable {
        case after(Int)
        case incomplete
        case invalid
    }

    static func skip(_ bytes: [UInt8]) -> Stop {
        bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return .incomplete }
            var c = JSONCursor(p: base, end: base + buffer.count)
            do throws(ScanError) {
                try c.skipValue()
                return .after(c.p - base)
            } catch {
                return error == .incomplete ? .incomplete : .invalid
            }
        }
    }

    /// The byte-by-byte skip the scanner had before its vector kernels (its reference).
    static func referenceSkip(_ bytes: [UInt8]) -> Stop {
        var i = 0
        func string() -> Bool {
            while i < bytes.count {
                let b = bytes[i]
                i += 1
                if b == UInt8(ascii: "\\") {
                    guard i < bytes.count else { return false }
                    i += 1
                } else if b == UInt8(ascii: "\"") {
                    return true
                }
            }
            return false
        }
        while i < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[i]) { i += 1 }
        guard i < bytes.count else { return .incomplete }
        let first = bytes[i]
        i += 1
        switch first {
        case UInt8(ascii: "\""):
            return string() ? .after(i) : .incomplete
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            var depth = 1
            while i < bytes.count {
                let b = bytes[i]
                i += 1
                switch b {
                case UInt8(ascii: "\""): guard string() else { return .incomplete }
                case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    depth -= 1
                    if depth == 0 { return .after(i) }
                default: break
                }
            }
            return .incomplete
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "t"), UInt8(ascii: "f"),
            UInt8(ascii: "n"):
            i -= 1
            while i < bytes.count {
                if [UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]"), 0x20, 0x0A, 0x0D, 0x09].contains(bytes[i])
                {
                    return .after(i)
                }
                i += 1
            }
            return .incomplete
        default:
            return .invalid
        }
    }

    @Test func skippingAgreesWithAByteByByteSkip() async {
        await propertyCheck(
            count: 3000, input: Self.first, Self.noise.array(of: 0...400)
        ) { first, rest in
            let bytes = [first] + rest
            #expect(Self.skip(bytes) == Self.referenceSkip(bytes), "\(String(decoding: bytes, as: UTF8.self))")
        }
    }

    /// The vector kernels against their portable versions (what CPUs without SSE2 run): the same answers at
    /// every offset of random bytes, for every container kernel this CPU runs (SSE2, AVX2), so that the
    /// paths the machine does not choose are checked too.
    @Test func vectorKernelsAgreeWithTheirPortableVersions() async {
        await propertyCheck(count: 1000, input: Self.noise.array(of: 0...300)) { bytes in
            bytes.withUnsafeBufferPointer { buffer in
                guard let base = buffer.baseAddress else { return }
                let end = base + buffer.count
                for offset in 0..<buffer.count {
                    let p = base + offset
                    #expect(pare_find_quote_or_backslash(p, end) == pare_find_quote_or_backslash_portable(p, end))
                    let expected = pare_skip_container_portable(p, end)
                    #expect(pare_skip_container(p, end) == expected)
                    for level in 1...max(1, pare_scan_level()) {
                        #expect(pare_skip_container_at(Int32(level), p, end) == expected, "level \(level)")
                        #expect(
                            pare_is_ascii_at(Int32(level), p, end - p) == pare_is_ascii_at(0, p, end - p),
                            "level \(level)")
                    }
                    if end - p >= 16 {
                        #expect(pare_quote_or_backslash16(p) == pare_quote_or_backslash16_portable(p))
                    }
                }
            }
        }
    }

    /// One byte above 127 anywhere in 300 ASCII bytes: every kernel finds it, and finds none before it.
    @Test(arguments: 0..<300) func everyASCIIKernelFindsANonASCIIByte(at position: Int) {
        var bytes = [UInt8](repeating: UInt8(ascii: "a"), count: 300)
        bytes[position] = 0xC3
        bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            for level in 0...pare_scan_level() {
                #expect(pare_is_ascii_at(level, base, buffer.count) == 0, "level \(level)")
                #expect(pare_is_ascii_at(level, base, position) == 1, "level \(level)")
                #expect(
                    pare_is_ascii_at(level, base + position + 1, buffer.count - position - 1) == 1, "level \(level)")
            }
        }
    }

    /// Values around the lengths where the fast paths change (15, 16, 31, 32 bytes), with and without
    /// escapes, and keys the parser reads, skips, or finds longer than a fast path takes.
    static let values = [
        "", "a", String(repeating: "v", count: 13), String(repeating: "v", count: 15),
        String(repeating: "v", count: 16),
        String(repeating: "v", count: 29), String(repeating: "v", count: 31), String(repeating: "v", count: 32),
        String(repeating: "v", count: 90), #"esc\"aped"#, #"back\\slash\\"#, #"caf\u00e9"#,
        String(repeating: "w", count: 30) + #"\\"#, "arn:aws:iam::111122223333:role/service-role/a-rather-long-name",
    ]
    static let keys = [
        "eventTime", "eventSource", "eventName", "awsRegion", "errorCode", "eventType", "eventCategory",
        "recipientAccountId", "sourceIPAddress", "userAgent", "x", "aKeyThatIsLongerThanThirtyTwoBytesInAll",
        #"event\u004eame"#,
    ]

    /// A record of random members (seeded), with nested identity, parameters and resources.
    static func record(_ seed: Int) -> String {
        var state = UInt64(truncatingIfNeeded: seed)
        func next(_ n: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(n))
        }
        func value() -> String { "\"\(values[next(values.count)])\"" }
        var members = [#""eventTime":"2026-11-03T09:07:12Z""#]
        for _ in 0..<next(12) { members.append("\"\(keys[next(keys.count)])\":\(value())") }
        let issuer = #""sessionIssuer":{"type":\#(value()),"arn":\#(value()),"userName":\#(value())}"#
        members.append(
            #""userIdentity":{"type":\#(value()),"arn":\#(value()),"accountId":\#(value()),"#
                + #""sessionContext":{"attributes":{"a":\#(value())},\#(issuer)}}"#)
        members.append(
            #""requestParameters":{"bucketName":\#(value()),"n":5,"e":"","o":{},"\#(keys[next(keys.count)])":\#(value())}"#
        )
        members.append(#""resources":[{"ARN":\#(value()),"type":\#(value())},{"ARN":\#(value())}]"#)
        members.append(#""tlsDetails":{"tlsVersion":\#(value()),"x":[1,{"y":\#(value())}]},"readOnly":true"#)
        for _ in 0..<next(4) { members.swapAt(next(members.count), next(members.count)) }
        return "{" + members.joined(separator: ",") + "}"
    }

    /// Whitespace around every `:` and `,` and after every `{` and `[` outside strings.
    static func spaced(_ text: String) -> String {
        var out = ""
        var inString = false
        var escaped = false
        for ch in text {
            if inString {
                out.append(ch)
                if escaped {
                    escaped = false
                } else if ch == "\\" {
                    escaped = true
                } else if ch == "\"" {
                    inString = false
                }
                continue
            }
            switch ch {
            case "\"":
                inString = true
                out.append(ch)
            case ":", ",": out += " \(ch)\n "
            case "{", "[": out += "\(ch) "
            default: out.append(ch)
            }
        }
        return out
    }

    /// The fields of the record parsed from `text`, or the error.
    static func fields(_ text: String) -> String {
        // Bytes to spare after the record, as in the reader's buffer.
        let bytes = Array(text.utf8) + Array(repeating: UInt8(ascii: " "), count: 64)
        return bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return "empty" }
            var parser = RecordParser(capacity: bytes.count)
            defer { parser.deallocate() }
            var record = EventRecord()
            var c = JSONCursor(p: base, end: base + buffer.count)
            do throws(ScanError) {
                try parser.parseRecord(&c, into: &record)
            } catch {
                return "\(error)"
            }
            let r = record
            let strings = [
                r.eventSource, r.eventName, r.awsRegion, r.recipientAccountId, r.errorCode, r.eventType,
                r.eventCategory, r.identityType, r.identityArn, r.identityAccountId, r.identityPrincipalId,
                r.identityUserName, r.identityInvokedBy, r.issuerArn, r.issuerType,
            ]
            return strings.map { $0?.string ?? "-" }.joined(separator: "|") + " time \(r.time.map(String.init) ?? "-")"
                + " resources \(r.resources.map(\.string)) parameters \(r.parameters.map(\.key.string))"
                + " \(r.parameters.map { $0.value?.string ?? "-" })"
        }
    }

    @Test func aRecordReadsTheSameWithoutTheFastPaths() async {
        await propertyCheck(count: 1000, input: Gen.int(in: 0...Int.max)) { seed in
            let text = Self.record(seed)
            let plain = Self.fields(text)
            #expect(!plain.hasPrefix("invalid") && !plain.hasPrefix("incomplete"), "\(plain)")
            #expect(Self.fields(Self.spaced(text)) == plain, "\(text)")
        }
    }
}
