import TestSupport
import Testing

@testable import UsageStore

@Suite struct IntTableTests {
    /// The table agrees with a dictionary through inserts, growth and filters: the kept entries stay in
    /// insertion order, each found at its position, the dropped ones gone, and later inserts land after them.
    @Test func agreesWithADictionaryThroughFilters() {
        var rng = SplitMix64(seed: 11)
        var table = IntTable<[Int]>(capacity: 4)
        var order: [IntTableKey] = []
        var reference: [UInt64: [Int]] = [:]
        func word(_ key: IntTableKey) -> UInt64 { key.a << 32 | key.b }
        for round in 0..<6 {
            for _ in 0..<700 {
                let key = IntTableKey(rng.next() % 300, rng.next() % 7)
                let k = table.index(key.a, key.b, default: [])
                if k == order.count { order.append(key) }
                table.values[k].append(round)
                reference[word(key), default: []].append(round)
            }
            // Values holding references: moved, not copied.
            let drop = rng.next() % 3
            table.filter { $0.count % 3 != drop }
            order = order.filter { reference[word($0)]!.count % 3 != drop }
            reference = reference.filter { $0.value.count % 3 != drop }
            #expect(table.count == order.count)
            for (k, key) in order.enumerated() {
                #expect(table.find(key.a, key.b) == k)
                #expect(table.values[k] == reference[word(key)])
                #expect(table.first[k] == key.a && table.second[k] == key.b)
            }
        }
        #expect(table.find(300, 0) == nil)
    }
}
