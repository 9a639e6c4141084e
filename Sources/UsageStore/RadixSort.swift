/// Sorts `words` in increasing order, looking at their low `bits` bits only (the others must be 0): a
/// least-significant-digit radix sort, a byte per pass, which skips the bytes all words share. About three
/// times as fast as the library's sort for the hundred thousand keys of a large batch.
func radixSort(_ words: inout [UInt64], bits: Int) {
    guard words.count > 1 else { return }
    var scratch = [UInt64](repeating: 0, count: words.count)
    var inScratch = false
    words.withUnsafeMutableBufferPointer { words in
        scratch.withUnsafeMutableBufferPointer { scratch in
            var (from, to) = (words, scratch)
            var counts = [Int](repeating: 0, count: 257)
            for shift in stride(from: 0, to: bits, by: 8) {
                for b in counts.indices { counts[b] = 0 }
                for w in from { counts[Int(truncatingIfNeeded: w >> UInt64(shift)) & 0xFF + 1] += 1 }
                // A byte all the words share leaves their order as it is.
                if counts.contains(from.count) { continue }
                for b in 0..<256 { counts[b + 1] += counts[b] }
                for w in from {
                    let b = Int(truncatingIfNeeded: w >> UInt64(shift)) & 0xFF
                    to[counts[b]] = w
                    counts[b] += 1
                }
                swap(&from, &to)
                inScratch.toggle()
            }
        }
    }
    if inScratch { words = scratch }
}
