import CScan

/// Why a scan stopped.
enum ScanError: Error, Equatable {
    /// The value runs past the bytes available so far; more input may complete it.
    case incomplete
    /// The bytes are not JSON of the expected shape; the message names what was expected.
    case invalid(String)
}

/// A string value read ahead with its key (``JSONCursor/plainMember()``): its bytes and the position
/// after its closing quote; or, for a string longer than the bytes read (``isComplete`` false), where
/// the search for its end resumes (none of its bytes before has a quote or backslash).
struct PlainValue {
    let bytes: ByteSlice
    let end: UnsafePointer<UInt8>

    /// Whether the whole string was read: `bytes` hold it.
    @inline(__always)
    var isComplete: Bool { bytes.baseAddress != nil }
}

/// A read position over contiguous JSON bytes. Every access is checked against `end`; running past
/// it throws ``ScanError/incomplete`` so that the caller can refill and retry.
struct JSONCursor {
    var p: UnsafePointer<UInt8>
    let end: UnsafePointer<UInt8>

    @inline(__always)
    func peek() throws(ScanError) -> UInt8 {
        guard p < end else { throw .incomplete }
        return p.pointee
    }

    /// Skips whitespace; the next byte must exist. Records rarely have whitespace inside: one compare
    /// in the common case.
    @inline(__always)
    mutating func skipWhitespace() throws(ScanError) {
        guard p < end else { throw .incomplete }
        if p.pointee > 0x20 { return }
        try skipWhitespaceRun()
    }

    private mutating func skipWhitespaceRun() throws(ScanError) {
        while p < end {
            let b = p.pointee
            if b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 {
                p += 1
            } else {
                return
            }
        }
        throw .incomplete
    }

    /// Skips whitespace and expects `byte`.
    @inline(__always)
    mutating func expect(_ byte: UInt8, _ what: @autoclosure () -> String) throws(ScanError) {
        try skipWhitespace()
        guard p.pointee == byte else { throw .invalid(what()) }
        p += 1
    }

    /// After a member or element: consumes `,` and returns `true`, or consumes `close` and returns
    /// `false`.
    @inline(__always)
    mutating func nextMember(close: UInt8) throws(ScanError) -> Bool {
        // Nearly always the `,` or `close` at once: one load, one compare.
        guard p < end else { throw .incomplete }
        let b = p.pointee
        if b == UInt8(ascii: ",") {
            p += 1
            return true
        }
        if b == close {
            p += 1
            return false
        }
        return try nextMemberSlowly(close: close)
    }

    private mutating func nextMemberSlowly(close: UInt8) throws(ScanError) -> Bool {
        try skipWhitespace()
        let b = p.pointee
        p += 1
        if b == UInt8(ascii: ",") { return true }
        if b == close { return false }
        throw .invalid(close == UInt8(ascii: "}") ? "expected `,` or `}`" : "expected `,` or `]`")
    }

    /// At a member written plainly (`"key":`, no whitespace, no escape, within 32 bytes with bytes to
    /// spare: nearly every member): moves to the value and returns the key; when the value is a plain
    /// string within the same 32 bytes (most values), returns it too, read ahead: the cursor stays at its
    /// opening quote until the caller takes it; when it is a string that goes on past them, where to
    /// resume the search for its end. Otherwise `nil`, the cursor unmoved, for the general path.
    @inline(__always)
    mutating func plainMember() -> (key: ByteSlice, value: PlainValue?)? {
        guard end - p >= 34, p.pointee == UInt8(ascii: "\"") else { return nil }
        let start = p
        var hits = UInt32(pare_quote_or_backslash16(p)) | UInt32(pare_quote_or_backslash16(p + 16)) << 16
        hits &= hits &- 1  // the key's opening quote
        guard hits != 0 else { return nil }
        let k = hits.trailingZeroBitCount
        guard start[k] == UInt8(ascii: "\""), start[k + 1] == UInt8(ascii: ":") else { return nil }
        let key = ByteSlice(start: start + 1, count: k - 1)
        let v = start + k + 2
        p = v
        guard k + 2 < 32, v.pointee == UInt8(ascii: "\"") else { return (key, nil) }
        hits &= hits &- 1  // the key's closing quote
        hits &= hits &- 1  // the value's opening quote
        guard hits != 0 else {
            // No quote or backslash after the value's opening quote within the 32 bytes.
            return (key, PlainValue(bytes: ByteSlice(start: nil, count: 0), end: start + 32))
        }
        let e = start + hits.trailingZeroBitCount
        guard e.pointee == UInt8(ascii: "\"") else { return (key, nil) }
        return (key, PlainValue(bytes: ByteSlice(start: v + 1, count: e - v - 1), end: e + 1))
    }

