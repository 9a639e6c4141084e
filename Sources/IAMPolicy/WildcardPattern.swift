#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An IAM wildcard pattern (`*` matches any run of characters, `?` exactly one), compiled to bytes and
/// matched without regular expressions in time linear in the candidate.
///
/// The pattern is cut at its `*`s into segments of literal bytes and `?`s. The first segment is matched at
/// the start of the candidate, the last one backwards from its end, and each segment between them at its
/// earliest-ending occurrence after the previous one (taking the earliest is never worse: what follows a
/// `*` may start anywhere later). Such a search is Knuth–Morris–Pratt for a segment without `?` and
/// bit-parallel Shift-And for one with `?` (KMP tables are built with the pattern, Shift-And's per match on
/// the stack, `O(s)` for a segment of `s` bytes), so a candidate of `n` bytes costs `O(n)` steps, and
/// `O(n × ⌈s/64⌉)` for a segment of `s > 64` bytes holding a `?` (see ``steps(toMatch:)``). Patterns
/// without a wildcard and with a single trailing `*` have their own fast paths.
///
/// Actions match case-insensitively (`S3:getobject` is `s3:GetObject`), ARNs case-sensitively; only ASCII
/// letters fold. A `?` matches one character: a byte that is not a UTF-8 continuation byte and the
/// continuation bytes after it (`?` matches `é`, two bytes).
public struct WildcardPattern: Sendable, Hashable, CustomStringConvertible {
    /// A piece of a pattern built from parts (policy variables): text whose `*`/`?` are wildcards, or text
    /// matched literally (what `${*}` and `${?}` stand for, or a substituted variable value).
    public enum Piece: Sendable, Hashable {
        case pattern(String)
        case literal(String)
    }

    /// The pattern as written (pieces concatenated).
    public let text: String
    /// Whether letters match regardless of case (ASCII folding).
    public let caseInsensitive: Bool
    /// The pattern's bytes, folded when matching case-insensitively.
    private let bytes: [UInt8]
    /// `literal[i]` is true when `bytes[i]` is a `*` or `?` to match literally; empty when there is none.
    private let literal: [Bool]
    /// The first and last wildcard `*` (``Shape/general`` only): the first segment ends at one, the last
    /// starts after the other.
    private let firstStar: Int
    private let lastStar: Int
    /// Between the first and last `*` (when there are more than one): `-2` at each `*`, and for each
    /// segment between two of them its KMP failure links (`[j]`: the length of the longest proper border of
    /// `segment[...j]`), or `-1` at its start when it holds a `?` (searched with Shift-And, whose table is
    /// built per match). Empty otherwise.
    private let searchTable: [Int32]
    private let shape: Shape

    private enum Shape: Hashable {
        /// No wildcard: byte equality.
        case exact
        /// One `*`, at the end: a prefix test.
        case prefix
        /// `?` but no `*`: one segment matched at both ends.
        case anchored
        /// At least one `*`.
        case general
    }

    /// Compiles `text`; `caseInsensitive` is `true` for actions and `false` for ARNs.
    public init(_ text: String, caseInsensitive: Bool) {
        self.init(pieces: [.pattern(text)], caseInsensitive: caseInsensitive)
    }

    /// Compiles the concatenation of `pieces`; wildcards in `.literal` pieces match only themselves.
    public init(pieces: [Piece], caseInsensitive: Bool) {
        var text = ""
        var bytes: [UInt8] = []
        var literal: [Bool] = []
        var anyLiteral = false
        for piece in pieces {
            switch piece {
            case .pattern(let s):
                text += s
                bytes.append(contentsOf: s.utf8)
                literal.append(contentsOf: repeatElement(false, count: s.utf8.count))
            case .literal(let s):
                text += s
                for b in s.utf8 {
                    bytes.append(b)
                    let wild = b == WildcardPattern.star || b == WildcardPattern.question
                    literal.append(wild)
                    anyLiteral = anyLiteral || wild
                }
            }
        }
        if caseInsensitive {
            for i in bytes.indices { bytes[i] = WildcardPattern.fold(bytes[i]) }
        }
        var firstStar = -1
        var lastStar = -1
        var hasQuestion = false
        for (i, b) in bytes.enumerated() where !anyLiteral || !literal[i] {
            if b == WildcardPattern.star {
                if firstStar < 0 { firstStar = i }
                lastStar = i
            }
            if b == WildcardPattern.question { hasQuestion = true }
        }
        self.text = text
        self.caseInsensitive = caseInsensitive
        self.bytes = bytes
        self.literal = anyLiteral ? literal : []
        self.firstStar = firstStar
        self.lastStar = lastStar
        if firstStar < 0 {
            shape = hasQuestion ? .anchored : .exact
        } else if firstStar == bytes.count - 1, !hasQuestion {
            shape = .prefix
        } else {
            shape = .general
        }
        searchTable =
            firstStar < lastStar ? WildcardPattern.searchTable(bytes, self.literal, firstStar..<lastStar + 1) : []
    }

