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

    @inline(__always)
    mutating func skipWhitespace() throws(ScanError) {
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
        var escaped = false
        while true {
            // Eight bytes at a time: look for `"` or `\`.
            while end - p >= 8 {
                let word = UnsafeRawPointer(p).loadUnaligned(as: UInt64.self)
                let q = word ^ 0x2222_2222_2222_2222
                let s = word ^ 0x5C5C_5C5C_5C5C_5C5C
                let hit =
                    ((q &- 0x0101_0101_0101_0101) & ~q | (s &- 0x0101_0101_0101_0101) & ~s)
                    & 0x8080_8080_8080_8080
                if hit != 0 {
                    p += hit.littleEndian.trailingZeroBitCount >> 3
                    break
                }
                p += 8
            }
            guard p < end else { throw .incomplete }
            let b = p.pointee
            if b == UInt8(ascii: "\"") {
                let count = p - start
                p += 1
                return (start, count, escaped)
            }
            if b == UInt8(ascii: "\\") {
                escaped = true
                p += 2
                if p > end { throw .incomplete }
            } else {
                p += 1
            }
        }
    }

    /// Skips one JSON value of any type without validating its inside.
    mutating func skipValue() throws(ScanError) {
        try skipWhitespace()
        let b = p.pointee
        switch b {
        case UInt8(ascii: "\""):
            p += 1
            _ = try scanString()
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            p += 1
            var depth = 1
            while true {
                guard p < end else { throw .incomplete }
                let c = p.pointee
                p += 1
                switch c {
                case UInt8(ascii: "\""):
                    _ = try scanString()
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
