#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The resources one principal used with one action, kept as a bounded *cover* (DESIGN.md "The usage
/// store"): up to ``UsageStore/resourceCoverSize`` exact ARNs; past that, exact ARNs and *folded*
/// prefixes at path boundaries, at most ``UsageStore/resourceCoverSize`` entries in all, such that every
/// ARN seen is one of the exact ones or starts with a folded prefix.
///
/// The ARNs form a tree: the root of everything (`""`), under it each ARN head
/// `arn:partition:service:region:account:`, then one level per `/` of the resource part (`bucket/`,
/// `bucket/reports/`, …); an ARN hangs under the deepest of these that is a prefix of it. Past the bound,
/// a node *folds* (its ARNs become one entry, the node, read `node*`) when the product of the numbers of
/// children of the nodes on its path from the root, itself included, exceeds the bound; the highest such
/// nodes fold. Adding ARNs only makes these products grow, and any cover that still shows a node shows all
/// its children, so whether a node folds depends only on the set of ARNs seen: folding the ARNs in any
/// order, or folding parts of the set (threads, batches, the store) and then their covers together, gives
/// the same cover. And every entry left stands for at least 1/bound of the tree (its parent's product is
/// within the bound), so at most `bound` remain. A folded head (`arn:aws:s3:::`) or root (`""`) means more
/// distinct buckets or resources than a cover of that size can name.
package struct ResourceCover: Sendable {
    package struct Entry: Sendable, Equatable {
        /// An ARN, or for a folded entry the prefix every ARN it stands for starts with.
        package fileprivate(set) var bytes: [UInt8]
        /// The UTC days the entry's ARNs were first and last seen.
        package var first: Int32
        package var last: Int32
        /// ``ResourceCover/key(_:)`` of an exact entry's bytes once its cover is `keyed`: an exact ARN is
        /// looked for among the entries by it, without reading their bytes (each in its own allocation) until
        /// one matches. (Set by ``ResourceCover/add(_:day:admit:)`` only: covers merged from stored rows
        /// never look for an ARN.)
        fileprivate var key: UInt32 = 0
        package var folded: Bool
        /// Entered, folded or widened since ``markHandedOver()``.
        package var changed: Bool

        package init(bytes: [UInt8], folded: Bool, first: Int32, last: Int32, changed: Bool = true) {
            self.bytes = bytes
            self.folded = folded
            self.first = first
            self.last = last
            self.changed = changed
        }

        package static func == (a: Entry, b: Entry) -> Bool {
            a.bytes == b.bytes && a.folded == b.folded && a.first == b.first && a.last == b.last
                && a.changed == b.changed
        }
    }

    /// Sorted by bytes; no entry is under a folded one.
    package private(set) var entries: [Entry] = []
    private var hasFolded = false
    /// Entries were merged in without sorting or folding.
    private var pending = false
    /// The exact entries have their keys (not those merged in since).
    private var keyed = true

    package init() {}

    /// Adds the ARN `arn`, seen on `day`; `true` when the cover changed (an entry entered or widened).
    /// An ARN no entry covers enters only if `admit` accepts it (asked only then: it may be costly).
    @discardableResult
    package mutating func add(
        _ arn: UnsafeRawBufferPointer, day: Int32, admit: (UnsafeRawBufferPointer) -> Bool = { _ in true }
    ) -> Bool {
        if pending { fold() }
        if !keyed {
            for i in entries.indices where !entries[i].folded {
                entries[i].key = entries[i].bytes.withUnsafeBytes { Self.key($0) }
            }
            keyed = true
        }
        // The entry that covers `arn`: an equal exact one (found by key, without reading the bytes of the
        // others, each in its own allocation) or a folded prefix (no entry is under a folded one: at most
        // one covers it).
        let key = Self.key(arn)
        let covering = entries.withUnsafeBufferPointer { entries in
            entries.firstIndex { entry in
                entry.folded
                    ? Self.isPrefix(entry.bytes, of: arn)
                    : entry.key == key && Self.compare(entry.bytes, arn) == 0
            }
        }
        if let covering { return widen(covering, day, day) }
        guard admit(arn) else { return false }
        // Room for a few entries at once: most covers that take a second ARN take more.
        if entries.isEmpty { entries.reserveCapacity(4) }
        var entry = Entry(bytes: Self.bytes(arn), folded: false, first: day, last: day)
        entry.key = key
        // Appended, then moved into place (cheaper than the generic `insert(_:at:)`).
        let position = insertion(arn)
        entries.append(entry)
        entries.withUnsafeMutableBufferPointer { entries in
            var i = entries.count - 1
            while i > position {
                entries.swapAt(i, i - 1)
                i -= 1
            }
        }
        if hasFolded || entries.count > UsageStore.resourceCoverSize { fold() }
        return true
    }

    /// The position of the first entry after `arn`: the one before it is the only one that can cover it.
    private func insertion(_ arn: UnsafeRawBufferPointer) -> Int {
        var index = 0
        var end = entries.count
        while index < end {
            let middle = (index + end) / 2
            if Self.compare(entries[middle].bytes, arn) <= 0 { index = middle + 1 } else { end = middle }
        }
        return index
    }

    /// A copy of the bytes of `arn` (typed, so that the copy is a `memcpy`: `Array(_:)` of raw bytes
    /// takes the generic path).
    private static func bytes(_ arn: UnsafeRawBufferPointer) -> [UInt8] {
        Array(arn.assumingMemoryBound(to: UInt8.self))
    }

    /// A 32-bit digest of an ARN's length and last 16 bytes (where the ARNs of a cover mostly differ).
    fileprivate static func key(_ arn: UnsafeRawBufferPointer) -> UInt32 {
        let n = arn.count
        var h = UInt64(n) &* 0x9E37_79B9_7F4A_7C15
        if n >= 16 {
            h ^= arn.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self) &* 0xC2B2_AE3D_27D4_EB4F
            h ^= arn.loadUnaligned(fromByteOffset: n - 16, as: UInt64.self) &* 0x1656_67B1_9E37_79F9
        } else {
            for byte in arn { h = (h ^ UInt64(byte)) &* 0x100_0000_01B3 }
        }
        return UInt32(truncatingIfNeeded: (h ^ (h >> 29)) >> 16)
    }

    /// Adds an entry of another cover (or a stored row); ``fold()`` restores the invariants.
    package mutating func merge(_ entry: Entry) {
        entries.append(entry)
        pending = true
        keyed = false
    }

    /// Entries were merged since the last ``fold()``.
    package var needsFold: Bool { pending }

    /// Forgets which entries changed.
    package mutating func markHandedOver() {
        for i in entries.indices { entries[i].changed = false }
    }

    /// Sorts, drops what a folded entry covers, and folds past the bound.
    package mutating func fold() {
        if pending { normalize() }
        pending = false
        hasFolded = entries.contains { $0.folded }
        guard hasFolded || entries.count > UsageStore.resourceCoverSize else { return }
        var children: [Child] = []
        children.reserveCapacity(2 * entries.count)
        let kept = entries.withUnsafeMutableBufferPointer { entries in
            var kept = 0
            Self.visit(entries, 0..<entries.count, depth: 0, prefix: 0, product: 1, kept: &kept, children: &children)
            return kept
        }
        entries.removeSubrange(kept...)
        hasFolded = entries.contains { $0.folded }
    }

    /// A child of a node during ``fold()``: its entries, and the end of its bytes (`nil` for a leaf).
    private typealias Child = (range: Range<Int>, end: Int?)
    private mutating func widen(_ index: Int, _ first: Int32, _ last: Int32) -> Bool {
        guard first < entries[index].first || last > entries[index].last else { return false }
        entries[index].first = min(entries[index].first, first)
        entries[index].last = max(entries[index].last, last)
        entries[index].changed = true
        return true
    }

    /// Sorted by bytes (a folded entry before an exact one with the same bytes), equal exact entries and
    /// everything under a folded one merged into it.
    private mutating func normalize() {
        entries.sort { a, b in
            let order = a.bytes.withUnsafeBytes { Self.compare(b.bytes, $0) }
            return order > 0 || (order == 0 && a.folded && !b.folded)
        }
        // In place: `kept` entries stay, each absorbing those after it that it covers.
        let kept = entries.withUnsafeMutableBufferPointer { entries -> Int in
            var kept = 0
            for i in entries.indices {
                if kept > 0 {
                    let last = entries[kept - 1]
                    let entry = entries[i]
                    if last.folded
                        ? Self.isPrefix(last.bytes, of: entry.bytes)
                        : !entry.folded && last.bytes == entry.bytes
                    {
                        let widened = entry.first < last.first || entry.last > last.last
                        entries[kept - 1].first = min(last.first, entry.first)
                        entries[kept - 1].last = max(last.last, entry.last)
                        entries[kept - 1].changed = last.changed || widened
                        continue
                    }
                }
                if i != kept { entries.swapAt(kept, i) }
                kept += 1
            }
            return kept
        }
        entries.removeSubrange(kept...)
    }

    /// Moves the cover of `entries[range]` to `entries[kept...]` (in place: `kept` never passes the entries
    /// still to read), the entries under the node made of their first `prefix` bytes, at `depth` (0 the
    /// root, 1 an ARN head), whose ancestors' children multiply to `product`. `children` is scratch space
    /// shared by the levels (each appends its own children past those of its ancestors).
    private static func visit(
        _ entries: UnsafeMutableBufferPointer<Entry>, _ range: Range<Int>, depth: Int, prefix: Int, product: Int,
        kept: inout Int, children: inout [Child]
    ) {
        // The children: runs of entries that share their bytes up to the next boundary; an entry without
        // a further boundary is a child (a leaf) of its own.
        let base = children.count
        defer { children.removeLast(children.count - base) }
        var i = range.lowerBound
        while i < range.upperBound {
            guard let end = boundary(entries[i].bytes, after: prefix, depth: depth) else {
                children.append(((i..<(i + 1)), nil))
                i += 1
                continue
            }
            var j = i + 1
            while j < range.upperBound, entries[j].bytes.count >= end,
                samePrefix(entries[i].bytes, entries[j].bytes, end)
            {
                j += 1
            }
            children.append((i..<j, end))
            i = j
        }
        let weight = product * (children.count - base)
        if weight > UsageStore.resourceCoverSize {
            var first = Int32.max
            var last = Int32.min
            for k in range {
                first = min(first, entries[k].first)
                last = max(last, entries[k].last)
            }
            let head = entries[range.lowerBound].bytes
            entries[kept] = Entry(
                bytes: head.count == prefix ? head : Array(head.prefix(prefix)), folded: true, first: first, last: last)
            kept += 1
            return
        }
        for c in base..<children.count {
            let child = children[c]
            // A single entry under a child keeps the product (its chain has one child per level): it stays.
            if let end = child.end, child.range.count > 1 {
                visit(
                    entries, child.range, depth: depth + 1, prefix: end, product: weight, kept: &kept,
                    children: &children)
            } else {
                for k in child.range {
                    if k != kept { entries.swapAt(kept, k) }
                    kept += 1
                }
            }
        }
    }

    /// The end of the child of the node of the first `prefix` bytes that `bytes` lies under: past the fifth
    /// `:` under the root, past the next `/` below; `nil` when `bytes` is a leaf of that node.
    private static func boundary(_ bytes: [UInt8], after prefix: Int, depth: Int) -> Int? {
        bytes.withUnsafeBytes { bytes in
            guard let base = bytes.baseAddress, prefix < bytes.count else { return nil }
            var start = prefix
            for _ in 0..<(depth == 0 ? 5 : 1) {
                guard
                    let found = memchr(
                        base + start, Int32(depth == 0 ? UInt8(ascii: ":") : UInt8(ascii: "/")), bytes.count - start)
                else { return nil }
                start = base.distance(to: UnsafeRawPointer(found)) + 1
            }
            return start
        }
    }

    /// Byte order of `a` and `b`: negative, zero or positive.
    private static func compare(_ a: [UInt8], _ b: UnsafeRawBufferPointer) -> Int32 {
        a.withUnsafeBytes { a in
            if let pa = a.baseAddress, let pb = b.baseAddress {
                let order = memcmp(pa, pb, min(a.count, b.count))
                if order != 0 { return order }
            }
            return a.count == b.count ? 0 : a.count < b.count ? -1 : 1
        }
    }

    /// Whether the first `count` bytes of `a` and `b` (both at least that long) are equal.
    private static func samePrefix(_ a: [UInt8], _ b: UnsafeRawBufferPointer, _ count: Int) -> Bool {
        guard count > 0 else { return true }
        return a.withUnsafeBytes { a in
            guard let pa = a.baseAddress, let pb = b.baseAddress else { return false }
            return memcmp(pa, pb, count) == 0
        }
    }

    /// Whether `bytes` starts with `prefix` (what a folded entry covers).
    private static func isPrefix(_ prefix: [UInt8], of bytes: UnsafeRawBufferPointer) -> Bool {
        bytes.count >= prefix.count && samePrefix(prefix, bytes, prefix.count)
    }

    private static func isPrefix(_ prefix: [UInt8], of bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { isPrefix(prefix, of: $0) }
    }

    private static func samePrefix(_ a: [UInt8], _ b: [UInt8], _ count: Int) -> Bool {
        b.withUnsafeBytes { samePrefix(a, $0, count) }
    }
}
