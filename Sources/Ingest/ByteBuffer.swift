import CloudTrail

/// A growable byte buffer with cheap appends (no generic `Sequence` path): where the aggregator builds
/// the ARNs of an event. Slices stay valid until the next append or ``removeAll()``. Owned by one
/// aggregator (one thread): its properties skip the dynamic exclusivity checks of a class's `var`s.
final class ByteBuffer {
    @exclusivity(unchecked) private var storage: UnsafeMutableRawBufferPointer
    @exclusivity(unchecked) private(set) var count = 0

    init(capacity: Int = 1024) {
        storage = UnsafeMutableRawBufferPointer.allocate(byteCount: max(capacity, 16), alignment: 8)
    }

    deinit { storage.deallocate() }

    func removeAll() { count = 0 }

    @inline(__always)
    func append(_ bytes: UnsafeRawBufferPointer) {
        reserve(bytes.count)
        if let source = bytes.baseAddress, let target = storage.baseAddress {
            (target + count).copyMemory(from: source, byteCount: bytes.count)
        }
        count += bytes.count
    }

    func append(_ literal: StaticString) {
        append(ByteSlice(literal))
    }

    func append(_ byte: UInt8) {
        reserve(1)
        storage[count] = byte
        count += 1
    }

    /// The bytes in `range`.
    func slice(_ range: Range<Int>) -> ByteSlice {
        ByteSlice(rebasing: UnsafeRawBufferPointer(storage)[range])
    }

    @inline(__always)
    private func reserve(_ more: Int) {
        if count + more > storage.count { grow(more) }
    }

    private func grow(_ more: Int) {
        var size = storage.count * 2
        while size < count + more { size *= 2 }
        let grown = UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 8)
        grown.copyMemory(from: UnsafeRawBufferPointer(rebasing: storage[0..<count]))
        storage.deallocate()
        storage = grown
    }
}
