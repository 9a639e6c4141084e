#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Why a scan stopped.
enum ScanError: Error, Equatable {
    /// The value runs past the bytes available so far; more input may complete it.
    case incomplete
    /// The bytes are not JSON of the expected shape; the message names what was expected.
    case invalid(String)
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
        try skipWhitespace()
        let b = p.pointee
        p += 1
        if b == UInt8(ascii: ",") { return true }
        if b == close { return false }
        throw .invalid(close == UInt8(ascii: "}") ? "expected `,` or `}`" : "expected `,` or `]`")
    }

    /// Position just after the opening quote: returns the raw bytes up to the closing quote and
    /// whether they contain escapes.
    @inline(__always)
    mutating func scanString() throws(ScanError) -> (start: UnsafePointer<UInt8>, count: Int, escaped: Bool) {
        let start = p
        if shortString() { return (start, p - 1 - start, false) }
        try skipString()
        let count = p - 1 - start
        return (start, count, hasBackslash(start, count))
    }

    /// A string that ends within 16 bytes without a backslash (most keys and many values): moves past
    /// its closing quote and returns `true`; otherwise leaves the cursor and returns `false`.
    @inline(__always)
    private mutating func shortString() -> Bool {
        guard end - p >= 16 else { return false }
        let a = quoteOrBackslash(UnsafeRawPointer(p).loadUnaligned(as: UInt64.self))
        let b = quoteOrBackslash(UnsafeRawPointer(p).loadUnaligned(fromByteOffset: 8, as: UInt64.self))
        guard a | b != 0 else { return false }
        let offset = a != 0 ? a.trailingZeroBitCount >> 3 : 8 + b.trailingZeroBitCount >> 3
        guard p[offset] == UInt8(ascii: "\"") else { return false }
        p += offset + 1
        return true
    }

    /// Position just after the opening quote: moves past the closing quote. `memchr` finds the quotes
    /// (vector code in libc, cheaper than a word loop beyond a few bytes); a quote is escaped when an
    /// odd run of backslashes precedes it.
    @inline(__always)
    mutating func skipString() throws(ScanError) {
        let start = p
        while true {
            guard let hit = memchr(p, 0x22, end - p) else { throw .incomplete }
            let quote = UnsafePointer<UInt8>(hit.assumingMemoryBound(to: UInt8.self))
            p = quote + 1
            if quote == start || quote[-1] != UInt8(ascii: "\\") { return }
            var backslashes = 1
            while quote - backslashes > start, quote[-backslashes - 1] == UInt8(ascii: "\\") { backslashes += 1 }
            if backslashes & 1 == 0 { return }
        }
    }

    /// Skips one JSON value of any type without validating its inside.
    mutating func skipValue() throws(ScanError) {
        try skipWhitespace()
        let b = p.pointee
        switch b {
        case UInt8(ascii: "\""):
            p += 1
            try skipString()
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            p += 1
            var depth = 1
            while true {
                guard p < end else { throw .incomplete }
                let c = p.pointee
                p += 1
                switch c {
                case UInt8(ascii: "\""):
                    try skipString()
                case UInt8(ascii: "{"), UInt8(ascii: "["):
                    depth += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    depth -= 1
                    if depth == 0 { return }
                default:
                    break
                }
            }
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
        while p < end {
            switch p.pointee {
            case UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]"), 0x20, 0x0A, 0x0D, 0x09:
                return
            default:
                p += 1
            }
        }
        throw .incomplete
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

/// Whether `count` bytes at `p` contain a backslash, eight at a time.
@inline(__always)
private func hasBackslash(_ p: UnsafePointer<UInt8>, _ count: Int) -> Bool {
    let raw = UnsafeRawPointer(p)
    var i = 0
    var hits: UInt64 = 0
    while i + 8 <= count {
        let s = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) ^ 0x5C5C_5C5C_5C5C_5C5C
        hits |= (s &- 0x0101_0101_0101_0101) & ~s
        i += 8
    }
    if hits & 0x8080_8080_8080_8080 != 0 { return true }
    while i < count {
        if p[i] == UInt8(ascii: "\\") { return true }
        i += 1
    }
    return false
}

/// The high bit of each byte of `word` that is `"` or `\\` (exact for the lowest one; little-endian).
@inline(__always)
private func quoteOrBackslash(_ word: UInt64) -> UInt64 {
    let q = word ^ 0x2222_2222_2222_2222
    let s = word ^ 0x5C5C_5C5C_5C5C_5C5C
    return ((q &- 0x0101_0101_0101_0101) & ~q | (s &- 0x0101_0101_0101_0101) & ~s) & 0x8080_8080_8080_8080
}