    /// At a string written plainly (no escape, at most 31 bytes, with bytes to spare: nearly every key
    /// and short value): moves past its closing quote and returns its bytes; otherwise `nil`, the cursor
    /// unmoved, for the general path. One or two 16-byte compares, no loop.
    @inline(__always)
    mutating func plainString() -> ByteSlice? {
        guard end - p >= 34, p.pointee == UInt8(ascii: "\"") else { return nil }
        var hits = UInt32(pare_quote_or_backslash16(p + 1))
        if hits == 0 {
            hits = UInt32(pare_quote_or_backslash16(p + 17)) << 16
            guard hits != 0 else { return nil }
        }
        let n = hits.trailingZeroBitCount
        guard p[n + 1] == UInt8(ascii: "\"") else { return nil }
        let bytes = ByteSlice(start: p + 1, count: n)
        p += n + 2
        return bytes
    }

    /// Position just after the opening quote: moves past the closing quote and returns the raw bytes
    /// before it and whether they contain escapes. The quotes and backslashes are found 16 bytes at a
    /// time; a backslash escapes the byte after it.
    @inline(__always)
    mutating func scanString() throws(ScanError) -> (start: UnsafePointer<UInt8>, count: Int, escaped: Bool) {
        try scanString(resumingAt: p)
    }

    /// ``scanString()`` when the bytes before `resume` are known to hold no quote and no backslash.
    @inline(__always)
    mutating func scanString(resumingAt resume: UnsafePointer<UInt8>) throws(ScanError) -> (
        start: UnsafePointer<UInt8>, count: Int, escaped: Bool
    ) {
        let start = p
        p = resume
        var escaped = false
        while true {
            let hit = pare_find_quote_or_backslash(p, end)
            guard hit < end else { throw .incomplete }
            if hit.pointee == UInt8(ascii: "\"") {
                p = hit + 1
                return (start, hit - start, escaped)
            }
            guard end - hit >= 2 else { throw .incomplete }
            escaped = true
            p = hit + 2
        }
    }

    /// Position just after the opening quote: moves past the closing quote.
    @inline(__always)
    mutating func skipString() throws(ScanError) {
        _ = try scanString()
    }

    /// Skips one JSON value of any type without validating its inside. Inline for the common strings,
    /// `true` and `null`.
    @inline(__always)
    mutating func skipValue() throws(ScanError) {
        if p < end, p.pointee == UInt8(ascii: "\"") {
            p += 1
            try skipString()
        } else if end - p > 4, Self.isTrueOrNull(p) {
            p += 4
        } else {
            try skipOtherValue()
        }
    }

    /// Whether the 5 bytes at `q` are `true` or `null` and a delimiter, in one compare.
    @inline(__always)
    static func isTrueOrNull(_ q: UnsafePointer<UInt8>) -> Bool {
        let word = word(q)
        return (word == 0x6575_7274 || word == 0x6C6C_756E) && isDelimiter(q[4])
    }

    /// The 4 bytes at `q` as one little-endian word (`true` is `0x6575_7274`). Inlined: the generic
    /// `loadUnaligned` was left a call at one of its uses.
    @inline(__always)
    static func word(_ q: UnsafePointer<UInt8>) -> UInt32 {
        UInt32(q[0]) | UInt32(q[1]) << 8 | UInt32(q[2]) << 16 | UInt32(q[3]) << 24
    }

    private mutating func skipOtherValue() throws(ScanError) {
        try skipWhitespace()
        let b = p.pointee
        switch b {
        case UInt8(ascii: "\""):
            p += 1
            try skipString()
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            if end - p >= 2, p[1] | 0x20 == UInt8(ascii: "}") {
                // Empty (`{}`, `[]`): common, and not worth a block scan.
                p += 2
                return
            }
            guard let after = pare_skip_container(p + 1, end) else { throw .incomplete }
            p = after
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "t"), UInt8(ascii: "f"),
            UInt8(ascii: "n"):
            try skipScalar()
        default:
            throw .invalid("expected a JSON value")
        }
    }

    /// Skips a number or literal up to the next delimiter.
    @inline(__always)
    mutating func skipScalar() throws(ScanError) {
        if end - p > 4, Self.isTrueOrNull(p) {
            // `true` and `null`, the common literals, in one compare.
            p += 4
            return
        }
        while p < end {
            if Self.isDelimiter(p.pointee) { return }
            p += 1
        }
        throw .incomplete
    }

    /// Whether `b` ends a number or literal.
    @inline(__always)
    static func isDelimiter(_ b: UInt8) -> Bool {
        switch b {
        case UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]"), 0x20, 0x0A, 0x0D, 0x09: true
        default: false
        }
    }

    /// Reads a literal `true`, `false` or `null`; `nil` for `null`.
    mutating func readBool() throws(ScanError) -> Bool? {
        try skipWhitespace()
        let start = p
        try skipScalar()
        let word = UnsafeRawBufferPointer(start: start, count: p - start)
        if word.equals("true") { return true }
        if word.equals("false") { return false }
        if word.equals("null") { return nil }
        throw .invalid("expected `true` or `false`")
    }
}