    /// See ``searchTable``; `span` runs from the first `*` to the last.
    private static func searchTable(_ bytes: [UInt8], _ literal: [Bool], _ span: Range<Int>) -> [Int32] {
        func isWild(_ i: Int) -> Bool { literal.isEmpty || !literal[i] }
        var table = [Int32](repeating: 0, count: bytes.count)
        var start = span.lowerBound + 1
        table[span.lowerBound] = -2
        while start < span.upperBound {
            var end = start
            while !(bytes[end] == star && isWild(end)) { end += 1 }
            table[end] = -2
            let segment = start..<end
            start = end + 1
            guard !segment.isEmpty else { continue }
            if segment.contains(where: { bytes[$0] == question && isWild($0) }) {
                table[segment.lowerBound] = -1
                continue
            }
            var k = 0
            for i in segment.dropFirst() {
                while k > 0, bytes[i] != bytes[segment.lowerBound + k] { k = Int(table[segment.lowerBound + k - 1]) }
                if bytes[i] == bytes[segment.lowerBound + k] { k += 1 }
                table[i] = Int32(k)
            }
        }
        return table
    }

    public var description: String { text }

    /// Whether the pattern has no wildcard (it then matches exactly one string, up to case).
    public var isLiteral: Bool { shape == .exact }

    /// Whether `candidate` matches the whole pattern.
    public func matches(_ candidate: String) -> Bool {
        var candidate = candidate
        return candidate.withUTF8 { matches(UnsafeRawBufferPointer($0)) }
    }

    /// Whether the bytes of `candidate` match the whole pattern.
    public func matches(_ candidate: UnsafeRawBufferPointer) -> Bool {
        var counter = NoSteps()
        return match(candidate, &counter)
    }

    /// Whether `candidate` matches, and the number of steps it took: one per candidate byte examined and
    /// per 64-bit word of Shift-And state updated (building a segment's table, `O(s)`, is not counted).
    /// For a pattern of `m` bytes and a candidate of `n`, at most `m + 2n` when no segment holding a `?`
    /// is longer than 64 bytes (the tests hold it to this).
    func steps(toMatch candidate: String) -> (matches: Bool, steps: Int) {
        var candidate = candidate
        var counter = CountedSteps()
        let result = candidate.withUTF8 { match(UnsafeRawBufferPointer($0), &counter) }
        return (result, counter.count)
    }

    @inline(__always)
    private func match<Counter: StepCounter>(_ candidate: UnsafeRawBufferPointer, _ counter: inout Counter) -> Bool {
        bytes.withUnsafeBufferPointer { p in
            switch shape {
            case .exact:
                guard p.count == candidate.count else { return false }
                return WildcardPattern.equal(p, candidate, p.count, caseInsensitive, &counter)
            case .prefix:
                let n = p.count - 1
                guard candidate.count >= n else { return false }
                return WildcardPattern.equal(p, candidate, n, caseInsensitive, &counter)
            case .anchored, .general:
                return literal.withUnsafeBufferPointer { literal in
                    let m = Matcher(
                        pattern: p, literal: literal, caseInsensitive: caseInsensitive, candidate: candidate)
                    return shape == .anchored
                        ? m.forward(0..<p.count, &counter) == candidate.count
                        : searchTable.withUnsafeBufferPointer { m.general(firstStar, lastStar, $0, &counter) }
                }
            }
        }
    }

