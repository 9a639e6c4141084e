import TestSupport
import Testing

@testable import UsageStore

@Suite struct RadixSortTests {
    /// The radix sort gives the library's order, for words of any width (bytes all words share included).
    @Test(arguments: [0, 1, 2, 7, 8, 9, 33, 64])
    func radixSortIsTheLibrarysOrder(bits: Int) {
        var rng = SplitMix64(seed: UInt64(bits) + 1)
        for count in [0, 1, 2, 3, 255, 1000, 5000] {
            let mask = bits == 64 ? UInt64.max : (1 << UInt64(bits)) - 1
            var words = (0..<count).map { _ in rng.next() & mask }
            let expected = words.sorted()
            radixSort(&words, bits: bits)
            #expect(words == expected)
        }
    }

    /// Packed usage keys sort by `(a, b, c)` as the tuples do (days on both sides of 1970, whose words are
    /// far apart; ties keep their order); keys whose fields do not fit in a word are left as they are, for
    /// the tuple sort.
    @Test func packedKeysSortAsTheTuples() {
        var rng = SplitMix64(seed: 7)
        // (principals, names, days around 1970-01-01 or 2024-10-04, fits)
        for (principals, names, days, around, fits) in [
            (1, 1, 1, 20_000, true), (3, 5, 2, 20_000, true), (320, 900, 40, 20_000, true), (2, 3, 6, 0, true),
            (70_000, 70_000, 6, 0, false), (70_000, 70_000, 1, 20_000, false),
        ] {
            for count in [1, 2, 3000] {
                check(count, principals, names, days, around, fits || count == 1)
            }
        }
        func check(_ count: Int, _ principals: Int, _ names: Int, _ days: Int, _ around: Int, _ fits: Bool) {
            var keys: [BackgroundRows.Key] = (0..<count).map { k in
                let p = rng.next() % UInt64(principals)
                let action = rng.next() % UInt64(names)
                let day = dayWord(Int64(around) - Int64(days / 2) + Int64(rng.next() % UInt64(days)))
                let (source, event) = (rng.next() % UInt64(names), rng.next() % UInt64(names))
                return (p << 32 | action, day, source << 32 | event, (k * 7919) % count)
            }
            let unsorted = keys
            // By (a, b, c), ties in their order (usage keys have none: the writer's are unique).
            let expected = keys.indices.sorted {
                (keys[$0].0, keys[$0].1, keys[$0].2, $0) < (keys[$1].0, keys[$1].1, keys[$1].2, $1)
            }.map { keys[$0] }
            #expect(sortPacked(&keys, principals: principals, names: names) == fits)
            let wanted = fits ? expected : unsorted
            #expect(keys.map(\.0) == wanted.map(\.0))
            #expect(keys.map(\.1) == wanted.map(\.1))
            #expect(keys.map(\.2) == wanted.map(\.2))
            #expect(keys.map(\.3) == wanted.map(\.3))
        }
    }
}
