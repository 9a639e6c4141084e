/// An IAM wildcard pattern (`*` matches any run of characters, `?` exactly one), compiled to bytes and
/// matched without regular expressions by the classic two-pointer backtracking matcher (Cedar's
/// `ast/pattern.rs`): no allocation, at worst `O(pattern × candidate)` steps, linear for the shapes IAM
/// policies use (no wildcard, a single trailing `*`, which have their own fast paths).
///
/// Actions match case-insensitively (`S3:getobject` is `s3:GetObject`), ARNs case-sensitively. `?` and the
/// case folding work on bytes: a `?` matches one byte, and only ASCII letters fold.
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
    private let bytes: [UInt8]
    /// `literal[i]` is true when `bytes[i]` is a `*` or `?` to match literally; empty when there is none.
    private let literal: [Bool]
    private let shape: Shape

    private enum Shape: Hashable {
        /// No wildcard: byte equality.
        case exact
        /// One `*`, at the end: a prefix test.
        case prefix
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
        self.text = text
        self.caseInsensitive = caseInsensitive
        self.bytes = caseInsensitive ? bytes.map(WildcardPattern.fold) : bytes
        self.literal = anyLiteral ? literal : []
        var wildcards: [Int] = []
        for (i, b) in bytes.enumerated() where (b == WildcardPattern.star || b == WildcardPattern.question) {
            if !anyLiteral || !literal[i] { wildcards.append(i) }
        }
        if wildcards.isEmpty {
            shape = .exact
        } else if wildcards == [bytes.count - 1], bytes[bytes.count - 1] == WildcardPattern.star {
            shape = .prefix
        } else {
            shape = .general
        }
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
        bytes.withUnsafeBufferPointer { p in
            switch shape {
            case .exact:
                guard p.count == candidate.count else { return false }
                return equal(p, 0, candidate, 0, p.count)
            case .prefix:
                let n = p.count - 1
                guard candidate.count >= n else { return false }
                return equal(p, 0, candidate, 0, n)
            case .general:
                return backtrack(p, candidate)
            }
        }
    }

    @inline(__always)
    private func equal(
        _ p: UnsafeBufferPointer<UInt8>, _ pi: Int, _ c: UnsafeRawBufferPointer, _ ci: Int, _ n: Int
    ) -> Bool {
        var k = 0
        if caseInsensitive {
            while k < n {
                if p[pi + k] != WildcardPattern.fold(c[ci + k]) { return false }
                k += 1
            }
        } else {
            while k < n {
                if p[pi + k] != c[ci + k] { return false }
                k += 1
            }
        }
        return true
    }

    @inline(__always)
    private func isWild(_ i: Int) -> Bool {
        literal.isEmpty || !literal[i]
    }

    private func backtrack(_ p: UnsafeBufferPointer<UInt8>, _ candidate: UnsafeRawBufferPointer) -> Bool {
        var pi = 0
        var ci = 0
        var starAt = -1
        var resumeAt = 0
        let pn = p.count
        let cn = candidate.count
        while ci < cn {
            if pi < pn {
                let pc = p[pi]
                if pc == WildcardPattern.star, isWild(pi) {
                    starAt = pi
                    resumeAt = ci
                    pi += 1
                    continue
                }
                let cc = caseInsensitive ? WildcardPattern.fold(candidate[ci]) : candidate[ci]
                if pc == cc || (pc == WildcardPattern.question && isWild(pi)) {
                    pi += 1
                    ci += 1
                    continue
                }
            }
            guard starAt >= 0 else { return false }
            pi = starAt + 1
            resumeAt += 1
            ci = resumeAt
        }
        while pi < pn, p[pi] == WildcardPattern.star, isWild(pi) { pi += 1 }
        return pi == pn
    }

    private static let star = UInt8(ascii: "*")
    private static let question = UInt8(ascii: "?")

    @inline(__always)
    static func fold(_ byte: UInt8) -> UInt8 {
        byte &- UInt8(ascii: "A") < 26 ? byte | 0x20 : byte
    }
}
