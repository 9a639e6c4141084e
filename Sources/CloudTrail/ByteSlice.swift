#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Bytes inside a reader's buffer; valid only while the callback that receives them runs.
public typealias ByteSlice = UnsafeRawBufferPointer

extension UnsafeRawBufferPointer {
    /// Whether the bytes spell `literal` exactly. Inlined: with the literal's bytes known at compile
    /// time the comparison is a few word compares, no call.
    @inlinable @inline(__always)
    public func equals(_ literal: StaticString) -> Bool {
        guard count == literal.utf8CodeUnitCount else { return false }
        guard let base = baseAddress else { return count == 0 }
        return sameBytes(base, UnsafeRawPointer(literal.utf8Start), count)
    }

    /// Whether the bytes start with `literal`.
    @inlinable @inline(__always)
    public func hasPrefix(_ literal: StaticString) -> Bool {
        guard count >= literal.utf8CodeUnitCount, let base = baseAddress else {
            return literal.utf8CodeUnitCount == 0
        }
        return sameBytes(base, UnsafeRawPointer(literal.utf8Start), literal.utf8CodeUnitCount)
    }

    /// Whether both hold the same bytes.
    @inlinable @inline(__always)
    public func hasSameBytes(as other: UnsafeRawBufferPointer) -> Bool {
        guard count == other.count else { return false }
        guard let a = baseAddress, let b = other.baseAddress else { return true }
        return sameBytes(a, b, count)
    }

    /// The bytes as a `String` (already validated as UTF-8 by the reader).
    public var string: String { String(decoding: self, as: UTF8.self) }
}

/// Whether `n` bytes at `a` and `b` are equal: overlapping word loads up to 24 bytes, `memcmp` beyond.
@inlinable @inline(__always)
func sameBytes(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer, _ n: Int) -> Bool {
    if n >= 8 {
        if n > 24 { return memcmp(a, b, n) == 0 }
        let head = a.loadUnaligned(as: UInt64.self) == b.loadUnaligned(as: UInt64.self)
        let tail =
            a.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)
            == b.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)
        if n <= 16 { return head && tail }
        return head && tail
            && a.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
                == b.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
    }
    if n >= 4 {
        return a.loadUnaligned(as: UInt32.self) == b.loadUnaligned(as: UInt32.self)
            && a.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self)
                == b.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self)
    }
    var i = 0
    while i < n {
        if a.load(fromByteOffset: i, as: UInt8.self) != b.load(fromByteOffset: i, as: UInt8.self) { return false }
        i += 1
    }
    return true
}
