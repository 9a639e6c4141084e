import UsageStore

/// The tallies of events by signature (a key of two words, see `FileAggregator`): open addressing over one
/// array of entries holding the key and its tally side by side, of a fixed size that stays in the L2
/// cache. Its owner empties it into the batch's tables when it is full and at the end of a batch.
struct SignatureTable {
    struct Entry {
        var a: UInt64 = 0
        var b: UInt64 = 0
        /// A count of 0: a free slot.
        var tally = FileAggregator.Tally()
    }

    /// The slots: the keys of the entries whose tally counts events, the others free.
    private(set) var entries: [Entry]
    private(set) var count = 0
    /// Keys held at most (half the slots).
    let capacity: Int
    private let mask: Int

    init(capacity: Int) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        entries = Array(repeating: Entry(), count: size)
        mask = size - 1
        self.capacity = size / 2
    }

    var isFull: Bool { count >= capacity }

    /// Tallies an event of the key `(a, b)` at `second`. The table must not be full.
    @inline(__always)
    mutating func add(_ a: UInt64, _ b: UInt64, second: Int32) {
        var i = IntTable<FileAggregator.Tally>.hash(a, b) & mask
        while entries[i].tally.count > 0 {
            if entries[i].a == a && entries[i].b == b {
                entries[i].tally.add(second)
                return
            }
            i = (i + 1) & mask
        }
        entries[i] = Entry(a: a, b: b, tally: FileAggregator.Tally(count: 1, first: second, last: second))
        count += 1
    }

    /// Frees every slot.
    mutating func removeAll() {
        guard count > 0 else { return }
        for i in entries.indices { entries[i].tally.count = 0 }
        count = 0
    }
}
