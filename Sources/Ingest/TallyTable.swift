import UsageStore

/// Tallies by a key of two words, in insertion order: open addressing over one array of entries that hold
/// the key and its tally side by side (32 bytes), so that a lookup reads one cache line. (The batch's
/// tables hold tens of thousands of keys, beyond the caches; an ``IntTable`` reads a slot, then its key
/// and value in two other arrays.)
struct TallyTable {
    struct Entry {
        var a: UInt64 = 0
        var b: UInt64 = 0
        /// A count of 0: a free slot.
        var tally = FileAggregator.Tally()
    }

    /// The slots, at most half of them used.
    private var entries: [Entry]
    /// The slots of the keys, in insertion order.
    private var order: [Int32] = []
    private var mask: Int

    init(capacity: Int = 64) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        entries = Array(repeating: Entry(), count: size)
        mask = size - 1
    }

    var count: Int { order.count }

    /// The key and tally of the `k`-th key added.
    subscript(_ k: Int) -> Entry { entries[Int(order[k])] }

    /// Adds an event of the key `(a, b)` at `second`.
    @inline(__always)
    mutating func add(_ a: UInt64, _ b: UInt64, second: Int32) {
        add(a, b, FileAggregator.Tally(count: 1, first: second, last: second))
    }

    /// Adds the events of `tally` to the key `(a, b)`.
    @inline(__always)
    mutating func add(_ a: UInt64, _ b: UInt64, _ tally: FileAggregator.Tally) {
        var i = IntTable<FileAggregator.Tally>.hash(a, b) & mask
        while entries[i].tally.count > 0 {
            if entries[i].a == a && entries[i].b == b {
                entries[i].tally.add(tally)
                return
            }
            i = (i + 1) & mask
        }
        entries[i] = Entry(a: a, b: b, tally: tally)
        order.append(Int32(i))
        if order.count * 2 > entries.count { grow() }
    }

    /// Starts loading the slot of the key `(a, b)` into the cache, for an ``add(_:_:_:)`` of it that follows
    /// soon.
    @inline(__always)
    func prefetch(_ a: UInt64, _ b: UInt64) {
        entries.withUnsafeBufferPointer { entries in
            if let base = entries.baseAddress {
                prefetchLine(base + (IntTable<FileAggregator.Tally>.hash(a, b) & mask))
            }
        }
    }

    /// Forgets every key, keeping the storage.
    mutating func removeAll() {
        for slot in order { entries[Int(slot)].tally.count = 0 }
        order.removeAll(keepingCapacity: true)
    }

    private mutating func grow() {
        let old = entries
        let added = order
        entries = Array(repeating: Entry(), count: old.count * 2)
        mask = entries.count - 1
        order.removeAll(keepingCapacity: true)
        for slot in added {
            let entry = old[Int(slot)]
            var i = IntTable<FileAggregator.Tally>.hash(entry.a, entry.b) & mask
            while entries[i].tally.count > 0 { i = (i + 1) & mask }
            entries[i] = entry
            order.append(Int32(i))
        }
    }
}