    /// Whether the first `n` bytes of the pattern and of the candidate are equal (up to case).
    @inline(__always)
    private static func equal<C: StepCounter>(
        _ p: UnsafeBufferPointer<UInt8>, _ c: UnsafeRawBufferPointer, _ n: Int, _ caseInsensitive: Bool,
        _ counter: inout C
    ) -> Bool {
        var k = 0
        if caseInsensitive {
            while k < n {
                counter.step()
                if p[k] != WildcardPattern.fold(c[k]) { return false }
                k += 1
            }
        } else {
            while k < n {
                counter.step()
                if p[k] != c[k] { return false }
                k += 1
            }
        }
        return true
    }

    /// The pattern and a candidate, with the segment matchers.
    private struct Matcher {
        let pattern: UnsafeBufferPointer<UInt8>
        let literal: UnsafeBufferPointer<Bool>
        let caseInsensitive: Bool
        let candidate: UnsafeRawBufferPointer

        @inline(__always)
        func byte(_ i: Int) -> UInt8 {
            caseInsensitive ? WildcardPattern.fold(candidate[i]) : candidate[i]
        }

        @inline(__always)
        func isQuestion(_ k: Int) -> Bool {
            pattern[k] == WildcardPattern.question && (literal.isEmpty || !literal[k])
        }

        /// The segment before the first `*` at the start, the one after the last at the end, and those
        /// between (marked in `table`) at their earliest-ending occurrences in between.
        func general<C: StepCounter>(
            _ firstStar: Int, _ lastStar: Int, _ table: UnsafeBufferPointer<Int32>, _ counter: inout C
        ) -> Bool {
            guard let headEnd = forward(0..<firstStar, &counter),
                let tailStart = backward(lastStar + 1..<pattern.count, notBefore: headEnd, &counter)
            else { return false }
            var position = headEnd
            var start = firstStar + 1
            while start < lastStar {
                var end = start
                while table[end] != -2 { end += 1 }
                let segment = start..<end
                start = end + 1
                guard !segment.isEmpty else { continue }
                let found =
                    table[segment.lowerBound] < 0
                    ? shiftAnd(segment, from: position, to: tailStart, &counter)
                    : knuthMorrisPratt(segment, table, from: position, to: tailStart, &counter)
                guard let found else { return false }
                position = found
            }
            return true
        }

        /// Where `segment` ends when matched from the start of the candidate, or `nil`.
        func forward<C: StepCounter>(_ segment: Range<Int>, _ counter: inout C) -> Int? {
            var i = 0
            for k in segment {
                guard i < candidate.count else { return nil }
                counter.step()
                if isQuestion(k) {
                    guard !WildcardPattern.isContinuation(candidate[i]) else { return nil }
                    i += 1
                    while i < candidate.count, WildcardPattern.isContinuation(candidate[i]) {
                        counter.step()
                        i += 1
                    }
                } else {
                    guard pattern[k] == byte(i) else { return nil }
                    i += 1
                }
            }
            return i
        }

        /// Where `segment` starts when matched backwards from the end of the candidate, not before
        /// `lowest`, or `nil`.
        func backward<C: StepCounter>(_ segment: Range<Int>, notBefore lowest: Int, _ counter: inout C) -> Int? {
            var i = candidate.count
            for k in segment.reversed() {
                let question = isQuestion(k)
                if question {
                    while i > lowest, WildcardPattern.isContinuation(candidate[i - 1]) {
                        counter.step()
                        i -= 1
                    }
                }
                guard i > lowest else { return nil }
                counter.step()
                if question {
                    guard !WildcardPattern.isContinuation(candidate[i - 1]) else { return nil }
                } else {
                    guard pattern[k] == byte(i - 1) else { return nil }
                }
                i -= 1
            }
            return i
        }

