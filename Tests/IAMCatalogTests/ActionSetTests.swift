import IAMCatalog
import TestSupport
import Testing

@Suite struct ActionSetTests {
    /// The bitset behaves like `Set<UInt32>` under a fixed pseudo-random sequence of operations.
    @Test func agreesWithSetOfIds() {
        var generator = SplitMix64(seed: 42)
        var bits = ActionSet()
        var reference = Set<UInt32>()
        for _ in 0..<5_000 {
            let raw = UInt32(generator.next() % 700)
            let id = ActionID(rawValue: raw)
            switch generator.next() % 3 {
            case 0: #expect(bits.insert(id) == reference.insert(raw).inserted)
            case 1: #expect(bits.remove(id) == (reference.remove(raw) != nil))
            default: #expect(bits.contains(id) == reference.contains(raw))
            }
        }
        #expect(bits.map(\.rawValue) == reference.sorted())
        #expect(bits.count == reference.count)
        let other = ActionSet((0..<400).map { ActionID(rawValue: $0) })
        #expect(bits.union(other).map(\.rawValue) == reference.union(0..<400).sorted())
        #expect(bits.intersection(other).map(\.rawValue) == reference.intersection(0..<400).sorted())
        #expect(bits.subtracting(other).map(\.rawValue) == reference.subtracting(0..<400).sorted())
    }

    @Test func equalityIgnoresCapacity() {
        var grown = ActionSet([ActionID(rawValue: 3), ActionID(rawValue: 900)])
        grown.remove(ActionID(rawValue: 900))
        let small = ActionSet([ActionID(rawValue: 3)])
        #expect(grown == small)
        #expect(grown.hashValue == small.hashValue)
        #expect(ActionSet().isEmpty)
        #expect(!small.isEmpty)
    }
}
