import CStoreRows

/// A key of an ``IntTable``, its two words side by side: a hit reads one cache line for both. (Outside
/// the generic table, so that its unspecialized code does not look up the layout of a generic type.)
@usableFromInline struct IntTableKey: Sendable {
    @usableFromInline var a: UInt64
    @usableFromInline var b: UInt64

    @inlinable init(_ a: UInt64, _ b: UInt64) {
        self.a = a
        self.b = b
    }
}

/// The first or second words of the keys of an ``IntTable``, by entry position.
public struct IntTableKeyWords: Sendable {
    @usableFromInline let keys: [IntTableKey]
    @usableFromInline let second: Bool

    @inlinable init(_ keys: [IntTableKey], second: Bool) {
        self.keys = keys
        self.second = second
    }

    @inlinable public subscript(_ k: Int) -> UInt64 { second ? keys[k].b : keys[k].a }
}

/// An open-addressing hash table from a key of two 64-bit words to a value, with entries in insertion
/// order: the aggregator's per-event tallies without Swift's `Hasher` and per-lookup allocations.
///
/// Not API: `public` and `@inlinable` only because this toolchain inlines and specializes generic
/// code across modules for public declarations, not for `package` ones (unspecialized, a lookup from
/// the Ingest target cost about 230 instructions instead of a few dozen).
public struct IntTable<Value> {
    @usableFromInline var keys: [IntTableKey] = []
    /// The first words of the keys, by entry position.
    @inlinable public var first: IntTableKeyWords { IntTableKeyWords(keys, second: false) }
    /// The second words of the keys, by entry position.
    @inlinable public var second: IntTableKeyWords { IntTableKeyWords(keys, second: true) }
    /// The values, in insertion order; ``index(_:_:default:)`` gives the position of a key.
    @usableFromInline package var values: [Value] = []
    /// Per slot, 0 when free, else the entry position plus one in the low half and the high half of the
    /// key's hash in the high half: a probe compares keys only when the hashes agree (8 bytes a slot).
    @usableFromInline var slots: [UInt64]
    @usableFromInline var mask: Int

