#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Interns byte strings to dense integer ids without allocating per lookup: an open-addressing table
/// over one byte arena.
struct ByteInterner {
    private struct Entry {
        var hash: UInt64
        var start: Int
        var count: Int
    }

    private var arena: [UInt8] = []
    private var entries: [Entry] = []
    /// Entry ids, -1 for a free slot.
    private var slots: [Int32]
    private var mask: Int

    init(capacity: Int = 1024) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = Array(repeating: -1, count: size)
        mask = size - 1
    }

    var count: Int { entries.count }

    mutating func intern(_ bytes: UnsafeRawBufferPointer) -> Int32 {
        let h = Self.hash(bytes)
        var i = Int(truncatingIfNeeded: h) & mask
        while true {
            let id = slots[i]
            if id < 0 { break }
            let e = entries[Int(id)]
            if e.hash == h, e.count == bytes.count, equals(e, bytes) { return id }
            i = (i + 1) & mask
        }
        let id = Int32(entries.count)
        entries.append(Entry(hash: h, start: arena.count, count: bytes.count))
        arena.append(contentsOf: bytes)
        slots[i] = id
        if entries.count * 2 > slots.count { grow() }
        return id
    }

    mutating func intern(_ string: String) -> Int32 {
        var string = string
        return string.withUTF8 { intern(UnsafeRawBufferPointer($0)) }
    }

    /// Whether the string of `id` is `bytes`: cheaper than interning when the id is a good guess.
    @inline(__always)
    func hasBytes(_ id: Int32, _ bytes: UnsafeRawBufferPointer) -> Bool {
        let e = entries[Int(id)]
        return e.count == bytes.count && equals(e, bytes)
    }

    func string(_ id: Int32) -> String {
        let e = entries[Int(id)]
        return String(decoding: arena[e.start..<(e.start + e.count)], as: UTF8.self)
    }

    @inline(__always)
    private func equals(_ e: Entry, _ bytes: UnsafeRawBufferPointer) -> Bool {
        arena.withUnsafeBytes { a in
            guard let base = a.baseAddress, let other = bytes.baseAddress else { return bytes.isEmpty }
            return memcmp(base + e.start, other, e.count) == 0
        }
    }

    private mutating func grow() {
        let size = slots.count * 2
        slots = Array(repeating: -1, count: size)
        mask = size - 1
        for (id, e) in entries.enumerated() {
            var i = Int(truncatingIfNeeded: e.hash) & mask
            while slots[i] >= 0 { i = (i + 1) & mask }
            slots[i] = Int32(id)
        }
    }

    /// A fast 64-bit hash, eight bytes at a time (the last word overlapping when the length is not a
    /// multiple of eight).
    @inline(__always)
    static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        let n = bytes.count
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(n)
        guard let p = bytes.baseAddress else { return h }
        if n < 8 {
            var tail: UInt64 = 0
            var i = 0
            while i < n {
                tail |= UInt64(p.load(fromByteOffset: i, as: UInt8.self)) << (8 * UInt64(i))
                i += 1
            }
            h = (h ^ tail) &* 0xC4CE_B9FE_1A85_EC53
            return h ^ (h >> 29)
        }
        var i = 0
        while i + 8 < n {
            h = (h ^ p.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0xFF51_AFD7_ED55_8CCD
            h ^= h >> 32
            i += 8
        }
        h = (h ^ p.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)) &* 0xC4CE_B9FE_1A85_EC53
        return h ^ (h >> 29)
    }
}
