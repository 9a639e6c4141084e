/// An IAM wildcard pattern (`*` matches any run of characters, `?` exactly one), compiled to bytes and
/// matched without regular expressions in time linear in the candidate.
///
/// The pattern is cut at its `*`s into segments of literal bytes and `?`s. The first segment is matched at
/// the start of the candidate, the last one backwards from its end, and each segment between them at its
/// earliest-ending occurrence after the previous one (taking the earliest is never worse: what follows a
/// `*` may start anywhere later). Such a search is Knuth–Morris–Pratt for a segment without `?` and
/// bit-parallel Shift-And for one with `?`, so a candidate of `n` bytes costs `O(n)` steps, and
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
    private let shape: Shape
    /// The search tables of the segments between the first and last `*`: KMP failure links (segments
    /// without `?`) and Shift-And masks (segments with `?`), at each segment's offsets.
    private let searchTables: SearchTables

    private enum Shape: Hashable {
        /// No wildcard: byte equality.
        case exact
        /// One `*`, at the end: a prefix test.
        case prefix
        /// `?` but no `*`: one segment matched at both ends.
        case anchored
        /// At least one `*`: the segments before the first and after the last, and those between.
        case general(head: Segment, middle: [Segment], tail: Segment)
    }

    /// A run of the pattern between `*`s: `bytes[start..<end]`.
    private struct Segment: Hashable {
        var start: Int
        var end: Int
        /// Whether it holds a wildcard `?`.
        var hasQuestion: Bool
        /// Where its search table starts (middle segments only).
        var table: Int
    }

    private struct SearchTables: Hashable {
        var failure: [Int] = []
        var masks: [UInt64] = []
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
        if caseInsensitive { bytes = bytes.map(WildcardPattern.fold) }
        self.text = text
        self.caseInsensitive = caseInsensitive
        self.bytes = bytes
        self.literal = anyLiteral ? literal : []
        var stars: [Int] = []
        var hasQuestion = false
        for (i, b) in bytes.enumerated() where !anyLiteral || !literal[i] {
            if b == WildcardPattern.star { stars.append(i) }
            if b == WildcardPattern.question { hasQuestion = true }
        }
        var tables = SearchTables()
        if stars.isEmpty {
            shape = hasQuestion ? .anchored : .exact
        } else if stars == [bytes.count - 1], !hasQuestion {
            shape = .prefix
        } else {
            var segments: [Segment] = []
            var start = 0
            for end in stars + [bytes.count] {
                let question = (start..<end).contains {
                    bytes[$0] == WildcardPattern.question && (!anyLiteral || !literal[$0])
                }
                segments.append(Segment(start: start, end: end, hasQuestion: question, table: 0))
                start = end + 1
            }
            var middle: [Segment] = []
            for var segment in segments.dropFirst().dropLast() where segment.start < segment.end {
                if segment.hasQuestion {
                    segment.table = tables.masks.count
                    tables.masks += WildcardPattern.shiftAndMasks(bytes, literal, segment)
                } else {
                    segment.table = tables.failure.count
                    tables.failure += WildcardPattern.failureLinks(bytes[segment.start..<segment.end])
                }
                middle.append(segment)
            }
            shape = .general(head: segments[0], middle: middle, tail: segments[segments.count - 1])
        }
        searchTables = tables
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
    /// per 64-bit word of Shift-And state updated. For a pattern of `m` bytes and a candidate of `n`, at
    /// most `m + 2n` when no segment holding a `?` is longer than 64 bytes (the tests hold it to this).
    func steps(toMatch candidate: String) -> (matches: Bool, steps: Int) {
        var candidate = candidate
        var counter = CountedSteps()
        let result = candidate.withUTF8 { match(UnsafeRawBufferPointer($0), &counter) }
        return (result, counter.count)
    }

    private func match<Counter: StepCounter>(_ candidate: UnsafeRawBufferPointer, _ counter: inout Counter) -> Bool {
        bytes.withUnsafeBufferPointer { p in
            let m = Matcher(pattern: p, literal: literal, caseInsensitive: caseInsensitive, candidate: candidate)
            switch shape {
            case .exact:
                guard p.count == candidate.count else { return false }
                return m.literalRun(0, 0, p.count, &counter)
            case .prefix:
                let n = p.count - 1
                guard candidate.count >= n else { return false }
                return m.literalRun(0, 0, n, &counter)
            case .anchored:
                return m.forward(Segment(start: 0, end: p.count, hasQuestion: true, table: 0), &counter)
                    == candidate.count
            case .general(let head, let middle, let tail):
                guard let headEnd = m.forward(head, &counter),
                    let tailStart = m.backward(tail, notBefore: headEnd, &counter)
                else { return false }
                var position = headEnd
                for segment in middle {
                    let end =
                        segment.hasQuestion
                        ? m.shiftAnd(segment, searchTables.masks, from: position, to: tailStart, &counter)
                        : m.knuthMorrisPratt(segment, searchTables.failure, from: position, to: tailStart, &counter)
                    guard let end else { return false }
                    position = end
                }
                return true
            }
        }
    }

    /// The pattern and a candidate, with the segment matchers.
    private struct Matcher {
        let pattern: UnsafeBufferPointer<UInt8>
        let literal: [Bool]
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

        /// Whether `n` pattern bytes from `k` equal `n` candidate bytes from `i`.
        @inline(__always)
        func literalRun<C: StepCounter>(_ k: Int, _ i: Int, _ n: Int, _ counter: inout C) -> Bool {
            var j = 0
            while j < n {
                counter.step()
                if pattern[k + j] != byte(i + j) { return false }
                j += 1
            }
            return true
        }

        /// Where `segment` ends when matched from the start of the candidate, or `nil`.
        func forward<C: StepCounter>(_ segment: Segment, _ counter: inout C) -> Int? {
            guard segment.hasQuestion else {
                let n = segment.end - segment.start
                return n <= candidate.count && literalRun(segment.start, 0, n, &counter) ? n : nil
            }
            var i = 0
            for k in segment.start..<segment.end {
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
        func backward<C: StepCounter>(_ segment: Segment, notBefore lowest: Int, _ counter: inout C) -> Int? {
            var i = candidate.count
            var k = segment.end
            while k > segment.start {
                k -= 1
                if isQuestion(k) {
                    while i > lowest, WildcardPattern.isContinuation(candidate[i - 1]) {
                        counter.step()
                        i -= 1
                    }
                }
                guard i > lowest else { return nil }
                counter.step()
                if isQuestion(k) {
                    guard !WildcardPattern.isContinuation(candidate[i - 1]) else { return nil }
                } else {
                    guard pattern[k] == byte(i - 1) else { return nil }
                }
                i -= 1
            }
            return i
        }

        /// The end of the first occurrence of `segment` (no `?`) in `candidate[from..<to]`, or `nil`:
        /// Knuth–Morris–Pratt, at most `2 × (to - from)` steps.
        func knuthMorrisPratt<C: StepCounter>(
            _ segment: Segment, _ failure: [Int], from: Int, to: Int, _ counter: inout C
        ) -> Int? {
            let length = segment.end - segment.start
            var matched = 0
            var i = from
            while i < to {
                counter.step()
                let c = byte(i)
                while matched > 0, pattern[segment.start + matched] != c {
                    counter.step()
                    matched = failure[segment.table + matched - 1]
                }
                if pattern[segment.start + matched] == c { matched += 1 }
                i += 1
                if matched == length { return i }
            }
            return nil
        }

        /// The end of the earliest-ending occurrence of `segment` (with `?`) in `candidate[from..<to]`, or
        /// `nil`: Shift-And over `⌈length/64⌉` words, a `?` state staying set over continuation bytes.
        func shiftAnd<C: StepCounter>(
            _ segment: Segment, _ masks: [UInt64], from: Int, to: Int, _ counter: inout C
        ) -> Int? {
            let length = segment.end - segment.start
            let words = (length + 63) / 64
            // Per word: 256 byte masks, then the mask of the `?` states.
            let stride = 257
            let last = UInt64(1) << UInt64((length - 1) % 64)
            return withUnsafeTemporaryAllocation(of: UInt64.self, capacity: words) { state -> Int? in
                state.initialize(repeating: 0)
                var i = from
                while i < to {
                    let b = Int(byte(i))
                    let continuation = WildcardPattern.isContinuation(candidate[i])
                    var carry: UInt64 = 1
                    for w in 0..<words {
                        counter.step()
                        let base = segment.table + w * stride
                        let d = state[w]
                        let stay = continuation ? d & masks[base + 256] : 0
                        state[w] = (((d << 1) | carry) & masks[base + b]) | stay
                        carry = d >> 63
                    }
                    i += 1
                    if state[words - 1] & last != 0 { return i }
                }
                return nil
            }
        }
    }

    /// KMP failure links of `segment`: `failure[j]` is the length of the longest proper border of
    /// `segment[...j]`.
    private static func failureLinks(_ segment: ArraySlice<UInt8>) -> [Int] {
        let s = Array(segment)
        var failure = [Int](repeating: 0, count: s.count)
        var k = 0
        for j in s.indices.dropFirst() {
            while k > 0, s[j] != s[k] { k = failure[k - 1] }
            if s[j] == s[k] { k += 1 }
            failure[j] = k
        }
        return failure
    }

    /// Shift-And masks of `segment`, per 64-bit word: bit `j` of mask `b` is set when element `j` accepts
    /// byte `b` (a `?` accepts every byte but continuation bytes), and the 257th mask has the bits of the
    /// `?` elements (which stay set over continuation bytes).
    private static func shiftAndMasks(_ bytes: [UInt8], _ literal: [Bool], _ segment: Segment) -> [UInt64] {
        let length = segment.end - segment.start
        let stride = 257
        var masks = [UInt64](repeating: 0, count: (length + 63) / 64 * stride)
        for j in 0..<length {
            let k = segment.start + j
            let base = j / 64 * stride
            let bit = UInt64(1) << UInt64(j % 64)
            if bytes[k] == question && (literal.isEmpty || !literal[k]) {
                for b in 0..<256 where !isContinuation(UInt8(b)) { masks[base + b] |= bit }
                masks[base + 256] |= bit
            } else {
                masks[base + Int(bytes[k])] |= bit
            }
        }
        return masks
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
}

private struct NoSteps: StepCounter {
    @inline(__always) mutating func step() {}
}

private struct CountedSteps: StepCounter {
    var count = 0
    mutating func step() { count += 1 }
}
