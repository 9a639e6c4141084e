import Timestamps

/// Extracts the fields of ``EventRecord`` from the bytes of one JSON object, skipping everything else.
///
/// Strings without escapes are sliced in place; strings with escapes are decoded into `scratch`, which
/// is as large as the largest record, so a decoded string never outgrows it.
struct RecordParser {
    let scratch: UnsafeMutableRawBufferPointer
    var used = 0
    /// The date of the last time read: the records of a file nearly always share it.
    var dateMemo = Timestamp.DateMemo()
    /// The identities read last (a session's calls repeat theirs byte for byte).
    let identities = IdentityMemo()

    init(capacity: Int) {
        scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: capacity + 16, alignment: 8)
    }

    func deallocate() {
        scratch.deallocate()
        identities.deallocate()
    }

    /// Parses the object starting at `c` (after optional whitespace) into `record`.
    mutating func parseRecord(_ c: inout JSONCursor, into record: inout EventRecord) throws(ScanError) {
        used = 0
        record.reset()
        try parseObject(&c, into: &record, depth: 0)
        if record.time == nil, record.badTime == nil { record.time = record.timestampFallback }
    }

    private mutating func parseObject(_ c: inout JSONCursor, into r: inout EventRecord, depth: Int) throws(ScanError) {
        try c.expect(UInt8(ascii: "{"), "expected an object")
        try c.skipWhitespace()
        if c.p.pointee == UInt8(ascii: "}") {
            c.p += 1
            return
        }
        repeat {
            let (key, plain) = try readMember(&c)
            switch key.count {
            case 6:
                if key.equals("detail") && depth == 0 {
                    try c.skipWhitespace()
                    if c.p.pointee == UInt8(ascii: "{") {
                        // EventBridge envelope: the CloudTrail record is `detail`.
                        try parseObject(&c, into: &r, depth: 1)
                        continue
                    }
                }
            case 9:
                // Nine bytes: `userAgent` and `requestID` too, skipped: the first byte tells most apart.
                switch key[0] {
                case UInt8(ascii: "e"):
                    if key.equals("eventTime") {
                        if let s = try string(plain, &c, key: "eventTime") {
                            if let t = Timestamp.parse(s, reusing: &dateMemo) { r.time = t } else { r.badTime = s }
                        }
                        continue
                    }
                    if key.equals("eventName") {
                        r.eventName = try string(plain, &c, key: "eventName")
                        continue
                    }
                    if key.equals("eventType") {
                        r.eventType = try string(plain, &c, key: "eventType")
                        continue
                    }
                    if key.equals("errorCode") {
                        r.errorCode = try string(plain, &c, key: "errorCode")
                        continue
                    }
                case UInt8(ascii: "a"):
                    if key.equals("awsRegion") {
                        r.awsRegion = try string(plain, &c, key: "awsRegion")
                        continue
                    }
                case UInt8(ascii: "r"):
                    if key.equals("resources") {
                        try readResources(&c, into: &r)
                        continue
                    }
                default:
                    break
                }
            case 10:
                if key.equals("@timestamp") {
                    if let s = try string(plain, &c, key: "@timestamp") {
                        if let t = Timestamp.parse(s, reusing: &dateMemo) {
                            r.timestampFallback = t
                        } else {
                            r.badTime = s
                        }
                    }
                    continue
                }
            case 11:
                if key.equals("eventSource") {
                    r.eventSource = try string(plain, &c, key: "eventSource")
                    continue
                }
            case 12:
                if key.equals("userIdentity") {
                    try recallIdentity(&c, into: &r)
                    continue
                }
            case 13:
                if key.equals("eventCategory") {
                    r.eventCategory = try string(plain, &c, key: "eventCategory")
                    continue
                }
            case 15:
                if key.equals("managementEvent") {
                    // `true` and `false` in one compare each; the rest, and errors, by `readBool`.
                    if c.end - c.p > 5 {
                        let word = JSONCursor.word(c.p)
                        if word == 0x6575_7274, JSONCursor.isDelimiter(c.p[4]) {
                            c.p += 4
                            r.managementEvent = true
                            continue
                        }
                        if word == 0x736C_6166, c.p[4] == UInt8(ascii: "e"), JSONCursor.isDelimiter(c.p[5]) {
                            c.p += 5
                            r.managementEvent = false
                            continue
                        }
                    }
                    do { r.managementEvent = try c.readBool() } catch .invalid {
                        throw .invalid("`managementEvent`: expected `true` or `false`")
                    }
                    continue
                }
            case 17:
                if key.equals("requestParameters") {
                    try readParameters(&c, into: &r)
                    continue
                }
            case 18:
                if key.equals("recipientAccountId") {
                    r.recipientAccountId = try string(plain, &c, key: "recipientAccountId")
                    continue
                }
            default:
                break
            }
            try skip(plain, &c)
        } while try c.nextMember(close: UInt8(ascii: "}"))
    }

    /// `userIdentity` from ``identities`` when the bytes at the cursor start with an object remembered
    /// there; else read, and remembered. (Only a record's first identity: the fields of one recalled stay
    /// valid while the record is, since no slot changes before the next record.)
    private mutating func recallIdentity(_ c: inout JSONCursor, into r: inout EventRecord) throws(ScanError) {
        // (Pretty-printed records have a space before the object.)
        try c.skipWhitespace()
        let available = c.end - c.p
        guard !r.hasUserIdentity, available >= IdentityMemo.fingerprintBytes, c.p.pointee == UInt8(ascii: "{")
        else { return try readIdentity(&c, into: &r) }
        let start = c.p
        let set = identities.set(start)
        guard let (slot, length) = identities.match(set, start, available: available) else {
            try readIdentity(&c, into: &r)
            if identities.remembers { r.identityToken = identities.remember(set, start, length: c.p - start, from: r) }
            return
        }
        c.p += length
        identities.recall(slot, into: &r)
    }

    private mutating func readIdentity(_ c: inout JSONCursor, into r: inout EventRecord) throws(ScanError) {
        guard try beginObject(&c, key: "userIdentity") else { return }
        r.hasUserIdentity = true
        if try emptyObject(&c) { return }
        repeat {
            let (key, plain) = try readMember(&c)
            if key.equals("type") {
                r.identityType = try string(plain, &c, key: "userIdentity.type")
            } else if key.equals("arn") {
                r.identityArn = try string(plain, &c, key: "userIdentity.arn")
            } else if key.equals("accountId") {
                r.identityAccountId = try string(plain, &c, key: "userIdentity.accountId")
            } else if key.equals("principalId") {
                r.identityPrincipalId = try string(plain, &c, key: "userIdentity.principalId")
            } else if key.equals("userName") {
                r.identityUserName = try string(plain, &c, key: "userIdentity.userName")
            } else if key.equals("invokedBy") {
                r.identityInvokedBy = try string(plain, &c, key: "userIdentity.invokedBy")
            } else if key.equals("sessionContext") {
                try readSessionContext(&c, into: &r)
            } else {
                try skip(plain, &c)
            }
        } while try c.nextMember(close: UInt8(ascii: "}"))
    }

    private mutating func readSessionContext(_ c: inout JSONCursor, into r: inout EventRecord) throws(ScanError) {
        guard try beginObject(&c, key: "userIdentity.sessionContext") else { return }
        if try emptyObject(&c) { return }
        repeat {
            let (key, plain) = try readMember(&c)
            guard key.equals("sessionIssuer") else {
                try skip(plain, &c)
                continue
            }
            // `null` was consumed by `beginObject`: nothing to skip.
            guard try beginObject(&c, key: "sessionIssuer") else { continue }
            if try emptyObject(&c) { continue }
            repeat {
                let (key, plain) = try readMember(&c)
                if key.equals("arn") {
                    r.issuerArn = try string(plain, &c, key: "sessionIssuer.arn")
                } else if key.equals("type") {
                    r.issuerType = try string(plain, &c, key: "sessionIssuer.type")
                } else {
                    try skip(plain, &c)
                }
            } while try c.nextMember(close: UInt8(ascii: "}"))
        } while try c.nextMember(close: UInt8(ascii: "}"))
    }

    private mutating func readParameters(_ c: inout JSONCursor, into r: inout EventRecord) throws(ScanError) {
        try c.skipWhitespace()
        let start = c.p
        guard try beginObject(&c, key: "requestParameters") else { return }
        defer { r.requestParametersJSON = ByteSlice(start: start, count: c.p - start) }
        if try emptyObject(&c) { return }
        repeat {
            let (key, plain) = try readMember(&c)
            try c.skipWhitespace()
            var value: ByteSlice?
            if plain != nil || c.p.pointee == UInt8(ascii: "\"") {
                value = try string(plain, &c, key: "requestParameters")
                if value?.isEmpty ?? true { continue }  // `""`: absent, as `null`, `{}` and `[]` below
            } else {
                let raw = c.p
                if c.p.pointee == UInt8(ascii: "{"), key.equals("iamInstanceProfile") {
                    value = try readInstanceProfile(&c)
                } else {
                    try c.skipValue()
                }
                // `null`, `{}` and `[]` are absent (`"iamInstanceProfile": {}` needs no `iam:PassRole`).
                if EventRecord.isAbsent(ByteSlice(start: raw, count: c.p - raw)) { continue }
            }
            if r.parameters.count < EventRecord.maximumParameters { r.parameters.append((key, value)) }
        } while try c.nextMember(close: UInt8(ascii: "}"))
    }

    /// `requestParameters.iamInstanceProfile` of `ec2:RunInstances` (and the profile associations): its
    /// `arn`, else its `name`, so that the `iam:PassRole` it needs can be scoped.
    private mutating func readInstanceProfile(_ c: inout JSONCursor) throws(ScanError) -> ByteSlice? {
        guard try beginObject(&c, key: "requestParameters.iamInstanceProfile") else { return nil }
        if try emptyObject(&c) { return nil }
        var arn: ByteSlice?
        var name: ByteSlice?
        repeat {
            let key = try readKey(&c)
            if key.equals("arn") {
                arn = try readString(&c, key: "requestParameters.iamInstanceProfile.arn")
            } else if key.equals("name") {
                name = try readString(&c, key: "requestParameters.iamInstanceProfile.name")
            } else {
                try c.skipValue()
            }
        } while try c.nextMember(close: UInt8(ascii: "}"))
        return arn ?? name
    }

    private mutating func readResources(_ c: inout JSONCursor, into r: inout EventRecord) throws(ScanError) {
        try c.skipWhitespace()
        switch c.p.pointee {
        case UInt8(ascii: "n"):
            _ = try c.readBool()
            return
        case UInt8(ascii: "["):
            c.p += 1
        default:
            throw .invalid("`resources`: expected an array")
        }
        try c.skipWhitespace()
        if c.p.pointee == UInt8(ascii: "]") {
            c.p += 1
            return
        }
        repeat {
            guard try beginObject(&c, key: "resources[]") else { continue }
            if try emptyObject(&c) { continue }
            repeat {
                let (key, plain) = try readMember(&c)
                if key.equals("ARN") {
                    // `null` is read (and consumed) as no ARN.
                    if let arn = try string(plain, &c, key: "resources[].ARN"),
                        r.resources.count < EventRecord.maximumResources
                    {
                        r.resources.append(arn)
                    }
                } else {
                    try skip(plain, &c)
                }
            } while try c.nextMember(close: UInt8(ascii: "}"))
        } while try c.nextMember(close: UInt8(ascii: "]"))
    }

    /// The `CloudTrailEvent` string of a `lookup-events` element, decoded (`nil` when absent).
    mutating func readLookupEvent(_ c: inout JSONCursor) throws(ScanError) -> ByteSlice? {
        used = 0
        try c.expect(UInt8(ascii: "{"), "expected an object")
        var event: ByteSlice?
        if try emptyObject(&c) { return nil }
        repeat {
            let key = try readKey(&c)
            if key.equals("CloudTrailEvent") {
                event = try readString(&c, key: "CloudTrailEvent")
            } else {
                try c.skipValue()
            }
        } while try c.nextMember(close: UInt8(ascii: "}"))
        return event
    }

    // MARK: Pieces

    /// Consumes `{` and returns `true`, or `null` and returns `false`. Inline: nearly always `{` at once.
    @inline(__always)
    private func beginObject(_ c: inout JSONCursor, key: @autoclosure () -> String) throws(ScanError) -> Bool {
        if c.p < c.end, c.p.pointee == UInt8(ascii: "{") {
            c.p += 1
            return true
        }
        return try beginObjectSlowly(&c, key: key())
    }

    private func beginObjectSlowly(_ c: inout JSONCursor, key: String) throws(ScanError) -> Bool {
        try c.skipWhitespace()
        switch c.p.pointee {
        case UInt8(ascii: "{"):
            c.p += 1
            return true
        case UInt8(ascii: "n"):
            _ = try c.readBool()
            return false
        default:
            throw .invalid("`\(key)`: expected an object")
        }
    }

    /// After `{`: consumes `}` of an empty object.
    @inline(__always)
    private func emptyObject(_ c: inout JSONCursor) throws(ScanError) -> Bool {
        try c.skipWhitespace()
        if c.p.pointee == UInt8(ascii: "}") {
            c.p += 1
            return true
        }
        return false
    }

    /// A member's key, the cursor at its value; the value too when it is a plain string read ahead
    /// (take it with ``string(_:_:key:)`` or ``skip(_:_:)``).
    @inline(__always)
    private mutating func readMember(_ c: inout JSONCursor) throws(ScanError) -> (key: ByteSlice, value: PlainValue?) {
        if let member = c.plainMember() { return member }
        return (try readKey(&c), nil)
    }

    /// The string value of a member: the one read ahead, else read now (``readString(_:key:)``).
    @inline(__always)
    private mutating func string(_ plain: PlainValue?, _ c: inout JSONCursor, key: String) throws(ScanError)
        -> ByteSlice?
    {
        guard let plain else { return try readString(&c, key: key) }
        guard plain.isComplete else {
            c.p += 1
            let (start, count, escaped) = try c.scanString(resumingAt: plain.end)
            return escaped ? try decode(start, count) : ByteSlice(start: start, count: count)
        }
        c.p = plain.end
        return plain.bytes
    }

    /// Skips the value of a member.
    @inline(__always)
    private func skip(_ plain: PlainValue?, _ c: inout JSONCursor) throws(ScanError) {
        guard let plain else { return try c.skipValue() }
        guard plain.isComplete else {
            c.p += 1
            _ = try c.scanString(resumingAt: plain.end)
            return
        }
        c.p = plain.end
    }

    /// A member's key and its `:`.
    @inline(__always)
    private mutating func readKey(_ c: inout JSONCursor) throws(ScanError) -> ByteSlice {
        if let key = c.plainString() {
            if c.p.pointee == UInt8(ascii: ":") {
                c.p += 1
            } else {
                try c.expect(UInt8(ascii: ":"), "expected `:`")
            }
            return key
        }
        return try readKeySlowly(&c)
    }

    private mutating func readKeySlowly(_ c: inout JSONCursor) throws(ScanError) -> ByteSlice {
        try c.skipWhitespace()
        guard c.p.pointee == UInt8(ascii: "\"") else { throw .invalid("expected a key") }
        c.p += 1
        let (start, count, escaped) = try c.scanString()
        let key = escaped ? try decode(start, count) : ByteSlice(start: start, count: count)
        try c.expect(UInt8(ascii: ":"), "expected `:`")
        return key
    }

    /// A string value, or `nil` for `null`; anything else is a type error naming `key`.
    @inline(__always)
    private mutating func readString(_ c: inout JSONCursor, key: String) throws(ScanError) -> ByteSlice? {
        if let value = c.plainString() { return value }
        try c.skipWhitespace()
        switch c.p.pointee {
        case UInt8(ascii: "\""):
            c.p += 1
            let (start, count, escaped) = try c.scanString()
            return escaped ? try decode(start, count) : ByteSlice(start: start, count: count)
        case UInt8(ascii: "n"):
            if (try? c.readBool()) == .some(nil) { return nil }
            throw .invalid("`\(key)`: expected a string")
        default:
            throw .invalid("`\(key)`: expected a string")
        }
    }

    /// Decodes JSON escapes of a string body into `scratch`.
    private mutating func decode(_ start: UnsafePointer<UInt8>, _ count: Int) throws(ScanError) -> ByteSlice {
        guard used + count <= scratch.count, let base = scratch.baseAddress else {
            throw .invalid("string too long")
        }
        let out = base.advanced(by: used).assumingMemoryBound(to: UInt8.self)
        var o = 0
        var i = 0
        func hex4(_ at: Int) throws(ScanError) -> UInt32 {
            guard at + 4 <= count else { throw .invalid("invalid `\\u` escape") }
            var v: UInt32 = 0
            for k in 0..<4 {
                let h = start[at + k]
                let d: UInt8
                switch h {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): d = h - UInt8(ascii: "0")
                case UInt8(ascii: "a")...UInt8(ascii: "f"): d = h - UInt8(ascii: "a") + 10
                case UInt8(ascii: "A")...UInt8(ascii: "F"): d = h - UInt8(ascii: "A") + 10
                default: throw .invalid("invalid `\\u` escape")
                }
                v = v << 4 | UInt32(d)
            }
            return v
        }
        while i < count {
            let b = start[i]
            if b != UInt8(ascii: "\\") {
                out[o] = b
                o += 1
                i += 1
                continue
            }
            guard i + 1 < count else { throw .invalid("invalid escape") }
            let e = start[i + 1]
            i += 2
            switch e {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out[o] = e
            case UInt8(ascii: "b"): out[o] = 0x08
            case UInt8(ascii: "f"): out[o] = 0x0C
            case UInt8(ascii: "n"): out[o] = 0x0A
            case UInt8(ascii: "r"): out[o] = 0x0D
            case UInt8(ascii: "t"): out[o] = 0x09
            case UInt8(ascii: "u"):
                var scalar = try hex4(i)
                i += 4
                if (0xD800..<0xDC00).contains(scalar), i + 6 <= count, start[i] == UInt8(ascii: "\\"),
                    start[i + 1] == UInt8(ascii: "u")
                {
                    let low = try hex4(i + 2)
                    if (0xDC00..<0xE000).contains(low) {
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        i += 6
                    }
                }
                // Lone surrogates become U+FFFD, as String(decoding:) would do.
                if (0xD800..<0xE000).contains(scalar) { scalar = 0xFFFD }
                o += encodeUTF8(scalar, into: out + o)
                continue
            default:
                throw .invalid("invalid escape")
            }
            o += 1
        }
        used += o
        return ByteSlice(start: out, count: o)
    }
}

/// Writes the UTF-8 encoding of a scalar value (not a surrogate) and returns its length.
private func encodeUTF8(_ v: UInt32, into out: UnsafeMutablePointer<UInt8>) -> Int {
    switch v {
    case 0..<0x80:
        out[0] = UInt8(v)
        return 1
    case 0x80..<0x800:
        out[0] = UInt8(0xC0 | v >> 6)
        out[1] = UInt8(0x80 | v & 0x3F)
        return 2
    case 0x800..<0x10000:
        out[0] = UInt8(0xE0 | v >> 12)
        out[1] = UInt8(0x80 | v >> 6 & 0x3F)
        out[2] = UInt8(0x80 | v & 0x3F)
        return 3
    default:
        out[0] = UInt8(0xF0 | v >> 18)
        out[1] = UInt8(0x80 | v >> 12 & 0x3F)
        out[2] = UInt8(0x80 | v >> 6 & 0x3F)
        out[3] = UInt8(0x80 | v & 0x3F)
        return 4
    }
}
