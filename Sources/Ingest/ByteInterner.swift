import CloudTrail

/// Interns byte strings to dense integer ids without allocating per lookup: an open-addressing table
/// over one byte arena.
struct ByteInterner {
    private struct Entry {
        var hash: UInt64
        var start: Int
        var count: Int
        /// For a pair, the length of its first part (a NUL in the parts cannot make two pairs equal).
        var first = 0
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
        let (slot, id) = probe(h) { $0.count == bytes.count && equals($0, bytes) }
        return id >= 0 ? id : insert(h, at: slot, bytes)
    }

    /// The id of the pair (`a`, `b`), stored as `a NUL b`. Hashed by parts, so that an interner holds
    /// either pairs or single strings, not both.
    mutating func intern(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Int32 {
        let h = (Self.hash(a) &* 0x9E37_79B9_7F4A_7C15) ^ Self.hash(b)
        let (slot, id) = probe(h) { $0.first == a.count && $0.count == a.count + 1 + b.count && equals($0, a, b) }
        return id >= 0 ? id : insert(h, at: slot, a, b)
    }

    /// The id of `bytes` if it was interned, else -1.
    func find(_ bytes: UnsafeRawBufferPointer) -> Int32 {
        probe(Self.hash(bytes)) { $0.count == bytes.count && equals($0, bytes) }.id
    }

    /// The slot of the entry of hash `h` that `same` accepts and its id, or the free slot where it goes and
    /// -1.
    @inline(__always)
    private func probe(_ h: UInt64, _ same: (Entry) -> Bool) -> (slot: Int, id: Int32) {
        var i = Int(truncatingIfNeeded: h) & mask
        while true {
            let id = slots[i]
            if id < 0 { return (i, -1) }
            let e = entries[Int(id)]
            if e.hash == h, same(e) { return (i, id) }
            i = (i + 1) & mask
        }
    }

    /// Adds the bytes of `a`, then a NUL and `b` when there is a `b`, at the free `slot`.
    private mutating func insert(
        _ h: UInt64, at slot: Int, _ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer? = nil
    ) -> Int32 {
        let id = Int32(entries.count)
        let start = arena.count
        arena.append(contentsOf: a)
        if let b {
            arena.append(0)
            arena.append(contentsOf: b)
        }
        entries.append(Entry(hash: h, start: start, count: arena.count - start, first: a.count))
        slots[slot] = id
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
        arena.withUnsafeBytes {
            UnsafeRawBufferPointer(rebasing: $0[e.start..<(e.start + e.count)]).hasSameBytes(as: bytes)
        }
    }

    /// Whether the parts of `e` are `a` and `b` (their lengths already checked).
    @inline(__always)
    private func equals(_ e: Entry, _ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
        arena.withUnsafeBytes { arena in
            let joint = e.start + a.count
            return UnsafeRawBufferPointer(rebasing: arena[e.start..<joint]).hasSameBytes(as: a)
                && UnsafeRawBufferPointer(rebasing: arena[(joint + 1)..<(e.start + e.count)]).hasSameBytes(as: b)
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
            return mix(h ^ tail)
        }
        @inline(__always) func round(_ h: UInt64, _ offset: Int) -> UInt64 {
            let x = (h ^ p.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) &* 0xFF51_AFD7_ED55_8CCD
            return x ^ (x >> 32)
        }
        // Two words a turn (fewer loop tests), the same rounds as one at a time.
        var i = 0
        while i &+ 16 < n {
            h = round(round(h, i), i &+ 8)
            i &+= 16
        }
        if i &+ 8 < n { h = round(h, i) }
        return mix(h ^ p.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self))
    }

    /// Spreads every bit of `h` over the low ones (which pick the slot): the last bytes of a name land in
    /// the high bits of its last word, and names often differ only there (`role-12`, `role-13`).
    @inline(__always)
    private static func mix(_ h: UInt64) -> UInt64 {
        var h = h
        h ^= h >> 33
        h = h &* 0xC4CE_B9FE_1A85_EC53
        h ^= h >> 29
        h = h &* 0xFF51_AFD7_ED55_8CCD
        return h ^ (h >> 32)
    }
}