        /// The end of the first occurrence of `segment` (no `?`) in `candidate[from..<to]`, or `nil`:
        /// Knuth–Morris–Pratt, at most `2 × (to - from)` steps. Where nothing is matched, a case-sensitive
        /// search moves to the segment's first byte with `memchr` (the steps KMP would take byte by byte).
        func knuthMorrisPratt<C: StepCounter>(
            _ segment: Range<Int>, _ table: UnsafeBufferPointer<Int32>, from: Int, to: Int, _ counter: inout C
        ) -> Int? {
            let start = segment.lowerBound
            let length = segment.count
            var matched = 0
            var i = from
            while i < to {
                if matched == 0, !caseInsensitive, let base = candidate.baseAddress {
                    guard let found = memchr(base + i, Int32(pattern[start]), to - i) else {
                        counter.step(to - i)
                        return nil
                    }
                    let next = base.distance(to: UnsafeRawPointer(found))
                    counter.step(next - i)
                    i = next
                }
                counter.step()
                let c = byte(i)
                while matched > 0, pattern[start + matched] != c {
                    counter.step()
                    matched = Int(table[start + matched - 1])
                }
                if pattern[start + matched] == c { matched += 1 }
                i += 1
                if matched == length { return i }
            }
            return nil
        }

        /// The end of the earliest-ending occurrence of `segment` (with `?`) in `candidate[from..<to]`, or
        /// `nil`: Shift-And over `⌈length/64⌉` words, a `?` state staying set over continuation bytes.
        func shiftAnd<C: StepCounter>(_ segment: Range<Int>, from: Int, to: Int, _ counter: inout C) -> Int? {
            // Every element takes at least one byte: a shorter range cannot hold the segment (and its table,
            // 256 steps per `?`, is not worth building).
            guard to - from >= segment.count else { return nil }
            let words = (segment.count + 63) / 64
            // Per word: 256 byte masks (bit j of mask b: element j accepts byte b; a `?` accepts every byte
            // but continuation bytes), then the mask of the `?` elements, which stay set over continuation
            // bytes; then the state.
            let stride = 258
            return withUnsafeTemporaryAllocation(of: UInt64.self, capacity: words * stride) { table -> Int? in
                table.initialize(repeating: 0)
                for (j, k) in segment.enumerated() {
                    let base = j / 64 * stride
                    let bit = UInt64(1) << UInt64(j % 64)
                    counter.step()
                    if isQuestion(k) {
                        for b in 0..<256 where !WildcardPattern.isContinuation(UInt8(b)) { table[base + b] |= bit }
                        table[base + 256] |= bit
                    } else {
                        table[base + Int(pattern[k])] |= bit
                    }
                }
                let last = UInt64(1) << UInt64((segment.count - 1) % 64)
                let lastState = (words - 1) * stride + 257
                var i = from
                while i < to {
                    let b = Int(byte(i))
                    let continuation = WildcardPattern.isContinuation(candidate[i])
                    var carry: UInt64 = 1
                    for w in 0..<words {
                        counter.step()
                        let base = w * stride
                        let d = table[base + 257]
                        let stay = continuation ? d & table[base + 256] : 0
                        table[base + 257] = (((d << 1) | carry) & table[base + b]) | stay
                        carry = d >> 63
                    }
                    i += 1
                    if table[lastState] & last != 0 { return i }
                }
                return nil
            }
        }
    }

    private static let star = UInt8(ascii: "*")
    private static let question = UInt8(ascii: "?")

    @inline(__always)
    static func fold(_ byte: UInt8) -> UInt8 {
        byte &- UInt8(ascii: "A") < 26 ? byte | 0x20 : byte
    }

    /// A UTF-8 continuation byte (`10xxxxxx`).
    @inline(__always)
    static func isContinuation(_ byte: UInt8) -> Bool {
        byte & 0xC0 == 0x80
    }
}

/// Counts matching steps (``WildcardPattern/steps(toMatch:)``); the plain match counts nothing.
private protocol StepCounter {
    mutating func step()
    mutating func step(_ count: Int)
}

private struct NoSteps: StepCounter {
    @inline(__always) mutating func step() {}
    @inline(__always) mutating func step(_ count: Int) {}
}

private struct CountedSteps: StepCounter {
    var count = 0
    mutating func step() { count += 1 }
    mutating func step(_ count: Int) { self.count += count }
}