    package init(capacity: Int = 64) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = Array(repeating: 0, count: size)
        mask = size - 1
    }

    @inlinable public var count: Int { values.count }

    /// The position of the key `(a, b)` in ``values``, inserting `value` first when it is absent.
    @inlinable @inline(__always)
    public mutating func index(_ a: UInt64, _ b: UInt64, default value: @autoclosure () -> Value) -> Int {
        let (found, slot, tag) = probe(a, b)
        return found ?? insert(a, b, value(), tag: tag, at: slot)
    }

    /// The position of the key `(a, b)` if present, else the free slot where it goes; and its hash tag.
    @inlinable @inline(__always)
    func probe(_ a: UInt64, _ b: UInt64) -> (found: Int?, slot: Int, tag: UInt64) {
        let h = Self.hash(a, b)
        let tag = Self.tag(h)
        var i = h & mask
        while true {
            let slot = slots[i]
            if slot == 0 { return (nil, i, tag) }
            if slot & Self.tagBits == tag {
                let k = Int(truncatingIfNeeded: slot & ~Self.tagBits) - 1
                if keys[k].a == a && keys[k].b == b { return (k, i, tag) }
            }
            i = (i + 1) & mask
        }
    }

    /// The high half of a slot: the high half of its key's hash.
    @usableFromInline static var tagBits: UInt64 { 0xFFFF_FFFF_0000_0000 }

    /// The tag of a hash, as a slot holds it.
    @inlinable @inline(__always)
    static func tag(_ h: Int) -> UInt64 { UInt64(truncatingIfNeeded: h) & tagBits }

    @inlinable
    mutating func insert(_ a: UInt64, _ b: UInt64, _ value: Value, tag: UInt64, at i: Int) -> Int {
        let k = values.count
        keys.append(IntTableKey(a, b))
        values.append(value)
        slots[i] = tag | UInt64(k + 1)
        if values.count * 2 > slots.count { grow() }
        return k
    }

    /// Starts loading the slot of the key `(a, b)` into the cache, for a lookup of it that follows soon.
    @inlinable @inline(__always)
    public func prefetch(_ a: UInt64, _ b: UInt64) {
        slots.withUnsafeBufferPointer { slots in
            if let base = slots.baseAddress { prefetchLine(base + (Self.hash(a, b) & mask)) }
        }
    }

    /// The position of the key `(a, b)`, if present.
    @inlinable
    public func find(_ a: UInt64, _ b: UInt64) -> Int? { probe(a, b).found }

    /// Forgets every entry, keeping the storage.
    package mutating func removeAll() {
        guard !values.isEmpty else { return }
        keys.removeAll(keepingCapacity: true)
        values.removeAll(keepingCapacity: true)
        for i in slots.indices { slots[i] = 0 }
    }

    /// Keeps the entries for which `keep` is true, in order: moved to the front in place (not copied, which
    /// for values holding references retained and released each), then the slots rebuilt.
    package mutating func filter(_ keep: (Value) -> Bool) {
        var kept = 0
        for k in values.indices where keep(values[k]) {
            if k != kept {
                values.swapAt(k, kept)
                keys.swapAt(k, kept)
            }
            kept += 1
        }
        values.removeSubrange(kept...)
        keys.removeSubrange(kept...)
        rehash(size: slots.count)
    }

    @inlinable
    mutating func grow() { rehash(size: slots.count * 2) }

    /// Rebuilds the slots, `size` of them, for the keys.
    @usableFromInline
    mutating func rehash(size: Int) {
        slots = Array(repeating: 0, count: size)
        mask = size - 1
        for k in keys.indices {
            let h = Self.hash(keys[k].a, keys[k].b)
            var i = h & mask
            while slots[i] != 0 { i = (i + 1) & mask }
            slots[i] = Self.tag(h) | UInt64(k + 1)
        }
    }

    /// The hash of the key `(a, b)`: its low bits pick a slot.
    @inlinable @inline(__always)
    public static func hash(_ a: UInt64, _ b: UInt64) -> Int {
        var h = (a &* 0x9E37_79B9_7F4A_7C15) ^ (b &* 0xC2B2_AE3D_27D4_EB4F)
        h ^= h >> 29
        h = h &* 0xBF58_476D_1CE4_E5B9
        h ^= h >> 32
        return Int(truncatingIfNeeded: h)
    }
}

/// Starts loading the cache line at `address` (a hint: it never faults): for hash tables probed at random
/// whose next probes are known ahead.
@inlinable @inline(__always)
public func prefetchLine(_ address: UnsafeRawPointer) { pare_prefetch(address) }

/// Two 32-bit ids in one key word.
@inlinable @inline(__always)
public func pack(_ a: Int32, _ b: Int32) -> UInt64 {
    UInt64(UInt32(bitPattern: a)) << 32 | UInt64(UInt32(bitPattern: b))
}

/// The ids of a packed key word.
@inlinable @inline(__always)
public func unpack(_ w: UInt64) -> (Int32, Int32) {
    (Int32(bitPattern: UInt32(truncatingIfNeeded: w >> 32)), Int32(bitPattern: UInt32(truncatingIfNeeded: w)))
}

extension IntTable: Sendable where Value: Sendable {}

/// A UTC day number as a key word (days fit in 32 bits).
@inlinable @inline(__always)
public func dayWord(_ day: Int64) -> UInt64 {
    UInt64(UInt32(bitPattern: Int32(truncatingIfNeeded: day)))
}

/// The day of a key word made by ``dayWord(_:)`` (or the low half of a ``pack(_:_:)``).
@inlinable @inline(__always)
public func day(of w: UInt64) -> Int64 {
    Int64(Int32(bitPattern: UInt32(truncatingIfNeeded: w)))
}
