/// A set of catalog actions as a bitset over dense `ActionID`s.
///
/// Sets from the same catalog combine with the usual set algebra; iteration is in id order. The
/// complement needs the universe, so it lives on `ActionCatalog` (`complement(of:)`).
public struct ActionSet: Sendable, Hashable, Sequence, CustomStringConvertible {
    private var words: [UInt64]

    /// An empty set.
    public init() { words = [] }

    /// The set of `ids`.
    public init<S: Sequence>(_ ids: S) where S.Element == ActionID {
        words = []
        for id in ids { insert(id) }
    }

    /// Every id below `count` (the whole catalog when `count` is its size).
    init(allBelow count: Int) {
        words = [UInt64](repeating: ~0, count: (count + 63) / 64)
        if count % 64 != 0 { words[words.count - 1] = (1 << UInt64(count % 64)) - 1 }
    }

    /// Ids in `range`.
    init(range: Range<Int>) {
        words = [UInt64](repeating: 0, count: (range.upperBound + 63) / 64)
        for index in range { words[index >> 6] |= 1 << UInt64(index & 63) }
    }

    public var isEmpty: Bool { words.allSatisfy { $0 == 0 } }

    public var count: Int { words.reduce(0) { $0 + $1.nonzeroBitCount } }

    public func contains(_ id: ActionID) -> Bool {
        let word = id.index >> 6
        return word < words.count && words[word] & (1 << UInt64(id.index & 63)) != 0
    }

    /// Adds `id`; returns whether it was new.
    @discardableResult
    public mutating func insert(_ id: ActionID) -> Bool {
        let word = id.index >> 6
        if word >= words.count { words.append(contentsOf: repeatElement(0, count: word + 1 - words.count)) }
        let bit: UInt64 = 1 << UInt64(id.index & 63)
        let isNew = words[word] & bit == 0
        words[word] |= bit
        return isNew
    }

    /// Removes `id`; returns whether it was present.
    @discardableResult
    public mutating func remove(_ id: ActionID) -> Bool {
        let word = id.index >> 6
        guard word < words.count else { return false }
        let bit: UInt64 = 1 << UInt64(id.index & 63)
        let wasPresent = words[word] & bit != 0
        words[word] &= ~bit
        return wasPresent
    }

    public mutating func formUnion(_ other: ActionSet) {
        if other.words.count > words.count {
            words.append(contentsOf: repeatElement(0, count: other.words.count - words.count))
        }
        for index in other.words.indices { words[index] |= other.words[index] }
    }

    public mutating func formIntersection(_ other: ActionSet) {
        for index in words.indices { words[index] &= index < other.words.count ? other.words[index] : 0 }
    }

    public mutating func subtract(_ other: ActionSet) {
        for index in words.indices where index < other.words.count { words[index] &= ~other.words[index] }
    }

    public func union(_ other: ActionSet) -> ActionSet {
        var result = self
        result.formUnion(other)
        return result
    }

    public func intersection(_ other: ActionSet) -> ActionSet {
        var result = self
        result.formIntersection(other)
        return result
    }

    public func subtracting(_ other: ActionSet) -> ActionSet {
        var result = self
        result.subtract(other)
        return result
    }

    public func isSubset(of other: ActionSet) -> Bool { subtracting(other).isEmpty }

    public func isDisjoint(with other: ActionSet) -> Bool { intersection(other).isEmpty }

    public static func == (lhs: ActionSet, rhs: ActionSet) -> Bool {
        let common = Swift.min(lhs.words.count, rhs.words.count)
        for index in 0..<common where lhs.words[index] != rhs.words[index] { return false }
        return lhs.words[common...].allSatisfy { $0 == 0 } && rhs.words[common...].allSatisfy { $0 == 0 }
    }

    public func hash(into hasher: inout Hasher) {
        var end = words.count
        while end > 0, words[end - 1] == 0 { end -= 1 }
        for index in 0..<end { hasher.combine(words[index]) }
    }

    public var description: String { "ActionSet(\(count) actions)" }

    public func makeIterator() -> Iterator { Iterator(words: words) }

    /// Ids in ascending order.
    public struct Iterator: IteratorProtocol {
        let words: [UInt64]
        var word = 0
        var current: UInt64

        init(words: [UInt64]) {
            self.words = words
            current = words.first ?? 0
        }

        public mutating func next() -> ActionID? {
            while current == 0 {
                word += 1
                guard word < words.count else { return nil }
                current = words[word]
            }
            let bit = current.trailingZeroBitCount
            current &= current - 1
            return ActionID(word << 6 | bit)
        }
    }
}
