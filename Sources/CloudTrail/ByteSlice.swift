#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Bytes inside a reader's buffer; valid only while the callback that receives them runs.
public typealias ByteSlice = UnsafeRawBufferPointer

extension UnsafeRawBufferPointer {
    /// Whether the bytes spell `literal` exactly.
    @inlinable
    public func equals(_ literal: StaticString) -> Bool {
        guard count == literal.utf8CodeUnitCount else { return false }
        guard let base = baseAddress else { return count == 0 }
        return memcmp(base, literal.utf8Start, count) == 0
    }

    /// Whether the bytes start with `literal`.
    @inlinable
    public func hasPrefix(_ literal: StaticString) -> Bool {
        guard count >= literal.utf8CodeUnitCount, let base = baseAddress else {
            return literal.utf8CodeUnitCount == 0
        }
        return memcmp(base, literal.utf8Start, literal.utf8CodeUnitCount) == 0
    }

    /// The bytes as a `String` (already validated as UTF-8 by the reader).
    public var string: String { String(decoding: self, as: UTF8.self) }
}
